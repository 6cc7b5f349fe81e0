import { convergenceRadius } from '../action/convergence';
import { diagramClassesForReport, layerDiagrams } from '../action/diagrams';
import { actionJet, latentActionJet } from '../action/extract';
import { jetToTerms, largestTerms } from '../action/terms';
import { coefficientStdErrors, stdErrSecondsEstimate } from '../action/uncertainty';
import { saveModel } from '../flow/serialize';
import { flowProposal } from '../identify/validate';
import { nonlinearKind, nonlinearKinds } from '../flow/kinds';
import { kernelsInUse } from '../linalg/wasm/kernel';
import { binomial, MonomialBasis } from '../poly/basis';
import { norm } from '../poly/jet';
import type { Action, ActionTerm, ReportLayer } from '../report/schema';
import type { Flow } from '../flow/flow';
import { isUnitwise } from '../flow/structured';
import { slicerFor } from '../action/on-demand';
import { EngineSession } from '../train/engines';
import { Rng } from '../util/rng';
import { InputError } from '../util/errors';
import { restoreColumns, restoreTerms } from './columns';
import { tableWhere } from './data-checks';
import { rawActionHead, standardizedActionHead, type Estimator, type EstimatorFit } from './estimator';
import { medianDistance } from './model-cumulants';
import type { PreparedRun } from './prepare';
import { trainEnsemble } from './ensemble';
import { summarizeEnsemble } from './ensemble-report';
import { compareStarts } from './restarts';
import { DEFAULT_DATA_SEED, type LearnHooks, type LearnSettings } from './settings';

const ENTRY_LIMIT = 200;

/** A layer kind that needs more columns than the run has is refused at the table (as the columns left out may be why). */
function checkKindFits(run: PreparedRun, layerKind: string): void {
  const kind = nonlinearKind(layerKind);
  if (!kind || run.d >= kind.minDim) return;
  const why = kind.minDimReason ? ` (${kind.minDimReason})` : '';
  const left = run.omitted.length > 0 ? ` (${run.omitted.length} constant ${run.omitted.length === 1 ? 'one was' : 'ones were'} left out)` : '';
  const other = nonlinearKinds().find((k) => k.minDim <= run.d);
  throw new InputError(
    `the ${kind.name} layer kind needs at least ${kind.minDim} columns${why}; this data has ${run.d}${left}.${other ? ` Use --layer-kind ${other.name}.` : ''}`,
    tableWhere(run.table),
  );
}
const STD_ERR_ROWS = 4000;
const STD_ERR_METHOD =
  'delta method: inverse Fisher information of the training rows (pseudo-inverse), propagated through the exact extraction; ' +
  'local to the optimum found, it does not include optimisation variability (other optima) or model-class error';

/**
 * The invertible network (docs/METHOD.md sections 2-5): starts compared, the best trained by maximum
 * likelihood, the action extracted exactly around the expansion point, its standard errors (delta
 * method), the layers' diagrams and the convergence radius; exact samples for the cumulants.
 */
export const flowEstimator: Estimator = {
  name: 'flow',
  async fit(run: PreparedRun, settings: LearnSettings, hooks: LearnHooks): Promise<EstimatorFit> {
    const { d, order: K, canonical, x0, mean, std } = run;
    checkKindFits(run, settings.layerKind);
    const hidden = settings.hidden ?? d;
    if (run.storedOrders < K) requireOnDemandKind(settings.layerKind, d, hidden, run);
    // One engine for the starts and the final training (the two-thread one keeps its helper thread).
    const engines = new EngineSession(settings.engine ?? 'auto');
    let restarts: Awaited<ReturnType<typeof compareStarts>>;
    let ensemble: Awaited<ReturnType<typeof trainEnsemble>>;
    const rows = { trainRows: run.train, nTrain: run.nTrain, val: run.val, nVal: run.nVal };
    try {
      restarts = await compareStarts(settings, hidden, mean, std, rows, engines, hooks);
      ensemble = await trainEnsemble(restarts.starts, settings, run, engines, hooks);
    } finally {
      engines.dispose();
    }
    const { flow, result, startRank } = ensemble.members[0];
    const engineName = ensemble.engineName;
    // The reported network is the member with the best held-out NLL after convergence: say which start that was.
    const restartSummary = restarts.summary && { ...restarts.summary, chosen: restarts.summary.candidates.findIndex((c) => c.structureSeed === restarts.starts[startRank].structureSeed) };

    hooks.onPhase?.(run.storedOrders < K ? `extracting the action (orders 0-${run.storedOrders}; the others on demand)` : 'extracting the action');
    // Orders above storedOrders are not stored (prepare.ts): extracted exactly to storedOrders, the rest on demand.
    const basis = new MonomialBasis(d, run.storedOrders);
    // exact[0]: S in raw units around x0; exact[l >= 1]: S_l around 0 of the layer's input coordinates.
    const exact: Float64Array[] = flow.layers.map((_, l) => (l === 0 ? actionJet(flow, basis, 0, x0) : actionJet(flow, basis, l)));
    // Standard errors cost two extractions per parameter and P^2..P^3 work on the Fisher matrix:
    // skipped, and said so, when the model of that cost is over budget.
    const stdErrCost = stdErrSecondsEstimate(flow, basis, Math.min(run.nTrain, STD_ERR_ROWS));
    let stdErr: Float64Array | undefined;
    // A cancel that arrives after training skips the standard errors, the one slow step left.
    const cancelledAfterTraining = hooks.signal?.aborted === true && result.stoppedBecause !== 'cancelled';
    if (settings.stdErrBudgetSeconds > 0 && stdErrCost <= settings.stdErrBudgetSeconds && !cancelledAfterTraining) {
      hooks.onPhase?.('standard errors');
      stdErr = coefficientStdErrors(flow, basis, run.train, run.nTrain, { maxRows: STD_ERR_ROWS, seed: settings.seed, at: x0 });
    }
    if (ensemble.members.length > 1) hooks.onPhase?.('ensemble spread');
    const spread = summarizeEnsemble(ensemble.members, basis, x0, { raw: exact[0], standardized: exact[1], stdErr }, { canonical, columns: run.table.columns });
    const raw = restoreTerms(jetToTerms(basis, exact[0], 0, stdErr, spread.rawSpread), canonical);
    // Around the mean, the standardized coefficients are the raw ones times the std of each variable,
    // and so are their standard errors; around another point the two are different expansions.
    const standardizedStdErr = stdErr && run.expansion.rule === 'mean' ? scaledByStd(basis, stdErr, std) : undefined;
    const standardized = restoreTerms(jetToTerms(basis, exact[1], 0, standardizedStdErr, spread.standardizedSpread), canonical);
    const convergence = convergenceRadius(flow, x0);
    const warnings: string[] = [...spread.warnings];

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
      warnings.push(`Diagrams were not computed: ${basis.size} monomials up to order ${basis.order} in ${d} variables exceed the limit of ${settings.diagramLimit}.`);
    }

    convergence.typicalDistanceStandardized = medianDistance(run.data, run.table.rows, d, x0, std);
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

    const columns = run.table.columns;
    const saved = saveModel(flow, { layerKind: settings.layerKind, layers: settings.layers, hidden, seed: settings.seed, columns: Array.from(canonical, (c) => columns[c]) });
    const action: Action = {
      ...rawActionHead(run),
      terms: raw,
      stdErrMethod: stdErr
        ? STD_ERR_METHOD
        : `not computed: an estimated ${stdErrCost.toFixed(1)} s of computation (Fisher matrix, its eigen-decomposition, 2 extractions per parameter), over the budget of ${settings.stdErrBudgetSeconds} s`,
      spreadMethod: spread.spreadMethod,
    };
    const standardizedAction: Action = {
      ...standardizedActionHead(run),
      terms: standardized,
      ...(stdErr ? { stdErrMethod: run.expansion.rule === 'mean' ? `${STD_ERR_METHOD}; scaled from the raw units` : 'not computed in standardized units (the raw expansion point is not the mean)' } : {}),
      spreadMethod: spread.spreadMethod,
    };
    if (run.storedOrders < K) {
      hooks.onPhase?.(`the strongest terms of orders ${run.storedOrders + 1}-${K} (on demand)`);
      const budget = settings.onDemandSeconds ?? DEFAULT_ON_DEMAND_SECONDS;
      Object.assign(action, onDemandSection(flow, columns, action, run.storedOrders, budget));
      Object.assign(standardizedAction, onDemandSection(flow, columns, standardizedAction, run.storedOrders, budget));
    }
    return {
      model: {
        estimator: 'flow',
        layerKind: settings.layerKind,
        layers: settings.layers,
        hidden,
        order: K,
        seed: settings.seed,
        dataSeed: settings.dataSeed ?? DEFAULT_DATA_SEED,
        parameters: flow.paramCount,
        standardization: {
          mean: Array.from(restoreColumns(Float64Array.from(mean), 1, canonical)),
          std: Array.from(restoreColumns(Float64Array.from(std), 1, canonical)),
        },
        engine: engineName,
        kernels: kernelsInUse(),
      },
      training: {
        ...result,
        trainRows: run.nTrain,
        valRows: run.nVal,
        gaussianValNll: run.gaussianValNll,
        restarts: restartSummary,
        ...(spread.summary ? { ensemble: spread.summary } : {}),
      },
      action,
      actionStandardized: standardizedAction,
      convergence,
      layers,
      draw: () => {
        const rng = new Rng(settings.seed ^ 0xc0ffee);
        const n = settings.modelSamples;
        const z = Float64Array.from({ length: n * d }, () => rng.normal());
        return {
          rows: flow.inverse(z, n),
          n,
          source: `model (${settings.layerKind}, exact samples)`,
          note: `Model: ${n} exact samples x = f^-1(z).`,
          extraNotes: ['The truncated action S_K is not sampled here (see the experiments for MCMC of S_K).'],
        };
      },
      warnings,
      ...(stdErr ? { screeningAction: action } : {}),
      proposal: flowProposal(flow),
      flow,
      saved,
    };
  },
};

/** Orders computed on demand need linear and unitwise layers (action/on-demand): refused before training otherwise. */
function requireOnDemandKind(layerKind: string, d: number, hidden: number, run: PreparedRun): void {
  const kind = nonlinearKind(layerKind);
  const sample = kind?.create(Math.min(d, 4), 0, Math.min(hidden, 4), new Rng(1));
  if (sample && isUnitwise(sample)) return;
  throw new InputError(
    `on ${d} columns orders above ${run.storedOrders} are computed on demand, which needs the cubic layer kind (linear and unitwise layers); ` +
      `the ${layerKind} kind cannot. Use --layer-kind cubic, --order ${run.storedOrders}, or fewer columns.`,
    { file: run.table.path },
  );
}

/** Time for the strongest terms of each on-demand order, per unit system (settings.onDemandSeconds). */
export const DEFAULT_ON_DEMAND_SECONDS = 4;
/** Strongest terms kept per on-demand order. */
const ON_DEMAND_TOP_TERMS = 100;

/** action.storedOrders and action.onDemand: how the orders above the stored ones are computed, and their strongest terms. */
function onDemandSection(flow: Flow, columns: readonly string[], action: Action, storedOrders: number, seconds: number): Pick<Action, 'storedOrders' | 'onDemand'> {
  const slicer = slicerFor(flow, { input: { columns }, action, actionStandardized: action }, action.units);
  const orders: number[] = [];
  const topTerms: Record<string, { terms: ActionTerm[]; guarantee: string }> = {};
  for (let o = storedOrders + 1; o <= action.order; o++) {
    orders.push(o);
    topTerms[String(o)] = slicer.topTerms(o, ON_DEMAND_TOP_TERMS, { seconds });
  }
  return {
    storedOrders,
    onDemand: {
      orders,
      how:
        `orders ${orders.join(', ')} are not stored (order ${orders[0]} alone has ${binomial(columns.length + orders[0] - 1, orders[0]).toLocaleString('en-US')} coefficients on ${columns.length} columns); ` +
        'any coefficient or slice of them is computed exactly from the weights in the model file on request (the panel, or action-lens slice), ' +
        'by hyper-dual numbers in the held indices and the chain rule in the free ones (docs/METHOD.md section 4.7). topTerms: the strongest terms found at learn time, with what they are guaranteed to be',
      topTerms,
    },
  };
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
