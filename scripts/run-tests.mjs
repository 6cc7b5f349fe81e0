// Runs every test/**/*.test.ts with node's own test runner (TypeScript through tsx).
// Node 20's --test does not expand globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// --no-wasm: the same tests on the plain-JS paths (ACTION_LENS_NO_WASM), as on a runtime without
// WebAssembly SIMD or shared memory; the kernels' own tests skip themselves then.
// --no-native: on the WebAssembly kernels alone (ACTION_LENS_NO_NATIVE), as where the native product
// kernel was not built.
const args = process.argv.slice(2);
const noWasm = args.includes('--no-wasm');
const noNative = args.includes('--no-native');
const filter = args.filter((a) => a !== '--no-wasm' && a !== '--no-native');
const files = find('test').filter((f) => filter.length === 0 || filter.some((s) => f.includes(s))).sort();
// The bundles the CLI tests run are built once, here, before any test: built by a test file while
// another runs the CLI (two files run at once), a half-written dist/cli.js made that CLI exit 1.
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const env = { ...process.env, ACTION_LENS_SKIP_BUILD: '1', ...(noWasm ? { ACTION_LENS_NO_WASM: '1' } : {}), ...(noNative ? { ACTION_LENS_NO_NATIVE: '1' } : {}) };
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
process.exit(res.status ?? 1);
