import type { GridRequest, OmittedColumn } from '../data/grid';
import type { TruthBeside } from '../data/truth';
import type { ExpansionRequest } from '../action/expansion';
import type { LayerKindName } from '../report/schema';
import type { EngineChoice } from '../train/engines';
import type { TrainingProgress, TrainOptions } from '../train/trainer';

// The types of a learn run's settings and hooks, apart from learn.ts (which re-exports them), so that
// the pipeline's pieces (restarts, train-options, model-cumulants) read them without importing learn.ts,
// which imports them: no import cycle.

/** The trainer's own settings (TrainOptions) plus what the rest of the pipeline needs. */
export interface LearnSettings extends Pick<TrainOptions, 'maxSteps' | 'epochs' | 'maxSeconds' | 'batch' | 'learningRate' | 'patience' | 'steps' | 'seed'> {
  layerKind: LayerKindName;
  layers: number;
  /** Hidden width of coupling layers; default d. */
  hidden?: number;
  order: number;
  valFraction: number;
  /** Exact model samples drawn for the cumulant comparison. */
  modelSamples: number;
  /** Diagrams are computed when the basis has at most this many monomials. */
  diagramLimit: number;
  /** Starts trained briefly before the best is trained fully (1 with --steps). */
  restarts: number;
  /** Optimizer steps each start gets before they are compared. */
  restartSteps: number;
  /**
   * How many of the best starts are trained to convergence (pipeline/ensemble.ts): the best is
   * reported, the others give each coefficient's spread. 1 (or a fixed --steps) trains one. Default 1
   * for callers that do not set it.
   */
  ensemble?: number;
  /** Time allowed for coefficient standard errors (delta method); 0 turns them off. */
  stdErrBudgetSeconds: number;
  /** Training engine for the starts and the final training (src/core/train/engines.ts): float64, parallel, tfjs or auto. */
  engine?: EngineChoice;
  /** Where the raw-unit action is expanded (action/expansion.ts); default 'auto'. A given point is in the selection's column order. */
  expansion?: ExpansionRequest;
  /** Seconds per on-demand order (and unit system) spent at learn time searching its strongest terms (flow-estimator.ts); default 4. */
  onDemandSeconds?: number;
  /** Identify the theory after learning (pipeline/theory.ts): 'auto' where it can, 'off' never. Default 'auto'. */
  identify?: 'auto' | 'off';
  /** Whether the columns are the pixels of an image (data/grid.ts): from their names ('auto', the default), 'off', or a size. */
  grid?: GridRequest;
  /**
   * Add seeded uniform noise of one level's width to the discrete columns' training and held-out rows
   * (pipeline/dequantize.ts), and report the held-out NLL in bits per dimension of the levels. Default false.
   */
  dequantize?: boolean;
  /**
   * Seeds the data's preparation: the split into training and held-out rows and the dequantization
   * noise (default DEFAULT_DATA_SEED). Apart from `seed`, which seeds the optimisation (starts,
   * weights, batches), so that runs at different seeds fit the same rows and their answers differ
   * only by what the optimiser did.
   */
  dataSeed?: number;
  /**
   * After stochastic training, minimise the full training NLL with L-BFGS (train/polish.ts), so that
   * starts in one basin end at the same weights. Default true; never with a fixed `steps`.
   */
  polish?: boolean;
}

/** The data seed when none is given: the CLI's and the panel's default seed, so that a default run splits its rows as before the two were told apart. */
export const DEFAULT_DATA_SEED = 1;

export interface LearnHooks {
  signal?: AbortSignal;
  onProgress?: (p: TrainingProgress) => void;
  onPhase?: (phase: string) => void;
}

/** What a run may be compared with: a true action beside the data (data/truth.ts), or an experiment's. */
export interface LearnExtras {
  truth?: TruthBeside;
  /** Constant columns left out before the run (drawn on an image grid with their value). */
  omittedColumns?: OmittedColumn[];
}
