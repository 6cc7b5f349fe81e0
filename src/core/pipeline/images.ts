import { symmetricEigen } from '../action/symmetric-eigen';
import type { Action, CouplingMode, ReportImages } from '../report/schema';
import { restoreColumns } from './columns';
import type { DrawnRows } from './model-cumulants';

/** Rows of data and of the model drawn side by side in the Images tab. */
export const IMAGE_ROWS = 8;
/** Eigenpairs kept at each end of the coupling matrix's spectrum. */
export const MODES_PER_END = 4;

/**
 * The image section of a report whose columns form a grid (README.md, "Images"): the first held-out
 * rows and as many rows drawn from the model (for the network: exact samples x = f^-1(z), the same
 * draw the cumulants compare), in the report's column order and raw units, and the coupling
 * matrix's extreme modes. `val` and `drawn` are in the model's (canonical) column order.
 */
export function imagesFor(
  val: Float64Array,
  nVal: number,
  canonical: Int32Array,
  drawn: DrawnRows | null,
  action: Action,
  spreads: readonly number[],
  rows = IMAGE_ROWS,
): ReportImages {
  const d = canonical.length;
  const take = (data: Float64Array, n: number): number[][] => {
    const k = Math.min(rows, n);
    const restored = restoreColumns(data.subarray(0, k * d), k, canonical);
    return Array.from({ length: k }, (_, r) => Array.from(restored.subarray(r * d, (r + 1) * d)));
  };
  return {
    dataRows: take(val, nVal),
    modelSamples: drawn ? take(drawn.rows, drawn.n) : [],
    ...(drawn ? { samplesSource: drawn.source } : {}),
    couplingModes: couplingModes(action, spreads, MODES_PER_END),
  };
}

/**
 * The symmetric matrix of the order-2 terms in units of the columns' spreads, S_2 = y^T B y with
 * y_i = (x_i - x0_i) / s_i: B_ii = c_(i,i) s_i^2, B_ij = B_ji = c_(i,j) s_i s_j / 2. In these units
 * a quiet column (a border pixel) does not dominate the spectrum by its small spread alone.
 */
export function couplingMatrixScaled(action: Action, spreads: readonly number[]): Float64Array {
  const d = spreads.length;
  const b = new Float64Array(d * d);
  for (const t of action.terms) {
    if (t.monomial.length !== 2) continue;
    const [i, j] = t.monomial;
    const v = t.coefficient * spreads[i] * spreads[j];
    if (i === j) b[i * d + i] = v;
    else {
      b[i * d + j] = v / 2;
      b[j * d + i] = v / 2;
    }
  }
  return b;
}

/**
 * The `perEnd` most negative eigenpairs of B (the stiffest directions of ln p) and the `perEnd`
 * largest (the softest: the model's widest directions, where ln p falls least), ascending, each
 * eigenvector with its largest entry positive (an eigenvector's sign is arbitrary; this fixes it).
 */
export function couplingModes(action: Action, spreads: readonly number[], perEnd: number): CouplingMode[] {
  const d = spreads.length;
  if (d === 0 || !action.terms.some((t) => t.monomial.length === 2)) return [];
  const { values, vectors } = symmetricEigen(couplingMatrixScaled(action, spreads), d);
  const picked = perEnd * 2 >= d ? Array.from({ length: d }, (_, k) => k) : [...Array.from({ length: perEnd }, (_, k) => k), ...Array.from({ length: perEnd }, (_, k) => d - perEnd + k)];
  return picked.map((k) => {
    const vector = Array.from(vectors.subarray(k * d, (k + 1) * d));
    let big = 0;
    for (const v of vector) if (Math.abs(v) > Math.abs(big)) big = v;
    return { eigenvalue: values[k], vector: big < 0 ? vector.map((v) => -v) : vector };
  });
}
