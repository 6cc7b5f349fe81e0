import { tableFromRows, tableToCsv } from '../data/memory';
import { flowProposal } from '../identify/validate';
import { DEFAULT_LEARN_SETTINGS, learn } from '../pipeline/learn';
import { runIdentification } from '../pipeline/theory';
import type { OrderComparison, Report, TheorySection, TruthComparison } from '../report/schema';
import { doubleWell, phi4Lattice } from '../theories';
import type { Theory } from '../theories/theory';
import { formatPercent, reexpandAction } from './compare';
import { PHI4_PARAMS } from './phi4';
import { drawSamples } from './theory-run';
import type { Experiment, ExperimentOptions, ExperimentOutput } from './types';

const DOUBLE_WELL = { d: 4, m2: -1, kappa: 0.3, g4: 1 };

/** One (theory, N) cell of the experiment: each estimator's support recovery and per-order errors. */
export interface IdentifyCell {
  theory: string;
  rows: number;
  trueTerms: number;
  /** Score matching of every candidate, then the elimination (no screen). */
  unscreened: Recovery;
  /** The INN's significant terms screen, the direct fit decides. */
  innScreened: Recovery & { candidates: number };
  /** Which of the two `learn` took by default (pipeline/theory.ts: the INN screens where all candidates cost too much). */
  learnDefault: 'unscreened' | 'inn-screened';
  innErrors: Array<number | null>;
  denseErrors: Array<number | null>;
  innHeldOutNll: number;
  seconds: number;
}

interface Recovery {
  kept: number;
  missed: number;
  spurious: number;
  errors: Array<number | null>;
  heldOutNll: number | null;
}

function errorsOf(cmp: TruthComparison | undefined, estimator: 'inn' | 'dense' | 'identified'): Array<number | null> {
  const orders: OrderComparison[] = cmp?.perOrder.find((e) => e.estimator === estimator)?.orders ?? [];
  // null where the order has no true terms (order 1 without a field): the spurious terms count there.
  return orders.map((o) => o.relativeError);
}

/**
 * Identification on data whose truth is known (docs/METHOD.md section 9): the phi^3 + phi^4 lattice
 * of the phi4 experiment and the double well, for growing N. For each: support recovery (missed,
 * spurious) and per-order errors of the INN's dense action, the dense direct fit, the identified theory
 * on the INN's screen (what `learn` does), and the identified theory without a screen.
 */
export const identifyExperiment: Experiment = {
  id: 'identify',
  title: 'Identify the theory: the fewest terms that explain the data',
  description: `The phi^3 + phi^4 lattice (d = ${PHI4_PARAMS.d}) and the double well (d = ${DOUBLE_WELL.d}) for N = 2,000 to 100,000: missed and spurious terms and per-order errors of the INN's action, the dense direct fit and the identified theory.`,
  async run(options: ExperimentOptions): Promise<ExperimentOutput> {
    const t0 = Date.now();
    const plan: Array<{ theory: Theory; sizes: number[] }> = options.quick
      ? [{ theory: phi4Lattice(PHI4_PARAMS), sizes: [2000, 5000] }]
      : [
          { theory: phi4Lattice(PHI4_PARAMS), sizes: [2000, 5000, 20000, 100000] },
          { theory: doubleWell(DOUBLE_WELL), sizes: [2000, 5000, 20000, 100000] },
        ];
    const mainRows = options.quick ? 5000 : 20000;
    const cells: IdentifyCell[] = [];
    let main: { report: Report; csv: string } | null = null;
    for (const { theory, sizes } of plan) {
      const d = theory.d;
      const truth = { source: `the ${theory.name} theory`, action: theory.trueAction() };
      const trueTerms = truth.action.terms.filter((t) => t.monomial.length > 0).length;
      for (const [k, n] of sizes.entries()) {
        if (options.signal?.aborted) break;
        const c0 = Date.now();
        options.onPhase?.(`${theory.name}, N = ${n}: sampling, learning, identifying`);
        const data = drawSamples(theory, n, options.seed + 101 * k);
        const columns = Array.from({ length: d }, (_, i) => `x${i}`);
        const { report, flow, canonical, split } = await learn(
          tableFromRows(`${theory.name} samples (N = ${n})`, columns, data.rows, n),
          { ...DEFAULT_LEARN_SETTINGS, seed: options.seed },
          { signal: options.signal, onProgress: options.onProgress },
          { truth },
        );
        const base = { d, order: report.action.order, train: split.train, nTrain: split.nTrain, val: split.val, nVal: split.nVal, x0: split.x0, scale: split.std, canonical, seed: options.seed, proposal: flowProposal(flow), truth };
        const innAction = { ...report.action };
        const unscreened = runIdentification({ ...base, settings: { screen: 'all' } }).theory;
        const innScreened = runIdentification({ ...base, innAction, settings: { screen: 'inn' } }).theory;
        const recovery = (t: TheorySection): Recovery => ({
          kept: t.terms.filter((x) => x.monomial.length > 0).length,
          missed: t.truth?.missed.length ?? trueTerms,
          spurious: t.truth?.spurious.length ?? 0,
          errors: errorsOf(t.truth, 'identified'),
          heldOutNll: t.heldOutNll ?? null,
        });
        cells.push({
          theory: theory.name,
          rows: n,
          trueTerms,
          unscreened: recovery(unscreened),
          innScreened: { ...recovery(innScreened), candidates: innScreened.candidates },
          learnDefault: report.theory?.screen.startsWith('none') ? 'unscreened' : 'inn-screened',
          innErrors: errorsOf(innScreened.truth, 'inn'),
          denseErrors: errorsOf(unscreened.truth, 'dense'),
          innHeldOutNll: report.training.valNll,
          seconds: (Date.now() - c0) / 1000,
        });
        if (theory.name === 'phi4' && n === mainRows) main = { report, csv: tableToCsv(columns, data.rows, n) };
      }
    }
    if (!main) throw new Error('the experiment was cancelled before its main run');
    const findings = cells.map(
      (c) =>
        `${c.theory}, N = ${c.rows} (${c.trueTerms} true terms): all candidates kept ${c.unscreened.kept} (missed ${c.unscreened.missed}, spurious ${c.unscreened.spurious}), ` +
        `INN-screened (${c.innScreened.candidates} candidates) kept ${c.innScreened.kept} (missed ${c.innScreened.missed}, spurious ${c.innScreened.spurious}); per-order error: ` +
        `INN ${c.innErrors.map(formatPercent).join(' / ')}, dense direct ${c.denseErrors.map(formatPercent).join(' / ')}, identified ${c.unscreened.errors.map(formatPercent).join(' / ')} ` +
        `(INN-screened ${c.innScreened.errors.map(formatPercent).join(' / ')}); learn's default: ${c.learnDefault}.`,
    );
    const theoryTruth = main.report.theory?.truth;
    const lattice = phi4Lattice(PHI4_PARAMS);
    main.report.experiment = {
      id: 'identify',
      title: identifyExperiment.title,
      quick: options.quick,
      seed: options.seed,
      source: { lattice: { theory: 'phi4', ...PHI4_PARAMS }, ...(options.quick ? {} : { doubleWell: { theory: 'doublewell', ...DOUBLE_WELL } }) },
      truth: reexpandAction(lattice.trueAction(), main.report.action.expansionPoint ?? new Array<number>(lattice.d).fill(0)),
      perOrder: theoryTruth?.perOrder.find((e) => e.estimator === 'identified')?.orders ?? [],
      runs: cells.map((c) => ({ layerKind: 'cubic', layers: 2, rows: c.rows, valNll: c.innHeldOutNll, trueValNll: null, relativeErrorByOrder: c.unscreened.errors, seconds: c.seconds })),
      findings,
      seconds: (Date.now() - t0) / 1000,
      extra: { cells },
    };
    return { report: main.report, data: { 'identify-lattice.csv': main.csv } };
  },
};

