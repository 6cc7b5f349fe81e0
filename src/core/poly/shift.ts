/**
 * Re-expanding a polynomial about another point, exactly: p(y + s) in powers of y, from p's
 * coefficients in powers of its own variable. For a term c * prod_i x_i^(b_i) the binomial theorem
 * gives, for every sub-multiset a <= b, the coefficient c * prod_i C(b_i, a_i) s_i^(b_i - a_i) of
 * prod_i y_i^(a_i). A shift mixes orders downwards only, so the result is exact for every order when
 * the input holds the polynomial's every term (a truth, or a coupling-kind action with K at least its
 * degree). A truncated series re-expanded this way is the re-expansion of the truncated polynomial,
 * not of the function it approximates (docs/METHOD.md section 1).
 */

import { binomial } from './basis';

/** A term of a polynomial: sorted variable indices with repetition, and its coefficient. */
export interface PolynomialTerm {
  monomial: number[];
  coefficient: number;
}

/**
 * The terms of p(y + shift) in y, for p given by `terms` in its own variable; orders above
 * `maxOrder` (default: the input's highest) are dropped after the shift. Exact zeros are left out.
 * Terms come back sorted by order, then lexicographically.
 */
export function shiftPolynomial(terms: readonly PolynomialTerm[], shift: ArrayLike<number>, maxOrder = Number.POSITIVE_INFINITY): PolynomialTerm[] {
  const sums = new Map<string, { monomial: number[]; coefficient: number }>();
  for (const t of terms) {
    if (t.coefficient === 0) continue;
    const powers = groupPowers(t.monomial);
    // Every sub-multiset a of b: odometer over the exponents a_i in 0..b_i.
    const a = new Array<number>(powers.length).fill(0);
    for (;;) {
      let c = t.coefficient;
      let order = 0;
      for (let k = 0; k < powers.length; k++) {
        const { index, power } = powers[k];
        const rest = power - a[k];
        if (rest > 0) c *= binomial(power, a[k]) * shift[index] ** rest;
        order += a[k];
      }
      if (c !== 0 && order <= maxOrder) {
        const monomial: number[] = [];
        for (let k = 0; k < powers.length; k++) for (let r = 0; r < a[k]; r++) monomial.push(powers[k].index);
        const key = monomial.join(',');
        const hit = sums.get(key);
        if (hit) hit.coefficient += c;
        else sums.set(key, { monomial, coefficient: c });
      }
      let k = 0;
      while (k < powers.length && a[k] === powers[k].power) a[k++] = 0;
      if (k === powers.length) break;
      a[k]++;
    }
  }
  return [...sums.values()].filter((t) => t.coefficient !== 0).sort(compareMonomials);
}

/**
 * The terms of p(D y) for D = diag(scale): each coefficient times the product of its variables'
 * scales (a change of units, e.g. standardized -> raw with scale = 1 / std).
 */
export function scalePolynomial(terms: readonly PolynomialTerm[], scale: ArrayLike<number>): PolynomialTerm[] {
  return terms.map((t) => {
    let c = t.coefficient;
    for (const i of t.monomial) c *= scale[i];
    return { monomial: [...t.monomial], coefficient: c };
  });
}

/** (index, power) pairs of a sorted monomial. */
function groupPowers(monomial: readonly number[]): { index: number; power: number }[] {
  const out: { index: number; power: number }[] = [];
  for (const i of monomial) {
    const last = out[out.length - 1];
    if (last !== undefined && last.index === i) last.power++;
    else out.push({ index: i, power: 1 });
  }
  return out;
}

function compareMonomials(a: PolynomialTerm, b: PolynomialTerm): number {
  if (a.monomial.length !== b.monomial.length) return a.monomial.length - b.monomial.length;
  for (let i = 0; i < a.monomial.length; i++) if (a.monomial[i] !== b.monomial[i]) return a.monomial[i] - b.monomial[i];
  return 0;
}
