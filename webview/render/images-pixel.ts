/**
 * The couplings of one pixel (clicked on any image of the Images tab): its pair couplings c_(i,j) as
 * an image, from the stored order-2 terms, and its three-point slice c_(i,j,k): from the stored
 * terms where order 3 is stored, else asked of the host (requestSlice, src/panel/messages.ts) and
 * drawn when the answer comes. Values in the action's units around its expansion point.
 */

import type { RenderContext } from '../context';
import { h } from '../dom';
import { fmt } from '../format';
import { requestSlice, sliceState } from '../slices';
import { localSlice, onDemandInfo, pixelName, storedOrders, termIndex, type GridReport } from './images-data';
import { maxAbs, pixelImage, pixelLegend } from './pixel-image';

const unitOf = (ctx: RenderContext): string => (ctx.ui.convention === 'energy' ? 'coefficient of the energy −ln p' : 'coefficient of ln p');

function diverging(ctx: RenderContext, report: GridReport, values: number[], what: string, cls: string): HTMLElement {
  const max = maxAbs(values);
  const scale = { kind: 'diverging', max } as const;
  const pick = (k: number): void => ctx.update({ pixel: k });
  return h(
    'figure',
    { class: 'al-figure' },
    pixelImage(report.grid, values, { size: 180, scale, label: (k, v) => `${what}, ${pixelName(ctx, k)}: ${fmt(v)}`, onPixel: pick, selected: ctx.ui.pixel, ariaLabel: what, class: cls }),
    h('figcaption', { class: 'al-caption' }, what),
    pixelLegend(scale, unitOf(ctx)),
  );
}

/** Images of a three-point slice (d x d over the free (j, k)): c_(i,i,k) and c_(i,j,j), and its largest entries. */
function sliceFigures(ctx: RenderContext, report: GridReport, i: number, values: readonly number[], note: string): HTMLElement {
  const d = report.input.columns.length;
  const sign = ctx.ui.convention === 'energy' ? -1 : 1;
  const withSelf = Array.from({ length: d }, (_, k) => sign * values[i * d + k]);
  const diagonal = Array.from({ length: d }, (_, j) => sign * values[j * d + j]);
  const largest: Array<{ j: number; k: number; v: number }> = [];
  for (let j = 0; j < d; j++) for (let k = j; k < d; k++) largest.push({ j, k, v: sign * values[j * d + k] });
  largest.sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
  const name = pixelName(ctx, i);
  return h(
    'div',
    { class: 'al-slice', id: 'al-slice-3' },
    h('p', { class: 'al-caption' }, note),
    h(
      'div',
      { class: 'al-figures' },
      diverging(ctx, report, withSelf, `c(${name}, ${name}, k): with the pixel's square`, 'al-slice-self'),
      diverging(ctx, report, diagonal, `c(${name}, j, j): with each pixel's square`, 'al-slice-diagonal'),
    ),
    h(
      'ol',
      { class: 'al-slice-top' },
      ...largest.slice(0, 6).map((e) => h('li', {}, `${name} · ${pixelName(ctx, e.j)} · ${pixelName(ctx, e.k)}: ${fmt(e.v)}`)),
    ),
  );
}

function threePoint(ctx: RenderContext, report: GridReport, i: number): HTMLElement {
  const d = report.input.columns.length;
  if (report.action.order < 3) return h('p', { class: 'al-muted', id: 'al-slice-3' }, `No three-point couplings: this action stops at order ${report.action.order}.`);
  if (storedOrders(report) >= 3) {
    return sliceFigures(ctx, report, i, localSlice(report.action.terms, d, 3, [i]), 'Three-point couplings of the pixel, from the report\'s order-3 terms.');
  }
  const demand = onDemandInfo(report);
  if (!demand?.orders.includes(3)) return h('p', { class: 'al-muted', id: 'al-slice-3' }, 'The report holds no order-3 terms and no host computes them.');
  const post = ctx.post;
  if (!post) return h('p', { class: 'al-muted', id: 'al-slice-3' }, 'Three-point couplings are computed on demand by the extension; this standalone page cannot ask for them.');
  const state = sliceState(3, [i]);
  if (state === undefined) requestSlice(post, 3, [i]);
  if (state === undefined || state.status === 'pending') return h('p', { class: 'al-muted al-pending', id: 'al-slice-3' }, `Computing the three-point slice of ${pixelName(ctx, i)}…`);
  if (state.status === 'error') {
    return h('div', { class: 'al-warnings', id: 'al-slice-3' }, `The three-point slice could not be computed: ${state.message}`, ' ', h('button', { class: 'al-retry', on: { click: () => { requestSlice(post, 3, [i]); ctx.update({}); } } }, 'Retry'));
  }
  return sliceFigures(ctx, report, i, state.values, `Three-point couplings of the pixel, computed on demand by the host in ${fmt(state.seconds, 3)} s${demand.how ? ` (${demand.how})` : ''}.`);
}

export function renderPixelCouplings(ctx: RenderContext, report: GridReport): HTMLElement {
  const d = report.input.columns.length;
  const i = ctx.ui.pixel;
  const card = h('div', { class: 'al-card', id: 'al-images-pixel' }, h('h3', {}, 'Couplings of a pixel'));
  if (i === null || i >= d) {
    card.append(h('p', { class: 'al-muted' }, 'Click a pixel on any image to see how it couples to the others.'));
    return card;
  }
  const sign = ctx.ui.convention === 'energy' ? -1 : 1;
  const pairs = termIndex(report.action.terms, 2);
  const at = (j: number): number => pairs.get(i < j ? `${i},${j}` : `${j},${i}`) ?? 0;
  const values = Array.from({ length: d }, (_, j) => (j === i ? 0 : sign * at(j)));
  const name = pixelName(ctx, i);
  card.append(
    h(
      'p',
      { class: 'al-caption', id: 'al-pixel-caption' },
      `Pixel ${name} (column ${i + 1}). Its own term c(${name}, ${name}) = ${fmt(sign * at(i))} is left out of the image (drawn as 0) so that the pair couplings set the scale. ` +
        `Red: positive, blue: negative (${unitOf(ctx)}); in ln p a positive pair coupling makes the two pixels vary together.`,
    ),
    h('div', { class: 'al-figures' }, diverging(ctx, report, values, `c(${name}, j): pair couplings`, 'al-pair-image')),
    threePoint(ctx, report, i),
  );
  return card;
}
