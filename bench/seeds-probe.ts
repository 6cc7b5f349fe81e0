/**
 * One start, trained to the end, on teacher data (bench/seeds.ts's data), with one suspect changed at
 * a time: which permutation the affine layer gets, which initial weights, which linear layer. Prints
 * one line per run: held-out NLL minus the teacher's on the same rows, and the per-order errors.
 *
 *   node --import tsx bench/seeds-probe.ts --data teacher:2 --seeds 0-9 [--perm 0123 | --perm-seed S]
 *       [--weight-seed S] [--kind coupling] [--layers 1] [--steps-budget N] [--start] [--dense | --then-dense]
 *
 * --start: the first block from the data (src/core/flow/start.ts); --dense: the affine layers as a
 * dense W (AffineDense) holding the same matrix; --then-dense: both, one after the other.
 */
import { chooseExpansionPoint } from '../src/core/action/expansion';
import { actionJet } from '../src/core/action/extract';
import { jetToTerms } from '../src/core/action/terms';
import { compareActions } from '../src/core/experiments/compare';
import { teacherAction, teacherFlow } from '../src/core/experiments/teacher';
import { AffineLU } from '../src/core/flow/affine';
import { buildFlow } from '../src/core/flow/build';
import { AffineDense } from '../src/core/flow/dense';
import { Flow } from '../src/core/flow/flow';
import type { Layer } from '../src/core/flow/layer';
import { columnMoments, splitRows } from '../src/core/pipeline/split';
import { MonomialBasis } from '../src/core/poly/basis';
import { DEFAULT_TRAIN_OPTIONS, train } from '../src/core/train/trainer';
import { Rng } from '../src/core/util/rng';
import { argValue } from './common';

const argv = process.argv;
const has = (name: string): boolean => argv.includes(`--${name}`);
const teacherSeed = Number(/^teacher:(\d+)$/.exec(argValue(argv, 'data', 'teacher:2'))?.[1] ?? 2);
const n = Number(argValue(argv, 'n', '20000'));
const seeds = argValue(argv, 'seeds', '0-9').split(',').flatMap((p) => {
  const m = /^(\d+)-(\d+)$/.exec(p);
  return m ? Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i) : [Number(p)];
});

export interface ProbeResult {
  seed: number;
  valExcess: number;
  errors: (number | null)[];
  steps: number;
  permutation: number[];
}

export interface ProbeData {
  teacher: Flow;
  train: Float64Array;
  nTrain: number;
  val: Float64Array;
  nVal: number;
  trueValNll: number;
  mean: number[];
  std: number[];
}

/** The teacher's rows, split as `learn` splits them with split seed `splitSeed`. */
export function probeData(teacherSeed: number, n: number, splitSeed: number): ProbeData {
  const teacher = teacherFlow('coupling', 1, teacherSeed);
  const d = teacher.dim;
  const rng = new Rng(teacherSeed ^ 0x7eac4e5);
  const normals = (count: number): Float64Array => Float64Array.from({ length: count }, () => rng.normal());
  normals(20000 * d);
  const rows = teacher.inverse(normals(n * d), n);
  const { train, nTrain, val, nVal } = splitRows(rows, n, d, 0.2, splitSeed);
  const { mean, std } = columnMoments(train, nTrain, d);
  return { teacher, train, nTrain, val, nVal, trueValNll: teacher.meanNll(val, nVal), mean, std };
}

/** Trains `flow` (one start) to early stopping and compares it with the teacher. */
export async function probe(flow: Flow, data: ProbeData, seed: number, options: { maxSteps?: number; patience?: number } = {}): Promise<ProbeResult> {
  const res = await train(flow, data.train, data.nTrain, data.val, data.nVal, {
    ...DEFAULT_TRAIN_OPTIONS,
    maxSteps: options.maxSteps ?? DEFAULT_TRAIN_OPTIONS.maxSteps,
    patience: options.patience ?? DEFAULT_TRAIN_OPTIONS.patience,
    seed,
  });
  const d = flow.dim;
  const basis = new MonomialBasis(d, 4);
  const x0 = chooseExpansionPoint(data.mean, data.std, 'auto').point;
  const action = { convention: 'ln p' as const, units: 'raw' as const, order: 4, expansionPoint: Array.from(x0), terms: jetToTerms(basis, actionJet(flow, basis, 0, x0)) };
  const cmp = compareActions(action, teacherAction(data.teacher, Array.from(x0)), d);
  const affine = flow.layers.find((l): l is AffineLU => l instanceof AffineLU);
  return { seed, valExcess: res.valNll - data.trueValNll, errors: cmp.map((c) => c.relativeError), steps: res.steps, permutation: affine ? Array.from(affine.permutation) : [] };
}

/** The same function with every affine layer as a dense W (AffineDense): only the parametrization changes. */
export function toDense(flow: Flow): Flow {
  const layers: Layer[] = flow.layers.map((l) => {
    if (!(l instanceof AffineLU)) return l;
    const dense = new AffineDense(l.dim);
    dense.params.set(l.matrix(), 0);
    dense.params.set(l.bias(), l.dim * l.dim);
    return dense;
  });
  const out = new Flow(layers);
  return out;
}

export function formatProbe(r: ProbeResult, label = ''): string {
  const pct = (x: number | null): string => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
  return `| ${r.seed}${label} | ${r.valExcess.toFixed(4)} | ${r.errors.map(pct).join(' | ')} | ${r.steps} | ${r.permutation.join('')} |`;
}

async function main(): Promise<void> {
  const kind = argValue(argv, 'kind', 'coupling');
  const layers = Number(argValue(argv, 'layers', '1'));
  const maxSteps = has('steps-budget') ? Number(argValue(argv, 'steps-budget', '')) : undefined;
  const bad: number[] = [];
  for (const seed of seeds) {
    // The split follows the seed, as in learn.
    const data = probeData(teacherSeed, n, seed);
    const d = data.mean.length;
    const weightSeed = has('weight-seed') ? Number(argValue(argv, 'weight-seed', '')) : seed;
    const hidden = Number(argValue(argv, 'hidden', String(d)));
    const start = has('start') ? { rows: data.train, n: data.nTrain } : undefined;
    // The same start every time it is asked for (training moves the parameters in place).
    const fresh = (): Flow => {
      const flow = buildFlow(data.mean, data.std, { layerKind: kind, layers, hidden, seed: weightSeed, start });
      const affine = flow.layers.find((l): l is AffineLU => l instanceof AffineLU);
      if (affine && has('perm')) affine.permutation.set(argValue(argv, 'perm', '').split('').map(Number));
      if (affine && has('perm-seed')) affine.permutation.set(new Rng(Number(argValue(argv, 'perm-seed', ''))).permutation(d));
      return flow;
    };
    let r = await probe(has('dense') ? toDense(fresh()) : fresh(), data, seed, { maxSteps });
    if (has('then-dense')) {
      console.log(formatProbe(r, ' (LU)'));
      r = await probe(toDense(fresh()), data, seed, { maxSteps });
    }
    if (r.valExcess > 0.01) bad.push(seed);
    console.log(formatProbe(r));
  }
  console.log(`stuck (held-out NLL more than 0.01 above the teacher's): ${bad.join(', ') || 'none'} (${bad.length} of ${seeds.length})`);
}

if (process.argv[1]?.endsWith('seeds-probe.ts')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
