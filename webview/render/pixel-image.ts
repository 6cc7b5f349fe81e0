/**
 * One image on a report's pixel grid (report.grid): an SVG of height x width squares, each report
 * column drawn in its cell. Two scales: 'gray' (intensities, from lo to hi, ink in the theme's
 * foreground colour) and 'diverging' (signed values, red for positive and blue for negative in
 * ln p, opacity by |v| / max). Constant pixels left out of the model (grid.omitted) are drawn with
 * their value and a dashed outline; cells of no column stay empty. Every text is set as text.
 */

import type { ReportGrid } from '../../src/core/report/schema';
import { s, svgTitle } from '../dom';
import { fmt } from '../format';

export type PixelScale = { kind: 'gray'; lo: number; hi: number } | { kind: 'diverging'; max: number };

export interface PixelImageOptions {
  /** The image's side in CSS pixels (the longer side). */
  size?: number;
  scale: PixelScale;
  /** Hover text of column k's cell. */
  label: (k: number, value: number) => string;
  /** The selected column (outlined). */
  selected?: number | null;
  /** Called with the column of a clicked cell. */
  onPixel?: (k: number) => void;
  /** A value for the omitted constant pixels (default: their own value on a gray scale, nothing on a diverging one). */
  omittedValue?: (value: number) => number | null;
  class?: string;
  ariaLabel: string;
}

/** The cell size and the SVG's size for a grid drawn within `size` CSS pixels. */
export function gridGeometry(grid: ReportGrid, size: number): { cell: number; width: number; height: number } {
  const cell = Math.max(2, Math.floor(size / Math.max(grid.height, grid.width)));
  return { cell, width: cell * grid.width, height: cell * grid.height };
}

function fill(scale: PixelScale, v: number): { cls: string; opacity: number } {
  if (!Number.isFinite(v)) return { cls: 'al-px-nan', opacity: 1 };
  if (scale.kind === 'gray') {
    const span = scale.hi - scale.lo;
    const t = span > 0 ? (v - scale.lo) / span : 0;
    return { cls: 'al-px-ink', opacity: Math.min(1, Math.max(0, t)) };
  }
  const t = scale.max > 0 ? Math.min(1, Math.abs(v) / scale.max) : 0;
  return { cls: v > 0 ? 'al-px-pos' : v < 0 ? 'al-px-neg' : 'al-px-zero', opacity: v === 0 ? 1 : 0.06 + 0.94 * t };
}

/** values[k] is report column k's value. */
export function pixelImage(grid: ReportGrid, values: ArrayLike<number>, opts: PixelImageOptions): SVGSVGElement {
  const { cell, width, height } = gridGeometry(grid, opts.size ?? 140);
  const svg = s('svg', {
    class: `al-pixel-image ${opts.class ?? ''}`.trim(),
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': opts.ariaLabel,
  });
  svg.append(s('rect', { class: 'al-px-frame', x: 0, y: 0, width, height }));
  const place = (c: number): { x: number; y: number } => ({ x: (c % grid.width) * cell, y: Math.floor(c / grid.width) * cell });
  for (const o of grid.omitted ?? []) {
    const v = opts.omittedValue ? opts.omittedValue(o.value) : opts.scale.kind === 'gray' ? o.value : null;
    const { x, y } = place(o.cell);
    const f = v === null ? { cls: 'al-px-none', opacity: 1 } : fill(opts.scale, v);
    const r = s('rect', { class: `al-px al-px-omitted ${f.cls}`, x, y, width: cell, height: cell, 'fill-opacity': f.opacity.toFixed(3), 'data-cell': o.cell });
    r.append(svgTitle(`${o.name}: constant ${fmt(o.value)} (left out of the model)`));
    svg.append(r);
  }
  for (let k = 0; k < grid.cells.length; k++) {
    const c = grid.cells[k];
    const v = values[k];
    const { x, y } = place(c);
    const f = fill(opts.scale, v);
    const r = s('rect', { class: `al-px ${f.cls}`, x, y, width: cell, height: cell, 'fill-opacity': f.opacity.toFixed(3), 'data-cell': c, 'data-column': k, 'data-value': String(v) });
    r.append(svgTitle(opts.label(k, v)));
    if (opts.onPixel) {
      const pick = opts.onPixel;
      r.addEventListener('click', () => pick(k));
      r.classList.add('al-px-pickable');
    }
    svg.append(r);
  }
  if (opts.selected !== undefined && opts.selected !== null && grid.cells[opts.selected] !== undefined) {
    const { x, y } = place(grid.cells[opts.selected]);
    svg.append(s('rect', { class: 'al-px-selected', x: x + 0.5, y: y + 0.5, width: cell - 1, height: cell - 1 }));
  }
  return svg;
}

/** A colour bar with its end values and unit, for a scale. */
export function pixelLegend(scale: PixelScale, unit: string): SVGSVGElement {
  const w = 180;
  const svg = s('svg', { class: 'al-pixel-legend', viewBox: `0 0 ${w} 34`, width: w, height: 34, role: 'img', 'aria-label': `colour scale: ${unit}` });
  const steps = 24;
  for (let i = 0; i < steps; i++) {
    const v = scale.kind === 'gray' ? scale.lo + ((scale.hi - scale.lo) * (i + 0.5)) / steps : scale.max * (-1 + (2 * (i + 0.5)) / steps);
    const f = fill(scale, v);
    svg.append(s('rect', { class: f.cls, x: 10 + (i * (w - 20)) / steps, y: 2, width: (w - 20) / steps + 0.3, height: 10, 'fill-opacity': f.opacity.toFixed(3) }));
  }
  const lo = scale.kind === 'gray' ? scale.lo : -scale.max;
  const hi = scale.kind === 'gray' ? scale.hi : scale.max;
  svg.append(s('text', { class: 'al-tick', x: 10, y: 24, 'text-anchor': 'start', 'font-size': 10 }, fmt(lo, 3)));
  if (scale.kind === 'diverging') svg.append(s('text', { class: 'al-tick', x: w / 2, y: 24, 'text-anchor': 'middle', 'font-size': 10 }, '0'));
  svg.append(s('text', { class: 'al-tick', x: w - 10, y: 24, 'text-anchor': 'end', 'font-size': 10 }, fmt(hi, 3)));
  svg.append(s('text', { class: 'al-tick al-legend-unit', x: w / 2, y: 33, 'text-anchor': 'middle', 'font-size': 9 }, unit));
  return svg;
}

/** The largest |v| (for a diverging scale), at least a tiny positive number. */
export function maxAbs(values: Iterable<number>): number {
  let m = 0;
  for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m > 0 ? m : 1e-300;
}

/** The gray scale of intensities: from the smallest to the largest of the rows' values and the grid's constant pixels. */
export function grayScale(grid: ReportGrid, rows: ReadonlyArray<ArrayLike<number>>): PixelScale {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number): void => {
    if (!Number.isFinite(v)) return;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  };
  for (const row of rows) for (let k = 0; k < row.length; k++) see(row[k]);
  for (const o of grid.omitted ?? []) see(o.value);
  return Number.isFinite(lo) ? { kind: 'gray', lo, hi } : { kind: 'gray', lo: 0, hi: 1 };
}
