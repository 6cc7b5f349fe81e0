// The native product kernel (native/gemm.c through linalg/wasm/native.ts): built where the tests run,
// used only where its arithmetic is the wasm kernel's, and equal to it to the bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { gemmAB, TRI, type ProductOptions } from '../../src/core/linalg/kernels';
import { kernelHeap, loadKernels, wasmAvailable, type GemmExports, type KernelVariant } from '../../src/core/linalg/wasm/kernel';
import { WasmHeap } from '../../src/core/linalg/wasm/heap';
import { Rng } from '../../src/core/util/rng';
import { onHeap, noFma, noNative, withVariant } from './kernel-helpers';

// The native kernel is optional for users, but the build makes it on the machines the tests run on
// (Linux x64 with a C compiler: scripts/install-system-deps.sh installs one), so a build that silently
// fell back to wasm fails here.
const nativeExpected = process.platform === 'linux' && process.arch === 'x64' ? noNative : 'the native kernel is built and tested on Linux x64';
test('the native product kernel is built and in use, with fused multiply-adds (npm run build makes dist/native/gemm.node)', { skip: nativeExpected }, () => {
  const k = loadKernels();
  assert.equal(k?.variant, 'native', 'native kernel loaded (see the build output: "native kernel not built (...)")');
  assert.ok(k?.nativeIsa === 'avx512' || k?.nativeIsa === 'avx2', `instruction set ${k?.nativeIsa}`);
});

test('the native kernel runs only where its arithmetic is the wasm kernels\' (so a seed gives the same model on every build): not with ACTION_LENS_NO_FMA', { skip: nativeExpected }, () => {
  const kernels = (env: Record<string, string>): string => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', '-e', "console.log(require('./src/core/linalg/wasm/kernel').kernelsInUse())"], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(res.status, 0, res.stderr);
    return res.stdout.trim();
  };
  assert.match(kernels({}), /^native-avx(512|2)$/);
  assert.equal(kernels({ ACTION_LENS_NO_FMA: '1' }), 'wasm-plain');
  assert.equal(kernels({ ACTION_LENS_NO_NATIVE: '1' }), 'wasm-fma');
  assert.equal(kernels({ ACTION_LENS_NO_WASM: '1' }), 'js');
});

test('the WebAssembly kernels are available on this Node, products with fused multiply-adds (the float64 engine relies on them for speed)', { skip: noFma }, () => {
  assert.ok(wasmAvailable());
  assert.ok(loadKernels()?.variants.fma, 'the fma variant compiled');
});

/** The native kernel's gemmStrided and the wasm variant with the same arithmetic (fused, unless the native build is the baseline one). */
function kernelPair(): { heap: WasmHeap; native: GemmExports['gemmStrided']; wasm: GemmExports['gemmStrided'] } {
  const k = loadKernels();
  assert.ok(k && k.variants.native, 'native kernel loaded');
  const wasm = k.nativeIsa === 'baseline' ? k.variants.plain : k.variants.fma ?? k.variants.plain;
  return { heap: k.heap, native: k.variants.native.gemm.gemmStrided, wasm: wasm.gemm.gemmStrided };
}

/** Seeded integers in [lo, hi] and matrices of normal numbers (in `heap` when given) for the randomized comparisons. */
function randomSource(seed: number, heap?: WasmHeap): { int: (lo: number, hi: number) => number; filled: (size: number) => Float64Array } {
  const rng = new Rng(seed);
  return {
    int: (lo, hi) => lo + Math.floor(rng.uniform() * (hi - lo + 1)),
    filled: (size) => {
      const v = heap ? heap.alloc(size) : new Float64Array(size);
      for (let i = 0; i < size; i++) v[i] = rng.normal();
      return v;
    },
  };
}

/** Runs `body` once with the native kernel's AVX-512 code and once with the code AVX2 and other machines run (the same where the CPU lacks AVX-512). */
function withEachCode(body: (code: string) => void): void {
  const native = loadKernels()?.native;
  assert.ok(native, 'native kernel loaded');
  try {
    for (const wide of [true, false]) body(native.useWideCode(wide) ? 'AVX-512 code' : 'other machines\' code');
  } finally {
    native.useWideCode(true);
  }
}

test('the native kernel computes what the wasm kernel computes, to the bit, and takes any shape in place: 500 random products (strides, bias, accumulation, triangular flags, epilogues; n and m odd or multiples of 4) against the wasm kernel on zero-padded copies, with the AVX-512 code and with other machines\'', { skip: noNative }, () => withEachCode((code) => {
  const { heap, native, wasm } = kernelPair();
  const { int, filled } = randomSource(7, heap);
  /** A copy of a rows x cols matrix (row stride ld) with row stride ldTo and rowsTo rows, zeros elsewhere. */
  const padded = (v: Float64Array, rows: number, cols: number, ld: number, rowsTo: number, ldTo: number): Float64Array => {
    const out = heap.alloc(rowsTo * ldTo);
    for (let r = 0; r < rows; r++) out.set(v.subarray(r * ld, r * ld + cols), r * ldTo);
    return out;
  };
  const up4 = (v: number): number => Math.ceil(v / 4) * 4;
  for (let trial = 0; trial < 500; trial++) {
    const n = int(1, 64);
    const m = int(1, 64);
    const kk = int(1, 40);
    const np = up4(n);
    const mp = up4(m);
    const transA = int(0, 1) === 1;
    const lda = (transA ? n : kk) + int(0, 3);
    const ldb = m + int(0, 3);
    const ldo = m + int(0, 3);
    const mode = int(0, 2);
    const tri = int(0, 9) < 3 ? int(1, 63) : 0;
    const auxMode = mode === 2 ? 0 : int(0, 2);
    const a = filled(transA ? kk * lda : n * lda);
    const b = filled(kk * ldb);
    const bias = filled(m);
    const out = filled(n * ldo);
    const aux = filled(n * ldo);
    const start = Float64Array.from(out);
    const auxStart = Float64Array.from(aux);
    // The wasm kernel's problem: n and m padded to multiples of 4 with zeros.
    const ldaP = transA ? Math.max(lda, np) : lda;
    const aP = transA ? padded(a, kk, n, lda, kk, ldaP) : padded(a, n, kk, lda, np, lda);
    const ldbP = Math.max(ldb, mp);
    const bP = padded(b, kk, m, ldb, kk, ldbP);
    const biasP = padded(bias, 1, m, m, 1, mp);
    const ldoP = Math.max(ldo, mp);
    const outP = padded(out, n, m, ldo, np, ldoP);
    const auxP = padded(aux, n, m, ldo, np, ldoP);
    native(n, m, kk, a.byteOffset, transA ? 1 : lda, transA ? lda : 1, b.byteOffset, ldb, out.byteOffset, ldo, bias.byteOffset, mode, tri, auxMode ? aux.byteOffset : 0, auxMode);
    wasm(np, mp, kk, aP.byteOffset, transA ? 1 : ldaP, transA ? ldaP : 1, bP.byteOffset, ldbP, outP.byteOffset, ldoP, biasP.byteOffset, mode, tri, auxMode ? auxP.byteOffset : 0, auxMode);
    const what = `${code}, trial ${trial}: ${n}x${m}x${kk} transA ${transA} mode ${mode} tri ${tri} aux ${auxMode}`;
    for (let r = 0; r < n; r++)
      for (let c = 0; c < ldo; c++) {
        const inside = c < m;
        assert.ok(Object.is(out[r * ldo + c], inside ? outP[r * ldoP + c] : start[r * ldo + c]), `${what}: out(${r}, ${c})`);
        assert.ok(Object.is(aux[r * ldo + c], inside ? auxP[r * ldoP + c] : auxStart[r * ldo + c]), `${what}: aux(${r}, ${c})`);
      }
    for (const v of [a, b, bias, out, aux, aP, bP, biasP, outP, auxP]) heap.release(v);
  }
}));

test('a product gives the same bits whether the wasm kernel stages its operands (JS arrays, odd shapes) or the native one reads them in place: accumulation, epilogues, triangles', { skip: noNative }, () => {
  const { int, filled: random } = randomSource(11);
  const bytes = (v: Float64Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  for (let trial = 0; trial < 150; trial++) {
    const n = int(5, 45);
    const m = int(5, 45);
    // Enough work that the wasm side stages into its kernel rather than taking the JS loops (WASM_MIN_WORK).
    const kk = Math.max(int(1, 30), Math.ceil(16384 / (n * m)));
    const transA = int(0, 1) === 1;
    const lda = (transA ? n : kk) + int(0, 3);
    const ldb = m + int(0, 3);
    const ldo = m + int(0, 3);
    const start = [{}, { bias: random(m) }, { accumulate: true }][int(0, 2)];
    const epilogue = 'accumulate' in start ? 0 : int(0, 2);
    const tri = int(0, 9) < 3 ? int(1, 63) : 0;
    const a = random(transA ? kk * lda : n * lda);
    const b = random(kk * ldb);
    const out0 = random(n * ldo);
    const aux0 = random(n * ldo);
    const run = (variant: KernelVariant, place: (v: Float64Array) => Float64Array): Float64Array[] => {
      const out = place(Float64Array.from(out0));
      const aux = place(Float64Array.from(aux0));
      const options: ProductOptions = { lda, ldb, ldo, tri, ...start, ...(epilogue === 1 ? { squares: aux } : epilogue === 2 ? { timesTwice: aux } : {}) };
      withVariant(variant, () => gemmAB(n, m, kk, place(a), transA, place(b), out, options));
      return [Float64Array.from(out), Float64Array.from(aux)];
    };
    const staged = run('fma', (v) => v);
    const inPlace = run('native', onHeap);
    const what = `trial ${trial}: ${n}x${m}x${kk} transA ${transA} ${Object.keys(start)} epilogue ${epilogue} tri ${tri}`;
    assert.ok(bytes(staged[0]).equals(bytes(inPlace[0])), `${what}: output`);
    assert.ok(bytes(staged[1]).equals(bytes(inPlace[1])), `${what}: epilogue matrix`);
  }
});

test('triangular products at the sizes training meets (the affine layer\'s three at d = 37 to 103, Gram sums of 256 rows into one half) give the wasm kernel\'s bits with the tiles of the big blocks, read nothing outside their triangles and leave the unwanted half as it was', { skip: noNative }, () => withEachCode((code) => {
  const { int, filled: random } = randomSource(13);
  const bytes = (v: Float64Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  for (const d of [37, 64, 100, 103]) {
    // Operands filled everywhere: a kernel that read past a triangle would differ from the wasm one.
    const cases: { what: string; n: number; m: number; k: number; transA: boolean; options: ProductOptions }[] = [
      { what: 'W = Lo Up', n: d, m: d, k: d, transA: false, options: { tri: TRI.aLower | TRI.bUpper } },
      { what: 'gLo = gM Up^T', n: d, m: d, k: d, transA: false, options: { tri: TRI.bLower | TRI.outLower } },
      { what: 'gUp = Lo^T gM', n: d, m: d, k: d, transA: true, options: { tri: TRI.aUpper | TRI.outUpper } },
      { what: 'Gram, accumulated', n: d, m: d, k: 256, transA: true, options: { tri: TRI.outLower, accumulate: true } },
      { what: 'upper half from a bias', n: d, m: d, k: 64 + int(0, 40), transA: false, options: { tri: TRI.outUpper | TRI.aUpper, bias: random(d) } },
    ];
    for (const { what, n, m, k, transA, options } of cases) {
      const a = random(n * k);
      const b = random(k * m);
      const out0 = random(n * m);
      const run = (variant: KernelVariant): Float64Array => {
        const out = onHeap(Float64Array.from(out0));
        withVariant(variant, () => gemmAB(n, m, k, onHeap(a), transA, onHeap(b), out, options));
        return Float64Array.from(out);
      };
      assert.ok(bytes(run('fma')).equals(bytes(run('native'))), `${code}, d = ${d}: ${what}`);
    }
  }
}));

test('the native kernel refuses a product that would reach outside the kernel heap (wasm would trap) and runs the same product inside it', { skip: noNative }, () => {
  const k = loadKernels();
  const heap = kernelHeap();
  assert.ok(k && heap && k.variants.native);
  const native = k.variants.native.gemm.gemmStrided;
  const a = heap.alloc(64);
  const b = heap.alloc(64);
  const out = heap.alloc(64);
  const end = heap.byteLength;
  const reject = /outside the kernel heap/;
  // 8 x 8 from A at the heap's last 64 bytes: rows 1-7 lie beyond it.
  assert.throws(() => native(8, 8, 8, end - 64, 8, 1, b.byteOffset, 8, out.byteOffset, 8, 0, 0, 0, 0, 0), reject, 'A past the end');
  assert.throws(() => native(4, 4, 4, a.byteOffset, 4, 1, b.byteOffset, 4, end - 8, 4, 0, 0, 0, 0, 0), reject, 'output past the end');
  assert.throws(() => native(4, 4, 4, a.byteOffset, 4, 1, 0, 4, out.byteOffset, 4, 0, 0, 0, 0, 0), reject, 'null operand');
  assert.throws(() => native(4, 4, 4, a.byteOffset, 4, 1, b.byteOffset, 4, out.byteOffset, 4, 0, 1, 0, 0, 0), reject, 'bias mode without a bias');
  assert.throws(() => native(4, 4, 4, a.byteOffset, 4, 1, b.byteOffset, 4, out.byteOffset, 4, 0, 0, 0, 0, 1), reject, 'epilogue without its matrix');
  native(4, 4, 4, a.byteOffset, 4, 1, b.byteOffset, 4, out.byteOffset, 4, 0, 0, 0, 0, 0);
  for (const v of [a, b, out]) heap.release(v);
});
