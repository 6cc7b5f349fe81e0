import { jetToTerms } from '../action/terms';
import { tableFromRows, tableToCsv } from '../data/memory';
import { buildFlow, perturbParameters } from '../flow/build';
import type { Flow } from '../flow/flow';
import { MonomialBasis } from '../poly/basis';
import { DEFAULT_LEARN_SETTINGS, learn } from '../pipeline/learn';
import type { Action, ExperimentRun, Report } from '../report/schema';
import { Rng } from '../util/rng';
import { compareActions, formatPercent } from './compare';
import type { Experiment, ExperimentOptions, ExperimentOutput } from './types';
import { actionJet } from '../action/extract';

const D = 4;
const K = 4;

/**
 * Experiment 0 (ours): data from a random flow of the very class being trained, so the true action
 * is representable exactly. Learned coefficients must approach the teacher's as N grows: this
 * separates estimation error from model-class error (docs/METHOD.md section 8.0).
 */
export const teacherExperiment: Experiment = {
  id: 'teacher',
  title: 'Teacher: recover the action of a random flow of the trained class',
  description: 'Data from a random one-block quadratic-coupling flow (d = 4); learned vs teacher coefficients per order as N grows.',
  async run(options: ExperimentOptions): Promise<ExperimentOutput> {
    const t0 = Date.now();
    const kind = 'coupling' as const;
    const layers = 1;
    const teacher = teacherFlow(kind, layers, options.seed);
    const sizes = options.quick ? [2000, 8000] : [2500, 10000, 40000, 160000];
    const rng = new Rng(options.seed ^ 0x7eac4e5);
    const testRows = 20000;
    const test = teacher.inverse(normals(rng, testRows * D), testRows);
    const columns = Array.from({ length: D }, (_, i) => `x${i}`);
    const runs: ExperimentRun[] = [];
    let last: Report | null = null;
    let lastData = '';
    for (const n of sizes) {
      options.onPhase?.(`teacher: N = ${n}`);
      const data = teacher.inverse(normals(rng, n * D), n);
      const r0 = Date.now();
      const { report, flow } = await learn(
        tableFromRows(`teacher (N = ${n})`, columns, data, n),
        { ...DEFAULT_LEARN_SETTINGS, layerKind: kind, layers, order: K, seed: options.seed, modelSamples: options.quick ? 5000 : 20000 },
        { signal: options.signal, onProgress: options.onProgress },
        // One coupling block makes ln p a polynomial of degree 4 = K: its action at 0 holds every term, so
        // the identification's comparison may re-expand it exactly.
        { truth: { source: 'the teacher flow', action: teacherAction(teacher) } },
      );
      // The truth straight from the teacher's weights, around the learned action's point (exact at any depth).
      const cmp = compareActions(report.action, teacherAction(teacher, report.action.expansionPoint), D);
      runs.push({
        layerKind: kind,
        layers,
        rows: n,
        valNll: flow.meanNll(test, testRows),
        trueValNll: teacher.meanNll(test, testRows),
        relativeErrorByOrder: cmp.map((c) => c.relativeError),
        seconds: (Date.now() - r0) / 1000,
      });
      last = report;
      lastData = tableToCsv(columns, data, n);
    }
    if (!last) throw new Error('no run');
    const truth = teacherAction(teacher, last.action.expansionPoint);
    const perOrder = compareActions(last.action, truth, D);
    const first = runs[0];
    const final = runs[runs.length - 1];
    const findings = perOrder.map((c, i) => {
      const a = first.relativeErrorByOrder[i];
      const b = final.relativeErrorByOrder[i];
      const trend = a !== null && b !== null ? (b < a ? 'falls' : 'does not fall') : 'n/a';
      return `Order ${c.order}: relative error ${formatPercent(a)} at N = ${first.rows} → ${formatPercent(b)} at N = ${final.rows} (${trend} as N grows).`;
    });
    findings.push(`Test NLL gap to the teacher (nats per row): ${runs.map((r) => `${(r.valNll - (r.trueValNll ?? Number.NaN)).toFixed(4)} at N = ${r.rows}`).join(', ')}.`);
    last.experiment = {
      id: 'teacher',
      title: teacherExperiment.title,
      quick: options.quick,
      seed: options.seed,
      source: { kind: 'teacher flow', layerKind: kind, layers, d: D, parameterScale: TEACHER_SCALE },
      truth,
      perOrder,
      runs,
      findings,
      seconds: (Date.now() - t0) / 1000,
    };
    return { report: last, data: { 'teacher-data.csv': lastData } };
  },
};

const TEACHER_SCALE = 0.6;

/** A flow of the trained class with its parameters moved well away from the identity. */
export function teacherFlow(kind: string, layers: number, seed: number): Flow {
  const flow = buildFlow(new Array<number>(D).fill(0), new Array<number>(D).fill(1), { layerKind: kind, layers, hidden: D, seed: seed + 1 });
  return perturbParameters(flow, TEACHER_SCALE, seed + 2);
}

/** The teacher's exact action up to order K, around `at` (default 0). */
export function teacherAction(teacher: Flow, at?: readonly number[]): Action {
  const basis = new MonomialBasis(D, K);
  const point = at ?? new Array<number>(D).fill(0);
  return { convention: 'ln p', units: 'raw', order: K, expansionPoint: [...point], terms: jetToTerms(basis, actionJet(teacher, basis, 0, point)) };
}

function normals(rng: Rng, count: number): Float64Array {
  return Float64Array.from({ length: count }, () => rng.normal());
}
