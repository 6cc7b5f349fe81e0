/** SVG charts: training curve, pairwise-coupling heat map, learned-vs-true scatter. */

import type { Report, ReportTraining } from '../../src/core/report/schema';
import type { RenderContext } from '../context';
import { h, s, svgTitle } from '../dom';
import { exact, fmt } from '../format';

interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** "Nice" ticks over [lo, hi]. */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) return [lo];
  const span = hi - lo;
  const step0 = span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => span / st <= n) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function extent(values: number[]): [number, number] {
  const f = values.filter(finite);
  if (f.length === 0) return [0, 1];
  let lo = Math.min(...f);
  let hi = Math.max(...f);
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  return [lo, hi];
}

function axes(svg: SVGSVGElement, box: Box, xr: [number, number], yr: [number, number], xLabel: string, yLabel: string) {
  const X = (v: number) => box.left + ((v - xr[0]) / (xr[1] - xr[0])) * (box.width - box.left - box.right);
  const Y = (v: number) => box.height - box.bottom - ((v - yr[0]) / (yr[1] - yr[0])) * (box.height - box.top - box.bottom);
  const g = s('g', { class: 'al-axes' });
  for (const t of ticks(xr[0], xr[1])) {
    g.append(s('line', { x1: X(t), x2: X(t), y1: box.top, y2: box.height - box.bottom, class: 'al-grid' }));
    g.append(s('text', { x: X(t), y: box.height - box.bottom + 14, 'text-anchor': 'middle', class: 'al-tick' }, fmt(t, 3)));
  }
  for (const t of ticks(yr[0], yr[1])) {
    g.append(s('line', { x1: box.left, x2: box.width - box.right, y1: Y(t), y2: Y(t), class: 'al-grid' }));
    g.append(s('text', { x: box.left - 5, y: Y(t) + 4, 'text-anchor': 'end', class: 'al-tick' }, fmt(t, 3)));
  }
  g.append(s('rect', { x: box.left, y: box.top, width: box.width - box.left - box.right, height: box.height - box.top - box.bottom, class: 'al-frame' }));
  g.append(s('text', { x: (box.left + box.width - box.right) / 2, y: box.height - 4, 'text-anchor': 'middle', class: 'al-axis-label' }, xLabel));
  g.append(s('text', { x: 12, y: (box.top + box.height - box.bottom) / 2, 'text-anchor': 'middle', class: 'al-axis-label', transform: `rotate(-90 12 ${(box.top + box.height - box.bottom) / 2})` }, yLabel));
  svg.append(g);
  return { X, Y };
}

/** Height of the band above the plot frame that holds the training curve's legend. */
const LEGEND_BAND = 24;

/**
 * The legend of the training curve in its own band above the plot frame (box.top reserves it), so it
 * never covers the frame or the curves; the chart scales as a whole, so this holds at every width.
 */
function curveLegend(box: Box, entries: { cls: string; label: string; dashed?: boolean }[]): SVGGElement {
  const g = s('g', { id: 'al-training-legend', class: 'al-legend-group' });
  const y = box.top - LEGEND_BAND / 2;
  let x = box.left;
  for (const e of entries) {
    g.append(s('line', { x1: x, x2: x + 18, y1: y, y2: y, class: e.dashed ? 'al-ref-line' : `al-line ${e.cls}` }));
    g.append(s('text', { x: x + 22, y: y + 4, class: 'al-tick al-legend' }, e.label));
    // Room for the longest label at the chart's font size ("Gaussian fit, held out").
    x += 30 + 6.2 * e.label.length;
  }
  return g;
}

export function trainingCurve(report: Report & { training: ReportTraining }): SVGSVGElement {
  const hist = report.training.history;
  const box: Box = { width: 560, height: 260 + LEGEND_BAND, left: 62, right: 14, top: 14 + LEGEND_BAND, bottom: 38 };
  const svg = s('svg', { id: 'al-training-curve', class: 'al-chart', viewBox: `0 0 ${box.width} ${box.height}`, width: box.width, height: box.height, role: 'img', 'aria-label': 'Training curve: train and validation NLL vs step' });
  const xr = extent(hist.map((p) => p.step));
  const ys = hist.flatMap((p) => [p.trainNll, p.valNll]);
  const gaussian = finite(report.training.gaussianValNll);
  if (gaussian) ys.push(report.training.gaussianValNll);
  const yr = extent(ys);
  const { X, Y } = axes(svg, box, xr, yr, 'step', 'NLL (nats / row)');
  if (gaussian) {
    const gy = Y(report.training.gaussianValNll);
    svg.append(s('line', { x1: box.left, x2: box.width - box.right, y1: gy, y2: gy, class: 'al-ref-line' }, svgTitle(`Gaussian fit, held out: ${exact(report.training.gaussianValNll)}`)));
  }
  const series: { key: 'trainNll' | 'valNll'; cls: string; label: string }[] = [
    { key: 'trainNll', cls: 'al-series-1', label: 'train' },
    { key: 'valNll', cls: 'al-series-2', label: 'validation' },
  ];
  for (const ser of series) {
    const pts = hist.filter((p) => finite(p[ser.key]) && finite(p.step)).map((p) => `${X(p.step).toFixed(1)},${Y(p[ser.key]).toFixed(1)}`);
    if (pts.length > 0) svg.append(s('polyline', { points: pts.join(' '), class: `al-line ${ser.cls}`, 'data-series': ser.key }, svgTitle(ser.label)));
  }
  svg.append(curveLegend(box, [...series, ...(gaussian ? [{ cls: '', label: 'Gaussian fit, held out', dashed: true }] : [])]));
  // The kept model's point: by its step (reports with a step budget), else by its epoch (older ones).
  const bestStep = report.training.bestStep;
  const bestEpoch = report.training.bestEpoch;
  const best = bestStep !== undefined ? hist.find((p) => p.step === bestStep) : hist.find((p) => p.epoch === bestEpoch);
  if (best && finite(best.valNll)) {
    svg.append(s('circle', { cx: X(best.step), cy: Y(best.valNll), r: 4, class: 'al-best' }, svgTitle(`kept model: step ${best.step} (epoch ${best.epoch}), val NLL ${exact(best.valNll)}`)));
  }
  return svg;
}

/** The d x d matrix of order-2 coefficients: off-diagonal c_(i,j), diagonal c_(i,i). */
export function couplingMatrix(terms: { monomial: number[]; coefficient: number }[], d: number): number[][] {
  const m = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const t of terms) {
    if (t.monomial.length !== 2) continue;
    const [i, j] = t.monomial as [number, number];
    if (i >= d || j >= d) continue;
    const row = m[i];
    const col = m[j];
    if (!row || !col) continue;
    row[j] = t.coefficient;
    col[i] = t.coefficient;
  }
  return m;
}

export function heatMap(ctx: RenderContext, terms: { monomial: number[]; coefficient: number }[], sign: number): SVGSVGElement {
  const columns = ctx.report.input.columns;
  const d = columns.length;
  const m = couplingMatrix(terms, d);
  const cell = Math.max(6, Math.min(40, Math.floor(480 / Math.max(1, d))));
  const labels = d <= 40;
  const margin = labels ? 90 : 10;
  const size = margin + d * cell + 10;
  const svg = s('svg', { id: 'al-heatmap', class: 'al-chart al-heatmap', viewBox: `0 0 ${size} ${size}`, width: size, height: size, role: 'img', 'aria-label': 'Pairwise couplings (order-2 coefficients)' });
  let maxOff = 0;
  let maxDiag = 0;
  m.forEach((row, i) => row.forEach((v, j) => {
    if (i === j) maxDiag = Math.max(maxDiag, Math.abs(v));
    else maxOff = Math.max(maxOff, Math.abs(v));
  }));
  const name = (i: number) => (ctx.ui.names === 'columns' && columns[i] ? columns[i] : `x${i}`);
  m.forEach((row, i) => row.forEach((raw, j) => {
    const v = sign * raw;
    const scale = i === j ? maxDiag : maxOff;
    const frac = scale > 0 ? Math.min(1, Math.abs(v) / scale) : 0;
    const r = s('rect', {
      x: margin + j * cell,
      y: margin + i * cell,
      width: cell - 1,
      height: cell - 1,
      class: `al-cell ${v > 0 ? 'al-pos' : v < 0 ? 'al-neg' : 'al-zero'}${i === j ? ' al-diag' : ''}`,
      'fill-opacity': (0.08 + 0.92 * frac).toFixed(3),
      'data-i': i,
      'data-j': j,
    });
    r.append(svgTitle(`${i === j ? `${name(i)}²` : `${name(i)} · ${name(j)}`}: ${exact(v)}`));
    svg.append(r);
  }));
  if (labels) {
    const fs = Math.min(12, cell * 0.8);
    for (let i = 0; i < d; i++) {
      const text = name(i).length > 14 ? `${name(i).slice(0, 13)}…` : name(i);
      svg.append(s('text', { x: margin - 4, y: margin + i * cell + cell / 2 + fs / 3, 'text-anchor': 'end', class: 'al-tick', 'font-size': fs }, text));
      const cx = margin + i * cell + cell / 2;
      svg.append(s('text', { x: cx, y: margin - 4, 'text-anchor': 'start', class: 'al-tick', 'font-size': fs, transform: `rotate(-60 ${cx} ${margin - 4})` }, text));
    }
  }
  return svg;
}

/** The training curve and its caption, for reports of an estimator that trains. */
function trainingCard(report: Report): HTMLElement {
  const t = report.training;
  if (!t) return h('div', { class: 'al-card' }, h('h3', {}, 'Training'), h('p', { class: 'al-muted' }, `No training: the ${report.model.estimator} estimator fits the action directly.`));
  return h(
    'div',
    { class: 'al-card' },
    h('h3', {}, 'Training curve'),
    t.history.length > 0 ? trainingCurve({ ...report, training: t }) : h('p', { class: 'al-muted' }, 'No training history in this report.'),
    h(
      'p',
      { class: 'al-caption' },
      `${t.steps} steps (${t.epochs} epochs)${t.maxSteps !== undefined ? ` of a budget of ${t.maxSteps}` : ''}, batch ${t.batch}, learning rate ${fmt(t.learningRate)}; ` +
        `kept ${t.bestStep !== undefined ? `step ${t.bestStep}` : `epoch ${t.bestEpoch}`}; stopped: ${t.stoppedBecause}; ` +
        `${t.evaluationInterval !== undefined ? `held-out NLL every ${t.evaluationInterval} steps; ` : ''}${fmt(t.trainSeconds, 3)} s.`,
    ),
  );
}

export function renderTraining(ctx: RenderContext): HTMLElement {
  const sign = ctx.ui.convention === 'energy' ? -1 : 1;
  const action = ctx.ui.standardized && ctx.report.actionStandardized ? ctx.report.actionStandardized : ctx.report.action;
  return h(
    'section',
    { class: 'al-section', id: 'al-training' },
    trainingCard(ctx.report),
    h(
      'div',
      { class: 'al-card' },
      h('h3', {}, 'Pairwise couplings'),
      heatMap(ctx, action.terms, sign),
      h('p', { class: 'al-caption' }, `Order-2 coefficients of ${sign < 0 ? 'E = −ln p' : 'ln p'} (${action.units} units): off-diagonal c_(i,j), diagonal c_(i,i), each scaled to its own maximum. `,
        h('span', { class: 'al-swatch al-pos' }), ' positive ', h('span', { class: 'al-swatch al-neg' }), ' negative'),
    ),
  );
}

export interface ScatterSeries {
  label: string;
  learned: number[];
  truth: number[];
  /** Per point (e.g. the monomial), for the hover. */
  names?: string[];
}

export function scatter(series: ScatterSeries[]): SVGSVGElement {
  const box: Box = { width: 420, height: 420, left: 62, right: 14, top: 14, bottom: 38 };
  const svg = s('svg', { id: 'al-scatter', class: 'al-chart', viewBox: `0 0 ${box.width} ${box.height}`, width: box.width, height: box.height, role: 'img', 'aria-label': 'Learned vs true coefficients' });
  const all = series.flatMap((se) => [...se.learned, ...se.truth]);
  const r = extent(all);
  const { X, Y } = axes(svg, box, r, r, 'true coefficient', 'learned coefficient');
  svg.append(s('line', { x1: X(r[0]), y1: Y(r[0]), x2: X(r[1]), y2: Y(r[1]), class: 'al-ref-line' }));
  series.forEach((se, k) => {
    const g = s('g', { class: `al-scatter-series al-series-${(k % 6) + 1}` });
    const n = Math.min(se.learned.length, se.truth.length);
    for (let i = 0; i < n; i++) {
      const a = se.truth[i];
      const b = se.learned[i];
      if (!finite(a) || !finite(b)) continue;
      g.append(s('circle', { cx: X(a), cy: Y(b), r: 3, class: 'al-point' }, svgTitle(`${se.names?.[i] ?? se.label}: true ${exact(a)}, learned ${exact(b)}`)));
    }
    svg.append(g);
    svg.append(s('circle', { cx: box.left + 14, cy: box.top + 12 + 16 * k, r: 4, class: `al-point al-series-${(k % 6) + 1}` }));
    svg.append(s('text', { x: box.left + 24, y: box.top + 16 + 16 * k, class: 'al-tick al-legend' }, se.label));
  });
  return svg;
}
