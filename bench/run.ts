/**
 * npm run bench: Action Lens's trainer against a PyTorch implementation of the same flow, side by
 * side, plus extraction, cumulants, end-to-end learn and peak memory. Every timed repeat runs in a
 * fresh process; each configuration reports the median of the repeats. Writes bench/results.json.
 *
 * Options: --quick (2 repeats, fewer configurations), --repeats N, --seconds S, --no-torch, --no-tfjs,
 * --only train|rest|wide|learn (re-measure the training race, the rest, only the d = 196 / 784 rows,
 * or only the learn race of bench/learn-race.ts, keeping the others from bench/results.json),
 * --allow-reference-blas (record a PyTorch peer that is not on OpenBLAS as not comparable instead of stopping).
 * The PyTorch side needs Debian's python3-torch and libopenblas0-pthread, at /usr/bin/python3.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { argValue } from './common';
import { LEARN_KINDS, learnRace, type LearnRow } from './learn-race';
import { bundled, checkedProblem, comparablePeer, fmt, lastJson, median, oneThread, ourStep, peerStep, problemPath, raceArgs, run, tsx, work, type CheckResult } from './proc';

const argv = process.argv;
const quick = argv.includes('--quick');
const repeats = Number(argValue(argv, 'repeats', quick ? '2' : '5'));
const seconds = Number(argValue(argv, 'seconds', '1'));
const withTorch = !argv.includes('--no-torch') && existsSync('/usr/bin/python3');
const withTfjs = !argv.includes('--no-tfjs');
/** Record (not compare) a peer that is not on OpenBLAS instead of stopping (bench/proc.ts comparablePeer). */
const allowOtherBlas = argv.includes('--allow-reference-blas');
/** --only train|rest|wide|learn: run one part (the others are kept from an existing bench/results.json). */
const only = argValue(argv, 'only', 'all');

interface RaceRow {
  kind: string;
  d: number;
  layers: number;
  check: CheckResult | null;
  /** The float64 engine on one thread (like PyTorch here), and on two threads (the parallel engine). */
  ours: number;
  ours2Threads: number;
  /** The same two sides with the native product kernel turned off (ACTION_LENS_NO_NATIVE): what runs where it was not built. */
  oursWasm: number;
  oursWasm2Threads: number;
  /** The kernels the timed runs used (kernelsInUse: e.g. native-avx512). */
  kernels: string;
  pytorch: number | null;
  /** The BLAS PyTorch computed with (torch_peer.py); the ratios are null unless it is OpenBLAS. */
  pytorchBlas: { path: string | null; kind: string } | null;
  /** ours / pytorch, both on one thread; ratio2Threads: the two-thread engine / pytorch. */
  ratio: number | null;
  ratio2Threads: number | null;
  tfjsWasm: number | null;
  repeats: { ours: number[]; ours2Threads: number[]; oursWasm: number[]; oursWasm2Threads: number[]; pytorch: number[]; tfjsWasm: number[] };
  /** 1-minute load average before and after the configuration (other work on the machine skews timings). */
  load: [number, number];
}

function race(kind: string, d: number, layers: number): RaceRow {
  const cfgArgs = raceArgs(kind, d, layers);
  const problem = problemPath(kind, d, layers);
  const c = checkedProblem(cfgArgs, problem, withTorch);
  const loadBefore = loadavg()[0];
  const reps = { ours: [] as number[], ours2Threads: [] as number[], oursWasm: [] as number[], oursWasm2Threads: [] as number[], pytorch: [] as number[], tfjsWasm: [] as number[] };
  const wasmOnly = { ...oneThread, ACTION_LENS_NO_NATIVE: '1' };
  let kernels = '';
  let pytorchBlas: RaceRow['pytorchBlas'] = null;
  let comparable = true;
  for (let r = 0; r < repeats; r++) {
    // Interleaved, so that drifts of the machine hit every side alike.
    const one = ourStep(cfgArgs, seconds, 'float64');
    reps.ours.push(one.stepsPerSecond);
    kernels = one.kernels;
    reps.ours2Threads.push(ourStep(cfgArgs, seconds, 'parallel').stepsPerSecond);
    reps.oursWasm.push(ourStep(cfgArgs, seconds, 'float64', wasmOnly).stepsPerSecond);
    reps.oursWasm2Threads.push(ourStep(cfgArgs, seconds, 'parallel', wasmOnly).stepsPerSecond);
    if (withTorch) {
      const peer = peerStep(problem, seconds, 1, 'float64');
      comparable = comparablePeer(peer, `${kind} d=${d} L=${layers}`, allowOtherBlas) && comparable;
      pytorchBlas = { path: peer.blas, kind: peer.blasKind };
      reps.pytorch.push(peer.stepsPerSecond);
    }
    if (withTfjs) reps.tfjsWasm.push(ourStep(cfgArgs, seconds, 'tfjs').stepsPerSecond);
  }
  const ours = median(reps.ours);
  const ours2Threads = median(reps.ours2Threads);
  const oursWasm = median(reps.oursWasm);
  const oursWasm2Threads = median(reps.oursWasm2Threads);
  const pytorch = withTorch ? median(reps.pytorch) : null;
  const tfjsWasm = withTfjs ? median(reps.tfjsWasm) : null;
  const compared = pytorch !== null && comparable ? pytorch : null;
  const row = { kind, d, layers, check: c, ours, ours2Threads, oursWasm, oursWasm2Threads, kernels, pytorch, pytorchBlas, ratio: compared ? ours / compared : null, ratio2Threads: compared ? ours2Threads / compared : null, tfjsWasm, repeats: reps, load: [loadBefore, loadavg()[0]] as [number, number] };
  console.log(
    `load ${row.load.map((v) => v.toFixed(1)).join('->')}  ${kind.padEnd(8)} d=${String(d).padStart(3)} L=${layers}  ours ${fmt(ours)} (2 threads ${fmt(ours2Threads)}) steps/s  pytorch ${fmt(pytorch)}  ` +
      `ratio ${fmt(row.ratio, 2)} (${fmt(row.ratio2Threads, 2)})  wasm kernel ${fmt(oursWasm)} (${fmt(oursWasm2Threads)})  tfjs-wasm ${fmt(tfjsWasm)}  check ${c ? c.gradRelErr.toExponential(1) : '-'}`,
  );
  return row;
}

function timed(script: string, args: string[], n = repeats): { median: number; runs: number[]; extra: Record<string, unknown> } {
  const runs: number[] = [];
  let extra: Record<string, unknown> = {};
  for (let r = 0; r < n; r++) {
    extra = lastJson<Record<string, unknown>>(run(process.execPath, [bundled(script), ...args]));
    runs.push(Number(extra.seconds));
  }
  return { median: median(runs), runs, extra };
}

/** Wall time and peak RSS (kB, from GNU time) of the built CLI. */
function cli(args: string[]): { seconds: number; peakRssMB: number } {
  const t0 = performance.now();
  const res = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'dist/cli.js', ...args], { encoding: 'utf8', env: process.env });
  const secondsTaken = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(`action-lens ${args.join(' ')} failed: ${res.stderr.slice(-2000)}`);
  const kb = Number(res.stderr.trim().split('\n').pop());
  return { seconds: secondsTaken, peakRssMB: kb / 1024 };
}

function measureRest(): Pick<Results, 'extraction' | 'cumulants' | 'learn'> {
  const extraction = [8, 32, 64].map((d) => {
    const structured = timed('extract', ['--d', String(d), '--order', '4', '--layers', '4']);
    // The generic route (every layer's jet rule on full jets) for comparison, where it finishes in reasonable time.
    const generic = d <= 32 ? timed('extract', ['--d', String(d), '--order', '4', '--layers', '4', '--generic'], Math.min(repeats, 3)) : null;
    console.log(`extraction d=${d} K=4 L=4: ${structured.median.toFixed(3)} s (generic route ${generic ? `${generic.median.toFixed(3)} s` : 'not run'})`);
    return { d, order: 4, layers: 4, seconds: structured.median, runs: structured.runs, monomials: structured.extra.monomials, genericSeconds: generic?.median ?? null };
  });

  const cum = timed('cumulants', ['--n', '100000', '--d', '32'], Math.min(repeats, 3));
  console.log(`cumulants orders 1-4, 1e5 x 32: ${cum.median.toFixed(2)} s`);

  const csv8 = join(work, 'phi4-d8-10k.csv');
  if (!existsSync(csv8)) run(process.execPath, ['dist/cli.js', 'sample', 'phi4', '--d', '8', '--n', '10000', '--seed', '1', '--out', csv8], process.env);
  const csv100 = join(work, 'gauss-d100-1e5.csv');
  if (!existsSync(csv100)) run(process.execPath, [...tsx, 'bench/make-csv.ts', '--n', '100000', '--d', '100', '--out', csv100]);
  const learnRuns = (file: string, extra: string[] = [], n = Math.min(repeats, 3)): { seconds: number; peakRssMB: number; runs: number[] } => {
    const rs = Array.from({ length: n }, () => cli(['learn', file, '--quiet', '--out', join(work, 'out.report.json'), ...extra]));
    return { seconds: median(rs.map((r) => r.seconds)), peakRssMB: Math.max(...rs.map((r) => r.peakRssMB)), runs: rs.map((r) => r.seconds) };
  };
  const example = learnRuns('examples/phi4-lattice-d4.csv');
  console.log(`learn, bundled example (d=4): ${example.seconds.toFixed(2)} s`);
  const d8 = learnRuns(csv8);
  console.log(`learn, 10,000 x 8: ${d8.seconds.toFixed(2)} s`);
  const big = learnRuns(csv100, ['--steps', '500', '--order', '3'], 1);
  console.log(`learn, 1e5 x 100 (--steps 500, K = 3): ${big.seconds.toFixed(1)} s, peak RSS ${big.peakRssMB.toFixed(0)} MB`);
  return {
    extraction,
    cumulants: { n: 100000, d: 32, orders: '1-4', seconds: cum.median, runs: cum.runs },
    learn: {
      example,
      csv10kx8: d8,
      csv1e5x100: { ...big, note: '--steps 500, order 3 (at order 4 the report, 2 x 4.6M terms, exceeds the JSON string limit); peak RSS of the whole CLI process' },
    },
  };
}

interface Results {
  machine: Record<string, unknown>;
  method: Record<string, unknown>;
  train: RaceRow[];
  /** The learn race (bench/learn-race.ts); absent in results from before it existed. */
  learnRace?: LearnRow[];
  extraction: Array<Record<string, unknown>>;
  cumulants: Record<string, unknown>;
  learn: Record<string, unknown>;
}

/** The wide rows (issue 14: images of 14 x 14 and 28 x 28 pixels), cubic kind, L = 2 only: a step at d = 784 takes a third of a second. */
const WIDE_DIMS = [196, 784];
const ONLY = ['all', 'train', 'rest', 'wide', 'learn'];

function main(): void {
  if (!ONLY.includes(only)) throw new Error(`--only must be one of ${ONLY.join(', ')}, got "${only}"`);
  console.log(`Action Lens bench: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${repeats} repeats of >= ${seconds} s`);
  // Builds dist/ (the CLI the learn race and measureRest run) and bench/out/ (the timed scripts).
  run(process.execPath, ['scripts/build.mjs', '--bench'], process.env);
  const previous = only !== 'all' && existsSync('bench/results.json') ? (JSON.parse(readFileSync('bench/results.json', 'utf8')) as Results) : null;
  if (only === 'learn' && !previous) throw new Error('--only learn keeps the other rows from bench/results.json, which does not exist: run the whole bench first');
  let train: RaceRow[] = previous?.train ?? [];
  const isWide = (r: RaceRow): boolean => r.kind === 'cubic' && r.layers === 2 && WIDE_DIMS.includes(r.d);
  if (only === 'wide') {
    train = train.filter((r) => !isWide(r));
    for (const d of WIDE_DIMS) train.push(race('cubic', d, 2));
  } else if (only === 'all' || only === 'train') {
    train = [];
    const kinds = quick ? ['cubic'] : ['cubic', 'coupling'];
    for (const kind of kinds) for (const d of [8, 32, 100]) for (const L of [2, 6]) train.push(race(kind, d, L));
    if (!quick) for (const d of WIDE_DIMS) train.push(race('cubic', d, 2));
  }
  const runLearn = only === 'all' || only === 'learn';
  const learnRows = runLearn ? learnRace({ repeats, seconds, withTorch, allowOtherBlas, kinds: quick ? ['cubic'] : LEARN_KINDS }) : previous?.learnRace;
  const keepRest = only !== 'all' && only !== 'rest' && previous;
  const rest = keepRest ? { extraction: previous.extraction, cumulants: previous.cumulants, learn: previous.learn } : measureRest();
  const method = { repeats, secondsPerRepeat: seconds, batch: 256, hidden: 'h = d', torchThreads: 1, only, note: 'median of fresh-process repeats; steps/s = loss + gradient + clipping + Adam' };
  // --only wide / learn keep the other rows' method and machine, and say how their rows were measured.
  const partial = (only === 'wide' || only === 'learn') && previous !== null;
  const when = { repeats, secondsPerRepeat: seconds, date: new Date().toISOString(), loadAverageAtEnd: loadavg() };
  const results: Results = {
    machine: partial ? previous.machine : { loadAverageAtEnd: loadavg(), cores: cpus().length, cpu: cpus()[0]?.model ?? null, node: process.version, date: new Date().toISOString() },
    method: partial ? { ...previous.method, [only === 'wide' ? 'wide' : 'learnRace']: when } : { ...method, learnRace: runLearn ? when : previous?.method.learnRace },
    train,
    ...(learnRows ? { learnRace: learnRows } : {}),
    ...rest,
  };
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 1)}\n`);
  console.log('wrote bench/results.json');
}

main();
