/**
 * The learn race (issue 16): what a user runs, `action-lens learn --steps`, end to end in a fresh
 * process, beside the pure training step of the same configuration, against PyTorch at its best:
 * float32 on one and on two threads, the faster counts (float64 on one thread is recorded for
 * reference). The peer's BLAS is recorded, and ratios are refused unless it is OpenBLAS.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { RACE_ROWS, raceData } from './common';
import { checkedProblem, comparablePeer, fmt, median, ourStep, peerStep, problemPath, raceArgs, work, type CheckResult, type PeerRun } from './proc';

export const LEARN_KINDS = ['coupling', 'cubic'];
export const LEARN_DIMS = [8, 32, 100];
export const LEARN_LAYERS = 2;
/** What the CLI is asked for: a fixed number of steps, order 1 and no identification, so that training is most of the run. */
export const LEARN_STEPS = 2000;

export interface LearnRaceOptions {
  repeats: number;
  /** Seconds per timed repeat of the pure step and of the peer (learn runs its LEARN_STEPS). */
  seconds: number;
  withTorch: boolean;
  allowOtherBlas: boolean;
  kinds: string[];
}

export interface LearnRow {
  kind: string;
  d: number;
  layers: number;
  /** model.engine of the report: what `--engine auto` chose. */
  engine: string;
  kernels: string | null;
  /** Medians over repeats. optimizer: training.steps / training.trainSeconds; withEvaluation: steps / (trainSeconds + evaluationSeconds), null when the report has no evaluationSeconds. */
  learn: { optimizer: number; withEvaluation: number | null; wallSeconds: number; steps: number };
  /** bench/train-ours.ts on the race's problem: the float64 engine (one thread) and parallel (two). */
  step: { float64: number; parallel: number };
  /** steps/s of the peer; best = the faster float32 median, on bestThreads threads. */
  pytorch: { float32: number; float32TwoThreads: number; float64: number; best: number; bestThreads: number; blas: string | null; blasKind: string; comparable: boolean } | null;
  /** learn (optimizer steps/s) / PyTorch's best, and the faster of our pure steps / PyTorch's best; null when not comparable. */
  ratioLearn: number | null;
  ratioStep: number | null;
  check: CheckResult | null;
  repeats: Record<'learnOptimizer' | 'learnWithEvaluation' | 'learnWall' | 'float64' | 'parallel' | 'pytorchF32' | 'pytorchF32TwoThreads' | 'pytorchF64', number[]>;
  /** 1-minute load average before and after the row. */
  load: [number, number];
}

/** The race data of width d (bench/common.ts raceData, RACE_ROWS rows) as a CSV, written once per run. */
const written = new Map<number, string>();
function raceCsv(d: number): string {
  const known = written.get(d);
  if (known) return known;
  const x = raceData(d);
  const lines = [Array.from({ length: d }, (_, i) => `x${i}`).join(',')];
  // String(v) is the shortest text that reads back as the same double: the CLI sees the race's rows exactly.
  for (let r = 0; r < RACE_ROWS; r++) lines.push(Array.from(x.subarray(r * d, (r + 1) * d), String).join(','));
  const file = join(work, `race-d${d}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  written.set(d, file);
  return file;
}

interface LearnReport {
  model: { engine: string; kernels?: string };
  training: { steps: number; trainSeconds: number; evaluationSeconds?: number };
}

/** One `learn` in a fresh process, as a user runs it (default engine auto), timed from outside too. */
function learnOnce(csv: string, kind: string): { optimizer: number; withEvaluation: number | null; wallSeconds: number; steps: number; engine: string; kernels: string | null } {
  const out = join(work, 'learn.report.json');
  const args = ['dist/cli.js', 'learn', csv, '--layer-kind', kind, '--layers', String(LEARN_LAYERS), '--steps', String(LEARN_STEPS), '--batch', '256', '--order', '1', '--identify', 'off', '--quiet', '--out', out];
  const t0 = performance.now();
  const res = spawnSync(process.execPath, args, { encoding: 'utf8', env: process.env, maxBuffer: 1 << 26 });
  const wallSeconds = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(`action-lens ${args.slice(1).join(' ')} failed (${res.status}): ${res.stderr.slice(-2000)}`);
  const report = JSON.parse(readFileSync(out, 'utf8')) as LearnReport;
  const { steps, trainSeconds, evaluationSeconds } = report.training;
  return {
    optimizer: steps / trainSeconds,
    withEvaluation: evaluationSeconds === undefined ? null : steps / (trainSeconds + evaluationSeconds),
    wallSeconds,
    steps,
    engine: report.model.engine,
    kernels: report.model.kernels ?? null,
  };
}

function learnRow(kind: string, d: number, o: LearnRaceOptions): LearnRow {
  const cfgArgs = raceArgs(kind, d, LEARN_LAYERS);
  const problem = problemPath(kind, d, LEARN_LAYERS);
  const check = checkedProblem(cfgArgs, problem, o.withTorch);
  const csv = raceCsv(d);
  const loadBefore = loadavg()[0];
  const reps: LearnRow['repeats'] = { learnOptimizer: [], learnWithEvaluation: [], learnWall: [], float64: [], parallel: [], pytorchF32: [], pytorchF32TwoThreads: [], pytorchF64: [] };
  let last: ReturnType<typeof learnOnce> | null = null;
  let lastPeer: PeerRun | null = null;
  let comparable = true;
  const where = `learn race ${kind} d=${d} L=${LEARN_LAYERS}`;
  // PyTorch at its best is float32 on one or two threads; float64 on one thread is for reference.
  const peerRuns: Array<[number, PeerRun['dtype'], number[]]> = [
    [1, 'float32', reps.pytorchF32],
    [2, 'float32', reps.pytorchF32TwoThreads],
    [1, 'float64', reps.pytorchF64],
  ];
  for (let r = 0; r < o.repeats; r++) {
    // Interleaved, so that drifts of the machine hit every side alike.
    last = learnOnce(csv, kind);
    reps.learnOptimizer.push(last.optimizer);
    if (last.withEvaluation !== null) reps.learnWithEvaluation.push(last.withEvaluation);
    reps.learnWall.push(last.wallSeconds);
    reps.float64.push(ourStep(cfgArgs, o.seconds, 'float64').stepsPerSecond);
    reps.parallel.push(ourStep(cfgArgs, o.seconds, 'parallel').stepsPerSecond);
    if (o.withTorch) {
      for (const [threads, dtype, into] of peerRuns) {
        const p = peerStep(problem, o.seconds, threads, dtype);
        comparable = comparablePeer(p, where, o.allowOtherBlas) && comparable;
        lastPeer = p;
        into.push(p.stepsPerSecond);
      }
    }
  }
  if (!last) throw new Error('the learn race needs at least one repeat');
  const learn = { optimizer: median(reps.learnOptimizer), withEvaluation: reps.learnWithEvaluation.length ? median(reps.learnWithEvaluation) : null, wallSeconds: median(reps.learnWall), steps: last.steps };
  const step = { float64: median(reps.float64), parallel: median(reps.parallel) };
  let pytorch: LearnRow['pytorch'] = null;
  if (lastPeer !== null) {
    const [f32, f32Two] = [median(reps.pytorchF32), median(reps.pytorchF32TwoThreads)];
    pytorch = { float32: f32, float32TwoThreads: f32Two, float64: median(reps.pytorchF64), best: Math.max(f32, f32Two), bestThreads: f32Two > f32 ? 2 : 1, blas: lastPeer.blas, blasKind: lastPeer.blasKind, comparable };
  }
  const best = pytorch?.comparable ? pytorch.best : null;
  const row: LearnRow = {
    kind,
    d,
    layers: LEARN_LAYERS,
    engine: last.engine,
    kernels: last.kernels,
    learn,
    step,
    pytorch,
    ratioLearn: best ? learn.optimizer / best : null,
    ratioStep: best ? Math.max(step.float64, step.parallel) / best : null,
    check,
    repeats: reps,
    load: [loadBefore, loadavg()[0]],
  };
  console.log(
    `load ${row.load.map((v) => v.toFixed(1)).join('->')}  learn ${kind.padEnd(8)} d=${String(d).padStart(3)} L=${LEARN_LAYERS}  engine ${row.engine}  learn ${fmt(learn.optimizer)} steps/s ` +
      `(with evaluation ${fmt(learn.withEvaluation)}, wall ${learn.wallSeconds.toFixed(2)} s)  step ${fmt(step.float64)} / ${fmt(step.parallel)}  ` +
      `pytorch f32 ${fmt(pytorch?.float32 ?? null)} / ${fmt(pytorch?.float32TwoThreads ?? null)}, f64 ${fmt(pytorch?.float64 ?? null)} (${pytorch?.blasKind ?? '-'})  ` +
      `ratio learn ${pytorch && !pytorch.comparable ? 'not comparable' : fmt(row.ratioLearn, 2)}, step ${fmt(row.ratioStep, 2)}`,
  );
  return row;
}

/** Every row of the learn race: kinds x LEARN_DIMS at L = LEARN_LAYERS. Needs dist/ (npm run build) and bench/out/. */
export function learnRace(o: LearnRaceOptions): LearnRow[] {
  const rows: LearnRow[] = [];
  for (const kind of o.kinds) for (const d of LEARN_DIMS) rows.push(learnRow(kind, d, o));
  return rows;
}
