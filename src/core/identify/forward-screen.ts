import { upperQuantile } from '../util/normal';
import { ScoreScreen } from './score-screen-passes';
import { fitOn, sandwichZ } from './score-screen-fit';

/**
 * Forward screening of the candidate monomials on the score-matching objective (docs/METHOD.md
 * section 9), for d and K where the dense P x P matrix A of every candidate cannot be formed
 * (d = 32, K = 4: 58,904 monomials).
 *
 * For S(v) = sum_p c_p phi_p on a support, J(c) = 1/2 c^T A c + b^T c and its gradient in the
 * direction of any monomial p, in or out of the support, is
 *
 *   g_p = (A c + b)_p = E[sum_i d_i phi_p s_i] + b_p,   s_i = d_i S (the fitted score),
 *
 * and adding p alone (the others held) lowers J by g_p^2 / (2 a_p), a_p = A_pp. With multiplicities
 * r_i of p, d_i phi_p = r_i phi_(p - e_i), so every quantity reduces to monomials of order <= K - 1:
 *
 *   g_p - b_p = sum_(i in p) r_i T[p - e_i, i],         T[q, i] = E[phi_q s_i]
 *   a_p       = sum_(i in p) r_i^2 E[phi_(p - e_i)^2]
 *   b_p       = sum_(i in p) r_i (r_i - 1) E[phi_(p - 2 e_i)]
 *
 * T is one product Phi^T Sc over row blocks (Phi: rows x the C(d+K-1, K-1) monomials of orders
 * 0..K-1, Sc: rows x d scores); a_p and b_p need the means of Phi and of its squares, once. The
 * score s_i itself is a combination of Phi's columns (s_i = sum_(p in S) c_p r_i phi_(p - e_i)), and
 * so are A on the support (A_pq = sum_i r_i(p) r_i(q) E[phi_(p - e_i) phi_(q - e_i)], a small Gram
 * matrix per variable i over the support's monomials that contain i) and each row's gradient of J
 * (psi_p = sum_i r_i phi_(p - e_i) s_i + sum_i r_i (r_i - 1) phi_(p - 2 e_i), for the sandwich).
 *
 * Which statistic decides entry. g_p is a mean of psi_p over the rows, so its own scale is
 * sd(psi_p) / sqrt(N), not sqrt(a_p / N): for score matching Var(psi_p) is not A_pp. Measured on a
 * phi^4 lattice (d = 16 and 32, N = 20,000) fitted on its true support, sqrt(N) |g_p| / sqrt(a_p)
 * of the null monomials has an rms of 1.0 (order 1) to 2.0 (order 4), and 7,125 of the 52,328 null
 * quartics at d = 32 pass 3: a screen on it fills any cap with noise. sqrt(N) |g_p| / sd(psi_p)
 * has an rms of 0.9-1.1 at every order (sd(psi_p) without the projection on the support's own
 * gradients: conservative, about 0.8 for null quartics of Gaussian rows). It needs a pass over
 * the rows per monomial, so it is computed for the strongest by the curvature statistic (those at
 * >= 0.8 x threshold, at most `evaluateAtMost`), on an evenly spaced subset of the rows.
 *
 * The threshold. Even standardised, 0.27% of the null monomials pass 3 by chance: 160 at d = 32,
 * K = 4, which the elimination afterwards must fit and drop (its cost grows with the candidates
 * squared) for nothing, since it keeps only terms with |z| above Holm's cut over every monomial
 * (5.2 at d = 32, alpha = 0.01). The default 'auto' threshold lets about one null pass (4.3 at
 * d = 32, 3.7 at d = 16, 3.1 at d = 8), and terms whose sandwich |z| falls below the threshold minus 1
 * are dropped between rounds (the starting quadratics never passed a test; entered terms can be
 * explained away by later ones). The strongest near-passers are added at the end.
 */

// The screen's tables and passes over the rows live in score-screen.ts and score-screen-passes.ts;
// ScoreScreen is re-exported here, where its callers import it from.
export { ScoreScreen };

export interface ForwardScreenOptions {
  /** Most candidates returned (the screened support plus near-passers). */
  maxCandidates: number;
  /**
   * A monomial outside the support may enter when its score statistic reaches this. 'auto': the
   * level that about one of all the monomials of orders 1..K passes by chance if none is in the
   * theory (two-sided normal tail 1 / total), but at least 3: 3.1 at d = 8, 3.7 at d = 16, 4.3 at
   * d = 32 (K = 4).
   */
  threshold: number | 'auto';
  /**
   * The statistic's denominator: 'robust', the rows' own spread of psi_p (sqrt(N) |g_p| / sd(psi_p),
   * computed for the monomials whose curvature statistic reaches 0.8 x threshold, the strongest
   * `evaluateAtMost`), or 'curvature', sqrt(a_p) (sqrt(N) |g_p| / sqrt(a_p), for every monomial).
   */
  statistic: 'robust' | 'curvature';
  evaluateAtMost: number;
  /** Rows (evenly spaced) over which sd(psi_p) is estimated at most; the gradient g_p always uses every row. */
  varianceRows: number;
  /** Which passing monomials enter first: the largest decrease of J, g_p^2 / (2 a_p), or the largest statistic. */
  rank: 'gain' | 'statistic';
  /** At most max(minBatch, batchFraction * |S|) monomials enter per round. */
  batchFraction: number;
  minBatch: number;
  /** Fits (rounds) at most. */
  maxRounds: number;
  /**
   * The starting support: every monomial of orders 1 and 2 when there are at most this many of them
   * (d(d+3)/2), else the linear terms and the squares v_i^2.
   */
  fullQuadraticUpTo: number;
  /**
   * Between rounds, terms of the support whose sandwich |z| = |c| / se is below this are dropped
   * (0: never); they come back if their score statistic passes again (once: a term dropped twice
   * stays out). 'auto': the threshold minus 1 (at least 1), well below the cut a term must pass in
   * the elimination afterwards (Holm over every monomial: |z| >= 5.2 at d = 32, K = 4, alpha = 0.01). The starting terms never passed a test, and
   * entered terms can be explained away by later ones: this keeps the screen near the theory's size.
   */
  dropBelow: number | 'auto';
  /** Near-passers (the strongest monomials left out) added to the result, as a fraction of the support, if there is room. */
  extraFraction: number;
  /** Rows per product block. */
  rowsPerBlock: number;
}

export const DEFAULT_FORWARD_SCREEN: ForwardScreenOptions = {
  maxCandidates: 600,
  threshold: 'auto',
  statistic: 'robust',
  evaluateAtMost: 2000,
  varianceRows: 8000,
  rank: 'gain',
  batchFraction: 0.5,
  minBatch: 20,
  maxRounds: 30,
  fullQuadraticUpTo: 600,
  dropBelow: 'auto',
  extraFraction: 0.1,
  rowsPerBlock: 256,
};

export interface ScreenRound {
  support: number;
  /** Monomials outside the support whose statistic passed the threshold. */
  passing: number;
  added: number;
  dropped: number;
  /** The largest statistic outside the support. */
  maxStatistic: number;
  seconds: number;
}

export interface ForwardScreenResult {
  /** Sorted index tuples, graded lexicographic order. */
  monomials: number[][];
  rounds: number;
  description: string;
  seconds: number;
  /** How many of `monomials` are the final support (the rest are near-passers). */
  support: number;
  history: ScreenRound[];
}

/** The entry threshold: a number as given, or 'auto' (about one chance pass among `total` monomials, at least 3). */
export function screenThreshold(threshold: number | 'auto', total: number): number {
  if (threshold !== 'auto') return threshold;
  return Math.max(3, upperQuantile(1 / (2 * Math.max(1, total))));
}

/**
 * Screens every monomial of orders 1..K in d variables on the rows v (n x d, row-major, in the fit's
 * standardized coordinates) by forward rounds on the score-matching objective: fit the support;
 * compute g_p and a_p of every monomial outside it, and for the strongest the score statistic
 * sqrt(N) |g_p| / sd(psi_p); add those that pass the threshold, the largest decrease of J
 * g_p^2 / (2 a_p) first (a batch per round); drop terms whose sandwich |z| fell below dropBelow;
 * refit; until nothing changes, or the cap is reached. Returns the final support plus the strongest
 * near-passers (sorted index tuples, graded lexicographic), for backward elimination to decide.
 */
export function forwardScreen(v: Float64Array, n: number, d: number, K: number, options: Partial<ForwardScreenOptions> = {}): ForwardScreenResult {
  const t0 = performance.now();
  const o = { ...DEFAULT_FORWARD_SCREEN, ...options };
  const screen = new ScoreScreen(v, n, d, K, o.rowsPerBlock);
  const basis = screen.basis;
  const size = basis.size;
  const threshold = screenThreshold(o.threshold, size - 1);
  const dropBelow = o.dropBelow === 'auto' ? Math.max(1, threshold - 1) : o.dropBelow;
  const inS = new Uint8Array(size);
  // Combinations of other terms on these rows never enter; a term dropped twice does not enter again.
  const blocked = new Uint8Array(size);
  const drops = new Uint8Array(size);
  const fullQuadratic = (d * (d + 3)) / 2 <= Math.min(o.fullQuadraticUpTo, o.maxCandidates) || K < 2;
  let support: number[] = [];
  for (let p = 1; p < basis.start[Math.min(K, 2) + 1]; p++) {
    const t = basis.monomial(p);
    if (t.length === 1 || fullQuadratic || t[0] === t[1]) support.push(p);
  }
  const startSize = support.length;
  for (const p of support) inS[p] = 1;
  const history: ScreenRound[] = [];
  const sqrtN = Math.sqrt(n);
  const robust = o.statistic === 'robust';
  let statistic = new Float64Array(size);
  let dependentCount = 0;
  let droppedTotal = 0;
  let capped = false;
  let settled = false;
  let rounds = 0;
  for (; rounds < o.maxRounds; ) {
    const r0 = performance.now();
    rounds++;
    const fit = fitOn(screen, support);
    for (const p of fit.dependent) {
      blocked[p] = 1;
      inS[p] = 0;
      dependentCount++;
    }
    support = fit.support;
    const { g, meat } = screen.gradient(support, fit.coefficients, dropBelow > 0 && support.length > 0);
    // The curvature statistic of every monomial outside the support; for 'robust', the strongest are re-standardised.
    statistic = new Float64Array(size);
    const gain = new Float64Array(size);
    let passing: number[] = [];
    const gate = robust ? 0.8 * threshold : threshold;
    for (let p = 1; p < size; p++) {
      if (inS[p] || blocked[p] || drops[p] >= 2) continue;
      const a = screen.curvature[p];
      if (!(a > 0)) continue;
      const t = (sqrtN * Math.abs(g[p])) / Math.sqrt(a);
      gain[p] = (g[p] * g[p]) / (2 * a);
      statistic[p] = t;
      if (t >= gate) passing.push(p);
    }
    if (robust) {
      passing.sort((x, y) => statistic[y] - statistic[x]);
      const evaluated = passing.slice(0, o.evaluateAtMost);
      const variance = screen.scoreVariance(support, fit.coefficients, evaluated, o.varianceRows);
      // Monomials not evaluated keep no statistic (they rank below every evaluated one).
      statistic = new Float64Array(size);
      evaluated.forEach((p, k) => (statistic[p] = variance[k] > 0 ? (sqrtN * Math.abs(g[p])) / Math.sqrt(variance[k]) : 0));
      passing = evaluated.filter((p) => statistic[p] >= threshold);
    }
    let maxStatistic = 0;
    for (let p = 1; p < size; p++) if (statistic[p] > maxStatistic) maxStatistic = statistic[p];
    const key = o.rank === 'gain' ? gain : statistic;
    passing.sort((x, y) => key[y] - key[x]);
    const drop: number[] = [];
    if (meat) {
      const z = sandwichZ(fit, meat, n);
      support.forEach((p, s) => {
        if (Math.abs(z[s]) < dropBelow) drop.push(p);
      });
    }
    const kept = support.length - drop.length;
    const batch = Math.max(o.minBatch, Math.ceil(o.batchFraction * support.length));
    const room = o.maxCandidates - kept;
    const add = passing.slice(0, Math.max(0, Math.min(batch, room)));
    capped = room < batch && passing.length > add.length;
    history.push({ support: support.length, passing: passing.length, added: add.length, dropped: drop.length, maxStatistic, seconds: (performance.now() - r0) / 1000 });
    if (add.length === 0 && drop.length === 0) {
      settled = true;
      break;
    }
    for (const p of drop) {
      inS[p] = 0;
      drops[p]++;
    }
    for (const p of add) inS[p] = 1;
    droppedTotal += drop.length;
    support = support.filter((p) => inS[p]).concat(add);
  }
  // Near-passers: the strongest monomials left out, by the last statistics.
  const extrasWanted = Math.min(o.maxCandidates - support.length, Math.ceil(o.extraFraction * support.length));
  const rest: number[] = [];
  for (let p = 1; p < size; p++) if (!inS[p] && !blocked[p] && statistic[p] > 0) rest.push(p);
  rest.sort((x, y) => statistic[y] - statistic[x]);
  const extras = rest.slice(0, Math.max(0, extrasWanted));
  const chosen = support.concat(extras).sort((x, y) => x - y);
  const total = size - 1;
  const seconds = (performance.now() - t0) / 1000;
  const statisticWords = robust ? 'sqrt(N)|g|/sd(psi), the gradient of J against its spread over the rows,' : 'sqrt(N)|g|/sqrt(a)';
  const description =
    `forward screening on the score-matching objective over all ${total} monomials of orders 1..${K} in ${d} variables, ${n} rows: ` +
    `from ${fullQuadratic ? 'every monomial of orders 1 and 2' : 'the linear terms and the squares'} (${startSize}), ` +
    `${rounds} round${rounds === 1 ? '' : 's'} each adding the monomials whose score statistic ${statisticWords} is at least ${Number(threshold.toFixed(2))}` +
    `${o.threshold === 'auto' ? ' (auto: about one chance pass among them all)' : ''}, ` +
    `at most max(${o.minBatch}, ${Math.round(o.batchFraction * 100)}% of the support) per round, ${o.rank === 'gain' ? 'the largest decrease of J' : 'the largest statistic'} first` +
    (dropBelow > 0 ? `, and dropping terms whose sandwich |z| fell below ${Number(dropBelow.toFixed(2))}${o.dropBelow === 'auto' ? ' (the threshold minus 1)' : ''} (${droppedTotal} drops)` : '') +
    `; ${support.length} terms kept${capped ? ` (stopped at the cap of ${o.maxCandidates} with monomials still passing)` : ''}${settled ? '' : ` (stopped after ${o.maxRounds} rounds, still changing)`}` +
    (extras.length > 0 ? ` plus the ${extras.length} strongest near-passers` : '') +
    (dependentCount > 0 ? `; ${dependentCount} monomials were combinations of others on these rows and left out` : '');
  return { monomials: chosen.map((p) => basis.monomial(p)), rounds, description, seconds, support: support.length, history };
}
