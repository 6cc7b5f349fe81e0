/**
 * The experiment section. Typed in the schema (ExperimentSection) but read defensively here, piece by
 * piece, so that an older or partial section still shows what it can: findings, per-order learned vs
 * true (scatter + relative errors), the runs and, for sweeps, the depth x data map.
 */

import { monomialText } from '../../src/panel/latex';
import type { RenderContext } from '../context';
import { h, s, svgTitle } from '../dom';
import { exact, fmt } from '../format';
import { scatter, type ScatterSeries } from './charts';

type Rec = Record<string, unknown>;

function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function numOrNull(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function numArray(x: unknown): number[] | null {
  if (!Array.isArray(x) || x.length > 100_000) return null;
  const out: number[] = [];
  for (const v of x) {
    if (typeof v === 'number') out.push(v);
    else if (v === null) out.push(Number.NaN);
    else if (isRecord(v) && typeof v.coefficient === 'number') out.push(v.coefficient);
    else return null;
  }
  return out;
}

function monomials(x: unknown): number[][] | null {
  if (!Array.isArray(x)) return null;
  return x.every((m) => Array.isArray(m) && m.every((i) => typeof i === 'number' && Number.isInteger(i) && i >= 0)) ? (x as number[][]) : null;
}

interface OrderRow {
  order: number;
  series: ScatterSeries | null;
  relativeError: number | null;
  maxAbsWhereTrueZero: number | null;
}

/** Learned-vs-true per order, from `perOrder` (an array, or a record order -> {...}). */
export function perOrderRows(experiment: unknown, columns: string[] = []): OrderRow[] {
  if (!isRecord(experiment)) return [];
  const p = experiment.perOrder;
  const items: [number, unknown][] = Array.isArray(p)
    ? p.map((item, i) => [isRecord(item) && typeof item.order === 'number' ? item.order : i + 1, item])
    : isRecord(p)
      ? Object.entries(p).map(([k, v]) => [Number(k), v])
      : [];
  const out: OrderRow[] = [];
  for (const [order, item] of items) {
    if (!isRecord(item)) continue;
    const learned = numArray(item.learned);
    const truth = numArray(item.truth ?? item.true);
    const monos = monomials(item.monomials);
    const series = learned && truth
      ? {
          label: `order ${order}`,
          learned,
          truth,
          names: monos ? monos.map((m) => monomialText(m, columns, 'indices')) : undefined,
        }
      : null;
    out.push({ order, series, relativeError: numOrNull(item.relativeError), maxAbsWhereTrueZero: numOrNull(item.maxAbsWhereTrueZero) });
  }
  return out;
}

interface Run {
  layers: number;
  rows: number;
  valNll: number | null;
  trueValNll: number | null;
  seconds: number | null;
}

function runs(experiment: Rec): Run[] {
  if (!Array.isArray(experiment.runs)) return [];
  return experiment.runs.filter(isRecord).flatMap((r) => {
    const layers = numOrNull(r.layers);
    const rows = numOrNull(r.rows);
    if (layers === null || rows === null) return [];
    return [{ layers, rows, valNll: numOrNull(r.valNll), trueValNll: numOrNull(r.trueValNll), seconds: numOrNull(r.seconds) }];
  });
}

/** Depth x data map: layers (rows of the grid) x training rows (columns), coloured by excess held-out NLL. */
function depthDataMap(rs: Run[]): SVGSVGElement | null {
  const depths = [...new Set(rs.map((r) => r.layers))].sort((a, b) => a - b);
  const sizes = [...new Set(rs.map((r) => r.rows))].sort((a, b) => a - b);
  if (depths.length < 2 && sizes.length < 2) return null;
  const value = (r: Run) => (r.valNll !== null && r.trueValNll !== null ? r.valNll - r.trueValNll : r.valNll);
  const vals = rs.map(value).filter((v): v is number => v !== null);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const cw = 78;
  const ch = 30;
  const left = 70;
  const top = 34;
  const width = left + sizes.length * cw + 10;
  const height = top + depths.length * ch + 24;
  const svg = s('svg', { id: 'al-depth-data', class: 'al-chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Depth x data map' });
  sizes.forEach((n, j) => svg.append(s('text', { x: left + j * cw + cw / 2, y: top - 8, 'text-anchor': 'middle', class: 'al-tick' }, `${n} rows`)));
  depths.forEach((L, i) => {
    svg.append(s('text', { x: left - 6, y: top + i * ch + ch / 2 + 4, 'text-anchor': 'end', class: 'al-tick' }, `${L} layer${L === 1 ? '' : 's'}`));
    sizes.forEach((n, j) => {
      const run = rs.find((r) => r.layers === L && r.rows === n);
      const v = run ? value(run) : null;
      const frac = v === null || hi === lo ? 0.5 : (v - lo) / (hi - lo);
      const g = s('g', { class: 'al-dd-cell' });
      g.append(s('rect', { x: left + j * cw, y: top + i * ch, width: cw - 2, height: ch - 2, class: v === null ? 'al-cell al-zero' : 'al-cell al-neg', 'fill-opacity': (0.15 + 0.8 * (1 - frac)).toFixed(3) }));
      g.append(s('text', { x: left + j * cw + cw / 2, y: top + i * ch + ch / 2 + 4, 'text-anchor': 'middle', class: 'al-cell-text' }, v === null ? '—' : fmt(v, 3)));
      if (run) g.append(svgTitle(`${L} layers, ${n} rows: held-out NLL ${exact(run.valNll)}${run.trueValNll !== null ? `, true ${exact(run.trueValNll)}` : ''}`));
      svg.append(g);
    });
  });
  svg.append(s('text', { x: left, y: height - 6, class: 'al-tick' }, rs.some((r) => r.trueValNll !== null) ? 'held-out NLL − true NLL (darker = closer to the truth)' : 'held-out NLL (darker = lower)'));
  return svg;
}

export function renderExperiment(ctx: RenderContext): HTMLElement | null {
  const ex: unknown = ctx.report.experiment;
  if (ex === undefined || ex === null) return null;
  if (!isRecord(ex)) return h('section', { class: 'al-section', id: 'al-experiment' }, h('p', { class: 'al-muted' }, 'The experiment section is not understood.'));
  const title = typeof ex.title === 'string' ? ex.title : typeof ex.id === 'string' ? ex.id : 'Experiment';
  const findings = Array.isArray(ex.findings) ? ex.findings.filter((f): f is string => typeof f === 'string') : [];
  const rows = perOrderRows(ex, ctx.report.input.columns);
  const series = rows.flatMap((r) => (r.series ? [r.series] : []));
  const rs = runs(ex);
  const map = rs.length > 1 ? depthDataMap(rs) : null;
  const meta = [
    typeof ex.id === 'string' ? `id ${ex.id}` : '',
    typeof ex.quick === 'boolean' ? (ex.quick ? 'quick' : 'full') : '',
    typeof ex.seed === 'number' ? `seed ${ex.seed}` : '',
    typeof ex.seconds === 'number' ? `${fmt(ex.seconds, 3)} s` : '',
  ].filter((x) => x !== '').join(' · ');
  const source = isRecord(ex.source)
    ? Object.entries(ex.source).filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean').slice(0, 20)
        .map(([k, v]) => `${k} = ${typeof v === 'number' ? fmt(v) : String(v)}`).join(', ')
    : '';

  return h(
    'section',
    { class: 'al-section', id: 'al-experiment' },
    h('h3', {}, title, h('span', { class: 'al-muted' }, meta ? `  ${meta}` : '')),
    source ? h('p', { class: 'al-caption' }, `Data: ${source}`) : null,
    findings.length > 0 ? h('div', { class: 'al-card al-findings' }, h('strong', {}, 'Findings'), h('ul', {}, ...findings.map((f) => h('li', {}, f)))) : null,
    rows.length > 0
      ? h(
          'table',
          { class: 'al-table', id: 'al-per-order' },
          h('thead', {}, h('tr', {}, h('th', {}, 'order'), h('th', {}, 'relative error'), h('th', {}, 'max |c| where true c = 0'), h('th', {}, 'coefficients'))),
          h('tbody', {}, ...rows.map((r) => h('tr', {},
            h('td', {}, String(r.order)),
            h('td', { class: 'al-num', title: exact(r.relativeError) }, r.relativeError === null ? '—' : `${fmt(100 * r.relativeError, 3)} %`),
            h('td', { class: 'al-num', title: exact(r.maxAbsWhereTrueZero) }, fmt(r.maxAbsWhereTrueZero, 3)),
            h('td', { class: 'al-num' }, String(r.series ? Math.min(r.series.learned.length, r.series.truth.length) : 0)),
          ))),
        )
      : null,
    series.length > 0
      ? h('div', { class: 'al-card' }, h('h3', {}, 'Learned vs true coefficients'), scatter(series), h('p', { class: 'al-caption' }, 'Each point is one coefficient (raw units, monomial form); the dashed diagonal is perfect agreement.'))
      : h('p', { class: 'al-muted' }, 'No learned-vs-true coefficients in this experiment.'),
    map ? h('div', { class: 'al-card' }, h('h3', {}, 'Depth × data'), map) : null,
  );
}
