import { gemmAB } from '../linalg/kernels';
import { choleskyInverse, choleskyOrPivot, choleskySolve } from '../linalg/cholesky';
import type { ScoreScreen } from './score-screen-passes';

/**
 * The forward screen's fit on a support (src/core/identify/forward-screen.ts, docs/METHOD.md
 * section 9.3): the minimum of the score-matching objective J on the support, and the sandwich z of
 * its coefficients by which the screen drops terms between rounds.
 */

export interface SupportFit {
  support: number[];
  coefficients: Float64Array;
  factor: Float64Array;
  /** Support members that were combinations of others on these rows (removed). */
  dependent: number[];
}

/** c = -A_SS^-1 b_S; a monomial that is a combination of the others on these rows is removed (and named). */
export function fitOn(screen: ScoreScreen, support: number[]): SupportFit {
  const { a, b } = screen.gram(support);
  let keep = support.map((_, k) => k);
  const dependent: number[] = [];
  const q0 = support.length;
  for (;;) {
    const q = keep.length;
    const aS = new Float64Array(q * q);
    const bS = new Float64Array(q);
    for (let x = 0; x < q; x++) {
      bS[x] = b[keep[x]];
      for (let y = 0; y < q; y++) aS[x * q + y] = a[keep[x] * q0 + keep[y]];
    }
    const l = choleskyOrPivot(aS, q);
    if (typeof l === 'number') {
      dependent.push(support[keep[l]]);
      keep = keep.filter((_, k) => k !== l);
      continue;
    }
    const c = choleskySolve(l, q, bS).map((x) => -x);
    return { support: keep.map((k) => support[k]), coefficients: c, factor: l, dependent };
  }
}

/** Sandwich z = c / se on the support: se^2 = (A^-1 B A^-1)_ss / N. */
export function sandwichZ(fit: SupportFit, meat: Float64Array, n: number): Float64Array {
  const q = fit.support.length;
  const inv = choleskyInverse(fit.factor, q);
  const w = new Float64Array(q * q);
  gemmAB(q, q, q, inv, false, meat, w);
  const z = new Float64Array(q);
  for (let s = 0; s < q; s++) {
    let v = 0;
    for (let k = 0; k < q; k++) v += w[s * q + k] * inv[k * q + s];
    z[s] = fit.coefficients[s] / Math.sqrt(Math.max(v / n, 1e-300));
  }
  return z;
}
