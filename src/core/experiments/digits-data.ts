import type { OmittedColumn } from '../data/grid';
import { MNIST_SIDE, mnistTable, pixelName, type MnistSize } from '../data/mnist';
import { Rng } from '../util/rng';

/** The digits of a run, ready for `learn`: constant pixels left out, the rest dequantized. */
export interface DigitsData {
  columns: string[];
  /** n x columns.length, dequantized (see prepareDigits), row-major. */
  data: Float64Array;
  n: number;
  /** Pixels constant over the chosen rows (the border), with their value. */
  omitted: OmittedColumn[];
  /** Pixels inked in fewer than the run's share of rows: left out of the model and the grid (see prepareDigits). */
  rare: string[];
  /** Spacing of the intensity levels: 1 at 28 x 28, 1/4 and 1/16 for the 2 x 2 and 4 x 4 block means. */
  levelWidth: number;
  /** How many rows of each digit. */
  counts: Record<string, number>;
  /** The chosen rows before dequantization, every pixel (as `data mnist` writes them). */
  pixels: { columns: string[]; data: Float64Array };
}

/**
 * The rows of a digits run. Pixel intensities are levels (integers 0..255, or block means of them):
 * a continuous density fitted to them can pile up on the levels without bound (the held-out NLL of
 * an undequantized run falls far below any real density's), so each kept value gets seeded uniform
 * noise u * width, u ~ U[0, 1), one level's width ("dequantization"). Then the continuous NLL bounds
 * the levels' discrete NLL from above: -ln P(levels) <= NLL - d ln(width) (Jensen's inequality,
 * see bitsPerDim in digits-findings.ts). Pixels constant over the rows carry no information and
 * are left out (and drawn with their value). So are pixels inked (above 0) in fewer than
 * `minInkShare` of the rows: their spread on the training rows is tiny, so a held-out digit that
 * inks one lies hundreds of spreads out, where a cubic flow's density is not to be trusted (the
 * held-out NLL of a run with them diverges); they are not drawn.
 */
export function prepareDigits(selection: { digits: readonly number[]; size: MnistSize; n?: number; minInkShare?: number }, seed: number): DigitsData {
  const t = mnistTable({ digits: selection.digits, size: selection.size, n: selection.n, seed });
  const all = t.columns.length;
  const kept: number[] = [];
  const omitted: OmittedColumn[] = [];
  const rare: string[] = [];
  const minInked = (selection.minInkShare ?? 0) * t.n;
  for (let i = 0; i < all; i++) {
    const v0 = t.data[i];
    let constant = true;
    let inked = 0;
    for (let r = 0; r < t.n; r++) {
      const v = t.data[r * all + i];
      if (v !== v0) constant = false;
      if (v > 0) inked++;
    }
    if (constant) omitted.push({ name: t.columns[i], sourceColumn: i, value: v0 });
    else if (inked < minInked) rare.push(t.columns[i]);
    else kept.push(i);
  }
  const f = MNIST_SIDE / t.size;
  const levelWidth = 1 / (f * f);
  const d = kept.length;
  const data = new Float64Array(t.n * d);
  const rng = new Rng(seed ^ 0x5eed_d16);
  for (let r = 0; r < t.n; r++) for (let k = 0; k < d; k++) data[r * d + k] = t.data[r * all + kept[k]] + levelWidth * rng.uniform();
  const counts: Record<string, number> = {};
  for (const l of t.labels) counts[String(l)] = (counts[String(l)] ?? 0) + 1;
  return { columns: kept.map((i) => t.columns[i]), data, n: t.n, omitted, rare, levelWidth, counts, pixels: { columns: t.columns, data: t.data } };
}

/** A pixel's (row, column) from its index in a size x size image. */
export function pixelOf(index: number, size: number): string {
  return pixelName(Math.floor(index / size), index % size);
}
