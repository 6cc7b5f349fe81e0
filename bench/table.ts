/**
 * Prints bench/results.json as the Markdown tables of docs/PERFORMANCE.md.
 * Usage: tsx bench/table.ts [results.json]
 */
import { readFileSync } from 'node:fs';

interface Row {
  kind: string;
  d: number;
  layers: number;
  ours: number;
  ours2Threads?: number;
  oursWasm?: number;
  oursWasm2Threads?: number;
  kernels?: string;
  pytorch: number | null;
  ratio: number | null;
  ratio2Threads?: number | null;
  tfjsWasm: number | null;
  pytorchBlas?: { path: string | null; kind: string } | null;
  check: { gradRelErr: number; lossRelErr: number } | null;
  load?: [number, number];
}
/** A row of the learn race (bench/learn-race.ts LearnRow). */
interface LearnRow {
  kind: string;
  d: number;
  layers: number;
  engine: string;
  learn: { optimizer: number; withEvaluation: number | null; wallSeconds: number };
  step: { float64: number; parallel: number };
  pytorch: { float32: number; float32TwoThreads: number; float64: number; best: number; bestThreads: number; blas: string | null; blasKind: string; comparable: boolean } | null;
  ratioLearn: number | null;
  ratioStep: number | null;
  load: [number, number];
}
interface Measured {
  repeats: number;
  secondsPerRepeat: number;
  date: string;
}
interface Results {
  machine: { cpu: string; cores: number; node: string; date: string };
  method: { repeats: number; secondsPerRepeat: number; wide?: Measured; learnRace?: Measured };
  train: Row[];
  learnRace?: LearnRow[];
  extraction: Array<{ d: number; seconds: number; genericSeconds: number | null; monomials: number }>;
  cumulants: { seconds: number };
  learn: Record<string, { seconds: number; peakRssMB: number }>;
}

const r = JSON.parse(readFileSync(process.argv[2] ?? 'bench/results.json', 'utf8')) as Results;
const f = (v: number | null | undefined, digits = 0): string => (v === null || v === undefined ? '-' : v.toFixed(digits));
/** Steps/s: whole numbers, one decimal below 10 (d = 784 trains a few steps a second). */
const sps = (v: number | null | undefined): string => f(v, v !== null && v !== undefined && v < 10 ? 1 : 0);
const lines: string[] = [];
lines.push(`Machine: ${r.machine.cores} cores, ${r.machine.cpu}, node ${r.machine.node}, ${r.machine.date}. Median of ${r.method.repeats} fresh-process repeats of >= ${r.method.secondsPerRepeat} s; batch 256, h = d.`);
if (r.method.wide) lines.push(`The d = 196 and 784 rows: ${r.method.wide.repeats} repeat(s) of >= ${r.method.wide.secondsPerRepeat} s on ${r.method.wide.date} (npm run bench -- --only wide), under the load shown.`);
const kernels = [...new Set(r.train.map((t) => t.kernels).filter(Boolean))].join(', ');
if (kernels) lines.push(`Kernels of the "ours" columns: ${kernels}; the "wasm kernel" columns are the same runs with ACTION_LENS_NO_NATIVE=1.`);
const trainBlas = [...new Set(r.train.map((t) => (t.pytorchBlas ? `${t.pytorchBlas.path ?? 'unknown'} (${t.pytorchBlas.kind})` : null)).filter(Boolean))].join(', ');
if (trainBlas) lines.push(`PyTorch's BLAS: ${trainBlas}.`);
lines.push('');
lines.push('| kind | d | L | ours, 1 thread (steps/s) | ours, 2 threads | PyTorch, 1 thread | ratio 1 thread | ratio 2 threads | wasm kernel, 1 thread | wasm kernel, 2 threads | ratio wasm 1T / 2T | tfjs-wasm | check (grad rel. err.) | load avg |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
/** Load average before → after a row. */
const load = (l: [number, number] | undefined): string => (l ? l.map((v) => v.toFixed(1)).join(' → ') : '-');
const ratio = (v: number | undefined, p: number | null): string => (v === undefined || !p ? '-' : (v / p).toFixed(2));
for (const t of r.train) {
  lines.push(
    `| ${t.kind} | ${t.d} | ${t.layers} | ${sps(t.ours)} | ${sps(t.ours2Threads)} | ${sps(t.pytorch)} | ${f(t.ratio, 2)} | ${f(t.ratio2Threads, 2)} | ${sps(t.oursWasm)} | ${sps(t.oursWasm2Threads)} | ${ratio(t.oursWasm, t.pytorch)} / ${ratio(t.oursWasm2Threads, t.pytorch)} | ${f(t.tfjsWasm)} | ${t.check ? t.check.gradRelErr.toExponential(1) : '-'} | ${load(t.load)} |`,
  );
}
if (r.learnRace?.length) {
  const m = r.method.learnRace;
  lines.push('');
  lines.push(
    `The learn race${m ? ` (${m.date}, median of ${m.repeats} fresh-process repeats; the step and PyTorch >= ${m.secondsPerRepeat} s each)` : ''}: ` +
      '`action-lens learn --steps 2000 --batch 256 --order 1 --identify off`, engine auto; steps/s in the optimizer = training.steps / training.trainSeconds. ' +
      'PyTorch at its best = the faster of float32 on 1 and 2 threads.',
  );
  const blas = [...new Set(r.learnRace.map((t) => t.pytorch?.blas).filter(Boolean))].join(', ');
  if (blas) lines.push(`PyTorch's BLAS (the library that defines the sgemm_ it calls): ${blas}.`);
  lines.push('');
  lines.push('| kind | d | L | engine (auto) | learn, steps/s (optimizer) | learn, incl. evaluation | learn wall (s) | step 1T / 2T | PyTorch f32 1T / 2T | PyTorch f64 1T | PyTorch best | ratio learn / best | ratio step / best | BLAS | load avg |');
  lines.push('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
  for (const t of r.learnRace) {
    const p = t.pytorch;
    const notComparable = p !== null && !p.comparable;
    const ratioCell = (v: number | null): string => (notComparable ? 'not comparable' : f(v, 2));
    lines.push(
      `| ${t.kind} | ${t.d} | ${t.layers} | ${t.engine} | ${sps(t.learn.optimizer)} | ${sps(t.learn.withEvaluation)} | ${f(t.learn.wallSeconds, 2)} | ${sps(t.step.float64)} / ${sps(t.step.parallel)} | ` +
        `${sps(p?.float32)} / ${sps(p?.float32TwoThreads)} | ${sps(p?.float64)} | ${p ? `${sps(p.best)} (${p.bestThreads}T)` : '-'} | ${ratioCell(t.ratioLearn)} | ${ratioCell(t.ratioStep)} | ${p?.blasKind ?? '-'} | ${load(t.load)} |`,
    );
  }
}
lines.push('');
lines.push('| exact extraction, K = 4, L = 4 | monomials | structured route (s) | generic route (s) |');
lines.push('|---|---:|---:|---:|');
for (const e of r.extraction) lines.push(`| d = ${e.d} | ${e.monomials} | ${f(e.seconds, 3)} | ${f(e.genericSeconds, 3)} |`);
lines.push('');
lines.push(`Cumulants of orders 1-4 with block-jackknife errors, 1e5 x 32: ${f(r.cumulants.seconds, 2)} s.`);
lines.push('');
lines.push('| action-lens learn | wall time (s) | peak RSS (MB) |');
lines.push('|---|---:|---:|');
const names: Record<string, string> = { example: 'bundled example (4 columns)', csv10kx8: '10,000 x 8 (phi^4 sample)', csv1e5x100: '1e5 x 100, --steps 500, K = 3' };
for (const [k, v] of Object.entries(r.learn)) lines.push(`| ${names[k] ?? k} | ${f(v.seconds, 2)} | ${f(v.peakRssMB)} |`);
console.log(lines.join('\n'));
