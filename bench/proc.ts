/**
 * The bench's processes (bench/run.ts, bench/learn-race.ts): running a side of the race in a fresh
 * process and reading its JSON line, the fairness check, and the PyTorch peer with its BLAS check.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const work = join(tmpdir(), 'action-lens-bench');
mkdirSync(work, { recursive: true });
export const tsx = ['--import', 'tsx'];
/** The timed scripts run as bundles built like the product's (scripts/build.mjs --bench, at the start of a bench run). */
export const bundled = (name: string): string => `bench/out/${name}.js`;

/**
 * The environment of a side on n threads: BLAS and OpenMP pools of n. PyTorch's own thread count is
 * its --threads; left unset, OpenBLAS starts one thread per core besides OpenMP's and the two
 * oversubscribe the cores (measured: PyTorch on two threads, d = 100, 506 -> 115 steps/s).
 */
export const threadsEnv = (n: number): NodeJS.ProcessEnv => ({ ...process.env, OPENBLAS_NUM_THREADS: String(n), OMP_NUM_THREADS: String(n), MKL_NUM_THREADS: String(n) });
export const oneThread = threadsEnv(1);

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = oneThread): string {
  const res = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr.slice(-2000)}`);
  return res.stdout;
}
export const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').pop() ?? '{}') as T;
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};
export const fmt = (v: number | null, digits = 1): string => (v === null ? '-' : v.toFixed(digits));

/** The race's arguments for one configuration (bench/common.ts parseConfig). */
export const raceArgs = (kind: string, d: number, layers: number): string[] => ['--d', String(d), '--layers', String(layers), '--kind', kind, '--batch', '256'];
/** Where bench/export.ts writes a configuration's problem for the peer. */
export const problemPath = (kind: string, d: number, layers: number): string => join(work, `problem-${kind}-${d}-${layers}.json`);

export interface CheckResult {
  lossRelErr: number;
  gradRelErr: number;
  passed: boolean;
}

/**
 * Writes the problem (bench/export.ts) and, with the peer, checks that both sides compute the same
 * loss and gradient (float64) for the same weights and batch; throws if not, since the race would not be fair.
 */
export function checkedProblem(cfgArgs: string[], problem: string, withTorch: boolean): CheckResult | null {
  const ours = lastJson<{ loss: number; grad: number[] }>(run(process.execPath, [...tsx, 'bench/export.ts', ...cfgArgs, '--out', problem]));
  if (!withTorch) return null;
  const torch = lastJson<{ loss: number; grad: number[] }>(run('/usr/bin/python3', ['bench/torch_peer.py', problem, '--check']));
  const lossRelErr = Math.abs(ours.loss - torch.loss) / Math.abs(torch.loss);
  let scale = 0;
  let diff = 0;
  torch.grad.forEach((g, k) => {
    scale = Math.max(scale, Math.abs(g));
    diff = Math.max(diff, Math.abs(g - ours.grad[k]));
  });
  const gradRelErr = diff / scale;
  const passed = lossRelErr <= 1e-9 && gradRelErr <= 1e-9;
  if (!passed) throw new Error(`${cfgArgs.join(' ')}: PyTorch and Action Lens disagree (loss ${lossRelErr}, gradient ${gradRelErr}); the race would not be fair`);
  return { lossRelErr, gradRelErr, passed };
}

/** One fresh-process repeat of Action Lens's training step (bench/train-ours.ts) on an engine. */
export function ourStep(cfgArgs: string[], seconds: number, engine: 'float64' | 'parallel' | 'tfjs', env: NodeJS.ProcessEnv = oneThread): { stepsPerSecond: number; kernels: string } {
  return lastJson<{ stepsPerSecond: number; kernels: string }>(run(process.execPath, [bundled('train-ours'), ...cfgArgs, '--seconds', String(seconds), '--engine', engine], env));
}

export interface PeerRun {
  stepsPerSecond: number;
  threads: number;
  dtype: 'float32' | 'float64';
  /** The file that defines the sgemm_ torch calls, and what it is (bench/torch_peer.py). */
  blas: string | null;
  blasKind: string;
}

/** One fresh-process repeat of the PyTorch peer's step on `threads` threads (BLAS and OpenMP pools to match). */
export function peerStep(problem: string, seconds: number, threads: number, dtype: PeerRun['dtype']): PeerRun {
  const out = lastJson<PeerRun>(run('/usr/bin/python3', ['bench/torch_peer.py', problem, '--time', String(seconds), '--threads', String(threads), '--dtype', dtype], threadsEnv(threads)));
  return { stepsPerSecond: out.stepsPerSecond, threads: out.threads, dtype: out.dtype, blas: out.blas, blasKind: out.blasKind };
}

/**
 * Whether the peer's numbers may be compared: only on OpenBLAS. Debian's torch without OpenBLAS runs
 * on the reference BLAS, about 4x slower, which would flatter any ratio; the bench stops then, unless
 * allowed (--allow-reference-blas), when the row is recorded as not comparable.
 */
export function comparablePeer(peer: PeerRun, where: string, allowOtherBlas: boolean): boolean {
  if (peer.blasKind === 'openblas') return true;
  const what = `${where}: PyTorch computes with ${peer.blas ?? 'an unknown BLAS'} (${peer.blasKind}), not OpenBLAS`;
  if (!allowOtherBlas) {
    throw new Error(`${what}; its speed would not be PyTorch at its best. Install OpenBLAS (apt-get install -y libopenblas0-pthread) or pass --allow-reference-blas to record the row as not comparable.`);
  }
  console.warn(`${what}: recorded, not compared (--allow-reference-blas)`);
  return false;
}
