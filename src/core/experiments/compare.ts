import { MonomialBasis } from '../poly/basis';
import { termsToJet } from '../action/terms';
import type { Action, OrderComparison } from '../report/schema';
import { shiftPolynomial } from '../poly/shift';

/**
 * Learned vs true coefficients per order 1..K (order 0 is only a normalisation): the relative error
 * of the whole order (Euclidean norms over all its monomials), and the size of spurious terms where
 * the truth is zero. The truth is re-expanded about the learned action's expansion point first; it
 * must hold the true polynomial's every term (as theories' true actions do) for that to be exact.
 */
export function compareActions(learned: Action, truthAnywhere: Action, d: number): OrderComparison[] {
  const truth = reexpandAction(truthAnywhere, learned.expansionPoint ?? new Array<number>(d).fill(0));
  const K = Math.min(learned.order, truth.order);
  const basis = new MonomialBasis(d, Math.max(learned.order, truth.order));
  const l = termsToJet(basis, learned.terms);
  const t = termsToJet(basis, truth.terms);
  const se = new Float64Array(basis.size);
  for (const term of learned.terms) if (term.stdErr !== undefined) se[basis.index(term.monomial)] = term.stdErr;
  const out: OrderComparison[] = [];
  for (let k = 1; k <= K; k++) {
    let diff2 = 0;
    let true2 = 0;
    let zeroMax: number | null = null;
    let zero2 = 0;
    let zeroCount = 0;
    const monomials: number[][] = [];
    const learnedValues: number[] = [];
    const trueValues: number[] = [];
    let z2 = 0;
    let zCount = 0;
    for (let m = basis.start[k]; m < basis.start[k + 1]; m++) {
      diff2 += (l[m] - t[m]) ** 2;
      if (se[m] > 0) {
        z2 += ((l[m] - t[m]) / se[m]) ** 2;
        zCount++;
      }
      true2 += t[m] ** 2;
      if (t[m] === 0) {
        zeroMax = Math.max(zeroMax ?? 0, Math.abs(l[m]));
        zero2 += l[m] ** 2;
        zeroCount++;
      }
      if (l[m] !== 0 || t[m] !== 0) {
        monomials.push(basis.monomial(m));
        learnedValues.push(l[m]);
        trueValues.push(t[m]);
      }
    }
    out.push({
      order: k,
      relativeError: true2 > 0 ? Math.sqrt(diff2 / true2) : null,
      maxAbsWhereTrueZero: zeroMax,
      rmsAbsWhereTrueZero: zeroCount > 0 ? Math.sqrt(zero2 / zeroCount) : null,
      rmsZ: zCount > 0 ? Math.sqrt(z2 / zCount) : null,
      monomials,
      learned: learnedValues,
      truth: trueValues,
    });
  }
  return out;
}

/**
 * The same polynomial expanded about another point (docs/METHOD.md section 1): exact when the action
 * holds every term of its polynomial, as a true action does; for a truncated learned series it is the
 * truncated polynomial re-expanded. Orders above the action's order are dropped.
 */
export function reexpandAction(action: Action, to: readonly number[]): Action {
  const from = action.expansionPoint ?? new Array<number>(to.length).fill(0);
  const shift = to.map((v, i) => v - from[i]);
  if (shift.every((s) => s === 0)) return { ...action, expansionPoint: [...to] };
  return { ...action, expansionPoint: [...to], terms: shiftPolynomial(action.terms, shift, action.order) };
}

export function formatPercent(x: number | null): string {
  return x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`;
}
