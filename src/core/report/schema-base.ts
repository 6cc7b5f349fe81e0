/**
 * The report's shared base types (the report: src/core/report/schema.ts, which re-exports these;
 * README.md, "The report"): actions and their terms, cumulants and their comparisons, learned vs true
 * coefficients per order. Apart so that the identified theory's types (schema-theory.ts) and the
 * rest of the schema both build on them without importing each other.
 */

/** One coefficient c_m of S(x) = sum_m c_m prod_{i in m} x_i (monomial form, docs/METHOD.md section 1). */
export interface ActionTerm {
  /** Sorted column indices with repetition, e.g. [0, 0, 1] is x0^2 x1. [] is the constant. */
  monomial: number[];
  coefficient: number;
  stdErr?: number;
  /**
   * Optimisation error: the largest difference between this coefficient and the same coefficient of
   * another start trained to convergence whose held-out NLL is within the ensemble's tolerance
   * (`training.ensemble`); 0 when they agree exactly, absent without such starts.
   */
  spread?: number;
}

export interface Action {
  /** The stored form is always ln p (the paper's sign). */
  convention: 'ln p';
  /**
   * 'raw': the CSV's own units; 'standardized': (x - mean) / std of the training rows, expanded
   * around the mean (its expansion point is 0 in those units).
   */
  units: 'raw' | 'standardized';
  order: number;
  /**
   * The point x0 the action is expanded around, in the action's units, one entry per column:
   * S(x) = sum_m c_m prod_{i in m} (x_i - x0_i). Absent (reports before it existed): x0 = 0.
   */
  expansionPoint?: number[];
  /** Why this point (e.g. "the training rows' mean: 0 lies outside the data's spread"). */
  expansionReason?: string;
  terms: ActionTerm[];
  /** How term.stdErr was estimated, or why it is absent. */
  stdErrMethod?: string;
  /** What term.spread is (how many starts, which tolerance), or why it is absent. */
  spreadMethod?: string;
  /**
   * Orders <= storedOrders are in `terms`; the orders above are computed from the weights on demand
   * (src/core/action/on-demand). Absent: every order up to `order` is stored.
   */
  storedOrders?: number;
  onDemand?: OnDemandOrders;
}

/** The orders of an action that are not stored, how they are computed, and their strongest terms. */
export interface OnDemandOrders {
  orders: number[];
  how: string;
  /** Per order (the key is the order), the largest |coefficients|, precomputed at learn time, and what they are guaranteed to be. */
  topTerms?: Record<string, { terms: ActionTerm[]; guarantee: string }>;
}

export interface CumulantEntry {
  index: number[];
  value: number;
  stdErr: number;
}

export interface CumulantSet {
  source: string;
  samples: number;
  /** orders[k-1] holds kappa_k, one entry per sorted index tuple. */
  orders: CumulantEntry[][];
}

export interface CumulantComparisonEntry {
  index: number[];
  a: number;
  b: number;
  z: number;
}

export interface CumulantComparison {
  a: string;
  b: string;
  orders: { order: number; maxAbsZ: number; rmsZ: number; entries: CumulantComparisonEntry[] }[];
}

export interface ReportCumulants {
  sets: CumulantSet[];
  comparisons: CumulantComparison[];
  notes: string[];
  /**
   * Wide tables (more than 64 columns): data against model order by order in summary form, on a
   * stated set of index tuples (the full tables would hold billions of entries); sets and
   * comparisons then hold the orders compared entry by entry, if any.
   */
  summaries?: CumulantSummary[];
}

/** One order of a wide table's data-vs-model cumulant comparison, in summary form (cumulants/summary.ts). */
export interface CumulantSummary {
  order: number;
  /** Sorted index tuples of this order, and how many were compared. */
  tuples: number;
  compared: number;
  /** Which tuples were compared, in words. */
  how: string;
  /** Quantiles of |z| over the compared tuples (q = 0.5, 0.9, 0.99, 1). */
  absZQuantiles: { q: number; z: number }[];
  /** Counts of |z| in [edges[i], edges[i+1]) (the last bin is open). */
  histogram: { edges: number[]; counts: number[] };
  /** The largest |z| (at most 50). */
  worst: CumulantComparisonEntry[];
}

/** Learned vs true coefficients of one order (raw units, monomial form). */
export interface OrderComparison {
  order: number;
  /** |c_learned - c_true| / |c_true| over all monomials of this order (Euclidean norms); null when the truth is all zero. */
  relativeError: number | null;
  /** Largest |c_learned| among monomials whose true coefficient is zero (spurious terms); null when there are none. */
  maxAbsWhereTrueZero: number | null;
  rmsAbsWhereTrueZero: number | null;
  /** rms of (learned - true) / stdErr over the order's monomials: near 1 when the errors are honest; null without stdErr. */
  rmsZ?: number | null;
  monomials: number[][];
  learned: number[];
  truth: number[];
}
