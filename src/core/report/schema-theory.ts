import type { Action, ActionTerm, OrderComparison, ReportCumulants } from './schema-base';

/**
 * The report's section of the identified theory (docs/METHOD.md section 9.5): its types, part of
 * the report's schema (src/core/report/schema.ts, which re-exports them).
 */

/** A term of the identified theory: its coefficient and standard error (sandwich), z, and stability. */
export interface TheoryTerm extends ActionTerm {
  /** c / stdErr (absent for the constant, which is -ln Z, not a selected term). */
  z?: number;
  /** Fraction of the half-samples whose own selection kept this term (absent when not computed). */
  selectionFrequency?: number;
}

/** Learned vs true support and coefficients (a truth file beside the data, or an experiment's truth). */
export interface TruthComparison {
  /** Where the truth came from (a file path or the theory's name). */
  source: string;
  /** The true action re-expanded about the identified theory's point (report order). */
  action: Action;
  /** True terms the identified theory lacks, and kept terms that are not in the truth. */
  missed: number[][];
  spurious: number[][];
  /** Per order 1..K, for each estimator that was run: the INN's dense action, the dense direct fit, the identified theory. */
  perOrder: { estimator: 'inn' | 'dense' | 'identified'; orders: OrderComparison[] }[];
}

/**
 * The identified theory (docs/METHOD.md section 9): the fewest terms that explain the data, fitted
 * directly (score matching) and selected with a stated error control, with its validation.
 */
export interface TheorySection {
  estimator: 'score-matching';
  /** The method in words (fit, standard errors, selection, screen). */
  method: string;
  order: number;
  /** Raw units around this point, as the action's (one entry per column). */
  expansionPoint: number[];
  /** Family-wise error rate of keeping a term that is 0, over `family` hypotheses (Holm). */
  alpha: number;
  family: number;
  /** Candidates the selection started from, and how they were chosen. */
  candidates: number;
  screen: string;
  /** |z| the least significant kept term had to pass. */
  cut: number;
  /** The kept terms, orders 1..K (and the constant -ln Z when it was estimated). */
  terms: TheoryTerm[];
  /** The direct fit of every candidate before selection (when the candidates were all monomials). */
  dense?: ActionTerm[];
  /** The strongest dropped candidates with their last z (near misses), at most 20. */
  nearMisses: { monomial: number[]; z: number }[];
  /** Candidates dropped as combinations of others on these rows. */
  dependent: number[][];
  /**
   * Terms the whole data kept but too few half-samples did, with their z and frequency: dropped when
   * near the cut (`dropped`), else kept and flagged.
   */
  unstable?: { monomial: number[]; z: number; selectionFrequency: number; dropped: boolean }[];
  /** Half-samples behind the selection frequencies, or why none were run. */
  stability: { halves: number; note: string };
  normalizable: { normalizable: boolean; reason: string };
  /** ln Z of exp(S) by importance sampling, its standard error and effective sample size. */
  logZ?: { value: number; stdErr: number; ess: number; proposal: string };
  /** Mean -ln p of the held-out rows under the normalised theory, beside the INN's. */
  heldOutNll?: number;
  /** Cumulants of samples of the theory (HMC) against the held-out data. */
  cumulants?: ReportCumulants;
  truth?: TruthComparison;
  warnings: string[];
  seconds: number;
}
