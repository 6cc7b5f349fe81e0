// Shared by the extension test runner (run.mjs) and its scenarios (ui-*.mjs, vsix.mjs): where
// things are, the log, and the results that run.mjs sums up in its last line.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const results = []; // {name, ok, ms, detail}
export const t0 = Date.now();

export function log(msg) {
  process.stdout.write(`[extension-tests ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
}

export function record(name, ok, ms, detail = '') {
  results.push({ name, ok, ms, detail });
  process.stdout.write(`${ok ? '  ✔' : '  ✖'} ${name} (${ms} ms)${detail ? `\n      ${detail.split('\n').join('\n      ')}` : ''}\n`);
}
