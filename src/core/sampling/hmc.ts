import type { Theory } from '../theories/theory';
import { Rng } from '../util/rng';
import { InputError } from '../util/errors';
import { autocorrelation } from './autocorr';
import { Chain, jitteredSteps, run, type Counters } from './chain';
import { diagnostics } from './diagnostics';
import { DualAveraging } from './dual-averaging';

export type HmcPhase = 'warmup' | 'pilot' | 'sampling';

export interface HmcOptions {
  /** Number of output rows. */
  n: number;
  seed: number;
  /** Parallel chains (default 32), started in antithetic pairs x0, -x0 so a symmetric double well gets chains in both wells. */
  chains?: number;
  /** Warm-up iterations per chain (default 400): step size and trajectory length are adapted here. */
  warmup?: number;
  /** Iterations per chain after warm-up that measure the autocorrelation time for the thinning (default 200). */
  pilot?: number;
  /**
   * Mean acceptance probability the step size is tuned to (default 0.85): a little above the usual 0.8
   * because the quartic tails are stiffer than the bulk, and at 0.8 a step that suits the bulk made
   * ~1% of 1-D double-well trajectories diverge out there (measured); rejected, but they stall chains.
   */
  targetAcceptance?: number;
  /** Fixes the thinning instead of measuring it. */
  thinning?: number;
  /** Upper bound on the measured thinning (default 100), so a slowly mixing theory costs bounded time. */
  maxThinning?: number;
  /** Upper bound on leapfrog steps per trajectory (default 1000). */
  maxLeapfrog?: number;
  /** Standard deviation of the dispersed starting points (default 2). */
  initialScale?: number;
  /**
   * Called now and then with the phase and progress: iterations per chain for 'warmup' and 'pilot'
   * (the chains move in lockstep there), transitions summed over all chains for 'sampling'.
   */
  onProgress?: (phase: HmcPhase, done: number, total: number) => void;
}

export interface WellMixing {
  /** Fraction of output rows in well 0 and well 1 (Theory.wellOf). */
  fractions: [number, number];
  /** Changes of well between consecutive iterations, over all chains of the production run. */
  crossings: number;
  crossingsPerChain: number[];
  /** Chains whose production run visited both wells. */
  chainsVisitingBoth: number;
}

export interface HmcResult {
  /** n x d, row-major. */
  samples: Float64Array;
  n: number;
  d: number;
  /**
   * Rows come chain by chain in contiguous blocks: chain c owns rows [start_c, start_c + chainLengths[c]),
   * in the order they were drawn. Blocks are independent of each other, so they can serve directly as
   * jackknife blocks.
   */
  layout: 'chain-blocks';
  chains: number;
  chainLengths: number[];
  /** Mean Metropolis acceptance probability of the production run. */
  acceptance: number;
  stepSize: number;
  /** Nominal integration time; each trajectory draws its own, uniform in [0.5, 1.5] times this. */
  trajectoryLength: number;
  /** Mean leapfrog steps per trajectory in the production run. */
  leapfrogSteps: number;
  /** Iterations per output row. */
  thinning: number;
  /** Largest integrated autocorrelation time (in iterations) the pilot measured over x_i and x_i^2. */
  pilotAutocorrTime: number;
  warmup: number;
  /** Trajectories with an energy error > 1000 or non-finite in the production run (rejected). */
  divergences: number;
  gradientEvaluations: number;
  /** Per coordinate, of the output rows (multi-chain estimator). */
  ess: number[];
  /** Per coordinate, in output rows (after thinning). */
  integratedAutocorrTime: number[];
  /** Split R-hat per coordinate of the output rows. */
  rhat: number[];
  /** Only for theories with wells (Theory.wellOf). */
  wells?: WellMixing;
}

function requireInt(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new InputError(`${name} must be an integer >= ${min} (got ${value})`);
}

/**
 * Hamiltonian Monte Carlo for exp(-E) of a theory: many chains from dispersed starts, unit mass,
 * step size tuned by dual averaging and trajectory length set from the measured spread during
 * warm-up, jittered trajectory lengths (to avoid periodic orbits), thinning from the autocorrelation
 * time a pilot run measures. Exact in the limit by its Metropolis correction; seeded end to end.
 */
export function hmc(theory: Theory, options: HmcOptions): HmcResult {
  const d = theory.d;
  requireInt('n', options.n, 1);
  if (!Number.isSafeInteger(options.seed)) throw new InputError(`seed must be an integer (got ${options.seed})`);
  const chainsWanted = options.chains ?? 32;
  requireInt('chains', chainsWanted, 1);
  const warmup = options.warmup ?? 400;
  requireInt('warmup', warmup, 20);
  const pilot = options.pilot ?? 200;
  requireInt('pilot', pilot, 0);
  const target = options.targetAcceptance ?? 0.85;
  if (!(target > 0 && target < 1)) throw new InputError(`targetAcceptance must lie in (0, 1) (got ${target})`);
  const maxThinning = options.maxThinning ?? 100;
  const maxLeapfrog = options.maxLeapfrog ?? 1000;
  const scale = options.initialScale ?? 2;
  const progress = options.onProgress ?? ((): void => undefined);
  const n = options.n;
  const nChains = Math.min(chainsWanted, n);
  const counters: Counters = { gradients: 0, transitions: 0 };

  const master = new Rng(options.seed);
  const chains: Chain[] = [];
  const start = new Float64Array(d);
  for (let c = 0; c < nChains; c++) {
    if (c % 2 === 0) for (let i = 0; i < d; i++) start[i] = scale * master.normal();
    else for (let i = 0; i < d; i++) start[i] = -start[i];
    chains.push(new Chain(theory, start, master.fork()));
  }

  // Warm-up, stage 1: step size at a unit trajectory; the spread it reaches sets the trajectory length.
  const stage1 = Math.floor(0.4 * warmup);
  let adapt = new DualAveraging(0.1, target);
  let length = 1;
  const sum = new Float64Array(d);
  const sum2 = new Float64Array(d);
  let count = 0;
  for (let it = 0; it < stage1; it++) {
    const eps = adapt.step;
    let acc = 0;
    for (const chain of chains) acc += run(chain, eps, jitteredSteps(chain.rng, length, eps, maxLeapfrog), counters).accept;
    adapt.update(acc / nChains);
    if (it >= stage1 / 2) {
      for (const chain of chains) {
        for (let i = 0; i < d; i++) {
          sum[i] += chain.x[i];
          sum2[i] += chain.x[i] * chain.x[i];
        }
      }
      count += nChains;
    }
    if (it % 50 === 0) progress('warmup', it, warmup);
  }
  // A quarter period of the widest direction's oscillation decorrelates a Gaussian coordinate.
  let sigmaMax = 0;
  for (let i = 0; i < d; i++) sigmaMax = Math.max(sigmaMax, Math.sqrt(Math.max(0, sum2[i] / count - (sum[i] / count) ** 2)));
  length = Math.max((Math.PI / 2) * sigmaMax, adapt.finalStep);

  // Stage 2: step size again, now at the real trajectory length.
  adapt = new DualAveraging(adapt.finalStep, target);
  for (let it = stage1; it < warmup; it++) {
    const eps = adapt.step;
    let acc = 0;
    for (const chain of chains) acc += run(chain, eps, jitteredSteps(chain.rng, length, eps, maxLeapfrog), counters).accept;
    adapt.update(acc / nChains);
    if (it % 50 === 0) progress('warmup', it, warmup);
  }
  progress('warmup', warmup, warmup);
  const eps = adapt.finalStep;

  // Pilot: the autocorrelation time of x_i and x_i^2 (the slower of the two sets the thinning).
  let pilotTau = NaN;
  let thinning = options.thinning ?? 1;
  if (options.thinning === undefined && pilot >= 8) {
    const traces = Array.from({ length: 2 * d }, () => chains.map(() => new Float64Array(pilot)));
    for (let it = 0; it < pilot; it++) {
      chains.forEach((chain, c) => {
        run(chain, eps, jitteredSteps(chain.rng, length, eps, maxLeapfrog), counters);
        for (let i = 0; i < d; i++) {
          traces[i][c][it] = chain.x[i];
          traces[d + i][c][it] = chain.x[i] * chain.x[i];
        }
      });
      if (it % 50 === 0) progress('pilot', it, pilot);
    }
    progress('pilot', pilot, pilot);
    pilotTau = 0;
    for (const trace of traces) pilotTau = Math.max(pilotTau, autocorrelation(trace).tau);
    thinning = Number.isFinite(pilotTau) ? Math.min(maxThinning, Math.max(1, Math.ceil(pilotTau))) : 1;
  }
  requireInt('thinning', thinning, 1);

  // Production, chain by chain into contiguous blocks.
  const chainLengths = chains.map((_, c) => Math.floor(n / nChains) + (c < n % nChains ? 1 : 0));
  const samples = new Float64Array(n * d);
  const totalIterations = n * thinning;
  const productionStart = { ...counters };
  let accSum = 0;
  let divergences = 0;
  let done = 0;
  const wells = theory.wellOf === undefined ? undefined : { crossingsPerChain: [] as number[], visitedBoth: 0, inOne: 0 };
  let row = 0;
  chains.forEach((chain, c) => {
    let well = theory.wellOf?.(chain.x);
    let crossings = 0;
    const seen = [false, false];
    for (let k = 0; k < chainLengths[c]; k++) {
      for (let t = 0; t < thinning; t++) {
        const r = run(chain, eps, jitteredSteps(chain.rng, length, eps, maxLeapfrog), counters);
        accSum += r.accept;
        if (r.divergent) divergences++;
        if (well !== undefined && theory.wellOf !== undefined) {
          const now = theory.wellOf(chain.x);
          if (now !== well) crossings++;
          well = now;
          seen[now] = true;
        }
        if (++done % 5000 === 0) progress('sampling', done, totalIterations);
      }
      samples.set(chain.x, row * d);
      if (wells !== undefined && theory.wellOf?.(chain.x) === 1) wells.inOne++;
      row++;
    }
    if (wells !== undefined) {
      wells.crossingsPerChain.push(crossings);
      if (seen[0] && seen[1]) wells.visitedBoth++;
    }
  });
  progress('sampling', totalIterations, totalIterations);

  const diag = diagnostics(samples, d, chainLengths);
  const productionTransitions = counters.transitions - productionStart.transitions;
  return {
    samples,
    n,
    d,
    layout: 'chain-blocks',
    chains: nChains,
    chainLengths,
    acceptance: accSum / productionTransitions,
    stepSize: eps,
    trajectoryLength: length,
    leapfrogSteps: (counters.gradients - productionStart.gradients) / productionTransitions,
    thinning,
    pilotAutocorrTime: pilotTau,
    warmup,
    divergences,
    gradientEvaluations: counters.gradients,
    ...diag,
    wells:
      wells === undefined
        ? undefined
        : {
            fractions: [1 - wells.inOne / n, wells.inOne / n],
            crossings: wells.crossingsPerChain.reduce((a, v) => a + v, 0),
            crossingsPerChain: wells.crossingsPerChain,
            chainsVisitingBoth: wells.visitedBoth,
          },
  };
}
