/**
 * Per-layer diagram classes (docs/METHOD.md section 5), drawn as small SVGs: an S_out vertex with k legs;
 * each leg passes (straight), splits in two or three (a fork), or terminates (a filled dot).
 */

import type { DiagramClass, ReportLayer } from '../../src/core/report/schema';
import { monomialText } from '../../src/panel/latex';
import type { RenderContext } from '../context';
import { h, s, svgTitle } from '../dom';
import { exact, fmt } from '../format';

const LEG_NAMES = ['terminates', 'passes', 'splits in two', 'splits in three'];

function legName(j: number): string {
  return LEG_NAMES[j] ?? `splits in ${j}`;
}

/** The legs of a class as a list of leg kinds (j per leg), e.g. legs [1, 0, 2] -> [0, 2, 2]. */
export function legKinds(legs: readonly number[]): number[] {
  const out: number[] = [];
  legs.forEach((n, j) => {
    for (let i = 0; i < n; i++) out.push(j);
  });
  return out;
}

export function classLabel(cls: DiagramClass): string {
  const parts = cls.legs.map((n, j) => (n > 0 ? `${n} ${legName(j)}` : '')).filter((p) => p !== '');
  return `vertex of order ${cls.vertexOrder} → order ${cls.resultOrder}: ${parts.join(', ') || 'no legs'}`;
}

/** An SVG drawing of one diagram class. */
export function diagramSvg(cls: DiagramClass): SVGSVGElement {
  const kinds = legKinds(cls.legs);
  const slots = kinds.map((j) => Math.max(1, j));
  const total = slots.reduce((a, b) => a + b, 0);
  const slotH = 11;
  const pad = 8;
  const height = Math.max(44, total * slotH + 2 * pad);
  const width = 128;
  const vx = 22;
  const vy = height / 2;
  const nodeX = 70;
  const endX = width - 8;
  const svg = s('svg', {
    class: 'al-diagram-class',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': classLabel(cls),
  });
  svg.append(svgTitle(`${classLabel(cls)}\nnorm ${exact(cls.norm)}`));
  const g = s('g', { class: 'al-diagram-lines' });
  let y0 = pad + (height - 2 * pad - total * slotH) / 2;
  kinds.forEach((j, li) => {
    const band = (slots[li] ?? 1) * slotH;
    const ly = y0 + band / 2;
    y0 += band;
    g.append(s('line', { x1: vx, y1: vy, x2: nodeX, y2: ly, class: `al-leg al-leg-${j}` }));
    if (j === 0) {
      g.append(s('circle', { cx: nodeX, cy: ly, r: 3.5, class: 'al-terminal' }));
    } else if (j === 1) {
      g.append(s('line', { x1: nodeX, y1: ly, x2: endX, y2: ly, class: 'al-leg al-leg-pass' }));
    } else {
      for (let k = 0; k < j; k++) {
        const ty = ly - band / 2 + slotH * (k + 0.5);
        g.append(s('line', { x1: nodeX, y1: ly, x2: endX, y2: ty, class: 'al-leg al-leg-split' }));
      }
      g.append(s('circle', { cx: nodeX, cy: ly, r: 2.5, class: 'al-split-node' }));
    }
  });
  svg.append(g);
  svg.append(s('circle', { cx: vx, cy: vy, r: 6, class: 'al-vertex' }));
  svg.append(s('text', { x: vx, y: vy + 3.5, class: 'al-vertex-label', 'text-anchor': 'middle' }, String(cls.vertexOrder)));
  return svg;
}

/** The layer's own vertices from ln|det| drawn as loops (a vertex with a loop). */
function loopSvg(): SVGSVGElement {
  const svg = s('svg', { class: 'al-diagram-loop', width: 60, height: 44, viewBox: '0 0 60 44', role: 'img', 'aria-label': 'ln|det| vertices (loops)' });
  svg.append(svgTitle('the layer’s own vertices from ln|det| (one-unit loops)'));
  svg.append(s('path', { d: 'M 22 26 C 8 4, 52 4, 38 26', class: 'al-leg al-loop' }));
  svg.append(s('line', { x1: 30, y1: 28, x2: 52, y2: 38, class: 'al-leg' }));
  svg.append(s('line', { x1: 30, y1: 28, x2: 8, y2: 38, class: 'al-leg' }));
  svg.append(s('circle', { cx: 30, cy: 28, r: 6, class: 'al-vertex' }));
  return svg;
}

function entriesTitle(entries: { monomial: number[]; coefficient: number }[], cut: boolean, columns: string[]): string {
  const lines = entries.slice(0, 12).map((e) => `${monomialText(e.monomial, columns, 'indices')}: ${exact(e.coefficient)}`);
  if (entries.length > 12 || cut) lines.push('…');
  return lines.join('\n');
}

function renderLayer(layer: ReportLayer, ctx: RenderContext): HTMLElement {
  const columns = ctx.report.input.columns;
  const maxNorm = Math.max(1e-300, ...layer.diagrams.map((c) => Math.abs(c.norm ?? 0)));
  const classes = [...layer.diagrams].sort((a, b) => a.resultOrder - b.resultOrder || Math.abs(b.norm) - Math.abs(a.norm));
  const cards = classes.map((cls) =>
    h(
      'figure',
      {
        class: 'al-class',
        data: { vertex: cls.vertexOrder, result: cls.resultOrder },
        title: `${classLabel(cls)}\nnorm ${exact(cls.norm)}\n${entriesTitle(cls.entries ?? [], cls.entriesCut, columns)}`,
      },
      diagramSvg(cls),
      h(
        'figcaption',
        {},
        h('span', { class: 'al-class-orders' }, `${cls.vertexOrder} → ${cls.resultOrder}`),
        ' ',
        h('span', { class: 'al-norm' }, `‖·‖ ${fmt(cls.norm, 3)}`),
        h('span', { class: 'al-bar', attrs: { 'aria-hidden': 'true' } }, h('span', {
          class: 'al-bar-fill',
          data: { frac: Math.round((100 * Math.abs(cls.norm ?? 0)) / maxNorm) },
        })),
      ),
    ),
  );
  // Bar widths: set through the CSSOM (allowed under the CSP; no inline style attributes in markup).
  for (const fill of cards.map((c) => c.querySelector<HTMLElement>('.al-bar-fill'))) {
    if (fill) fill.style.width = `${fill.dataset.frac ?? '0'}%`;
  }

  const extras = h(
    'div',
    { class: 'al-layer-extras' },
    h(
      'figure',
      { class: 'al-class al-logdet', title: `ln|det| vertices\nnorm ${exact(layer.logDet.norm)}\n${entriesTitle(layer.logDet.entries, layer.logDet.entriesCut, columns)}` },
      loopSvg(),
      h('figcaption', {}, 'ln|det| ', h('span', { class: 'al-norm' }, `‖·‖ ${fmt(layer.logDet.norm, 3)}`)),
    ),
    h(
      'dl',
      { class: 'al-kv al-layer-kv' },
      h('dt', {}, 'remainder'),
      h('dd', { class: 'al-remainder', title: entriesTitle(layer.remainder.entries, layer.remainder.entriesCut, columns) }, fmt(layer.remainder.norm, 3)),
      h('dt', {}, '‖S_in‖'),
      h('dd', {}, fmt(layer.actionInNorm, 3)),
    ),
  );

  return h(
    'section',
    { class: 'al-layer al-card', data: { layer: layer.index } },
    h(
      'h3',
      {},
      `Layer ${layer.index} · ${layer.kind}`,
      h('span', { class: 'al-muted' }, `  ${layer.inputName} ← ${layer.outputName} · ${layer.diagrams.length} diagram classes`),
    ),
    h('div', { class: 'al-classes' }, ...cards),
    extras,
  );
}

export function renderDiagrams(ctx: RenderContext): HTMLElement {
  const layers = ctx.report.layers;
  return h(
    'section',
    { class: 'al-section', id: 'al-diagrams' },
    h(
      'p',
      { class: 'al-caption' },
      'Each class: a vertex of S_out (left, its order) whose legs pass through the layer (straight), split in two or three (fork) or terminate on a constant (dot); it feeds S_in at the order shown after the arrow. Norms are Euclidean over the coefficients fed.',
    ),
    layers.length === 0 ? h('p', { class: 'al-muted' }, 'No layers in this report.') : null,
    ...layers.map((l) => renderLayer(l, ctx)),
  );
}
