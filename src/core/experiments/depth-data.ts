import { phi4Lattice } from '../theories';
import type { ExperimentRun, OrderComparison, Report } from '../report/schema';
import { formatPercent, reexpandAction } from './compare';
import { drawSamples, learnOnTheory } from './theory-run';
import type { Experiment, ExperimentOptions, ExperimentOutput } from './types';

const PARAMS = { d: 4, m2: 1, kappa: 0.3, g3: 0.8, g4: 1.6 };

/**
 * Experiment 2: depth x data. Sweep the number of blocks L and of rows N on one lattice theory; the
 * error per order and the NLL gap to the truth on a grid.
 */
export const depthDataExperiment: Experiment = {
  id: 'depth-data',
  title: 'Depth x data: how L and N together set the agreement',
  description: `A ${PARAMS.d}-site phi^3 + phi^4 lattice; a grid of depths L and sample sizes N; error per order and NLL gap to the truth.`,
  async run(options: ExperimentOptions): Promise<ExperimentOutput> {
    const t0 = Date.now();
    const theory = phi4Lattice(PARAMS);
    const depths = options.quick ? [1, 2] : [1, 2, 3, 4];
    const sizes = options.quick ? [1000, 4000] : [1000, 4000, 16000, 64000];
    const pool = drawSamples(theory, sizes[sizes.length - 1], options.seed);
    const truth = drawSamples(theory, options.quick ? 20000 : 100000, options.seed + 1);
    const runs: ExperimentRun[] = [];
    let best: { report: Report; perOrder: OrderComparison[]; csv: string } | null = null;
    for (const n of sizes) {
      // Nested samples: each N is a prefix of the next (thinned chains, so nearly independent rows).
      const rows = pool.rows.subarray(0, n * PARAMS.d);
      for (const layers of depths) {
        options.onPhase?.(`L = ${layers}, N = ${n}`);
        const r = await learnOnTheory(theory, rows, n, truth, { layerKind: 'cubic', layers, modelSamples: 5000, identify: 'off' }, options, false);
        runs.push(r.run);
        best = { report: r.report, perOrder: r.perOrder, csv: r.csv };
      }
    }
    if (!best) throw new Error('no run');
    const findings: string[] = [];
    for (let k = 0; k < 4; k++) {
      const cells = runs.map((r) => `L${r.layers}/N${r.rows}: ${formatPercent(r.relativeErrorByOrder[k])}`);
      findings.push(`Order ${k + 1} relative error: ${cells.join(', ')}.`);
    }
    findings.push(`NLL gap to the truth: ${runs.map((r) => `L${r.layers}/N${r.rows}: ${(r.valNll - (r.trueValNll ?? Number.NaN)).toFixed(4)}`).join(', ')}.`);
    best.report.experiment = {
      id: 'depth-data',
      title: depthDataExperiment.title,
      quick: options.quick,
      seed: options.seed,
      source: { theory: 'phi4', ...PARAMS, depths, sizes },
      truth: reexpandAction(theory.trueAction(), best.report.action.expansionPoint ?? new Array<number>(theory.d).fill(0)),
      perOrder: best.perOrder,
      runs,
      findings,
      seconds: (Date.now() - t0) / 1000,
    };
    return { report: best.report, data: { 'depth-data-largest.csv': best.csv } };
  },
};
