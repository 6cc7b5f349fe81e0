/**
 * Structural validation of a report's `grid` and `images` sections (schema-images.ts), as far as the
 * panel's Images tab relies on them: every cell on the grid and distinct, every row and mode one
 * number per column. Shape only; extra fields are allowed.
 */

import type { Checker } from './checker';

/** The largest grid side the panel draws (data/grid.ts, MAX_GRID_SIDE). */
const MAX_SIDE = 1024;

export function checkGrid(c: Checker, x: unknown, d: number): void {
  const g = c.rec(x, 'grid');
  if (!g) return;
  c.num(g.height, 'grid.height', { integer: true, min: 1 });
  c.num(g.width, 'grid.width', { integer: true, min: 1 });
  c.oneOf(g.source, ['names', 'option'], 'grid.source');
  const h = typeof g.height === 'number' ? g.height : 0;
  const w = typeof g.width === 'number' ? g.width : 0;
  if (h > MAX_SIDE || w > MAX_SIDE) c.fail('grid', `sides above ${MAX_SIDE}`);
  const seen = new Set<number>();
  const cell = (v: unknown, path: string): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= h * w) return c.fail(path, `expected a cell 0..${h * w - 1}`);
    if (seen.has(v)) c.fail(path, `cell ${v} used twice`);
    seen.add(v);
  };
  const cells = c.arr(g.cells, 'grid.cells');
  if (cells && cells.length !== d) c.fail('grid.cells', `has ${cells.length} entries for ${d} columns`);
  cells?.forEach((v, i) => cell(v, `grid.cells[${i}]`));
  if (g.omitted !== undefined) {
    c.arr(g.omitted, 'grid.omitted')?.forEach((o, i) => {
      const om = c.rec(o, `grid.omitted[${i}]`);
      if (!om) return;
      cell(om.cell, `grid.omitted[${i}].cell`);
      c.str(om.name, `grid.omitted[${i}].name`);
      c.num(om.value, `grid.omitted[${i}].value`);
    });
  }
}

export function checkImages(c: Checker, x: unknown, d: number): void {
  const im = c.rec(x, 'images');
  if (!im) return;
  const rows = (v: unknown, path: string): void => {
    c.arr(v, path)?.forEach((row, i) => {
      const r = c.arr(row, `${path}[${i}]`);
      if (r && r.length !== d) c.fail(`${path}[${i}]`, `has ${r.length} entries for ${d} columns`);
      else c.numbers(row, `${path}[${i}]`);
    });
  };
  rows(im.dataRows, 'images.dataRows');
  rows(im.modelSamples, 'images.modelSamples');
  if (im.samplesSource !== undefined) c.str(im.samplesSource, 'images.samplesSource');
  if (im.couplingModes !== undefined) {
    c.arr(im.couplingModes, 'images.couplingModes')?.forEach((m, i) => {
      const mode = c.rec(m, `images.couplingModes[${i}]`);
      if (!mode) return;
      c.num(mode.eigenvalue, `images.couplingModes[${i}].eigenvalue`, { nullable: true });
      const v = c.arr(mode.vector, `images.couplingModes[${i}].vector`);
      if (v && v.length !== d) c.fail(`images.couplingModes[${i}].vector`, `has ${v.length} entries for ${d} columns`);
      else c.numbers(mode.vector, `images.couplingModes[${i}].vector`);
    });
  }
}
