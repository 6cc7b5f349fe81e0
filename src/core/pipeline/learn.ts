import type { Table } from '../data/csv';
import { gridFor } from '../data/grid';
import type { Flow } from '../flow/flow';
import type { SavedModel } from '../flow/serialize';
import { PAPER_CITATION, SCHEMA_VERSION, type FlowModel, type Report, type ReportInput, type ReportTraining, type TheorySection } from '../report/schema';
import { DEFAULT_TRAIN_OPTIONS } from '../train/trainer';
import { TOOL_VERSION } from '../version';
import type { Estimator } from './estimator';
import { assessFit } from './fit-quality';
import { directEstimator } from './direct-estimator';
import { flowEstimator } from './flow-estimator';
import { imagesFor } from './images';
import { compareWithSamplesForFit } from './model-cumulants';
import { truthOnColumns } from '../data/truth';
import { parameterWarning, type DiscreteColumn } from './data-warnings';
import { bitsPerDimension } from './dequantize';
import { prepareRun, type PreparedRun } from './prepare';
import type { LearnExtras, LearnHooks, LearnSettings } from './settings';
import { runIdentification } from './theory';

export type { LearnExtras, LearnHooks, LearnSettings } from './settings';
import { coefficientCount } from './report-size';

export { MAX_REPORT_COEFFICIENTS, MAX_STORED_COEFFICIENTS_ON_DEMAND } from './report-size';
export { DEFAULT_DATA_SEED } from './settings';

export const DEFAULT_LEARN_SETTINGS: Omit<LearnSettings, 'seed'> = {
  layerKind: 'cubic',
  layers: 2,
  order: 4,
  maxSteps: DEFAULT_TRAIN_OPTIONS.maxSteps,
  batch: DEFAULT_TRAIN_OPTIONS.batch,
  learningRate: DEFAULT_TRAIN_OPTIONS.learningRate,
  patience: DEFAULT_TRAIN_OPTIONS.patience,
  valFraction: 0.2,
  modelSamples: 20000,
  diagramLimit: 1001,
  restarts: 3,
  restartSteps: 1500,
  ensemble: 3,
  stdErrBudgetSeconds: 10,
  engine: 'auto',
  expansion: 'auto',
};

export interface RunResult {
  report: Report;
  /** Canonical column c of the model is column canonical[c] of the report. */
  canonical: Int32Array;
  /** The split the model was fitted and checked on (canonical column order), and the expansion point. */
  split: { train: Float64Array; nTrain: number; val: Float64Array; nVal: number; x0: Float64Array; std: number[] };
  flow?: Flow;
  model?: SavedModel;
}

/** What `learn` returns: a report of the flow estimator, with the network and its saved weights. */
export interface LearnResult extends RunResult {
  report: Report & { model: FlowModel; training: ReportTraining };
  flow: Flow;
  model: SavedModel;
}

/**
 * CSV table -> fitted estimator -> the report: the estimator's action (and layers), cumulants of its
 * samples against the held-out rows, the identified theory, the fit assessment (docs/METHOD.md
 * sections 2-6 and 9).
 */
export async function runEstimator(table: Table, estimator: Estimator, settings: LearnSettings, hooks: LearnHooks = {}, extras: LearnExtras = {}): Promise<RunResult> {
  const run = prepareRun(table, settings);
  // Columns that are pixels (README.md, "Images"): found before training, so a bad --grid stops at once;
  // the columns left out (constant) are drawn with their value.
  const grid = gridFor(settings.grid ?? 'auto', run.table.columns, run.table.sourceColumns, [...(extras.omittedColumns ?? []), ...run.omitted]);
  const truth = extras.truth && run.kept.length < table.d ? truthOnColumns(extras.truth, run.kept) : { truth: extras.truth };
  const fit = await estimator.fit(run, settings, hooks, { ...extras, truth: truth.truth });
  const warnings = [...run.dataWarnings, ...(truth.note ? [truth.note] : []), ...fit.warnings];
  if (fit.model.estimator === 'flow') {
    const many = parameterWarning(fit.model.parameters, run.nTrain, run.d);
    if (many) warnings.push(many);
  }

  hooks.onPhase?.('cumulants');
  const drawn = fit.draw();
  const { cumulants: cumulantReport, assessed } = compareWithSamplesForFit(run.val, run.nVal, run.canonical, drawn);
  const images = grid ? imagesFor(run.val, run.nVal, run.canonical, drawn, fit.action, fit.model.standardization.std) : undefined;

  // The identified theory: where the estimator did not identify one itself, the direct fit decides,
  // screened by the network's z-scores where every candidate would cost too much (docs/METHOD.md section 9).
  let theory: TheorySection | undefined = fit.theory;
  const identifying = !theory && (settings.identify ?? 'auto') === 'auto' && run.order >= 1 && !hooks.signal?.aborted;
  if (identifying && run.storedOrders < run.order) {
    // The candidates are every monomial up to K: at this width even the forward screen over them would take hours.
    warnings.push(
      `The theory was not identified: on ${run.d} columns at order ${run.order} there are ${(coefficientCount(run.d, run.order) - 1).toLocaleString('en-US')} candidate monomials, ` +
        `beyond what the direct fit or its forward screen can search (identification runs where every order of the action is stored; use --order 2 or fewer columns).`,
    );
  } else if (identifying) {
    hooks.onPhase?.('identifying the theory');
    try {
      ({ theory } = runIdentification({
        d: run.d,
        order: run.order,
        train: run.train,
        nTrain: run.nTrain,
        val: run.val,
        nVal: run.nVal,
        x0: run.x0,
        scale: run.std,
        canonical: run.canonical,
        seed: settings.seed,
        ...(fit.screeningAction ? { innAction: fit.screeningAction } : {}),
        ...(fit.proposal ? { proposal: fit.proposal } : {}),
        truth: truth.truth,
      }));
    } catch (e) {
      warnings.push(`The theory was not identified: ${e instanceof Error ? e.message : String(e)}.`);
    }
  }

  const assessment = assessFit(fit.training, assessed, table.columns);
  if (assessment.verdict !== 'good') {
    warnings.push(...assessment.findings);
    if (assessment.advice.length > 0) warnings.push(`To improve the fit, try ${assessment.advice.join('; ')}.`);
  }

  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'action-lens', version: TOOL_VERSION },
    createdAt: new Date().toISOString(),
    about:
      estimator.name === 'flow'
        ? `Action Lens learns ln p(x) with an invertible network and extracts its polynomial coefficients exactly from the weights, after ${PAPER_CITATION}`
        : `Action Lens fits the polynomial action ln p(x) directly by score matching and identifies its terms with a stated error control, beside the method of ${PAPER_CITATION}`,
    input: reportInput(run),
    model: fit.model,
    ...(fit.training ? { training: withBitsPerDim(fit.training, run) } : {}),
    action: fit.action,
    ...(fit.actionStandardized ? { actionStandardized: fit.actionStandardized } : {}),
    convergence: fit.convergence,
    layers: fit.layers,
    cumulants: cumulantReport,
    fit: assessment,
    ...(theory ? { theory } : {}),
    ...(grid ? { grid } : {}),
    ...(images ? { images } : {}),
    warnings,
  };
  return {
    report,
    canonical: run.canonical,
    split: { train: run.train, nTrain: run.nTrain, val: run.val, nVal: run.nVal, x0: run.x0, std: run.std },
    ...(fit.flow ? { flow: fit.flow } : {}),
    ...(fit.saved ? { model: fit.saved } : {}),
  };
}

/** The report's input section: the file, and the columns used, left out, discrete and dequantized. */
function reportInput(run: PreparedRun): ReportInput {
  const { table } = run;
  const columnNote = (c: DiscreteColumn) => ({ name: c.name, sourceColumn: c.sourceColumn });
  return {
    path: table.path,
    sha256: table.sha256,
    rows: table.rows,
    columns: table.columns,
    skippedRows: table.skippedRows,
    sourceColumns: table.sourceColumns,
    delimiter: table.delimiter,
    header: table.header,
    ...(run.omitted.length > 0 ? { omittedColumns: run.omitted } : {}),
    ...(run.discrete.length > 0 ? { discreteColumns: run.discrete.map((c) => ({ ...columnNote(c), levels: c.levels, width: c.width })) } : {}),
    ...(run.dequantized.length > 0 ? { dequantized: run.dequantized.map((c) => ({ ...columnNote(c), width: c.width })) } : {}),
  };
}

/** With every column dequantized, the held-out NLL in bits per dimension of the levels (dequantize.ts). */
function withBitsPerDim(training: ReportTraining, run: PreparedRun): ReportTraining {
  if (run.dequantized.length === 0 || run.dequantized.length < run.d) return training;
  return { ...training, valBitsPerDim: bitsPerDimension(training.valNll, run.dequantized.map((c) => c.width)) };
}

/** `learn`: the invertible network (docs/METHOD.md sections 2-6), and the theory identified beside it. */
export async function learn(table: Table, settings: LearnSettings, hooks: LearnHooks = {}, extras: LearnExtras = {}): Promise<LearnResult> {
  const res = await runEstimator(table, flowEstimator, settings, hooks, extras);
  const { report, flow, model } = res;
  if (!flow || !model || report.model.estimator !== 'flow' || !report.training) throw new Error('unreachable: the flow estimator returned no network');
  return { ...res, report: { ...report, model: report.model, training: report.training }, flow, model };
}

/** `identify`: the polynomial action fitted directly and its terms selected, no network (docs/METHOD.md section 9). */
export async function identify(table: Table, settings: LearnSettings, hooks: LearnHooks = {}, extras: LearnExtras = {}): Promise<RunResult> {
  return runEstimator(table, directEstimator, settings, hooks, extras);
}
