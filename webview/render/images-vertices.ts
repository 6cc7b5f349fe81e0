/**
 * The strongest 3- and 4-point vertices drawn on the grid (a hub joined to each pixel of the
 * monomial, over the mean image; from the host's on-demand list where the order is not stored, else
 * from the stored terms), and the layers' diagram norms (report.layers: per layer, the norms of the
 * diagram classes feeding each order of the action).
 */

import { monomialText } from '../../src/panel/latex';
import type { RenderContext } from '../context';
import { h, s, svgTitle } from '../dom';
import { fmt } from '../format';
import { onDemandInfo, storedOrders, strongestTerms, type GridReport } from './images-data';
import { grayScale, gridGeometry, pixelImage } from './pixel-image';

const TOP = 12;

function verticesFigure(ctx: RenderContext, report: GridReport, order: number): HTMLElement | null {
  const std = report.model.standardization.std;
  const demand = onDemandInfo(report);
  const listed = demand?.topTerms.get(order);
  const fromStore = storedOrders(report) >= order;
  const terms = fromStore ? strongestTerms(report.action.terms, order, std, TOP) : listed ? strongestTerms(listed.terms, order, std, TOP) : [];
  if (terms.length === 0) return null;
  const size = 220;
  const { cell } = gridGeometry(report.grid, size);
  const mean = report.model.standardization.mean;
  const svg = pixelImage(report.grid, mean, { size, scale: grayScale(report.grid, [mean]), label: (k, v) => `${report.input.columns[k] ?? k}: mean ${fmt(v)}`, ariaLabel: `strongest ${order}-point vertices`, class: 'al-vertex-map' });
  const centre = (k: number): { x: number; y: number } => {
    const c = report.grid.cells[k];
    return { x: ((c % report.grid.width) + 0.5) * cell, y: (Math.floor(c / report.grid.width) + 0.5) * cell };
  };
  const biggest = terms[0].size || 1e-300;
  const sign = ctx.ui.convention === 'energy' ? -1 : 1;
  terms.forEach((t, rank) => {
    const pixels = [...new Set(t.monomial)].map(centre);
    const hub = { x: pixels.reduce((a, p) => a + p.x, 0) / pixels.length, y: pixels.reduce((a, p) => a + p.y, 0) / pixels.length };
    const cls = sign * t.coefficient >= 0 ? 'al-pos' : 'al-neg';
    const g = s('g', { class: `al-vertex ${cls}`, 'data-monomial': t.monomial.join(','), 'data-rank': rank });
    const width = 0.8 + 3 * Math.sqrt(t.size / biggest);
    for (const p of pixels) g.append(s('line', { x1: hub.x, y1: hub.y, x2: p.x, y2: p.y, 'stroke-width': width.toFixed(2) }));
    for (const p of pixels) g.append(s('circle', { cx: p.x, cy: p.y, r: Math.min(4, Math.max(1.5, cell * 0.22)) }));
    g.append(s('circle', { class: 'al-vertex-hub', cx: hub.x, cy: hub.y, r: Math.min(2, Math.max(1, cell * 0.12)) }));
    g.append(svgTitle(`${monomialText(t.monomial, report.input.columns, ctx.ui.names)}: ${fmt(sign * t.coefficient)} (|c| times the spreads ${fmt(t.size, 3)})`));
    svg.append(g);
  });
  const source = fromStore ? `the report's order-${order} terms` : `the host's list of the strongest order-${order} terms${listed?.guarantee ? ` (${listed.guarantee})` : ''}`;
  return h('figure', { class: 'al-figure', data: { order } }, svg, h('figcaption', { class: 'al-caption' }, `${terms.length} strongest ${order}-point vertices, from ${source}.`));
}

export function renderVertices(ctx: RenderContext, report: GridReport): HTMLElement | null {
  const figures = [3, 4].map((o) => verticesFigure(ctx, report, o)).filter((f): f is HTMLElement => f !== null);
  if (figures.length === 0) return null;
  return h(
    'div',
    { class: 'al-card', id: 'al-images-vertices' },
    h('h3', {}, 'Strongest higher vertices'),
    h('p', { class: 'al-caption' }, 'Each vertex is a hub joined to its pixels (a pixel\'s own power is one line), over the mean image; ranked by |c| times the spreads of its pixels; line width by that size, colour by sign (red positive). Hover for the term.'),
    h('div', { class: 'al-figures' }, ...figures),
  );
}

export function renderLayerNorms(ctx: RenderContext): HTMLElement | null {
  const layers = ctx.report.layers.filter((l) => l.diagrams.length > 0);
  if (layers.length === 0) return null;
  const orders = [...new Set(layers.flatMap((l) => l.diagrams.map((c) => c.resultOrder)))].filter((o) => o >= 1).sort((a, b) => a - b);
  const sums = layers.map((l) => orders.map((o) => l.diagrams.filter((c) => c.resultOrder === o).reduce((a, c) => a + c.norm, 0)));
  const top = Math.max(1e-300, ...sums.flat());
  const rows = layers.map((l, r) =>
    h(
      'tr',
      { data: { layer: l.index } },
      h('td', {}, `${l.index} (${l.kind})`),
      ...sums[r].map((v) => h('td', { class: 'al-num al-norm-cell', title: String(v) }, s('svg', { class: 'al-norm-bar', width: 60, height: 8, viewBox: '0 0 60 8' }, s('rect', { x: 0, y: 0, height: 8, width: ((60 * v) / top).toFixed(1) })), ` ${fmt(v, 3)}`)),
      h('td', { class: 'al-num', title: String(l.logDet.norm) }, fmt(l.logDet.norm, 3)),
    ),
  );
  return h(
    'div',
    { class: 'al-card', id: 'al-images-layers' },
    h('h3', {}, 'Diagram norms per layer'),
    h('p', { class: 'al-caption' }, 'For each layer, the sum of the Euclidean norms of the diagram classes feeding each order (1 and up) of the action below it (the Diagrams tab has the classes), and the norm of the layer\'s own log-det vertices.'),
    h('table', { class: 'al-table', id: 'al-layer-norms' }, h('thead', {}, h('tr', {}, h('th', {}, 'layer'), ...orders.map((o) => h('th', {}, `order ${o}`)), h('th', {}, 'log-det'))), h('tbody', {}, ...rows)),
  );
}
