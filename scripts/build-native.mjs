// Builds the native product kernel (native/gemm.c) into <outDir>/gemm.node with the system's C
// compiler and the running Node's headers. Optional by design: without a compiler or headers, or on a
// platform the kernel is not written for, it says why and exits 0, and the WebAssembly kernel runs
// (same results, slower). ACTION_LENS_NO_NATIVE=1 skips the build.
//   node scripts/build-native.mjs [outDir]      (default dist/native)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const outDir = process.argv[2] ?? 'dist/native';
const out = join(outDir, 'gemm.node');
const skip = (why) => {
  // A stale module from an earlier build would otherwise still be loaded.
  rmSync(out, { force: true });
  console.log(`native kernel not built (${why}); the WebAssembly kernel runs`);
  process.exit(0);
};

if (process.env.ACTION_LENS_NO_NATIVE) skip('ACTION_LENS_NO_NATIVE is set');
if (process.platform === 'win32') skip('Windows: no build recipe here');
const include = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node'].find((d) => existsSync(join(d, 'node_api.h')));
if (!include) skip("Node's C headers (node_api.h) not found");
const cc = process.env.CC ?? 'cc';
mkdirSync(outDir, { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
// -ffp-contract=fast: a*b + c becomes one fused multiply-add where the target has FMA, as in the
// wasm kernel's relaxed_madd (the results are compared bit for bit in test/linalg/native-kernel.test.ts).
const flags = ['-O3', '-ffp-contract=fast', '-fno-math-errno', '-Wall', '-Wextra', '-shared', '-fPIC', `-I${include}`, 'native/gemm.c', '-o', tmp];
if (process.platform === 'darwin') flags.push('-undefined', 'dynamic_lookup');
const res = spawnSync(cc, flags, { encoding: 'utf8' });
if (res.error) skip(`${cc}: ${res.error.message}`);
if (res.status !== 0) {
  rmSync(tmp, { force: true });
  // Shown in full: on a platform the tests cover (Linux x64) a rejected source fails them.
  console.error(res.stderr);
  skip(`${cc} exited with ${res.status}`);
}
if (res.stderr) console.error(res.stderr);
renameSync(tmp, out);
console.log(`native kernel: ${out}`);
