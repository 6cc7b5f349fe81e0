import type { Flow } from '../flow/flow';
import type { SavedModel } from '../flow/serialize';
import type { Proposal } from '../identify/validate';
import type { Action, ConvergenceInfo, ReportModel, ReportTraining, ReportLayer, TheorySection } from '../report/schema';
import { restoreColumns } from './columns';
import type { DrawnRows } from './model-cumulants';
import type { PreparedRun } from './prepare';
import type { LearnExtras, LearnHooks, LearnSettings } from './settings';

/**
 * The estimator boundary of the pipeline: something fitted on a prepared split that gives the
 * action's terms, rows drawn from itself for the cumulant comparison and, optionally, layers with
 * diagrams, a training record, a proposal density and a theory of its own. `learn` fits the network
 * (flow-estimator.ts); `identify` fits the polynomial directly (direct-estimator.ts); the rest of the
 * report (cumulants, the fit assessment, the identification, the input section) is common
 * (run.ts).
 */
export interface EstimatorFit {
  /** The report's model section, tagged by estimator. */
  model: ReportModel;
  training?: ReportTraining;
  /** The action in raw units around the run's expansion point (report column order). */
  action: Action;
  actionStandardized?: Action;
  convergence: ConvergenceInfo;
  layers: ReportLayer[];
  /** Rows from the fitted model, canonical column order, to compare cumulants with the held-out rows (null: it cannot be sampled). */
  draw(): DrawnRows | null;
  warnings: string[];
  /** The network's action with standard errors, whose z-scores may screen identification. */
  screeningAction?: Action;
  /** A density to importance-sample ln Z of an identified theory from (canonical order). */
  proposal?: Proposal;
  /** The theory, when the estimator identified it itself. */
  theory?: TheorySection;
  flow?: Flow;
  saved?: SavedModel;
}

export interface Estimator {
  readonly name: ReportModel['estimator'];
  fit(run: PreparedRun, settings: LearnSettings, hooks: LearnHooks, extras: LearnExtras): Promise<EstimatorFit>;
}

type ActionHead = Pick<Action, 'convention' | 'units' | 'order' | 'expansionPoint' | 'expansionReason'>;

/** What every estimator's raw action starts with: ln p, raw units, around the run's expansion point (report column order). */
export function rawActionHead(run: PreparedRun): ActionHead {
  return { convention: 'ln p', units: 'raw', order: run.order, expansionPoint: Array.from(restoreColumns(run.x0, 1, run.canonical)), expansionReason: run.expansion.reason };
}

/** The same in standardized units, around the training rows' mean (0 there). */
export function standardizedActionHead(run: PreparedRun): ActionHead {
  return { convention: 'ln p', units: 'standardized', order: run.order, expansionPoint: new Array<number>(run.d).fill(0), expansionReason: "the training rows' mean (0 in standardized units)" };
}
