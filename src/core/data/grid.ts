/**
 * Columns that are the pixels of an image: read where each sits on the grid from its name (r07c13:
 * row 7, column 13) or from `--grid HxW` (the file's columns row by row), so the panel can draw the
 * action's pieces as images (README.md, "Images").
 */

import type { GridOmittedCell, ReportGrid } from '../report/schema';
import { InputError } from '../util/errors';

/** 'auto': from the names when every column has a pixel name; 'off': never; or the grid's size. */
export type GridRequest = 'auto' | 'off' | GridSize;

export interface GridSize {
  height: number;
  width: number;
}

/** The largest side we draw. */
export const MAX_GRID_SIDE = 1024;

/** A column left out of the model because it is constant (as the ingest reports it). */
export interface OmittedColumn {
  name: string;
  /** Its 0-based index among the file's columns. */
  sourceColumn: number;
  value: number;
}

// r7c13, r07c13, R07_C13, r07-c13, px_r07_c13: a row number then a column number.
const PIXEL_NAME = /^(?:px[_-]?)?r(\d{1,4})[_-]?c(\d{1,4})$/i;

/** The (row, column) a pixel's name says, or null for a name that is not one. */
export function cellOfName(name: string): { row: number; col: number } | null {
  const m = PIXEL_NAME.exec(name.trim());
  return m ? { row: Number(m[1]), col: Number(m[2]) } : null;
}

/** `--grid 28x28` (also 28X28, 28*28). */
export function parseGridOption(text: string): GridSize {
  const m = /^\s*(\d{1,4})\s*[xX*×]\s*(\d{1,4})\s*$/.exec(text);
  const height = m ? Number(m[1]) : Number.NaN;
  const width = m ? Number(m[2]) : Number.NaN;
  if (!(height >= 1 && width >= 1 && height <= MAX_GRID_SIDE && width <= MAX_GRID_SIDE) || height * width < 2) {
    throw new InputError(`--grid must be auto, off or HEIGHTxWIDTH with sides from 1 to ${MAX_GRID_SIDE} (e.g. 28x28), got "${text}"`);
  }
  return { height, width };
}

/**
 * The grid the columns' names spell: every column (and every left-out column) named as a pixel, no
 * two on one pixel; the grid is the names' bounding box (so 1-based names start at the first row
 * they use). Null when the names do not all say a pixel, or when fewer than 4 columns would be drawn.
 */
export function gridFromNames(columns: readonly string[], omitted: readonly OmittedColumn[] = []): ReportGrid | null {
  const cells = columns.map(cellOfName);
  const dropped = omitted.map((o) => cellOfName(o.name));
  const all = [...cells, ...dropped];
  if (columns.length < 4 || all.some((c) => c === null)) return null;
  const rows = all.map((c) => c?.row ?? 0);
  const cols = all.map((c) => c?.col ?? 0);
  const r0 = Math.min(...rows);
  const c0 = Math.min(...cols);
  const height = Math.max(...rows) - r0 + 1;
  const width = Math.max(...cols) - c0 + 1;
  if (height > MAX_GRID_SIDE || width > MAX_GRID_SIDE || height < 2 || width < 2) return null;
  const at = (c: { row: number; col: number } | null): number => (c ? (c.row - r0) * width + (c.col - c0) : -1);
  const grid: ReportGrid = { height, width, cells: cells.map(at), source: 'names' };
  if (omitted.length > 0) grid.omitted = omitted.map((o, i): GridOmittedCell => ({ cell: at(dropped[i]), name: o.name, value: o.value }));
  return distinctCells(grid) ? grid : null;
}

/**
 * The grid of `--grid HxW`: the file's columns fill it row by row, so report column k sits at cell
 * sourceColumns[k]; a file with more columns than cells is refused.
 */
export function gridFromOption(size: GridSize, columns: readonly string[], sourceColumns: readonly number[], omitted: readonly OmittedColumn[] = []): ReportGrid {
  const cellCount = size.height * size.width;
  const beyond = [...sourceColumns.map((s, k) => ({ s, name: columns[k] })), ...omitted.map((o) => ({ s: o.sourceColumn, name: o.name }))].find((x) => x.s >= cellCount);
  if (beyond) {
    throw new InputError(
      `--grid ${size.height}x${size.width} has ${cellCount} pixels, but column "${beyond.name}" is the file's column ${beyond.s + 1}: ` +
        'the file\'s columns fill the grid row by row, so it needs at least as many pixels as the file has columns',
    );
  }
  const grid: ReportGrid = { height: size.height, width: size.width, cells: [...sourceColumns], source: 'option' };
  if (omitted.length > 0) grid.omitted = omitted.map((o) => ({ cell: o.sourceColumn, name: o.name, value: o.value }));
  return grid;
}

/** The report's grid for a run: from the option when given, else from the names ('auto'), else none. */
export function gridFor(request: GridRequest, columns: readonly string[], sourceColumns: readonly number[], omitted: readonly OmittedColumn[] = []): ReportGrid | null {
  if (request === 'off') return null;
  if (request === 'auto') return gridFromNames(columns, omitted);
  return gridFromOption(request, columns, sourceColumns, omitted);
}

function distinctCells(grid: ReportGrid): boolean {
  const seen = new Set<number>();
  for (const c of [...grid.cells, ...(grid.omitted ?? []).map((o) => o.cell)]) {
    if (seen.has(c)) return false;
    seen.add(c);
  }
  return true;
}
