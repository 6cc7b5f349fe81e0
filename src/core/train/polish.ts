import type { Flow } from '../flow/flow';
import type { ReportPolish } from '../report/schema';
import { lbfgs } from './lbfgs';

/** Rows per call of the flow's loss and gradient (bounds its activation buffers). */
const CHUNK_ROWS = 4096;
/** The polish evaluates at most this many times the rows the stochastic training evaluated (steps x batch). */
export const POLISH_COST_FACTOR = 8;
/** And at most this many full passes over the training rows (up to 300 reached convergence on the teachers at d = 4). */
export const POLISH_MAX_EVALUATIONS = 1000;
/**
 * Curvature pairs L-BFGS keeps. The teachers' likelihoods are ill-conditioned: with 10 pairs one seed
 * had not converged after 500 passes, with 40 it converged in 300 (and the others in half the passes).
 * Memory: 2 x 40 x the parameters, 13 MB at the largest network polished.
 */
const POLISH_MEMORY = 40;
/**
 * Networks with more parameters are not polished: the curvature pairs do not resolve a Hessian that
 * large within the budget, and a polish that does not converge is undone, so it would only cost time.
 */
export const POLISH_MAX_PARAMETERS = 20_000;
/**
 * The polished weights are kept when the held-out NLL rose by at most this many standard errors of
 * the rise (paired over the held-out rows). The early-stopped weights were chosen for their held-out
 * NLL, the lowest of the many evaluations along the noisy end of training, so it is biased low and
 * the maximum-likelihood weights sit above it (0.5-2.1 standard errors on the teachers of
 * docs/EXPERIMENTS.md, 40 runs); a larger rise means the network now fits the training rows' noise.
 */
export const POLISH_TOLERANCE = 3;
/** L-BFGS iterations between the checks for overfitting (the held-out rows) and for progress (DecrementTrend). */
const CHECK_EVERY = 25;
/**
 * And at most this many rows in all (passes x training rows): a polish that will not converge (the
 * cubic kind's, measured on the lattice experiments) spends its whole budget, and without this cap
 * that was up to 8 times the training (the phi4 experiment went from 26 s to 42 s). 8 million rows
 * are 500 passes over the teachers' 16,000 (their polishes took up to 300).
 */
export const POLISH_MAX_ROWS = 8_000_000;

/** Full passes over the training rows a polish may take after `steps` steps of `batch` rows (0: no polish). */
export function polishBudget(steps: number, batch: number, nTrain: number, parameters: number): number {
  if (parameters > POLISH_MAX_PARAMETERS) return 0;
  const rows = Math.max(1, nTrain);
  return Math.min(POLISH_MAX_EVALUATIONS, Math.floor((POLISH_COST_FACTOR * steps * batch) / rows), Math.floor(POLISH_MAX_ROWS / rows));
}

/**
 * After stochastic training, the weights still carry the last mini-batches' noise, and where the
 * likelihood is flat that noise moves the coefficients from one seed to the next (docs/METHOD.md
 * section 3.6.1). The polish minimises the full training NLL from there with L-BFGS, so that starts
 * in the same basin end at the same point: the maximum-likelihood estimate that the standard errors
 * describe. It is kept when it converged and the held-out NLL rose by at most POLISH_TOLERANCE
 * standard errors; otherwise the early-stopped weights return, to the bit.
 */
export function polish(
  flow: Flow,
  rows: { train: Float64Array; nTrain: number; val: Float64Array; nVal: number },
  budget: number,
  signal?: { readonly aborted: boolean },
): ReportPolish {
  const t0 = performance.now();
  const before = Float64Array.from(flow.params);
  const trainBefore = fullBatchNll(flow, rows.train, rows.nTrain, null);
  const lpBefore = flow.logProb(rows.val, rows.nVal);
  const valBefore = -mean(lpBefore);
  const head = { budget, tolerance: POLISH_TOLERANCE };
  if (budget < 2 || !Number.isFinite(trainBefore)) {
    return { ...head, iterations: 0, evaluations: 0, stoppedBecause: 'skipped', trainNll: [trainBefore, trainBefore], valNll: [valBefore, valBefore], valRiseStdErr: 0, kept: false, seconds: (performance.now() - t0) / 1000 };
  }
  const x = Float64Array.from(flow.params);
  // Every CHECK_EVERY iterations, the held-out rows (a forward pass, a fraction of one evaluation) say
  // whether the network has begun to fit the training rows' noise: then going on is wasted work.
  let calls = 0;
  let overfitting = false;
  let hopeless = false;
  const tolerance = decrementTolerance(rows.nTrain);
  const progress = new DecrementTrend(tolerance);
  const shouldStop = (): boolean => {
    if (signal?.aborted) return true;
    if (++calls % CHECK_EVERY !== 0) return false;
    const r = pairedRise(lpBefore, flow.logProb(rows.val, rows.nVal));
    overfitting = r.rise > POLISH_TOLERANCE * r.stdErr;
    hopeless = !overfitting && progress.hopeless(calls, budget);
    return overfitting || hopeless;
  };
  const res = lbfgs(
    (at, g) => {
      flow.params.set(at);
      return fullBatchNll(flow, rows.train, rows.nTrain, g);
    },
    x,
    // Tolerances at rounding level: it stops when a step no longer lowers the NLL, so that starts in one basin meet.
    { memory: POLISH_MEMORY, maxIterations: budget, maxEvaluations: budget, gradientTolerance: 1e-10, relativeTolerance: 1e-14, decrementTolerance: tolerance, shouldStop, onDecrement: (v) => progress.add(v) },
  );
  flow.params.set(x);
  const lpAfter = flow.logProb(rows.val, rows.nVal);
  const valAfter = -mean(lpAfter);
  const rise = pairedRise(lpBefore, lpAfter);
  // Only a converged polish is kept: one stopped by its budget sits at a point that depends on where
  // it began, which is what it was meant to remove.
  const converged = res.stoppedBecause === 'gradient' || res.stoppedBecause === 'stalled';
  const stoppedBecause = overfitting ? 'overfitting' : hopeless ? 'not-converging' : res.stoppedBecause;
  const kept = converged && Number.isFinite(valAfter) && rise.rise <= POLISH_TOLERANCE * rise.stdErr;
  if (!kept) flow.params.set(before);
  return { ...head, iterations: res.iterations, evaluations: res.evaluations, stoppedBecause, trainNll: [trainBefore, res.value], valNll: [valBefore, valAfter], valRiseStdErr: rise.stdErr, kept, seconds: (performance.now() - t0) / 1000 };
}

/** Mean NLL over all n rows (and its gradient into g when given), in chunks summed in a fixed order. */
export function fullBatchNll(flow: Flow, x: Float64Array, n: number, g: Float64Array | null): number {
  const d = flow.dim;
  const part = g ? new Float64Array(flow.paramCount) : null;
  if (g) g.fill(0);
  let total = 0;
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const m = Math.min(CHUNK_ROWS, n - start);
    const chunk = x.subarray(start * d, (start + m) * d);
    const w = m / n;
    if (g && part) {
      total += w * flow.lossAndGradient(chunk, m, part);
      for (let i = 0; i < part.length; i++) g[i] += w * part[i];
    } else {
      total += w * flow.meanNll(chunk, m);
    }
  }
  return total;
}

/**
 * Converged when the optimum is predicted within CLOSE_IN_STD_ERRS standard errors in every direction
 * (predicted by L-BFGS's Hessian, which underestimates the flattest directions: 0.01 left two seeds'
 * coefficients 0.02-0.05 standard errors apart on a teacher, 0.001 about 0.001 apart):
 * in a direction of curvature c (per row) the standard error is 1 / sqrt(n c), and a distance e
 * standard errors away costs (e^2 / 2) / n nats per row, whatever c is. So the Newton decrement below
 * CLOSE^2 / (2 n) bounds the distance in every direction at once.
 */
const CLOSE_IN_STD_ERRS = 0.001;
const decrementTolerance = (nTrain: number): number => (CLOSE_IN_STD_ERRS * CLOSE_IN_STD_ERRS) / (2 * nTrain);

/**
 * Whether a polish is on its way to converging within its budget, from the Newton decrement's trend:
 * the smallest decrement so far at the end of each window of CHECK_EVERY iterations, and the rate at
 * which its log fell over the last LOOKBACK windows. A polish that will not converge (the cubic
 * kind's on the lattices, which crawls) would otherwise spend its whole budget and be undone; one that
 * converges (the teachers') falls steadily, if noisily (hence the smallest so far, and a long look
 * back). Judged once LOOKBACK windows have passed, and only when the projection exceeds 1.5 times
 * the budget, so that a slow start is not cut short.
 */
const LOOKBACK = 4;

class DecrementTrend {
  private best = Number.POSITIVE_INFINITY;
  private readonly logs: number[] = [];

  constructor(private readonly tolerance: number) {}

  add(decrement: number): void {
    this.best = Math.min(this.best, decrement);
  }

  hopeless(iterations: number, budget: number): boolean {
    this.logs.push(Math.log10(Math.max(this.best, 1e-300)));
    const k = this.logs.length;
    if (k <= LOOKBACK) return false;
    const rate = (this.logs[k - 1] - this.logs[k - 1 - LOOKBACK]) / (LOOKBACK * CHECK_EVERY);
    if (!(rate < 0)) return true;
    const remaining = (Math.log10(this.tolerance) - this.logs[k - 1]) / rate;
    return iterations + remaining > 1.5 * budget;
  }
}

const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;

/** The held-out NLL's rise from `before` to `after` (per-row ln p) and its standard error, paired over the rows. */
function pairedRise(before: Float64Array, after: Float64Array): { rise: number; stdErr: number } {
  const n = before.length;
  const diff = Float64Array.from(before, (b, r) => b - after[r]);
  const m = mean(diff);
  let ss = 0;
  for (const v of diff) ss += (v - m) ** 2;
  return { rise: m, stdErr: Math.sqrt(ss / Math.max(1, n - 1) / n) };
}
