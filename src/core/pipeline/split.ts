import { InputError } from '../util/errors';
import { Rng } from '../util/rng';
import { gatherRows } from '../util/rows';

/** A seeded random split of the rows into training and held-out (validation) rows. */
export function splitRows(data: Float64Array, n: number, d: number, valFraction: number, seed: number): { train: Float64Array; nTrain: number; val: Float64Array; nVal: number } {
  if (!(valFraction > 0 && valFraction < 1)) throw new InputError(`the validation fraction must lie strictly between 0 and 1, got ${valFraction}`);
  const nVal = Math.max(2, Math.round(n * valFraction));
  const nTrain = n - nVal;
  if (nTrain < 2) throw new InputError(`too few rows to hold some out for validation: ${n}`);
  const perm = new Rng(seed ^ 0x517).permutation(n);
  const train = new Float64Array(nTrain * d);
  const val = new Float64Array(nVal * d);
  gatherRows(data, d, perm, 0, nTrain, train);
  gatherRows(data, d, perm, nTrain, nVal, val);
  return { train, nTrain, val, nVal };
}

/** Column means and standard deviations (1/n) of the rows. */
export function columnMoments(data: Float64Array, n: number, d: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(d).fill(0);
  const m2 = new Array<number>(d).fill(0);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i] += data[r * d + i] / n;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      const v = data[r * d + i] - mean[i];
      m2[i] += (v * v) / n;
    }
  }
  return { mean, std: m2.map(Math.sqrt) };
}
