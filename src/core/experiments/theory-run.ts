import { compareCumulants, cumulants, defaultMaxOrder } from '../cumulants';
import { tableFromRows, tableToCsv } from '../data/memory';
import type { Flow } from '../flow/flow';
import { DEFAULT_LEARN_SETTINGS, learn, type LearnSettings } from '../pipeline/learn';
import type { CumulantSet, ExperimentRun, OrderComparison, Report } from '../report/schema';
import { hmc } from '../sampling';
import { checkNormalizable, polynomialTheory } from '../theories/polynomial';
import type { Theory } from '../theories/theory';
import { compareActions } from './compare';
import { logPartition, theoryNll } from './normalization';
import type { ExperimentOptions } from './types';

/** n rows of a theory, row-major. */
export interface Samples {
  rows: Float64Array;
  n: number;
}

export interface TheoryRunResult {
  report: Report;
  flow: Flow;
  perOrder: OrderComparison[];
  run: ExperimentRun;
  csv: string;
}

/** HMC samples of a theory, with the sampler's diagnostics. */
export function drawSamples(theory: Theory, n: number, seed: number): Samples & { diagnostics: Record<string, unknown> } {
  const res = hmc(theory, { n, seed });
  return {
    rows: res.samples,
    n,
    diagnostics: { rows: n, acceptance: res.acceptance, thinning: res.thinning, minEss: Math.min(...res.ess), divergences: res.divergences, wells: res.wells ?? null },
  };
}

/**
 * Learn on HMC samples of a theory and score the result against the truth: coefficients per order,
 * held-out NLL against the true NLL (importance-sampled ln Z), and, when `cumulantSources` is set,
 * cumulants of data vs model vs truncated action (HMC, when normalisable) vs truth.
 */
export async function learnOnTheory(
  theory: Theory,
  data: Float64Array,
  n: number,
  truthRows: Samples,
  settings: Partial<LearnSettings>,
  options: ExperimentOptions,
  withCumulants: boolean,
): Promise<TheoryRunResult> {
  const d = theory.d;
  const columns = Array.from({ length: d }, (_, i) => `x${i}`);
  const t0 = Date.now();
  const { report, flow } = await learn(
    tableFromRows(`${theory.name} samples (N = ${n})`, columns, data, n),
    { ...DEFAULT_LEARN_SETTINGS, seed: options.seed, ...settings },
    { signal: options.signal, onProgress: options.onProgress },
    { truth: { source: `the ${theory.name} theory`, action: theory.trueAction() } },
  );
  const seconds = (Date.now() - t0) / 1000;
  const truth = theory.trueAction();
  const perOrder = compareActions(report.action, truth, d);
  const { logZ } = logPartition(theory, flow, options.quick ? 20000 : 100000, options.seed + 99);
  const run: ExperimentRun = {
    layerKind: report.model.layerKind,
    layers: report.model.layers,
    rows: n,
    valNll: flow.meanNll(truthRows.rows, truthRows.n),
    trueValNll: theoryNll(theory, truthRows.rows, truthRows.n, logZ),
    relativeErrorByOrder: perOrder.map((c) => c.relativeError),
    seconds,
  };
  if (withCumulants) addTheoryCumulants(report, theory, truthRows, options);
  return { report, flow, perOrder, run, csv: tableToCsv(columns, data, n) };
}

/** Replaces the report's cumulants with data, model, truncated action and truth side by side. */
function addTheoryCumulants(report: Report, theory: Theory, truthRows: Samples, options: ExperimentOptions): void {
  const d = theory.d;
  const maxOrder = defaultMaxOrder(d);
  const [dataSet, modelSet] = report.cumulants.sets;
  const truthSet = cumulants(truthRows.rows, truthRows.n, d, { maxOrder, source: `truth (HMC of the true theory, ${truthRows.n} rows)` });
  const sets: CumulantSet[] = [dataSet, modelSet];
  const comparisons = [compareCumulants(dataSet, modelSet), compareCumulants(modelSet, truthSet), compareCumulants(dataSet, truthSet)];
  const notes = report.cumulants.notes.filter((n) => !n.startsWith('The truncated action'));
  const norm = checkNormalizable(report.action, d, options.seed);
  if (norm.normalizable) {
    const sk = polynomialTheory(report.action, d, `S_${report.action.order}`);
    const res = hmc(sk, { n: options.quick ? 10000 : 40000, seed: options.seed + 5 });
    const skSet = cumulants(res.samples, res.samples.length / d, d, { maxOrder, source: `truncated action S_${report.action.order} (HMC)` });
    sets.push(skSet);
    comparisons.push(compareCumulants(skSet, truthSet));
    notes.push(`The truncated action S_K is normalisable (${norm.reason}); sampled by HMC (acceptance ${res.acceptance.toFixed(2)}, ${res.divergences} divergences).`);
  } else {
    notes.push(`The truncated action S_K is not sampled: ${norm.reason}.`);
  }
  sets.push(truthSet);
  report.cumulants = { sets, comparisons, notes };
}

/** One line per cumulant comparison of a report: max |z| and rms z per order. */
export function cumulantFindings(report: Report): string[] {
  return report.cumulants.comparisons.map(
    (cmp) =>
      `Cumulants, ${cmp.a} vs ${cmp.b}: max |z| ${cmp.orders.map((o) => `order ${o.order}: ${o.maxAbsZ.toFixed(1)}`).join(', ')}; ` +
      `rms z ${cmp.orders.map((o) => o.rmsZ.toFixed(1)).join(', ')}.`,
  );
}
