/**
 * The report: one JSON document per run, the contract between core, CLI, panel and tests
 * (README.md, "The report"). Every face renders this and nothing else.
 */

// The shared base types and the identified theory's types live in schema-base.ts and
// schema-theory.ts; re-exported here, where the report's readers import them from.
import type { Action, ActionTerm, OrderComparison, ReportCumulants } from './schema-base';
import type { TheorySection } from './schema-theory';
import type { ReportGrid, ReportImages } from './schema-images';
export type {
  Action,
  ActionTerm,
  CumulantComparison,
  CumulantComparisonEntry,
  CumulantEntry,
  CumulantSet,
  CumulantSummary,
  OnDemandOrders,
  OrderComparison,
  ReportCumulants,
} from './schema-base';
export type { TheorySection, TheoryTerm, TruthComparison } from './schema-theory';
export type { CouplingMode, GridOmittedCell, ReportGrid, ReportImages } from './schema-images';

/**
 * 2: the model section is tagged by its estimator (`model.estimator`: 'flow' or 'score-matching'),
 * and `training` is present only for estimators that train. Version 1 reports (all from the flow)
 * are read as version 2 with `model.estimator = 'flow'` (report/validate.ts).
 */
export const SCHEMA_VERSION = 2;

export interface SkippedRow {
  line: number;
  reason: string;
}

export interface ReportInput {
  path: string;
  sha256: string;
  rows: number;
  columns: string[];
  skippedRows: SkippedRow[];
  /** Which columns of the file were used (0-based indices into the file's columns). */
  sourceColumns?: number[];
  delimiter?: string;
  header?: boolean;
  /**
   * Selected columns left out before learning (constant ones: README.md, "Bad input"); `columns`
   * lists the columns used, so every index in the report is into those.
   */
  omittedColumns?: OmittedColumn[];
  /** Columns of few distinct values with many ties (at most 256 levels), learned as they are unless dequantized. */
  discreteColumns?: Array<{ name: string; sourceColumn: number; levels: number; width: number }>;
  /**
   * Columns dequantized (--dequantize): seeded uniform noise of one level's width (`width`, the smallest
   * gap between the column's distinct values) added to the training and held-out rows.
   */
  dequantized?: Array<{ name: string; sourceColumn: number; width: number }>;
}

/** A selected column left out of the run, with its value and why (e.g. constant). */
export interface OmittedColumn {
  name: string;
  /** 0-based position in the file. */
  sourceColumn: number;
  /** Its value (the mean, for a column constant only to float64's precision). */
  value: number;
  reason: string;
}

/**
 * The name of a nonlinear layer kind ('cubic', 'coupling', ...). A plain string here: the kinds are
 * registered in src/core/flow/kinds.ts, which this schema (imported by the webview) must not pull in;
 * core checks the name against that registry where a report is made (buildFlow) and where one is
 * loaded (validateReport with the registry's names).
 */
export type LayerKindName = string;

/** What every estimator's model section has. */
interface ModelBase {
  order: number;
  /** Seeds the optimisation (starts, weights, batches) or, for score matching, its half-samples and draws. */
  seed: number;
  /**
   * Seeds the split into training and held-out rows and the dequantization noise. Absent in reports
   * written before the two seeds were told apart: there `seed` drew the split too.
   */
  dataSeed?: number;
  /** The training rows' mean and standard deviation per column (report order). */
  standardization: { mean: number[]; std: number[] };
}

/** The invertible network (docs/METHOD.md sections 2-4): `learn`. */
export interface FlowModel extends ModelBase {
  estimator: 'flow';
  layerKind: LayerKindName;
  layers: number;
  hidden: number;
  parameters: number;
  /** Path of the saved weights, relative to the report. */
  weightsFile?: string;
  engine: string;
  /**
   * What ran the training step's arithmetic (kernelsInUse: 'native-avx512', 'wasm-fma', 'js', ...): a
   * speed detail, recorded because the fused and unfused variants round differently.
   */
  kernels?: string;
}

/** The direct fit of the polynomial action by score matching, without a network (docs/METHOD.md section 9): `identify`. */
export interface DirectModel extends ModelBase {
  estimator: 'score-matching';
  /** Candidate monomials of the fit, and the family-wise error rate of the selection. */
  candidates: number;
  alpha: number;
}

/** The model section, tagged by the estimator that produced the report (schemaVersion 2; version 1 reports are all 'flow'). */
export type ReportModel = FlowModel | DirectModel;

export interface TrainingPoint {
  epoch: number;
  step: number;
  trainNll: number;
  valNll: number;
}

export interface ReportTraining {
  epochs: number;
  steps: number;
  batch: number;
  learningRate: number;
  trainRows: number;
  valRows: number;
  /** Mean -ln p (nats per row) on the training rows, of the kept (best) model. */
  trainNll: number;
  /** Mean -ln p on the held-out rows, of the kept model. */
  valNll: number;
  /** The held-out NLL of a Gaussian fit (the starting point), for scale. */
  gaussianValNll: number;
  /**
   * With every column dequantized: the held-out NLL in bits per dimension of the original levels,
   * (valNll - sum_i ln width_i) / (d ln 2) (docs/METHOD.md section 3.1.1).
   */
  valBitsPerDim?: number;
  bestEpoch: number;
  /** The optimizer step of the kept model (absent in older reports). */
  bestStep?: number;
  /** The step budget (absent in older reports, which were budgeted in epochs). */
  maxSteps?: number;
  /** Early stopping: steps without held-out improvement before stopping; null for a fixed --steps run. */
  patience?: number | null;
  /** Steps between evaluations of the held-out NLL (the points of `history`). */
  evaluationInterval?: number;
  /** The training curve, one point per evaluation (thinned to at most about 1,000 points). */
  history: TrainingPoint[];
  /**
   * early-stopping: the normal end; step-limit / time-limit / max-epochs: a budget ran out first;
   * steps: a fixed --steps run; cancelled; diverged.
   */
  stoppedBecause: 'early-stopping' | 'step-limit' | 'time-limit' | 'max-epochs' | 'steps' | 'cancelled' | 'diverged';
  divergenceEvents: number;
  /** Seconds in the optimizer's steps (evaluations of the held-out NLL and the polish not included). */
  trainSeconds: number;
  /** Seconds spent evaluating the held-out NLL during training (absent in older reports). */
  evaluationSeconds?: number;
  /**
   * The full-batch L-BFGS polish that followed the stochastic training (train/polish.ts, docs/METHOD.md
   * section 3.6.1). Absent when it did not run: a fixed --steps run, --no-polish, older reports.
   */
  polish?: ReportPolish;
  /** Starts trained briefly, the best on held-out rows kept and trained fully (see learn.ts). */
  restarts?: { candidates: Array<{ structureSeed: number; valNll: number }>; chosen: number; stepsEach: number };
  /** The best starts, each trained to convergence: the optimiser's error beside the statistical one (pipeline/ensemble.ts). */
  ensemble?: EnsembleSummary;
}

export interface ReportPolish {
  iterations: number;
  /** Full passes over the training rows (loss and gradient), line searches included. */
  evaluations: number;
  /** The budget of evaluations it had. */
  budget: number;
  /** gradient / stalled: converged; iterations / evaluations: the budget ran out; line-search / not-finite: could go no further; overfitting: the held-out NLL rose beyond the tolerance on the way; not-converging: the Newton decrement fell too slowly to converge within 1.5 times the budget; cancelled; skipped (no budget). */
  stoppedBecause: 'gradient' | 'stalled' | 'iterations' | 'evaluations' | 'line-search' | 'not-finite' | 'cancelled' | 'overfitting' | 'not-converging' | 'skipped';
  /** Mean NLL on the training rows and on the held-out rows, before and after. */
  trainNll: [number, number];
  valNll: [number, number];
  /** The standard error of the held-out NLL's rise valNll[1] - valNll[0], paired over the held-out rows. */
  valRiseStdErr: number;
  /**
   * Whether the polished weights are the reported ones: only when the polish converged (gradient,
   * stalled) and the held-out NLL rose by at most `tolerance` standard errors; else the early-stopped
   * weights were kept.
   */
  kept: boolean;
  /** Standard errors the held-out NLL may rise before the polish is undone. */
  tolerance: number;
  seconds?: number;
}

export interface EnsembleMemberSummary {
  structureSeed: number;
  valNll: number;
  steps: number;
  stoppedBecause: ReportTraining['stoppedBecause'];
  /** Within `tolerance` of the best held-out NLL: its coefficients enter the spread. */
  kept: boolean;
}

export interface EnsembleSummary {
  /** The reported network first (the best-ranked start unless another ends more than `tolerance` lower), then by held-out NLL. */
  members: EnsembleMemberSummary[];
  /** Nats per row above the best held-out NLL within which a member is kept. */
  tolerance: number;
  /** A coefficient is named as disagreeing when its spread exceeds this many standard errors. */
  threshold: number;
  /** The coefficients (raw units) on which kept members disagree beyond `threshold` standard errors, largest ratio first. */
  disagreeing: Array<{ monomial: number[]; spread: number; stdErr: number }>;
}

/** A class of diagrams (docs/METHOD.md section 5): a vertex of order k whose legs terminate, pass or split. */
export interface DiagramClass {
  /** Order of the S_out vertex. */
  vertexOrder: number;
  /**
   * legs[j] = number of legs that go through the degree-j part of the layer map:
   * j = 0 terminates (constant), 1 passes, 2 splits in two, 3 splits in three, ...
   */
  legs: number[];
  /** Order of the S_in terms this class feeds: sum_j j * legs[j]. */
  resultOrder: number;
  /** Euclidean norm of the contribution's coefficients (monomial form). */
  norm: number;
  /** The coefficient entries this class feeds (largest first; possibly cut, see entriesCut). */
  entries: ActionTerm[];
  entriesCut: boolean;
}

export interface ReportLayer {
  index: number;
  kind: 'standardize' | 'affine' | LayerKindName;
  /** Coordinates this layer reads ('x' for the data, 'u<l>' inside the flow, 'z' for the latent). */
  inputName: string;
  outputName: string;
  diagrams: DiagramClass[];
  /** The layer's own vertices from ln|det| (loops for cubic layers, a constant for affine layers). */
  logDet: { norm: number; entries: ActionTerm[]; entriesCut: boolean };
  /** Terms of S_in from vertices of S_out above order K that terminate down (zero without constants). */
  remainder: { norm: number; entries: ActionTerm[]; entriesCut: boolean };
  /** Norm of the exact S_in up to order K (for scale); classes + logDet + remainder add up to it. */
  actionInNorm: number;
}

export interface ConvergenceInfo {
  /** Radius (Euclidean, raw data units, around the action's expansion point) within which the order-K series converges; null = entire. */
  radius: number | null;
  /**
   * The same radius measured in standardized units ((x - mean) / std per column), the scale-free
   * number to compare with the data's spread; absent in older reports.
   */
  radiusStandardized?: number | null;
  /** Median over the rows of |x - x0| in standardized units, for comparison with radiusStandardized. */
  typicalDistanceStandardized?: number;
  method: string;
  /** Which unit limits it. */
  limitingLayer?: number;
  limitingUnit?: number;
}

/** Whether the model reproduces the data, in words (pipeline/fit-quality.ts). */
export interface FitAssessment {
  /** good: early-stopped and every cumulant within sampling error; poor: something is not; unconverged: a budget ran out first. */
  verdict: 'good' | 'poor' | 'unconverged';
  findings: string[];
  /** What to try, when the verdict is not good. */
  advice: string[];
  /** Family-wise error rate of the per-order cumulant cut. */
  alpha: number;
}

export interface Report {
  schemaVersion: number;
  tool: { name: 'action-lens'; version: string };
  createdAt: string;
  about: string;
  input: ReportInput;
  model: ReportModel;
  /** The network's training (absent for estimators that do not train). */
  training?: ReportTraining;
  action: Action;
  /** The same action in standardized units (around the mean), for comparisons across scales. */
  actionStandardized?: Action;
  convergence: ConvergenceInfo;
  layers: ReportLayer[];
  cumulants: ReportCumulants;
  /** Does the model reproduce the data (absent in older reports)? */
  fit?: FitAssessment;
  /** The identified theory, when identification ran. */
  theory?: TheorySection;
  /** Where the columns sit on an image grid, when they are pixels (schema-images.ts). */
  grid?: ReportGrid;
  /** Rows of data and of the model, and coupling modes, to draw on the grid (present with `grid`). */
  images?: ReportImages;
  warnings: string[];
  /** Experiments add their own section (true action, per-order errors...). */
  experiment?: ExperimentSection;
}

/** A report of the flow estimator (`learn`, the experiments): its model section and its training. */
export type FlowReport = Report & { model: FlowModel; training: ReportTraining };

/** Whether a report comes from the flow estimator (version 1 reports all do). */
export function isFlowReport(report: Report): report is FlowReport {
  return report.model.estimator === 'flow' && report.training !== undefined;
}

export interface ExperimentRun {
  layerKind: LayerKindName;
  layers: number;
  rows: number;
  valNll: number;
  /** Held-out NLL of the true theory (importance-sampled normalisation), when known. */
  trueValNll: number | null;
  relativeErrorByOrder: Array<number | null>;
  seconds: number;
}

export interface ExperimentSection {
  id: string;
  title: string;
  quick: boolean;
  seed: number;
  /** What generated the data (theory and its parameters, or the teacher flow). */
  source: Record<string, unknown>;
  truth: Action | null;
  perOrder: OrderComparison[];
  /** Every training run of the experiment (one for phi4, a sweep for teacher and depth-data). */
  runs: ExperimentRun[];
  /** Plain statements computed from the numbers above: where the method holds and where it does not. */
  findings: string[];
  seconds: number;
  /** Experiment-specific extras (e.g. the learned mode of a double well). */
  extra?: Record<string, unknown>;
}

export const PAPER_CITATION =
  'C. Merger, A. René, K. Fischer, P. Bouss, S. Nestler, D. Dahmen, C. Honerkamp, M. Helias, ' +
  '"Learning Interacting Theories from Data", Phys. Rev. X 13, 041033 (2023), arXiv:2304.00599.';
