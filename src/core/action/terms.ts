import type { MonomialSet } from '../poly/monomial-set';
import type { Jet } from '../poly/jet';
import type { ActionTerm } from '../report/schema';

/**
 * The nonzero coefficients of a jet as report terms, in basis order (order, then lexicographic), with
 * standard errors and the ensemble's spread when given.
 */
export function jetToTerms(basis: MonomialSet, jet: Jet, from = 0, stdErr?: Float64Array, spread?: Float64Array): ActionTerm[] {
  const terms: ActionTerm[] = [];
  for (let m = from; m < basis.size; m++) {
    if (jet[m] === 0) continue;
    const term: ActionTerm = { monomial: basis.monomial(m), coefficient: jet[m] };
    if (stdErr && m > 0 && Number.isFinite(stdErr[m])) term.stdErr = stdErr[m];
    if (spread && m > 0 && Number.isFinite(spread[m])) term.spread = spread[m];
    terms.push(term);
  }
  return terms;
}

/** The largest entries of a jet (by magnitude), at most `limit`; says whether any were cut. */
export function largestTerms(basis: MonomialSet, jet: Jet, limit: number): { entries: ActionTerm[]; entriesCut: boolean } {
  const idx: number[] = [];
  for (let m = 0; m < basis.size; m++) if (jet[m] !== 0) idx.push(m);
  idx.sort((a, b) => Math.abs(jet[b]) - Math.abs(jet[a]));
  return { entries: idx.slice(0, limit).map((m) => ({ monomial: basis.monomial(m), coefficient: jet[m] })), entriesCut: idx.length > limit };
}

/** A jet from report terms (terms above the basis order are an error). */
export function termsToJet(basis: MonomialSet, terms: ActionTerm[]): Jet {
  const jet = new Float64Array(basis.size);
  for (const t of terms) jet[basis.index(t.monomial)] += t.coefficient;
  return jet;
}
