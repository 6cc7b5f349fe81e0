import { compareActions, reexpandAction } from '../experiments/compare';
import { forwardScreen } from '../identify/forward-screen';
import { DEFAULT_IDENTIFY, fitCoordinates, identifyTheory, type IdentifySettings } from '../identify/identify';
import { gaussianProposal, importanceLogZ, normalisability, sampleTheory, type Proposal } from '../identify/validate';
import { compareWithSamples, type DrawnRows } from './model-cumulants';
import { binomial } from '../poly/basis';
import { upperQuantile } from '../util/normal';
import type { Action, ActionTerm, TheorySection, TruthComparison } from '../report/schema';
import { polynomialTheory } from '../theories/polynomial';
import type { TruthBeside } from '../data/truth';
import { restoreColumns, restoreTerms } from './columns';

/**
 * The identification step of a run (docs/METHOD.md section 9): screen the candidates (by the INN's
 * z-scores when it has them: "the INN screens, the direct fit decides"), identify the theory on the
 * training rows, and validate it on the held-out rows: normalisability, ln Z by importance sampling
 * (from the trained flow when there is one), held-out NLL, cumulants of HMC samples, and the
 * comparison with a truth beside the data. Rows are in the model's (canonical) column order;
 * everything reported is in the report's.
 */
export interface TheoryRun {
  d: number;
  order: number;
  train: Float64Array;
  nTrain: number;
  val: Float64Array;
  nVal: number;
  /** The expansion point and the columns' spreads (canonical order). */
  x0: ArrayLike<number>;
  scale: ArrayLike<number>;
  /** Canonical column c is report column canonical[c]. */
  canonical: Int32Array;
  seed: number;
  /** The INN's action in report order, with standard errors (its z-scores screen the candidates). */
  innAction?: Action;
  /** Draws and scores for ln Z: the trained flow (canonical order); a Gaussian fit otherwise. */
  proposal?: Proposal;
  truth?: TruthBeside;
  settings?: Partial<IdentifySettings> & { hmcSamples?: number; importanceSamples?: number; screen?: 'auto' | 'inn' | 'all' };
}

/** The INN's terms that screen in: |z| above this, and every term of order <= 1. */
export const INN_SCREEN_Z = 2;
/**
 * Rows x candidates^2 up to which every candidate goes into the direct fit (about ten seconds here):
 * the INN screens only where that is too costly. The two complement each other: at small N, where
 * the unscreened fit is cheap, the INN's z-scores are weak and a screen by them loses true terms
 * (measured: phi4 d = 6, N = 2,000); at large N they are reliable and the dense fit is slow.
 */
export const UNSCREENED_BUDGET = 2e9;

/** The identified theory, and the HMC rows drawn from it for its cumulants (when it is normalisable). */
export interface Identification {
  theory: TheorySection;
  drawn?: DrawnRows;
}

export function runIdentification(run: TheoryRun): Identification {
  const t0 = Date.now();
  const { d, order: K, canonical } = run;
  const settings: IdentifySettings = { ...DEFAULT_IDENTIFY, order: K, seed: run.seed, ...run.settings };
  const toCanonical = inverse(canonical);
  const warnings: string[] = [];

  // The candidates: all of them where affordable; else the INN's significant terms, and where even
  // the full set is beyond the direct fit, those of a forward screen on the objective besides.
  let screened: { monomials: number[][]; description: string } | undefined;
  const family = binomial(d + K, K) - 1;
  const screen = run.settings?.screen ?? 'auto';
  const affordable = family <= settings.denseLimit && (screen === 'all' || (screen === 'auto' && run.nTrain * family * family <= UNSCREENED_BUDGET));
  const withErrors = run.innAction?.terms.filter((t) => t.monomial.length > 0 && t.stdErr !== undefined && t.stdErr > 0) ?? [];
  if (!affordable) {
    const parts: string[] = [];
    const pool = new Map<string, number[]>();
    if (family > settings.denseLimit || withErrors.length === 0) {
      const forward = forwardScreen(fitCoordinates(run.train, run.nTrain, d, run.x0, run.scale), run.nTrain, d, K);
      for (const m of forward.monomials) pool.set(m.join(), m);
      parts.push(forward.description);
    }
    if (withErrors.length > 0) {
      // The strongest first, as many as the direct fit takes beside the forward screen's.
      const z = (t: (typeof withErrors)[number]): number => (t.monomial.length <= 1 ? Infinity : Math.abs(t.coefficient / (t.stdErr ?? Infinity)));
      const picked = withErrors.filter((t) => z(t) > INN_SCREEN_Z).sort((a, b) => z(b) - z(a));
      let taken = 0;
      for (const t of picked) {
        if (pool.size >= settings.denseLimit) break;
        const m = t.monomial.map((c) => toCanonical[c]).sort((a, b) => a - b);
        pool.set(m.join(), m);
        taken++;
      }
      parts.push(`the INN's action: ${taken === picked.length ? 'its' : `the strongest ${taken} of its`} ${picked.length} terms with |z| > ${INN_SCREEN_Z} (and every order-1 term) of ${family}`);
    }
    screened = { monomials: [...pool.values()].sort(compareMonomials), description: `${parts.join('; and ')} (${pool.size} candidates in all)` };
  }
  const identified = identifyTheory(run.train, run.nTrain, d, run.x0, run.scale, settings, screened);
  const section = identified.section;
  const x0 = Array.from(run.x0);
  const rawCanonical: Action = { convention: 'ln p', units: 'raw', order: K, expansionPoint: x0, terms: section.terms };

  const normalizable = normalisability(identified.vTerms, d, run.seed);
  let logZ: TheorySection['logZ'];
  let heldOutNll: number | undefined;
  let cumulantReport: TheorySection['cumulants'];
  let drawn: DrawnRows | undefined;
  if (normalizable.normalizable) {
    const theory = polynomialTheory(rawCanonical, d, 'identified theory');
    const proposal = run.proposal ?? gaussianProposal(run.train, run.nTrain, d);
    logZ = importanceLogZ(theory, proposal, run.settings?.importanceSamples ?? 50000, run.seed + 17);
    let sum = 0;
    for (let r = 0; r < run.nVal; r++) sum += theory.energy(run.val.subarray(r * d, r * d + d));
    heldOutNll = sum / run.nVal + logZ.value;
    if (logZ.ess < 100) warnings.push(`ln Z rests on an effective sample of ${logZ.ess.toFixed(0)} of the importance samples from ${logZ.proposal}: the held-out NLL is uncertain.`);
    const vAction: Action = { convention: 'ln p', units: 'standardized', order: K, terms: identified.vTerms };
    drawn = sampleTheory(vAction, d, run.x0, run.scale, run.settings?.hmcSamples ?? 20000, run.seed + 23);
    cumulantReport = compareWithSamples(run.val, run.nVal, canonical, drawn);
  } else {
    warnings.push(`The identified theory is not normalisable: ${normalizable.reason}. Its coefficients describe the data's score, but exp(S) is not a distribution; no held-out NLL or samples.`);
  }
  if (section.terms.length === 0) warnings.push('No term passed the selection: the data cannot tell any coefficient from 0 at this error rate.');
  const close = section.nearMisses.filter((x) => Math.abs(x.z) >= 0.8 * section.cut);
  if (close.length > 0) {
    // With this many candidates, terms that are 0 reach about this |z| by chance (the median of the largest).
    const chance = upperQuantile(0.25 / section.family);
    warnings.push(
      `${close.length} dropped term${close.length === 1 ? ' was' : 's were'} close to the cut |z| = ${section.cut.toFixed(2)} ` +
        `(${close.slice(0, 6).map((x) => `${x.monomial.map((c) => canonical[c]).sort((a, b) => a - b).join(',')}: z = ${x.z.toFixed(1)}`).join('; ')}). ` +
        `Among ${section.family} candidates, terms that are 0 reach |z| of about ${chance.toFixed(1)} by chance: ` +
        (close.some((x) => Math.abs(x.z) > chance) ? 'those above it may be real and more rows would decide them.' : 'these are within that, and may well be noise.'),
    );
  }
  for (const u of section.unstable ?? []) {
    const name = u.monomial.map((c) => canonical[c]).sort((a, b) => a - b).join(',');
    warnings.push(
      u.dropped
        ? `Dropped as unstable: [${name}] (z = ${u.z.toFixed(1)}, near the cut, kept by only ${(100 * u.selectionFrequency).toFixed(0)}% of the half-samples).`
        : `Kept but unstable: [${name}] (z = ${u.z.toFixed(1)}, yet kept by only ${(100 * u.selectionFrequency).toFixed(0)}% of the half-samples: correlated terms trade places in smaller samples).`,
    );
  }

  // The report's column order.
  const mapMonomial = (m: readonly number[]): number[] => m.map((c) => canonical[c]).sort((a, b) => a - b);
  const terms = restoreTerms(section.terms, canonical);
  if (logZ) terms.unshift({ monomial: [], coefficient: -logZ.value, stdErr: logZ.stdErr });
  const expansionPoint = Array.from(restoreColumns(Float64Array.from(x0), 1, canonical));
  const out: TheorySection = {
    ...section,
    expansionPoint,
    terms,
    ...(section.dense ? { dense: restoreTerms(section.dense, canonical) } : {}),
    nearMisses: section.nearMisses.map((x) => ({ monomial: mapMonomial(x.monomial), z: x.z })),
    dependent: section.dependent.map(mapMonomial),
    unstable: (section.unstable ?? []).map((u) => ({ ...u, monomial: mapMonomial(u.monomial) })),
    normalizable,
    ...(logZ ? { logZ } : {}),
    ...(heldOutNll !== undefined ? { heldOutNll } : {}),
    ...(cumulantReport ? { cumulants: cumulantReport } : {}),
    warnings,
    seconds: 0,
  };
  if (run.truth) out.truth = compareWithTruth(run.truth, { convention: 'ln p', units: 'raw', order: K, expansionPoint, terms: terms.filter((t) => t.monomial.length > 0) }, run.innAction, out.dense, d);
  out.seconds = (Date.now() - t0) / 1000;
  return { theory: out, ...(drawn ? { drawn } : {}) };
}

/** Support recovery and per-order errors of each estimator against a truth (re-expanded at the same point). */
function compareWithTruth(truth: TruthBeside, identified: Action, inn: Action | undefined, dense: ActionTerm[] | undefined, d: number): TruthComparison {
  const at = identified.expansionPoint ?? new Array<number>(d).fill(0);
  const trueAction = reexpandAction(truth.action, at);
  const key = (m: readonly number[]): string => m.join(',');
  const trueSet = new Set(trueAction.terms.filter((t) => t.monomial.length > 0 && t.coefficient !== 0).map((t) => key(t.monomial)));
  const kept = new Set(identified.terms.map((t) => key(t.monomial)));
  const perOrder: TruthComparison['perOrder'] = [];
  if (inn) perOrder.push({ estimator: 'inn', orders: compareActions(inn, trueAction, d) });
  if (dense) perOrder.push({ estimator: 'dense', orders: compareActions({ ...identified, terms: dense }, trueAction, d) });
  perOrder.push({ estimator: 'identified', orders: compareActions(identified, trueAction, d) });
  return {
    source: truth.source,
    action: trueAction,
    missed: [...trueSet].filter((m) => !kept.has(m)).map(parseKey),
    spurious: [...kept].filter((m) => !trueSet.has(m)).map(parseKey),
    perOrder,
  };
}

function parseKey(k: string): number[] {
  return k === '' ? [] : k.split(',').map(Number);
}

function inverse(perm: Int32Array): Int32Array {
  const out = new Int32Array(perm.length);
  perm.forEach((v, i) => (out[v] = i));
  return out;
}

function compareMonomials(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
