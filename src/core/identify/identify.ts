import { upperQuantile } from '../util/normal';
import type { ActionTerm, TheorySection, TheoryTerm } from '../report/schema';
import { binomial } from '../poly/basis';
import { Rng } from '../util/rng';
import { allMonomials, CandidateMonomials } from './derivatives';
import { fitSupport, scoreMatchingGram, type ScoreMatchingGram } from './score-matching';
import { backwardElimination, DEFAULT_SELECTION, type SelectionOptions } from './selection';
import { selectionFrequencies } from './stability';

/**
 * From rows to an identified theory (docs/METHOD.md section 9): the fit's coordinates, the candidate
 * monomials (all of them, or a screened set), the dense direct fit where it is affordable, backward
 * elimination with Holm's error control, the selection frequencies over half-samples, and the map
 * back to raw units around the expansion point. Validation (normalisability, ln Z, cumulants) is
 * done by the caller, who knows the proposal and the columns (pipeline/theory.ts).
 */
export interface IdentifySettings {
  order: number;
  /** Family-wise error rate of keeping a term that is 0 (Holm over every monomial of orders 1..K). */
  alpha: number;
  seed: number;
  /** The dense direct fit and an unscreened selection only up to this many candidates (A is P x P). */
  denseLimit: number;
  /** Complementary pairs of half-samples for the selection frequencies (0: none). */
  stabilityPairs: number;
  /**
   * Kept terms whose selection frequency is below this are unstable: dropped (and the rest refitted)
   * when their |z| is within `unstableMargin` times the cut, where selection inflates z; kept and
   * flagged when clearly above it.
   */
  minFrequency: number;
  unstableMargin: number;
  /** Rows summed in the sandwich's batch means (1: rows independent). */
  block: number;
}

export const DEFAULT_IDENTIFY: Omit<IdentifySettings, 'order' | 'seed'> = { alpha: 0.01, denseLimit: 1000, stabilityPairs: 3, minFrequency: 0.5, unstableMargin: 1.25, block: 1 };

/** Rows in the fit's coordinates v = (x - x0) / scale: every column of unit spread, the action's point at 0. */
export function fitCoordinates(rows: Float64Array, n: number, d: number, x0: ArrayLike<number>, scale: ArrayLike<number>): Float64Array {
  const v = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) v[r * d + i] = (rows[r * d + i] - x0[i]) / scale[i];
  return v;
}

/** Terms in the fit's coordinates -> raw units around x0: each variable of a monomial brings 1 / scale. */
function toRaw(monomial: readonly number[], value: number, scale: ArrayLike<number>): number {
  let c = value;
  for (const i of monomial) c /= scale[i];
  return c;
}

export interface IdentifiedTheory {
  section: Omit<TheorySection, 'normalizable' | 'warnings' | 'seconds'>;
  /** The kept terms in the fit's coordinates (for sampling and normalisability there). */
  vTerms: ActionTerm[];
  gram: ScoreMatchingGram;
}

/**
 * `screened`: candidate monomials chosen by the caller (e.g. from the INN's z-scores), with a
 * description; without it every monomial of orders 1..K is a candidate.
 */
export function identifyTheory(
  rows: Float64Array,
  n: number,
  d: number,
  x0: ArrayLike<number>,
  scale: ArrayLike<number>,
  settings: IdentifySettings,
  screened?: { monomials: number[][]; description: string },
): IdentifiedTheory {
  const K = settings.order;
  const family = binomial(d + K, K) - 1;
  const v = fitCoordinates(rows, n, d, x0, scale);
  const candidates = new CandidateMonomials(d, screened ? screened.monomials : allMonomials(d, K));
  if (candidates.size > settings.denseLimit) {
    throw new RangeError(`${candidates.size} candidate monomials exceed the direct fit's limit of ${settings.denseLimit}: screen them first`);
  }
  // Chunks of rows (a seeded partition) so that half-samples reuse the one pass for A and b.
  const chunks = settings.stabilityPairs > 0 ? 10 : 1;
  const chunkOf = new Int32Array(n);
  const perm = new Rng(settings.seed ^ 0x5e1ec7).permutation(n);
  for (let k = 0; k < n; k++) chunkOf[perm[k]] = k % chunks;
  const gram = scoreMatchingGram(v, n, candidates, chunkOf, chunks);
  const rowIndex = Int32Array.from({ length: n }, (_, r) => r);
  const all = Int32Array.from({ length: candidates.size }, (_, k) => k);
  const options: SelectionOptions = { ...DEFAULT_SELECTION, alpha: settings.alpha, family, block: settings.block };

  let dense: ActionTerm[] | undefined;
  if (!screened) {
    const fit = fitSupport(v, rowIndex, candidates, gram.a, gram.b, all, settings.block);
    if (!('dependent' in fit)) {
      dense = Array.from(fit.support, (k, j) => {
        const monomial = candidates.monomial(k);
        return { monomial, coefficient: toRaw(monomial, fit.coefficients[j], scale), stdErr: toRaw(monomial, fit.stdErr[j], scale) };
      });
    }
  }

  let selected = backwardElimination(v, rowIndex, candidates, gram.a, gram.b, all, options);
  const frequencies = selected && settings.stabilityPairs > 0 ? selectionFrequencies(v, candidates, gram, all, options, settings.stabilityPairs, settings.seed) : null;
  // Terms the whole data keep but fewer than minFrequency of the halves do rest on a few rows, or on
  // the path the elimination took (correlated candidates trading places). Near the cut, where that
  // inflates z, they are dropped and the rest refitted; clearly above it they stay, flagged.
  const unstable: NonNullable<TheorySection['unstable']> = [];
  if (selected && frequencies) {
    const s = selected;
    let dropped = 0;
    const keep = Array.from(s.fit.support).filter((k, j) => {
      const f = frequencies.get(k) ?? 0;
      if (f >= settings.minFrequency) return true;
      const drop = Math.abs(s.z[j]) < settings.unstableMargin * s.cut;
      unstable.push({ monomial: candidates.monomial(k), z: s.z[j], selectionFrequency: f, dropped: drop });
      if (drop) dropped++;
      return !drop;
    });
    if (dropped > 0) selected = backwardElimination(v, rowIndex, candidates, gram.a, gram.b, Int32Array.from(keep), options);
  }
  const terms: TheoryTerm[] = [];
  const vTerms: ActionTerm[] = [];
  if (selected) {
    selected.fit.support.forEach((k, j) => {
      const monomial = candidates.monomial(k);
      const c = selected.fit.coefficients[j];
      vTerms.push({ monomial, coefficient: c });
      const term: TheoryTerm = { monomial, coefficient: toRaw(monomial, c, scale), stdErr: toRaw(monomial, selected.fit.stdErr[j], scale), z: selected.z[j] };
      if (frequencies) term.selectionFrequency = frequencies.get(k) ?? 0;
      terms.push(term);
    });
  }
  terms.sort(byMonomial);
  vTerms.sort(byMonomial);
  const droppedSignificance = (selected?.dropped ?? []).filter((x) => x.reason === 'not significant');
  const nearMisses = droppedSignificance
    .sort((p, q) => Math.abs(q.z) - Math.abs(p.z))
    .slice(0, 20)
    .map((x) => ({ monomial: candidates.monomial(x.index), z: x.z }));
  const dependent = (selected?.dropped ?? []).filter((x) => x.reason !== 'not significant').map((x) => candidates.monomial(x.index));
  const section: IdentifiedTheory['section'] = {
    estimator: 'score-matching',
    method:
      'score matching (Hyvärinen 2005) of S(x) = sum_m c_m prod (x_i - x0_i) over the candidate monomials, fitted in standardized units and mapped back exactly; ' +
      `standard errors by the sandwich (Godambe) estimator${settings.block > 1 ? ` with batch means over ${settings.block} consecutive rows` : ''}; ` +
      `backward elimination until every kept term passes Holm's test at family-wise error ${settings.alpha} over all ${family} monomials of orders 1..${K}`,
    order: K,
    expansionPoint: Array.from(x0),
    alpha: settings.alpha,
    family,
    candidates: candidates.size,
    screen: screened ? screened.description : `none: all ${candidates.size} monomials of orders 1..${K}`,
    // Nothing kept: the cut the strongest candidate failed, Holm's first (alpha / family, two-sided).
    cut: selected?.cut ?? upperQuantile(settings.alpha / (2 * Math.max(1, family))),
    terms,
    ...(dense ? { dense } : {}),
    nearMisses,
    dependent,
    unstable,
    stability: frequencies
      ? { halves: 2 * settings.stabilityPairs, note: `each kept term's selectionFrequency: the fraction of ${2 * settings.stabilityPairs} half-samples (${settings.stabilityPairs} random splits into complementary halves) whose own selection, by the same rule, kept it` }
      : { halves: 0, note: selected ? 'not computed' : 'no term could be kept' },
  };
  return { section, vTerms, gram };
}

function byMonomial(a: ActionTerm, b: ActionTerm): number {
  if (a.monomial.length !== b.monomial.length) return a.monomial.length - b.monomial.length;
  for (let i = 0; i < a.monomial.length; i++) if (a.monomial[i] !== b.monomial[i]) return a.monomial[i] - b.monomial[i];
  return 0;
}
