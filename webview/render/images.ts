/**
 * The Images tab, shown when the report's columns are the pixels of a grid (report.grid; README.md,
 * "Images"): the mean and spread images, held-out rows beside exact model samples, the couplings of a
 * clicked pixel (images-pixel.ts), the coupling matrix's extreme modes, and the strongest vertices and
 * the layers' diagram norms (images-vertices.ts). Values are in the action's units around its
 * expansion point (ln p, or the energy -ln p when that convention is chosen).
 */

import type { RenderContext } from '../context';
import { h } from '../dom';
import { fmt } from '../format';
import { pixelName, type GridReport } from './images-data';
import { renderPixelCouplings } from './images-pixel';
import { renderLayerNorms, renderVertices } from './images-vertices';
import { grayScale, maxAbs, pixelImage, pixelLegend, type PixelScale } from './pixel-image';

function figure(caption: string, ...content: Array<Element>): HTMLElement {
  return h('figure', { class: 'al-figure' }, ...content, h('figcaption', { class: 'al-caption' }, caption));
}

function overview(ctx: RenderContext, report: GridReport): HTMLElement {
  const { mean, std } = report.model.standardization;
  const meanScale = grayScale(report.grid, [mean]);
  const stdScale: PixelScale = { kind: 'gray', lo: 0, hi: Math.max(...std.filter(Number.isFinite), 1e-300) };
  const pick = (k: number): void => ctx.update({ pixel: k });
  const g = report.grid;
  const omitted = g.omitted?.length ?? 0;
  return h(
    'div',
    { class: 'al-card', id: 'al-images-overview' },
    h('h3', {}, 'Mean and spread'),
    h(
      'p',
      { class: 'al-caption' },
      `${report.input.columns.length} columns on a ${g.height} x ${g.width} grid (${g.source === 'names' ? 'read from the column names' : 'given with --grid, the file\'s columns row by row'})` +
        `${omitted > 0 ? `; ${omitted} constant pixels left out of the model, drawn with their value and a dashed outline` : ''}. Click a pixel to see its couplings.`,
    ),
    h(
      'div',
      { class: 'al-figures' },
      figure('mean (the training rows\')', pixelImage(g, mean, { scale: meanScale, label: (k, v) => `${pixelName(ctx, k)}: mean ${fmt(v)}`, onPixel: pick, selected: ctx.ui.pixel, ariaLabel: 'mean image', class: 'al-mean-image' }), pixelLegend(meanScale, 'raw units')),
      figure('standard deviation', pixelImage(g, std, { scale: stdScale, label: (k, v) => `${pixelName(ctx, k)}: standard deviation ${fmt(v)}`, onPixel: pick, selected: ctx.ui.pixel, omittedValue: () => 0, ariaLabel: 'standard deviation image', class: 'al-std-image' }), pixelLegend(stdScale, 'raw units')),
    ),
  );
}

function rowsCard(ctx: RenderContext, report: GridReport): HTMLElement | null {
  const images = report.images;
  if (!images) return null;
  const scale = grayScale(report.grid, images.dataRows);
  const row = (values: number[], i: number, what: string): SVGSVGElement =>
    pixelImage(report.grid, values, { size: 84, scale, label: (k, v) => `${what} ${i + 1}, ${pixelName(ctx, k)}: ${fmt(v)}`, ariaLabel: `${what} ${i + 1}`, class: what === 'data row' ? 'al-data-row' : 'al-model-sample' });
  return h(
    'div',
    { class: 'al-card', id: 'al-images-rows' },
    h('h3', {}, 'Data and model samples'),
    h('p', { class: 'al-caption' }, `Top: the first ${images.dataRows.length} held-out rows. Bottom: ${images.modelSamples.length} rows drawn from the model${images.samplesSource ? ` (${images.samplesSource})` : ''}. One gray scale for both, from the data's range; model values beyond it are drawn at its ends.`),
    h('div', { class: 'al-image-strip' }, ...images.dataRows.map((r, i) => row(r, i, 'data row'))),
    h('div', { class: 'al-image-strip' }, ...images.modelSamples.map((r, i) => row(r, i, 'model sample'))),
    pixelLegend(scale, 'raw units'),
  );
}

function modesCard(ctx: RenderContext, report: GridReport): HTMLElement | null {
  const modes = report.images?.couplingModes ?? [];
  if (modes.length === 0) return null;
  const sign = ctx.ui.convention === 'energy' ? -1 : 1;
  const figures = modes.map((m, i) => {
    const max = maxAbs(m.vector);
    const img = pixelImage(report.grid, m.vector, { size: 110, scale: { kind: 'diverging', max }, label: (k, v) => `mode ${i + 1}, ${pixelName(ctx, k)}: ${fmt(v)}`, ariaLabel: `coupling mode ${i + 1}`, class: 'al-mode-image' });
    return figure(`${i < modes.length / 2 ? 'stiff' : 'soft'}: eigenvalue ${fmt(sign * m.eigenvalue, 3)}`, img);
  });
  return h(
    'div',
    { class: 'al-card', id: 'al-images-modes' },
    h('h3', {}, 'Coupling modes'),
    h(
      'p',
      { class: 'al-caption' },
      `Eigenvectors of the order-2 part of the action as a symmetric matrix, in units of the columns' spreads (S₂ = Σ B_ij y_i y_j, y = (x − x₀)/σ). ` +
        `Stiff modes (eigenvalues most ${sign > 0 ? 'negative' : 'positive'}) are the pixel patterns the model allows least; soft ones those it allows most. Unit vectors, sign fixed so that the largest entry is positive.`,
    ),
    h('div', { class: 'al-figures' }, ...figures),
  );
}

export function renderImages(ctx: RenderContext): HTMLElement | null {
  const report = ctx.report;
  if (!report.grid) return null;
  const gr = report as GridReport;
  return h(
    'section',
    { class: 'al-images', id: 'al-images' },
    overview(ctx, gr),
    renderPixelCouplings(ctx, gr),
    rowsCard(ctx, gr),
    modesCard(ctx, gr),
    renderVertices(ctx, gr),
    renderLayerNorms(ctx),
  );
}
