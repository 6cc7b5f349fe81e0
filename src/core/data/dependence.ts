/**
 * Linear dependence among columns: the rank of the standardized rows, and for each column that the
 * earlier ones determine, the combination. The correlation matrix R = Z^T Z / n of the standardized
 * rows Z is built in blocks of rows with the product kernel (O(n d^2), the one expensive step) and
 * factored by a Cholesky in the columns' own order that leaves a column out of the basis when its
 * pivot, the share of its variance the earlier kept columns do not explain, is too small: the
 * later of two copies is the one named, as a user reads the file. Pure.
 */

import { gemmAB, TRI } from '../linalg/kernels';

const CHUNK_ROWS = 2048;

export interface ColumnFit {
  /** The column (index into the rows' columns). */
  column: number;
  /** sqrt(1 - R^2) of the column on the earlier kept columns: its residual spread over its spread (0 for an exact combination). */
  residual: number;
  /** The kept columns it is regressed on, and the coefficients in standardized units: z_column ~ sum_k beta_k z_on[k]. */
  on: number[];
  beta: number[];
}

export interface DependenceResult {
  /** Columns kept in the basis (independent so far), in order. */
  basis: number[];
  /** Columns whose residual fell below `near`, in order, whether left out of the basis (dependent) or kept. */
  fits: Array<ColumnFit & { dependent: boolean }>;
}

/**
 * The correlation matrix (lower triangle filled, d x d) of `n` rows x d standardized as (x - mean) / std.
 */
export function correlationMatrix(rows: Float64Array, n: number, d: number, mean: readonly number[], std: readonly number[]): Float64Array {
  const corr = new Float64Array(d * d);
  const chunk = new Float64Array(Math.min(CHUNK_ROWS, n) * d);
  for (let r0 = 0; r0 < n; r0 += CHUNK_ROWS) {
    const m = Math.min(CHUNK_ROWS, n - r0);
    for (let r = 0; r < m; r++) {
      const o = (r0 + r) * d;
      for (let i = 0; i < d; i++) chunk[r * d + i] = (rows[o + i] - mean[i]) / std[i];
    }
    gemmAB(d, d, m, chunk, true, chunk, corr, { accumulate: true, tri: TRI.outLower });
  }
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) corr[i * d + j] /= n;
  return corr;
}

/**
 * Goes through the columns in order; a column whose residual on the kept ones is at most `near` is
 * reported with its combination, and left out of the basis when `dependent(fit)` says so.
 */
export function findDependence(corr: Float64Array, d: number, near: number, dependent: (fit: ColumnFit) => boolean): DependenceResult {
  const l = new Float64Array(d * d);
  const basis: number[] = [];
  const fits: DependenceResult['fits'] = [];
  for (let j = 0; j < d; j++) {
    // Row j of the factor against the kept columns: l[j, i] = (R[j, i] - sum_k l[j, k] l[i, k]) / l[i, i].
    for (const i of basis) {
      let s = corr[j * d + i];
      for (const k of basis) {
        if (k === i) break;
        s -= l[j * d + k] * l[i * d + k];
      }
      l[j * d + i] = s / l[i * d + i];
    }
    let pivot = corr[j * d + j];
    for (const k of basis) pivot -= l[j * d + k] * l[j * d + k];
    // R[j, j] is 1 up to rounding; a pivot below 0 is rounding of an exact combination.
    const residual = Math.sqrt(Math.max(0, pivot) / Math.max(corr[j * d + j], Number.MIN_VALUE));
    if (residual <= near) {
      const fit = { column: j, residual, on: [...basis], beta: regression(l, d, basis, j) };
      const out = dependent(fit);
      fits.push({ ...fit, dependent: out });
      if (out) continue;
    }
    l[j * d + j] = Math.sqrt(Math.max(pivot, Number.MIN_VALUE));
    basis.push(j);
  }
  return { basis, fits };
}

/** beta with L_S^T beta = l[j, S] (back substitution): the regression of column j on the kept columns. */
function regression(l: Float64Array, d: number, basis: readonly number[], j: number): number[] {
  const q = basis.length;
  const beta = new Array<number>(q).fill(0);
  for (let a = q - 1; a >= 0; a--) {
    const i = basis[a];
    let s = l[j * d + i];
    for (let b = a + 1; b < q; b++) s -= l[basis[b] * d + i] * beta[b];
    beta[a] = s / l[i * d + i];
  }
  return beta;
}
