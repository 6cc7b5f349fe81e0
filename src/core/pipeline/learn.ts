import { convergenceRadius } from '../action/convergence';
import { actionJet, latentActionJet } from '../action/extract';
import { chooseExpansionPoint } from '../action/expansion';
import { coefficientStdErrors, stdErrSecondsEstimate } from '../action/uncertainty';
import { diagramClassesForReport, layerDiagrams } from '../action/diagrams';
import { jetToTerms, largestTerms } from '../action/terms';
import type { Table } from '../data/csv';
import type { Flow } from '../flow/flow';
import { saveModel, type SavedModel } from '../flow/serialize';
import { kernelsInUse } from '../linalg/wasm/kernel';
import { binomial, MonomialBasis } from '../poly/basis';
import { norm } from '../poly/jet';
import { PAPER_CITATION, SCHEMA_VERSION, type Action, type Report, type ReportLayer, type TheorySection } from '../report/schema';
import { gaussianNll } from '../train/gaussian';
import { DEFAULT_TRAIN_OPTIONS, train } from '../train/trainer';
import { EngineSession } from '../train/engines';
import { InputError } from '../util/errors';
import { TOOL_VERSION } from '../version';
import { canonicalOrder, reorderColumns, restoreColumns, restoreTerms } from './columns';
import { assessFit } from './fit-quality';
import { runIdentification } from './theory';
import { flowProposal } from '../identify/validate';
import type { TruthBeside } from '../data/truth';
import { SETTING_LIMITS } from './limits';
import { compareWithModel, medianDistance } from './model-cumulants';
import { chooseStart } from './restarts';
import { trainOptionsFor } from './train-options';
import { columnMoments, splitRows } from './split';
import type { LearnHooks, LearnSettings } from './settings';

export type { LearnHooks, LearnSettings } from './settings';

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
  stdErrBudgetSeconds: 10,
  engine: 'auto',
  expansion: 'auto',
};

/** What a run may be compared with: a true action beside the data (data/truth.ts), or an experiment's. */
export interface LearnExtras {
  truth?: TruthBeside;
}

export interface LearnResult {
  report: Report;
  model: SavedModel;
  flow: Flow;
  /** Canonical column c of the model is column canonical[c] of the report. */
  canonical: Int32Array;
  /** The split the model was trained and checked on (canonical column order), and the expansion point. */
  split: { train: Float64Array; nTrain: number; val: Float64Array; nVal: number; x0: Float64Array; std: number[] };
}

const ENTRY_LIMIT = 200;
const STD_ERR_ROWS = 4000;
const STD_ERR_METHOD =
  'delta method: inverse Fisher information of the training rows (pseudo-inverse), propagated through the exact extraction; ' +
  'local to the optimum found, it does not include optimisation variability (other optima) or model-class error';

/**
 * The most coefficients a report can hold: it lists every coefficient twice (raw and standardized
 * units), about 250 bytes of JSON per coefficient in all, and V8 cannot build (or read back) a string
 * beyond 2^29 characters. Measured: d = 64, K = 4 (814,385 coefficients) writes a 207 MB report;
 * d = 100, K = 4 (4.6 M) failed after training and extraction.
 */
export const MAX_REPORT_COEFFICIENTS = 1_500_000;

/** Refuses, before any training, an order and column count whose report could not be written. */
function checkReportSize(d: number, K: number, file: string | undefined): void {
  let count = 0;
  for (let k = 0; k <= K; k++) count += binomial(d + k - 1, k);
  if (count <= MAX_REPORT_COEFFICIENTS) return;
  throw new InputError(
    `order ${K} on ${d} columns has ${count.toLocaleString('en-US')} coefficients; a report holds at most ${MAX_REPORT_COEFFICIENTS.toLocaleString('en-US')} ` +
      `(its JSON would exceed what JavaScript can write or read back). Use a lower --order or fewer columns (--columns).`,
    { file },
  );
}

/** CSV table → trained flow → exact action, diagrams, cumulants: the report (docs/METHOD.md sections 2-6). */
export async function learn(table: Table, settings: LearnSettings, hooks: LearnHooks = {}, extras: LearnExtras = {}): Promise<LearnResult> {
  const d = table.d;
  const K = settings.order;
  const orderLimit = SETTING_LIMITS.order;
  if (!Number.isInteger(K) || K < orderLimit.min || K > orderLimit.max) throw new InputError(`--order must be an integer from ${orderLimit.min} to ${orderLimit.max}, got ${K}`);
  checkReportSize(d, K, table.path);
  const canonical = canonicalOrder(table.columns);
  const data = reorderColumns(table.data, table.rows, canonical);
  const { train: trainRows, nTrain, val, nVal } = splitRows(data, table.rows, d, settings.valFraction, settings.seed);
  const { mean, std } = columnMoments(trainRows, nTrain, d);
  const zeroStd = std.findIndex((s) => !(s > 0));
  if (zeroStd >= 0) throw new InputError(`column "${table.columns[canonical[zeroStd]]}" is constant on the training rows; drop it with --columns`, { file: table.path });
  const hidden = settings.hidden ?? d;
  const gaussianValNll = gaussianNll(trainRows, nTrain, val, nVal, d);
  // One engine for the starts and the final training (the two-thread one keeps its helper thread).
  const engines = new EngineSession(settings.engine ?? 'auto');
  let restarts: Awaited<ReturnType<typeof chooseStart>>;
  let result: Awaited<ReturnType<typeof train>>;
  let engineName: string;
  try {
    restarts = await chooseStart(settings, hidden, mean, std, { trainRows, nTrain, val, nVal }, engines, hooks);
    hooks.onPhase?.('training');
    const engine = await engines.for(restarts.flow);
    engineName = engine.name;
    result = await train(restarts.flow, trainRows, nTrain, val, nVal, trainOptionsFor(settings, hooks, { steps: settings.steps, seed: settings.seed, engine }));
  } finally {
    engines.dispose();
  }
  const flow = restarts.flow;

  hooks.onPhase?.('extracting the action');
  const basis = new MonomialBasis(d, K);
  // A given point comes in the selection's column order; the model works in canonical order.
  const request = settings.expansion ?? 'auto';
  const given = typeof request === 'string' ? request : Array.from(canonical, (c) => request[c]);
  const expansion = chooseExpansionPoint(mean, std, given, Array.from(canonical, (c) => table.columns[c]));
  const x0 = expansion.point;
  // exact[0]: S in raw units around x0; exact[l >= 1]: S_l around 0 of the layer's input coordinates.
  const exact: Float64Array[] = flow.layers.map((_, l) => (l === 0 ? actionJet(flow, basis, 0, x0) : actionJet(flow, basis, l)));
  // Standard errors cost two extractions per parameter and P^2..P^3 work on the Fisher matrix:
  // skipped, and said so, when the model of that cost is over budget.
  const stdErrCost = stdErrSecondsEstimate(flow, basis, Math.min(nTrain, STD_ERR_ROWS));
  let stdErr: Float64Array | undefined;
  // A cancel that arrives after training skips the standard errors, the one slow step left.
  const cancelledAfterTraining = hooks.signal?.aborted === true && result.stoppedBecause !== 'cancelled';
  if (settings.stdErrBudgetSeconds > 0 && stdErrCost <= settings.stdErrBudgetSeconds && !cancelledAfterTraining) {
    hooks.onPhase?.('standard errors');
    stdErr = coefficientStdErrors(flow, basis, trainRows, nTrain, { maxRows: STD_ERR_ROWS, seed: settings.seed, at: x0 });
  }
  const raw = restoreTerms(jetToTerms(basis, exact[0], 0, stdErr), canonical);
  // Around the mean, the standardized coefficients are the raw ones times the std of each variable,
  // and so are their standard errors; around another point the two are different expansions.
  const standardized = restoreTerms(jetToTerms(basis, exact[1], 0, stdErr && expansion.rule === 'mean' ? scaledByStd(basis, stdErr, std) : undefined), canonical);
  const convergence = convergenceRadius(flow, x0);
  const warnings: string[] = [];

  let layers: ReportLayer[] = [];
  if (basis.size <= settings.diagramLimit) {
    hooks.onPhase?.('diagrams');
    layers = flow.layers.map((layer, l) => {
      const out = l + 1 < flow.layers.length ? exact[l + 1] : latentActionJet(flow, basis);
      const dg = layerDiagrams(flow, basis, l, out, exact[l], l === 0 ? x0 : undefined);
      // Layers 0 and 1 read columns (raw, then standardized): name their entries by column.
      const remap = l <= 1 ? canonical : null;
      const mapEntries = <T extends { entries: { monomial: number[]; coefficient: number }[] }>(x: T): T =>
        remap ? { ...x, entries: x.entries.map((e) => ({ ...e, monomial: e.monomial.map((c) => remap[c]).sort((a, b) => a - b) })) } : x;
      return {
        index: l,
        kind: layer.kind,
        inputName: coordinateName(l),
        outputName: l + 1 < flow.layers.length ? coordinateName(l + 1) : 'z',
        diagrams: diagramClassesForReport(basis, dg, ENTRY_LIMIT).map(mapEntries),
        logDet: mapEntries({ norm: norm(dg.logDet), ...largestTerms(basis, dg.logDet, ENTRY_LIMIT) }),
        remainder: mapEntries({ norm: norm(dg.remainder), ...largestTerms(basis, dg.remainder, ENTRY_LIMIT) }),
        actionInNorm: norm(exact[l]),
      };
    });
  } else {
    warnings.push(`Diagrams were not computed: ${basis.size} monomials up to order ${K} in ${d} variables exceed the limit of ${settings.diagramLimit}.`);
  }

  hooks.onPhase?.('cumulants');
  const cumulantReport = compareWithModel(flow, val, nVal, canonical, settings);

  // The identified theory: the INN's z-scores screen, the direct fit decides (docs/METHOD.md section 9).
  let theory: TheorySection | undefined;
  if ((settings.identify ?? 'auto') === 'auto' && K >= 1 && !hooks.signal?.aborted) {
    hooks.onPhase?.('identifying the theory');
    const innAction: Action = { convention: 'ln p', units: 'raw', order: K, expansionPoint: Array.from(restoreColumns(x0, 1, canonical)), terms: raw };
    try {
      theory = runIdentification({
        d, order: K, train: trainRows, nTrain, val, nVal, x0, scale: std, canonical, seed: settings.seed,
        ...(stdErr ? { innAction } : {}),
        proposal: flowProposal(flow),
        truth: extras.truth,
      });
    } catch (e) {
      warnings.push(`The theory was not identified: ${e instanceof Error ? e.message : String(e)}.`);
    }
  }

  convergence.typicalDistanceStandardized = medianDistance(data, table.rows, d, x0, std);
  const radiusStd = convergence.radiusStandardized;
  if (radiusStd !== null && radiusStd !== undefined && radiusStd < convergence.typicalDistanceStandardized) {
    warnings.push(
      `The order-${K} series of ln p converges only within ${radiusStd.toPrecision(3)} standard deviations of the expansion point, ` +
        `but the median row lies ${convergence.typicalDistanceStandardized.toPrecision(3)} standard deviations from it: ` +
        'the truncated action describes the model near the expansion point, not across the data.',
    );
  }
  if (result.stoppedBecause === 'diverged') warnings.push(`Training diverged after ${result.divergenceEvents} undone steps; the best model before that is kept.`);
  if (result.stoppedBecause === 'cancelled') {
    warnings.push(
      result.epochs === 0
        ? 'Training was cancelled while comparing starts; the best start so far is kept, only briefly trained.'
        : `Training was cancelled at epoch ${result.epochs}; the best model so far (epoch ${result.bestEpoch}) is kept.`,
    );
  }
  if (cancelledAfterTraining) warnings.push('Standard errors were skipped: the run was cancelled after training had finished.');
  const fit = assessFit({ ...result, gaussianValNll }, cumulantReport.comparisons[0], table.columns);
  if (fit.verdict !== 'good') {
    warnings.push(...fit.findings);
    if (fit.advice.length > 0) warnings.push(`To improve the fit, try ${fit.advice.join('; ')}.`);
  }

  const columns = table.columns;
  const model = saveModel(flow, { layerKind: settings.layerKind, layers: settings.layers, hidden, seed: settings.seed, columns: Array.from(canonical, (c) => columns[c]) });
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'action-lens', version: TOOL_VERSION },
    createdAt: new Date().toISOString(),
    about: `Action Lens learns ln p(x) with an invertible network and extracts its polynomial coefficients exactly from the weights, after ${PAPER_CITATION}`,
    input: {
      path: table.path,
      sha256: table.sha256,
      rows: table.rows,
      columns,
      skippedRows: table.skippedRows,
      sourceColumns: table.sourceColumns,
      delimiter: table.delimiter,
      header: table.header,
    },
    model: {
      layerKind: settings.layerKind,
      layers: settings.layers,
      hidden,
      order: K,
      seed: settings.seed,
      parameters: flow.paramCount,
      standardization: {
        mean: Array.from(restoreColumns(Float64Array.from(mean), 1, canonical)),
        std: Array.from(restoreColumns(Float64Array.from(std), 1, canonical)),
      },
      engine: engineName,
      kernels: kernelsInUse(),
    },
    training: { ...result, trainRows: nTrain, valRows: nVal, gaussianValNll, restarts: restarts.summary },
    action: {
      convention: 'ln p',
      units: 'raw',
      order: K,
      expansionPoint: Array.from(restoreColumns(x0, 1, canonical)),
      expansionReason: expansion.reason,
      terms: raw,
      stdErrMethod: stdErr
        ? STD_ERR_METHOD
        : `not computed: an estimated ${stdErrCost.toFixed(1)} s of computation (Fisher matrix, its eigen-decomposition, 2 extractions per parameter), over the budget of ${settings.stdErrBudgetSeconds} s`,
    },
    actionStandardized: {
      convention: 'ln p',
      units: 'standardized',
      order: K,
      expansionPoint: new Array<number>(d).fill(0),
      expansionReason: "the training rows' mean (0 in standardized units)",
      terms: standardized,
      ...(stdErr ? { stdErrMethod: expansion.rule === 'mean' ? `${STD_ERR_METHOD}; scaled from the raw units` : 'not computed in standardized units (the raw expansion point is not the mean)' } : {}),
    },
    convergence,
    layers,
    cumulants: cumulantReport,
    fit,
    ...(theory ? { theory } : {}),
    warnings,
  };
  return { report, model, flow, canonical, split: { train: trainRows, nTrain, val, nVal, x0, std } };
}

/** Standard errors in standardized units from raw ones around the mean: times the std of each variable of the monomial. */
function scaledByStd(basis: MonomialBasis, stdErr: Float64Array, std: number[]): Float64Array {
  const out = new Float64Array(stdErr.length);
  for (let m = 0; m < basis.size; m++) {
    let s = stdErr[m];
    for (const i of basis.monomial(m)) s *= std[i];
    out[m] = s;
  }
  return out;
}

function coordinateName(l: number): string {
  if (l === 0) return 'x';
  if (l === 1) return 'x~';
  return `u${l - 1}`;
}
