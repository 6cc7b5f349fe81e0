import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

/** Runs the built CLI (build first with `npm run build`; tests build it once in `before`). */
export function runCli(args: string[], options: { input?: string; cwd?: string } = {}): { status: number; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: options.input, cwd: options.cwd ?? ROOT, maxBuffer: 64 * 1024 * 1024 });
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

export function ensureBuilt(): void {
  if (existsSync(CLI) && process.env.ACTION_LENS_SKIP_BUILD === '1') return;
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`build failed: ${res.stderr}`);
}

export function tempDir(prefix = 'action-lens-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
