import type { TrainingEngine } from '../train/engine';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from '../train/trainer';
import type { LearnHooks, LearnSettings } from './settings';

/**
 * The trainer's options for one training of a learn run (a start or the final training): the run's
 * settings and hooks, with the steps, seed and engine of this training.
 */
export function trainOptionsFor(
  settings: LearnSettings,
  hooks: LearnHooks,
  run: { steps: number | undefined; seed: number; engine: TrainingEngine; maxSteps?: number; patience?: number },
): TrainOptions {
  return {
    engine: run.engine,
    maxSteps: run.maxSteps ?? settings.maxSteps,
    epochs: settings.epochs,
    maxSeconds: settings.maxSeconds,
    steps: run.steps,
    batch: settings.batch,
    learningRate: settings.learningRate,
    patience: run.patience ?? settings.patience,
    seed: run.seed,
    maxGradNorm: DEFAULT_TRAIN_OPTIONS.maxGradNorm,
    signal: hooks.signal,
    onProgress: hooks.onProgress,
  };
}
