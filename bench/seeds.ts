/**
 * Does the answer depend on the seed? `learn` on one data set at many seeds: held-out NLL, NLL on
 * fresh rows against the truth, per-order relative errors against the true action and what the
 * stated standard errors say (docs/EXPERIMENTS.md, section "Seeds").
 *
 *   node --import tsx bench/seeds.ts [--data teacher:1 | file.csv] [--n 20000]
 *       [--seeds 0-9] [--kind coupling] [--layers 1] [--hidden H] [--order 4] [--restarts R]
 *       [--restart-steps S] [--patience P] [--lr R] [--batch B] [--max-steps N] [--std-errors]
 *       [--json out.json]
 *
 * Data: `teacher:S` draws N rows (and 20,000 fresh test rows) from the teacher experiment's flow of
 * seed S (src/core/experiments/teacher.ts: coupling, d = 4, L = 1), whose action up to order 4 is
 * exact; a CSV path is read as `learn` reads it, compared with `<csv>.truth.json` when that is there
 * (as `sample` writes it). Everything is seeded, so a run reproduces its table.
 */
import { writeFileSync } from 'node:fs';
import { tableFromRows } from '../src/core/data/memory';
import { readCsv } from '../src/core/data/csv';
import { compareActions } from '../src/core/experiments/compare';
import { teacherAction, teacherFlow } from '../src/core/experiments/teacher';
import type { Flow } from '../src/core/flow/flow';
import { DEFAULT_LEARN_SETTINGS, learn, type LearnSettings } from '../src/core/pipeline/learn';
import type { Action } from '../src/core/report/schema';
import { Rng } from '../src/core/util/rng';
import { argValue } from './common';
import { readTruthBeside } from '../src/core/data/truth';

const argv = process.argv;
const flag = (name: string): boolean => argv.includes(`--${name}`);
const dataSpec = argValue(argv, 'data', 'teacher:1');
const n = Number(argValue(argv, 'n', '20000'));
const seeds = parseRange(argValue(argv, 'seeds', '0-9'));

function parseRange(s: string): number[] {
  return s.split(',').flatMap((part) => {
    const m = /^(\d+)-(\d+)$/.exec(part);
    if (!m) return [Number(part)];
    const out: number[] = [];
    for (let i = Number(m[1]); i <= Number(m[2]); i++) out.push(i);
    return out;
  });
}

interface Data {
  label: string;
  columns: string[];
  rows: Float64Array;
  n: number;
  /** Fresh rows from the truth, and the truth's NLL on them (teacher only). */
  test?: { rows: Float64Array; n: number; trueNll: number };
  /** ln p of the truth at given rows (teacher only: exact, normalised). */
  trueLogProb?: (x: Float64Array, n: number) => Float64Array;
  truth?: (at: readonly number[]) => Action;
  defaults: Partial<LearnSettings>;
}

async function loadData(): Promise<Data> {
  const teacher = /^teacher:(\d+)$/.exec(dataSpec);
  if (teacher) {
    const seed = Number(teacher[1]);
    const flow: Flow = teacherFlow('coupling', 1, seed);
    const d = flow.dim;
    const rng = new Rng(seed ^ 0x7eac4e5);
    const normals = (count: number): Float64Array => Float64Array.from({ length: count }, () => rng.normal());
    const testN = 20000;
    const test = flow.inverse(normals(testN * d), testN);
    const rows = flow.inverse(normals(n * d), n);
    return {
      label: `teacher seed ${seed}, N = ${n}`,
      columns: Array.from({ length: d }, (_, i) => `x${i}`),
      rows,
      n,
      test: { rows: test, n: testN, trueNll: flow.meanNll(test, testN) },
      trueLogProb: (x, m) => flow.logProb(x, m),
      truth: (at) => teacherAction(flow, at),
      defaults: { layerKind: 'coupling', layers: 1, order: 4 },
    };
  }
  const table = await readCsv(dataSpec);
  const beside = await readTruthBeside(dataSpec, table.columns, table.sourceColumns);
  const action = beside?.truth?.action;
  return { label: dataSpec, columns: table.columns, rows: table.data, n: table.rows, truth: action ? () => action : undefined, defaults: {} };
}

interface SeedRow {
  seed: number;
  valNll: number;
  /** Held-out NLL minus the truth's NLL on the same held-out rows (teacher only). */
  valExcess: number | null;
  /** NLL on fresh rows minus the truth's (teacher only). */
  testExcess: number | null;
  errors: (number | null)[];
  /** rms of (learned - true) / stated standard error per order, when standard errors were computed. */
  rmsZ: (number | null)[];
  /** Mean stated standard error per order, relative to the norm of the true order. */
  relStdErr: (number | null)[];
  coefficients: number[];
  /** The monomials of `coefficients` (order >= 1) and their stated standard errors (null where not computed). */
  monomials: number[][];
  stdErrs: Array<number | null>;
  steps: number;
  stoppedBecause: string;
  restarts: string;
  seconds: number;
}

async function main(): Promise<void> {
  const data = await loadData();
  const num = (name: string): number | undefined => (argv.includes(`--${name}`) ? Number(argValue(argv, name, '')) : undefined);
  const settingsFor = (seed: number): LearnSettings => {
    const s: LearnSettings = { ...DEFAULT_LEARN_SETTINGS, ...data.defaults, seed, modelSamples: 2000, identify: 'off', stdErrBudgetSeconds: flag('std-errors') ? 60 : 0 };
    const kind = argValue(argv, 'kind', '');
    if (kind) s.layerKind = kind;
    for (const [name, key] of [['layers', 'layers'], ['hidden', 'hidden'], ['order', 'order'], ['restarts', 'restarts'], ['restart-steps', 'restartSteps'], ['patience', 'patience'], ['lr', 'learningRate'], ['batch', 'batch'], ['max-steps', 'maxSteps']] as const) {
      const v = num(name);
      if (v !== undefined) (s as unknown as Record<string, number>)[key] = v;
    }
    return s;
  };
  const first = settingsFor(seeds[0]);
  console.log(`# ${data.label}; ${first.layerKind}, L = ${first.layers}, K = ${first.order}, restarts ${first.restarts} x ${first.restartSteps} steps, patience ${first.patience}, lr ${first.learningRate}, batch ${first.batch}`);
  const out: SeedRow[] = [];
  for (const seed of seeds) {
    const t0 = Date.now();
    const settings = settingsFor(seed);
    const { report, flow, split } = await learn(tableFromRows(data.label, data.columns, data.rows, data.n), settings);
    const K = report.action.order;
    const d = data.columns.length;
    const cmp = data.truth ? compareActions(report.action, data.truth(report.action.expansionPoint ?? new Array<number>(d).fill(0)), d) : [];
    const relStdErr = cmp.map((c) => {
      const terms = report.action.terms.filter((t) => t.monomial.length === c.order && t.stdErr !== undefined);
      if (terms.length === 0) return null;
      const trueNorm = Math.hypot(...c.truth);
      // The norm of the stated errors over the order, as the relative error of the order would be if
      // every coefficient were off by one standard error.
      return Math.hypot(...terms.map((t) => t.stdErr ?? 0)) / trueNorm;
    });
    let valExcess: number | null = null;
    if (data.trueLogProb) {
      // split.val is in canonical column order; the teacher's columns x0..x3 are already canonical.
      const lp = data.trueLogProb(split.val, split.nVal);
      let s = 0;
      for (const v of lp) s -= v;
      valExcess = report.training.valNll - s / split.nVal;
    }
    const testExcess = data.test ? flow.meanNll(data.test.rows, data.test.n) - data.test.trueNll : null;
    const r = report.training.restarts;
    const row: SeedRow = {
      seed,
      valNll: report.training.valNll,
      valExcess,
      testExcess,
      errors: cmp.map((c) => c.relativeError),
      rmsZ: cmp.map((c) => c.rmsZ ?? null),
      relStdErr,
      coefficients: report.action.terms.filter((t) => t.monomial.length > 0).map((t) => t.coefficient),
      monomials: report.action.terms.filter((t) => t.monomial.length > 0).map((t) => t.monomial),
      stdErrs: report.action.terms.filter((t) => t.monomial.length > 0).map((t) => t.stdErr ?? null),
      steps: report.training.steps,
      stoppedBecause: report.training.stoppedBecause,
      restarts: r ? `${r.candidates.map((c) => c.valNll.toFixed(3)).join('/')} -> ${r.chosen}` : '-',
      seconds: (Date.now() - t0) / 1000,
    };
    out.push(row);
    const pct = (x: number | null): string => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
    const f = (x: number | null, digits = 4): string => (x === null ? 'n/a' : x.toFixed(digits));
    console.log(
      `| ${seed} | ${row.valNll.toFixed(4)} | ${f(valExcess)} | ${f(testExcess)} | ${row.errors.map(pct).join(' | ')} | ${flag('std-errors') ? `${row.rmsZ.map((z) => f(z, 2)).join(' / ')} | ` : ''}${row.steps} | ${row.restarts} | ${row.seconds.toFixed(1)} |`,
    );
    void K;
  }
  summarise(out);
  const json = argValue(argv, 'json', '');
  if (json) writeFileSync(json, JSON.stringify({ data: data.label, argv: argv.slice(2), rows: out }, null, 1));
}

/** Spread across seeds of the held-out NLL and of each order's error, and of the coefficients against the stated errors. */
function summarise(rows: SeedRow[]): void {
  const bestVal = Math.min(...rows.map((r) => r.valExcess ?? r.valNll));
  const bestTest = rows.every((r) => r.testExcess !== null) ? Math.min(...rows.map((r) => r.testExcess as number)) : null;
  const bestSeed = rows.reduce((a, b) => ((b.valExcess ?? b.valNll) < (a.valExcess ?? a.valNll) ? b : a));
  const worst = rows.map((r) => (r.valExcess ?? r.valNll) - bestVal);
  console.log(`held-out (excess) NLL: worst - best = ${Math.max(...worst).toFixed(4)}; seeds more than 0.01 above the best: ${rows.filter((_, i) => worst[i] > 0.01).map((r) => r.seed).join(', ') || 'none'}`);
  if (bestTest !== null) console.log(`test NLL excess: best ${bestTest.toFixed(4)}, worst ${Math.max(...rows.map((r) => r.testExcess as number)).toFixed(4)}`);
  const K = bestSeed.errors.length;
  for (let k = 0; k < K; k++) {
    const errs = rows.map((r) => r.errors[k]).filter((e): e is number => e !== null);
    if (errs.length === 0) continue;
    const ref = bestSeed.errors[k] ?? Math.min(...errs);
    const med = [...errs].sort((a, b) => a - b)[Math.floor(errs.length / 2)];
    console.log(`order ${k + 1}: best-NLL seed's error ${(100 * ref).toFixed(1)}%, median ${(100 * med).toFixed(1)}%, worst ${(100 * Math.max(...errs)).toFixed(1)}%; seeds above 1.5x the best-NLL seed's: ${rows.filter((r) => (r.errors[k] ?? 0) > 1.5 * ref).map((r) => r.seed).join(', ') || 'none'}`);
  }
  coefficientSpread(rows);
}

/**
 * Per order, how far each coefficient moves from seed to seed (its standard deviation over the seeds)
 * against the standard errors the runs state for it (their rms): a ratio near 1 means the stated
 * errors cover the spread of the seeds. Same monomials and expansion point in every run assumed.
 */
function coefficientSpread(rows: SeedRow[]): void {
  if (rows.length < 3 || rows.some((r) => r.stdErrs.some((e) => e === null))) return;
  const byOrder = new Map<number, number[]>();
  rows[0].monomials.forEach((m, j) => {
    const c = rows.map((r) => r.coefficients[j]);
    const mean = c.reduce((a, b) => a + b, 0) / c.length;
    const sd = Math.sqrt(c.reduce((a, b) => a + (b - mean) ** 2, 0) / (c.length - 1));
    const se = Math.sqrt(rows.reduce((a, r) => a + (r.stdErrs[j] as number) ** 2, 0) / rows.length);
    const ratios = byOrder.get(m.length) ?? [];
    ratios.push(sd / se);
    byOrder.set(m.length, ratios);
  });
  for (const [k, ratios] of [...byOrder.entries()].sort((a, b) => a[0] - b[0])) {
    const sorted = [...ratios].sort((a, b) => a - b);
    const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    console.log(`order ${k}: spread of the coefficients over the seeds / stated standard error: median ${q(0.5).toFixed(2)}, 90% ${q(0.9).toFixed(2)}, max ${sorted[sorted.length - 1].toFixed(2)} (${ratios.length} coefficients)`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
