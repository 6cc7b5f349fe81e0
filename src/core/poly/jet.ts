import type { MonomialSet } from './monomial-set';

/**
 * A jet: a polynomial in the basis's d variables truncated at total order K, stored as one float64
 * coefficient per monomial (basis order). Sums, products and affine maps of jets are exact up to
 * order K (docs/METHOD.md section 4.1).
 */
export type Jet = Float64Array;

export function zeroJet(basis: MonomialSet): Jet {
  return new Float64Array(basis.size);
}

export function constantJet(basis: MonomialSet, value: number): Jet {
  const j = new Float64Array(basis.size);
  j[0] = value;
  return j;
}

/** The jet of x_i + shift. */
export function variableJet(basis: MonomialSet, i: number, shift = 0): Jet {
  const j = constantJet(basis, shift);
  const v = basis.variable(i);
  if (v >= 0) j[v] = 1;
  return j;
}

/** out += alpha * a */
export function axpy(out: Jet, alpha: number, a: Jet): void {
  if (alpha === 0) return;
  for (let i = 0; i < out.length; i++) out[i] += alpha * a[i];
}

/**
 * out += alpha * a * b, truncated at order K. Skips zero coefficients of a, so products of sparse or
 * high-order jets cost little. `out` must not alias a or b.
 */
export function mulAdd(basis: MonomialSet, out: Jet, a: Jet, b: Jet, alpha = 1): void {
  const table = basis.products();
  for (let i = 0; i < a.length; i++) {
    const ai = a[i];
    if (ai === 0) continue;
    const row = table[i];
    const s = alpha * ai;
    for (let j = 0; j < row.length; j++) {
      const bj = b[j];
      // -1: a product outside a sparse set (poly/monomial-set.ts); a dense basis holds them all.
      if (bj !== 0 && row[j] >= 0) out[row[j]] += s * bj;
    }
  }
}

export function mul(basis: MonomialSet, a: Jet, b: Jet): Jet {
  const out = zeroJet(basis);
  mulAdd(basis, out, a, b);
  return out;
}

/**
 * ln(J) for a jet J whose constant term J0 is positive: ln J0 + sum_{n=1..K} (-1)^(n+1) (t/J0)^n / n
 * with t = J - J0. Exact to order K because t has no constant term.
 */
export function logJet(basis: MonomialSet, j: Jet): Jet {
  const j0 = j[0];
  if (!(j0 > 0)) throw new RangeError(`ln of a jet needs a positive constant term, got ${j0}`);
  const t = Float64Array.from(j, (v) => v / j0);
  t[0] = 0;
  const out = constantJet(basis, Math.log(j0));
  let power: Jet = t;
  for (let n = 1; n <= basis.order; n++) {
    axpy(out, (n % 2 === 1 ? 1 : -1) / n, power);
    if (n < basis.order) power = mul(basis, power, t);
  }
  return out;
}

/** The part of a jet of exactly degree k (other entries zero). */
export function homogeneousPart(basis: MonomialSet, j: Jet, k: number): Jet {
  const out = zeroJet(basis);
  for (let i = basis.start[k]; i < basis.start[k + 1]; i++) out[i] = j[i];
  return out;
}

/** Evaluates a jet as a polynomial at the point x (length d). */
export function evaluateJet(basis: MonomialSet, j: Jet, x: ArrayLike<number>): number {
  let sum = 0;
  for (let m = 0; m < basis.size; m++) {
    const c = j[m];
    if (c === 0) continue;
    let term = c;
    for (const i of basis.monomial(m)) term *= x[i];
    sum += term;
  }
  return sum;
}

export function norm(j: Jet, from = 0, to = j.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += j[i] * j[i];
  return Math.sqrt(s);
}
