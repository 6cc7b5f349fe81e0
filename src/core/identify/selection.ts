import { twoSidedP, upperQuantile } from '../util/normal';
import type { CandidateMonomials } from './derivatives';
import { fitSupport, type SubsetFit } from './score-matching';

/**
 * Which terms does the theory have? Backward elimination with a stated error control (docs/METHOD.md
 * section 9): fit the support, compute each term's z = c / se (sandwich), and test the terms with
 * Holm's step-down procedure over a family of `family` hypotheses "c_m = 0" (all candidate monomials
 * of orders 1..K, not just those left, so that dropping terms does not loosen the cut): sorted by
 * p-value, the k-th smallest p must be at most alpha / (family - k + 1). Terms that fail are dropped,
 * the least significant first and a fraction of them at a time, and the rest refitted, until every
 * kept term passes. With the true support among the candidates, the chance that any spurious term
 * survives is then at most about alpha (asymptotically; the screen and the refits use the same data).
 */
export interface SelectionOptions {
  /** Family-wise error rate of keeping a term whose coefficient is 0. */
  alpha: number;
  /** Number of hypotheses the error rate is controlled over. */
  family: number;
  /** Fraction of the failing terms dropped per round (at least one). */
  dropFraction: number;
  /** Rounds of refitting at most. */
  maxRounds: number;
  /** Consecutive rows summed before the sandwich's products (batch means; 1: independent rows). */
  block?: number;
  /**
   * Multiplies every z before the test: sqrt(2) on a half-sample tests it as if it had all the rows
   * (a coefficient's z grows like the square root of the rows), so that a half keeps what the whole
   * would keep and the halves' frequencies measure stability, not the loss of power.
   */
  zScale?: number;
}

export const DEFAULT_SELECTION: Omit<SelectionOptions, 'family'> = { alpha: 0.05, dropFraction: 0.25, maxRounds: 400 };

export interface DroppedTerm {
  /** Index into the candidates. */
  index: number;
  /** Its z when it was dropped (0 for terms that were combinations of others). */
  z: number;
  reason: 'not significant' | 'a combination of other terms on these rows';
}

export interface SelectionResult {
  fit: SubsetFit;
  z: Float64Array;
  rounds: number;
  dropped: DroppedTerm[];
  /** The cut the least significant kept term passed (its Holm threshold, as |z|). */
  cut: number;
}

/** Holm's step-down: which of the p-values pass (true) at family-wise level alpha over `family` tests. */
export function holmPasses(p: ArrayLike<number>, alpha: number, family: number): boolean[] {
  const order = Array.from({ length: p.length }, (_, k) => k).sort((x, y) => p[x] - p[y]);
  const pass = new Array<boolean>(p.length).fill(false);
  for (let k = 0; k < order.length; k++) {
    if (!(p[order[k]] <= alpha / (family - k))) break;
    pass[order[k]] = true;
  }
  return pass;
}

export function backwardElimination(
  rows: Float64Array,
  rowIndex: Int32Array,
  candidates: CandidateMonomials,
  a: Float64Array,
  b: Float64Array,
  start: Int32Array,
  options: SelectionOptions,
): SelectionResult | null {
  let support = Int32Array.from(start);
  const dropped: DroppedTerm[] = [];
  for (let round = 1; round <= options.maxRounds; round++) {
    if (support.length === 0) return null;
    const fit = fitSupport(rows, rowIndex, candidates, a, b, support, options.block ?? 1);
    if ('dependent' in fit) {
      dropped.push({ index: support[fit.dependent], z: 0, reason: 'a combination of other terms on these rows' });
      support = support.filter((_, k) => k !== fit.dependent);
      continue;
    }
    const z = Float64Array.from(fit.coefficients, (c, k) => c / fit.stdErr[k]);
    const scaleZ = options.zScale ?? 1;
    const p = Array.from(z, (v) => (Number.isFinite(v) ? twoSidedP(v * scaleZ) : 1));
    const pass = holmPasses(p, options.alpha, options.family);
    const failing = support.length - pass.filter(Boolean).length;
    if (failing === 0) {
      // The cut the least significant kept term had to pass, p <= alpha / (family - q + 1), as |z|.
      const cut = upperQuantile(options.alpha / (2 * (options.family - support.length + 1)));
      return { fit, z, rounds: round, dropped, cut };
    }
    const drop = Math.max(1, Math.ceil(options.dropFraction * failing));
    const order = Array.from(support.keys()).filter((k) => !pass[k]).sort((x, y) => Math.abs(z[x]) - Math.abs(z[y]));
    const out = new Set(order.slice(0, drop));
    for (const k of out) dropped.push({ index: support[k], z: z[k], reason: 'not significant' });
    support = support.filter((_, k) => !out.has(k));
  }
  return null;
}
