import type { Flow } from '../flow/flow';
import type { ReportTraining, TrainingPoint } from '../report/schema';
import { TrainingError } from '../util/errors';
import { Rng } from '../util/rng';
import { Adam, clipGradient } from './adam';
import { Batches } from './batches';
import { norm as euclideanNorm } from '../poly/jet';
import { float64Engine, type TrainingEngine } from './engine';
import { kernelHeap } from '../linalg/wasm/kernel';

export interface TrainOptions {
  /**
   * The budget: at most this many optimizer steps. Early stopping on the held-out rows is the normal
   * end; the budget only catches runs that keep improving (the report then says so).
   */
  maxSteps: number;
  /** Optional cap on epochs (passes over the training rows); none by default. */
  epochs?: number;
  /**
   * Optional cap on the seconds spent in the optimizer. Off by default: with it the result depends
   * on the machine's speed, and a seed no longer reproduces a run.
   */
  maxSeconds?: number;
  batch: number;
  learningRate: number;
  /** Early stopping: optimizer steps without a held-out improvement before stopping. */
  patience: number;
  /** Train for exactly this many optimizer steps, no early stopping; the final weights are kept. */
  steps?: number;
  seed: number;
  maxGradNorm: number;
  signal?: AbortSignal;
  onProgress?: (p: TrainingProgress) => void;
  /** Computes losses and gradients (engine.ts); default: the flow itself, in float64. */
  engine?: TrainingEngine;
}

export interface TrainingProgress {
  epoch: number;
  step: number;
  /** The fixed number of steps of a --steps run, else null. */
  totalSteps: number | null;
  /** The step budget (the fixed steps of a --steps run). */
  maxSteps: number;
  /** Epochs the budget allows (for displays that count epochs). */
  maxEpochs: number;
  trainNll: number;
  valNll: number;
  bestValNll: number;
  /** The step at which the best held-out NLL was reached. */
  bestStep: number;
  /** Steps without improvement after which training stops (null for a --steps run). */
  patience: number | null;
}

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'seed'> = {
  maxSteps: 50_000,
  batch: 512,
  learningRate: 5e-3,
  patience: 2_000,
  maxGradNorm: 100,
};

/** Consecutive undone steps after which training gives up. */
const MAX_CONSECUTIVE_FAILURES = 12;
const MIN_IMPROVEMENT = 1e-5;
const MIN_STEP_FRACTION = 1e-4;
/**
 * The held-out NLL is evaluated every few steps so that it costs at most about this fraction of the
 * optimizer's time: one evaluation is a forward pass over the held-out rows, a step a forward and a
 * backward pass (about three forward passes) over a batch.
 */
const EVAL_COST_FRACTION = 0.1;
/** Evaluations per patience window at least, so that early stopping sees the curve. */
const EVALS_PER_PATIENCE = 10;

export type TrainResult = Omit<ReportTraining, 'gaussianValNll' | 'trainRows' | 'valRows'>;

/** Steps between held-out evaluations: a bounded share of the training cost, and several per patience window. */
export function evaluationInterval(nVal: number, batch: number, patience: number): number {
  const byCost = Math.ceil(nVal / (3 * batch * EVAL_COST_FRACTION));
  return Math.max(1, Math.min(byCost, Math.floor(patience / EVALS_PER_PATIENCE)));
}

/**
 * Maximum likelihood (docs/METHOD.md section 3): minimises the mean -ln p over the training rows with Adam
 * on mini-batches, early stopping on the held-out NLL, gradient-norm clipping. Training is budgeted in
 * optimizer steps (an epoch of a few thousand rows is a handful of steps, so epochs say little about
 * how far training got); the held-out NLL is evaluated every evaluationInterval steps. A non-finite
 * loss or gradient undoes the step and halves the learning rate; too many in a row stops the run
 * with 'diverged', keeping the best model. Cancelling (signal) keeps the best model so far.
 * Leaves the kept weights in flow.params.
 */
export async function train(flow: Flow, train: Float64Array, nTrain: number, val: Float64Array, nVal: number, options: TrainOptions): Promise<TrainResult> {
  const heap = kernelHeap();
  if (!heap) return optimize(flow, train, nTrain, val, nVal, options, new Float64Array(flow.paramCount));
  // The gradient lives in the kernel heap: the layers accumulate it and Adam reads it in place,
  // instead of copying it twice per step. (The parameters stay where they are: in the heap, some
  // small products would take the kernel instead of the JS loops, which round differently.)
  const grad = heap.alloc(flow.paramCount);
  try {
    return await optimize(flow, train, nTrain, val, nVal, options, grad);
  } finally {
    heap.release(grad);
  }
}

/** train's loop, with `grad` (paramCount numbers) to hold each step's gradient. */
async function optimize(flow: Flow, train: Float64Array, nTrain: number, val: Float64Array, nVal: number, options: TrainOptions, grad: Float64Array): Promise<TrainResult> {
  const d = flow.dim;
  const engine = options.engine ?? float64Engine(flow);
  const rng = new Rng(options.seed ^ 0x5eed);
  const adam = new Adam(flow.paramCount, options.learningRate);
  const lastGood = Float64Array.from(flow.params);
  const best = Float64Array.from(flow.params);
  const batchSize = Math.max(1, Math.min(options.batch, nTrain));
  const batches = new Batches(train, nTrain, d, batchSize, rng);
  // While the two-thread engine waits for its helper, the next batch is gathered.
  const prefetch = (): void => batches.prefetch();
  const history: TrainingPoint[] = [];
  const stepsPerEpoch = Math.ceil(nTrain / batchSize);
  const fixedSteps = options.steps;
  const budget = fixedSteps ?? Math.min(options.maxSteps, options.epochs !== undefined ? options.epochs * stepsPerEpoch : Number.POSITIVE_INFINITY);
  const maxEpochs = Math.ceil(budget / stepsPerEpoch);
  const patience = options.patience;
  const evalEvery = evaluationInterval(nVal, batchSize, patience);

  let bestVal = engine.meanNll(val, nVal);
  if (!Number.isFinite(bestVal)) throw new TrainingError('the initial model gives a non-finite likelihood on the held-out rows');
  let bestEpoch = 0;
  let bestStep = 0;
  let step = 0;
  let epoch = 0;
  let divergenceEvents = 0;
  let failures = 0;
  let stoppedBecause: TrainResult['stoppedBecause'] | null = null;
  let trainSeconds = 0;
  let evaluationSeconds = 0;
  let lossSum = 0;
  let lossRows = 0;
  let sinceEval = 0;
  let lastPlateauCut = 0;

  while (stoppedBecause === null) {
    if (options.signal?.aborted) {
      stoppedBecause = 'cancelled';
      break;
    }
    // One evaluation window of optimizer steps.
    const t0 = process.hrtime.bigint();
    while (sinceEval < evalEvery && step < budget) {
      const { x, rows, newEpoch } = batches.take();
      if (newEpoch) epoch++;
      const loss = engine.lossAndGradient(x, rows, grad, prefetch);
      // The norm is finite exactly when every entry is, unless squares overflow: then look entry by entry.
      const norm = euclideanNorm(grad);
      if (!Number.isFinite(loss) || (!Number.isFinite(norm) && !grad.every(Number.isFinite))) {
        divergenceEvents++;
        failures++;
        flow.params.set(lastGood);
        adam.reset();
        adam.lr *= 0.5;
        // Give up after many failures in a row, or once the step has shrunk so far that training
        // no longer moves (failures interleaved with successes halve it each time).
        if (failures >= MAX_CONSECUTIVE_FAILURES || adam.lr < options.learningRate * MIN_STEP_FRACTION) {
          stoppedBecause = 'diverged';
          break;
        }
        continue;
      }
      failures = 0;
      lastGood.set(flow.params);
      clipGradient(grad, options.maxGradNorm, norm);
      adam.step(flow.params, grad);
      step++;
      sinceEval++;
      lossSum += loss * rows;
      lossRows += rows;
    }
    trainSeconds += elapsed(t0);
    if (stoppedBecause === 'diverged' && sinceEval === 0) break;
    sinceEval = 0;
    const tEval = process.hrtime.bigint();
    let valNll = engine.meanNll(val, nVal);
    evaluationSeconds += elapsed(tEval);
    if (!Number.isFinite(valNll)) {
      // The last steps left the region where the model is finite on held-out rows: undo to the best.
      divergenceEvents++;
      flow.params.set(best);
      lastGood.set(best);
      adam.reset();
      adam.lr *= 0.5;
      valNll = bestVal;
      if (adam.lr < options.learningRate * MIN_STEP_FRACTION) stoppedBecause = 'diverged';
    }
    const trainNll = lossRows > 0 ? lossSum / lossRows : Number.NaN;
    lossSum = 0;
    lossRows = 0;
    history.push({ epoch, step, trainNll, valNll });
    if (valNll < bestVal - MIN_IMPROVEMENT) {
      bestVal = valNll;
      bestEpoch = epoch;
      bestStep = step;
      best.set(flow.params);
    }
    options.onProgress?.({ epoch, step, totalSteps: fixedSteps ?? null, maxSteps: budget, maxEpochs, trainNll, valNll, bestValNll: bestVal, bestStep, patience: fixedSteps === undefined ? patience : null });
    if (stoppedBecause !== null) break;
    // Let cancellation and progress messages through.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) {
      stoppedBecause = 'cancelled';
      break;
    }
    if (step >= budget) {
      stoppedBecause = fixedSteps !== undefined ? 'steps' : options.epochs !== undefined && budget < options.maxSteps ? 'max-epochs' : 'step-limit';
      break;
    }
    if (fixedSteps !== undefined) continue;
    if (options.maxSeconds !== undefined && trainSeconds >= options.maxSeconds) {
      stoppedBecause = 'time-limit';
      break;
    }
    const sinceBest = step - bestStep;
    if (sinceBest >= patience) {
      stoppedBecause = 'early-stopping';
      break;
    }
    // Reduce on plateau, gently and with a floor: a smaller step resolves the optimum more finely,
    // but decaying fast on a noisy held-out curve freezes training on the Gaussian saddle.
    const plateau = Math.max(1, Math.ceil(patience / 2));
    if (sinceBest >= plateau && step - Math.max(bestStep, lastPlateauCut) >= plateau) {
      adam.lr = Math.max(adam.lr * 0.5, options.learningRate / 8);
      lastPlateauCut = step;
    }
  }

  // With a fixed number of steps the final weights are the result; otherwise the best on held-out rows.
  const keepBest = fixedSteps === undefined || stoppedBecause === 'cancelled' || stoppedBecause === 'diverged';
  if (keepBest) flow.params.set(best);
  // The best weights' held-out NLL was computed when they were found (meanNll is deterministic).
  const valNll = keepBest ? bestVal : engine.meanNll(val, nVal);
  const trainNll = engine.meanNll(train, nTrain);
  if (!Number.isFinite(valNll)) throw new TrainingError('training diverged and no finite model was found');
  return {
    epochs: epoch,
    steps: step,
    batch: batchSize,
    learningRate: options.learningRate,
    trainNll,
    valNll,
    bestEpoch,
    bestStep,
    maxSteps: budget,
    patience: fixedSteps === undefined ? patience : null,
    evaluationInterval: evalEvery,
    history: thinHistory(history, bestStep),
    stoppedBecause: stoppedBecause ?? 'step-limit',
    divergenceEvents,
    trainSeconds,
    evaluationSeconds,
  };
}

/** At most this many points of the training curve go into the report. */
const HISTORY_POINTS = 1000;

/** Every k-th evaluation (k chosen to keep HISTORY_POINTS), always with the first, the best and the last. */
export function thinHistory(history: TrainingPoint[], bestStep: number): TrainingPoint[] {
  if (history.length <= HISTORY_POINTS) return history;
  const k = Math.ceil(history.length / HISTORY_POINTS);
  return history.filter((p, i) => i % k === 0 || i === history.length - 1 || p.step === bestStep);
}

function elapsed(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
