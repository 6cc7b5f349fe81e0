import type { Action } from '../report/schema';
import { Rng } from '../util/rng';
import type { Theory } from './theory';

/**
 * A theory whose action is a given polynomial (e.g. the learned, truncated action S_K), so it can be
 * sampled by HMC like the true theories. E = -S.
 */
export function polynomialTheory(action: Action, d: number, name = 'truncated action'): Theory {
  const terms = action.terms.filter((t) => t.monomial.length > 0);
  const monomials = terms.map((t) => Int32Array.from(t.monomial));
  const coefficients = Float64Array.from(terms, (t) => t.coefficient);
  // The action is a polynomial in (x - x0) (docs/METHOD.md section 1).
  const x0 = action.expansionPoint ? Float64Array.from(action.expansionPoint) : null;
  const shifted = new Float64Array(d);
  const evalS = (xIn: Float64Array, grad: Float64Array | null): number => {
    let x = xIn;
    if (x0) {
      for (let i = 0; i < d; i++) shifted[i] = xIn[i] - x0[i];
      x = shifted;
    }
    let s = 0;
    if (grad) grad.fill(0);
    for (let k = 0; k < monomials.length; k++) {
      const m = monomials[k];
      let prod = coefficients[k];
      for (let j = 0; j < m.length; j++) prod *= x[m[j]];
      s += prod;
      if (!grad) continue;
      // d/dx_i of c prod x: drop one factor at a time (exact also when x_i = 0).
      for (let j = 0; j < m.length; j++) {
        let p = coefficients[k];
        for (let q = 0; q < m.length; q++) if (q !== j) p *= x[m[q]];
        grad[m[j]] += p;
      }
    }
    return s;
  };
  return {
    name,
    d,
    params: { order: action.order },
    energy: (x) => -evalS(x, null),
    energyAndGradient: (x, grad) => {
      const s = evalS(x, grad);
      for (let i = 0; i < d; i++) grad[i] = -grad[i];
      return -s;
    },
    trueAction: () => action,
    unimodal: true,
    warning: null,
  };
}

/**
 * Whether exp(S) can be normalised: S must go to -infinity in every direction, so the top order K must
 * be even and S_K(v) < 0 on the unit sphere. Checked on many random directions, each refined by a few
 * steps of projected gradient ascent: a direction with S_K(v) >= 0 proves it is not normalisable; none
 * found is strong evidence (not a proof) that it is.
 */
export function checkNormalizable(action: Action, d: number, seed = 1): { normalizable: boolean; reason: string } {
  const K = action.order;
  // The top-order form does not depend on the expansion point: test it around 0.
  const top = { ...action, expansionPoint: undefined, terms: action.terms.filter((t) => t.monomial.length === K) };
  if (K % 2 === 1) return { normalizable: false, reason: `the top order K = ${K} is odd, so S goes to +infinity in some direction` };
  if (top.terms.length === 0) return { normalizable: false, reason: `the order-${K} terms vanish` };
  const theory = polynomialTheory(top, d);
  const rng = new Rng(seed);
  const v = new Float64Array(d);
  const g = new Float64Array(d);
  let worst = Number.NEGATIVE_INFINITY;
  for (let trial = 0; trial < 400; trial++) {
    for (let i = 0; i < d; i++) v[i] = rng.normal();
    normalize(v);
    for (let it = 0; it < 50; it++) {
      theory.energyAndGradient(v, g); // g = -grad S_K
      for (let i = 0; i < d; i++) v[i] -= 0.1 * g[i];
      normalize(v);
    }
    worst = Math.max(worst, -theory.energy(v));
  }
  if (worst >= 0) return { normalizable: false, reason: `its order-${K} part is not negative definite (S_${K}(v) = ${worst.toPrecision(3)} >= 0 for a unit vector v), so exp(S_K) cannot be normalised` };
  return { normalizable: true, reason: `its order-${K} part is negative on the unit sphere (largest value found ${worst.toPrecision(3)})` };
}

function normalize(v: Float64Array): void {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] /= n;
}
