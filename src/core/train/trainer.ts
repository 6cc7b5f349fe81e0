import type { Flow } from '../flow/flow';
import type { ReportTraining, TrainingPoint } from '../report/schema';
import { TrainingError } from '../util/errors';
import { Rng } from '../util/rng';
import { gatherRows } from '../util/rows';
import { Adam, clipGradient } from './adam';
import { norm as euclideanNorm } from '../poly/jet';
import { float64Engine, type TrainingEngine } from './engine';

export interface TrainOptions {
  /** Upper bound on epochs (ignored when steps is set). */
  epochs: number;
  batch: number;
  learningRate: number;
  /** Early stopping: epochs without a validation improvement before stopping. */
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
  totalSteps: number | null;
  maxEpochs: number;
  trainNll: number;
  valNll: number;
  bestValNll: number;
}

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'seed'> = {
  epochs: 400,
  batch: 512,
  learningRate: 5e-3,
  patience: 40,
  maxGradNorm: 100,
};

/** Consecutive undone steps after which training gives up. */
const MAX_CONSECUTIVE_FAILURES = 12;
const MIN_IMPROVEMENT = 1e-5;
const MIN_PATIENCE_STEPS = 1500;
const MIN_STEP_FRACTION = 1e-4;

export type TrainResult = Omit<ReportTraining, 'gaussianValNll' | 'trainRows' | 'valRows'>;

/**
 * Maximum likelihood (docs/METHOD.md section 3): minimises the mean -ln p over the training rows with Adam
 * on mini-batches, early stopping on the held-out NLL, gradient-norm clipping. A non-finite loss or
 * gradient undoes the step and halves the learning rate; too many in a row stops the run with
 * 'diverged', keeping the best model. Cancelling (signal) keeps the best model so far.
 * Leaves the kept weights in flow.params.
 */
export async function train(flow: Flow, train: Float64Array, nTrain: number, val: Float64Array, nVal: number, options: TrainOptions): Promise<TrainResult> {
  const d = flow.dim;
  const engine = options.engine ?? float64Engine(flow);
  const rng = new Rng(options.seed ^ 0x5eed);
  const adam = new Adam(flow.paramCount, options.learningRate);
  const grad = new Float64Array(flow.paramCount);
  const lastGood = Float64Array.from(flow.params);
  const best = Float64Array.from(flow.params);
  const batchSize = Math.max(1, Math.min(options.batch, nTrain));
  const batch = new Float64Array(batchSize * d);
  const order = Int32Array.from({ length: nTrain }, (_, i) => i);
  const history: TrainingPoint[] = [];
  const stepsPerEpoch = Math.ceil(nTrain / batchSize);
  const fixedSteps = options.steps;
  const maxEpochs = fixedSteps !== undefined ? Math.ceil(fixedSteps / stepsPerEpoch) : options.epochs;
  // Patience counts epochs, but never fewer than MIN_PATIENCE_STEPS optimizer steps: with few rows an
  // epoch is a handful of steps, and leaving the Gaussian saddle takes a few thousand.
  const patience = Math.max(options.patience, Math.ceil(MIN_PATIENCE_STEPS / stepsPerEpoch));

  let bestVal = engine.meanNll(val, nVal);
  if (!Number.isFinite(bestVal)) throw new TrainingError('the initial model gives a non-finite likelihood on the held-out rows');
  let bestEpoch = 0;
  let step = 0;
  let epoch = 0;
  let divergenceEvents = 0;
  let failures = 0;
  let stoppedBecause: TrainResult['stoppedBecause'] = fixedSteps !== undefined ? 'steps' : 'max-epochs';
  let trainSeconds = 0;

  outer: while (epoch < maxEpochs) {
    if (options.signal?.aborted) {
      stoppedBecause = 'cancelled';
      break;
    }
    epoch++;
    const t0 = process.hrtime.bigint();
    shuffle(order, rng);
    let epochLoss = 0;
    let epochRows = 0;
    for (let b = 0; b < nTrain; b += batchSize) {
      if (fixedSteps !== undefined && step >= fixedSteps) break;
      const rows = Math.min(batchSize, nTrain - b);
      gatherRows(train, d, order, b, rows, batch);
      const loss = engine.lossAndGradient(batch, rows, grad);
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
          trainSeconds += elapsed(t0);
          break outer;
        }
        continue;
      }
      failures = 0;
      lastGood.set(flow.params);
      clipGradient(grad, options.maxGradNorm, norm);
      adam.step(flow.params, grad);
      step++;
      epochLoss += loss * rows;
      epochRows += rows;
    }
    trainSeconds += elapsed(t0);
    let valNll = engine.meanNll(val, nVal);
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
    const trainNll = epochRows > 0 ? epochLoss / epochRows : Number.NaN;
    history.push({ epoch, step, trainNll, valNll });
    if (valNll < bestVal - MIN_IMPROVEMENT) {
      bestVal = valNll;
      bestEpoch = epoch;
      best.set(flow.params);
    }
    options.onProgress?.({ epoch, step, totalSteps: fixedSteps ?? null, maxEpochs, trainNll, valNll, bestValNll: bestVal });
    if (stoppedBecause === 'diverged') break;
    // Let cancellation and progress messages through.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) {
      stoppedBecause = 'cancelled';
      break;
    }
    if (fixedSteps !== undefined) {
      if (step >= fixedSteps) break;
    } else {
      const sinceBest = epoch - bestEpoch;
      if (sinceBest >= patience) {
        stoppedBecause = 'early-stopping';
        break;
      }
      // Reduce on plateau, gently and with a floor: a smaller step resolves the optimum more finely,
      // but decaying fast on a noisy held-out curve freezes training on the Gaussian saddle.
      const plateau = Math.max(1, Math.ceil(patience / 2));
      if (sinceBest > 0 && sinceBest % plateau === 0) adam.lr = Math.max(adam.lr * 0.5, options.learningRate / 8);
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
    history,
    stoppedBecause,
    divergenceEvents,
    trainSeconds,
  };
}

function shuffle(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

function elapsed(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
