import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { gemmAB, gemmABjs, TRI, type ProductOptions } from '../../src/core/linalg/kernels';
import { kernelHeap, loadKernels, useKernelVariant, wasmAvailable, type GemmExports, type KernelVariant } from '../../src/core/linalg/wasm/kernel';
import { sharedMemory, WasmHeap } from '../../src/core/linalg/wasm/heap';
import { Rng } from '../../src/core/util/rng';
import { MonotoneCubic } from '../../src/core/flow/cubic';
import { columnSums, gaussianHead, standardizeRows, weightedSum } from '../../src/core/linalg/rowwise';

/** op(A) B by the definition, one entry at a time. */
function naive(n: number, m: number, k: number, a: Float64Array, transA: boolean, b: Float64Array, start: Float64Array): Float64Array {
  const out = Float64Array.from(start);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < m; c++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += (transA ? a[j * n + r] : a[r * k + j]) * b[j * m + c];
      out[r * m + c] += s;
    }
  return out;
}

function random(size: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: size }, () => rng.normal());
}

/** Zeroes the entries of a rows x cols matrix that a triangular shape says are zero. */
function triangular(a: Float64Array, rows: number, cols: number, keep: (i: number, j: number) => boolean): Float64Array {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (!keep(i, j)) a[i * cols + j] = 0;
  return a;
}

function close(got: Float64Array, want: Float64Array, wanted: (r: number, c: number) => boolean, m: number, what: string): void {
  for (let i = 0; i < want.length; i++) {
    const r = Math.floor(i / m);
    const c = i % m;
    if (!wanted(r, c)) continue;
    assert.ok(Math.abs(got[i] - want[i]) <= 1e-12 * (1 + Math.abs(want[i])), `${what}: entry (${r}, ${c}) ${got[i]} vs ${want[i]}`);
  }
}

/** Copies `a` into the kernel heap (the in-place path) when there is one. */
function onHeap(a: Float64Array): Float64Array {
  const heap = kernelHeap();
  if (!heap) return a;
  const v = heap.alloc(a.length);
  v.set(a);
  return v;
}

/**
 * Set when a run deliberately turns the kernels off (npm run test:fallback runs the suites on the JS
 * paths): the tests of the kernels themselves are then skipped, everything else must still pass.
 */
const noWasm = process.env.ACTION_LENS_NO_WASM ? 'ACTION_LENS_NO_WASM is set' : false;
const noFma = noWasm || (process.env.ACTION_LENS_NO_FMA ? 'ACTION_LENS_NO_FMA is set' : false);
const noNative = noFma || (process.env.ACTION_LENS_NO_NATIVE ? 'ACTION_LENS_NO_NATIVE is set' : false);
const skipFor = (variant: KernelVariant): string | false => (variant === 'native' ? noNative : variant === 'fma' ? noFma : noWasm);

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

/** Runs `body` with the products on `variant`, then restores the default. */
function withVariant(variant: KernelVariant, body: () => void): void {
  const before = loadKernels()?.variant ?? 'plain';
  assert.ok(useKernelVariant(variant), `variant ${variant} available`);
  try {
    body();
  } finally {
    useKernelVariant(before);
  }
}

// Shapes: multiples of 4 (operands used in place on the heap) and odd ones (copied through staging).
const shapes: [number, number, number][] = [
  [64, 32, 48],
  [37, 29, 41],
  [40, 20, 1],
];
for (const [n, m, k] of shapes) {
  for (const transA of [false, true]) {
    for (const [place, variant] of [['js arrays', 'fma'], ['heap', 'fma'], ['heap', 'plain'], ['js arrays', 'native'], ['heap', 'native']] as const) {
      test(`op(A) B, ${n}x${m}x${k}, transA ${transA}, operands in ${place}, ${variant} kernel: zero start, bias, accumulate`, { skip: skipFor(variant) }, () => withVariant(variant, () => {
        const rng = new Rng(n * 1000 + m + k);
        const put = place === 'heap' ? onHeap : (a: Float64Array): Float64Array => a;
        const a = put(random(n * k, rng));
        const b = put(random(k * m, rng));
        const bias = random(m, rng);
        const prior = random(n * m, rng);
        const biasRows = Float64Array.from({ length: n * m }, (_, i) => bias[i % m]);
        const cases: [string, ProductOptions, Float64Array, Float64Array][] = [
          ['zero start', {}, new Float64Array(n * m), new Float64Array(n * m)],
          ['bias', { bias }, biasRows, new Float64Array(n * m)],
          ['accumulate', { accumulate: true }, prior, Float64Array.from(prior)],
        ];
        for (const [what, options, start, init] of cases) {
          const want = naive(n, m, k, a, transA, b, start);
          const out = put(Float64Array.from(init));
          gemmAB(n, m, k, a, transA, b, out, options);
          close(out, want, () => true, m, `kernel, ${what}`);
          const outJs = Float64Array.from(init);
          gemmABjs(n, m, k, a, transA, b, outJs, options);
          close(outJs, want, () => true, m, `JS, ${what}`);
        }
        // The elementwise steps after a product (the coupling layer's): squares written beside the
        // output, or the output times twice another matrix.
        for (const [what, options, start] of [['zero start', {}, new Float64Array(n * m)], ['bias', { bias }, biasRows]] as const) {
          const want = naive(n, m, k, a, transA, b, start);
          const out = put(new Float64Array(n * m));
          const squares = put(new Float64Array(n * m));
          gemmAB(n, m, k, a, transA, b, out, { ...options, squares });
          close(out, want, () => true, m, `squares beside, ${what}: the product`);
          assert.ok(squares.every((v, i) => v === out[i] * out[i]), `squares beside, ${what}: the squares`);
          const other = put(random(n * m, rng));
          const scaled = put(new Float64Array(n * m));
          gemmAB(n, m, k, a, transA, b, scaled, { ...options, timesTwice: other });
          close(scaled, want.map((v, i) => v * 2 * other[i]), () => true, m, `times twice, ${what}`);
        }
      }));
    }
  }
}

for (const variant of ['native', 'fma', 'plain'] as const) test(`triangular products skip zeros and unwanted halves, and the wanted entries are exact (${variant} kernel)`, { skip: skipFor(variant) }, () => withVariant(variant, () => {
  for (const d of [32, 30]) {
    const rng = new Rng(d);
    const lower = (i: number, j: number): boolean => j <= i;
    const upper = (i: number, j: number): boolean => j >= i;
    const lo = onHeap(triangular(random(d * d, rng), d, d, lower));
    const up = onHeap(triangular(random(d * d, rng), d, d, upper));
    const dense = onHeap(random(d * d, rng));
    const zero = new Float64Array(d * d);
    const all = (): boolean => true;
    // Lo Up (A lower, B upper): every entry wanted.
    let out = onHeap(new Float64Array(d * d));
    gemmAB(d, d, d, lo, false, up, out, { tri: TRI.aLower | TRI.bUpper });
    close(out, naive(d, d, d, lo, false, up, zero), all, d, `d ${d}: Lo Up`);
    // G Lo (B lower), strictly lower part wanted.
    out = onHeap(new Float64Array(d * d));
    gemmAB(d, d, d, dense, false, lo, out, { tri: TRI.bLower | TRI.outLower });
    close(out, naive(d, d, d, dense, false, lo, zero), (r, c) => c < r, d, `d ${d}: G Lo`);
    // Lo^T G (A = Lo^T upper), upper part wanted.
    out = onHeap(new Float64Array(d * d));
    gemmAB(d, d, d, lo, true, dense, out, { tri: TRI.aUpper | TRI.outUpper });
    close(out, naive(d, d, d, lo, true, dense, zero), (r, c) => c >= r, d, `d ${d}: Lo^T G`);
  }
}));

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

test('the native kernel computes what the wasm kernel computes, to the bit, and takes any shape in place: 500 random products (strides, bias, accumulation, triangular flags, epilogues; n and m odd or multiples of 4) against the wasm kernel on zero-padded copies', { skip: noNative }, () => {
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
    const n = int(1, 48);
    const m = int(1, 48);
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
    const what = `trial ${trial}: ${n}x${m}x${kk} transA ${transA} mode ${mode} tri ${tri} aux ${auxMode}`;
    for (let r = 0; r < n; r++)
      for (let c = 0; c < ldo; c++) {
        const inside = c < m;
        assert.ok(Object.is(out[r * ldo + c], inside ? outP[r * ldoP + c] : start[r * ldo + c]), `${what}: out(${r}, ${c})`);
        assert.ok(Object.is(aux[r * ldo + c], inside ? auxP[r * ldoP + c] : auxStart[r * ldo + c]), `${what}: aux(${r}, ${c})`);
      }
    for (const v of [a, b, bias, out, aux, aP, bP, biasP, outP, auxP]) heap.release(v);
  }
});

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

test('heap views stay valid when the heap grows, and released blocks are reused', () => {
  const memory = sharedMemory(1, 1024);
  assert.ok(memory);
  const heap = new WasmHeap(memory);
  const first = heap.alloc(100);
  first.fill(7);
  const big = heap.alloc(200_000); // grows the memory past its first page
  assert.ok(memory.buffer.byteLength >= 8 * 200_000);
  assert.equal(first.length, 100);
  assert.ok(first.every((v) => v === 7));
  assert.ok(heap.pointerOf(first) > 0 && heap.pointerOf(big) > heap.pointerOf(first));
  assert.equal(heap.pointerOf(new Float64Array(4)), -1);
  const at = heap.pointerOf(first);
  heap.release(first);
  const again = heap.alloc(90);
  assert.equal(heap.pointerOf(again), at);
  assert.ok(again.every((v) => v === 0), 'a reused block comes back zeroed');
});

test('the cubic layer gives the same rows, ln|det| and gradients from its WebAssembly pass as from its JS loops', { skip: noWasm }, () => {
  const heap = kernelHeap();
  assert.ok(heap);
  // d = 200: the row's Jacobian product is renormalized many times; rows scaled up to |u| ~ 1e3.
  for (const [d, scale] of [
    [8, 1],
    [200, 1],
    [40, 300],
  ] as const) {
    const n = 24;
    const rng = new Rng(d);
    const layer = new MonotoneCubic(d);
    for (let i = 0; i < layer.params.length; i++) layer.params[i] = 0.8 * rng.normal();
    const x = Float64Array.from({ length: n * d }, () => scale * rng.normal());
    const gy = Float64Array.from({ length: n * d }, () => rng.normal());
    const run = (place: (a: Float64Array) => Float64Array): { y: Float64Array; logDet: Float64Array; gp: Float64Array; gx: Float64Array } => {
      const y = place(new Float64Array(n * d));
      const logDet = new Float64Array(n);
      layer.forward(place(Float64Array.from(x)), n, y, logDet);
      const gp = new Float64Array(2 * d);
      const gx = place(new Float64Array(n * d));
      layer.backward(place(Float64Array.from(x)), n, place(Float64Array.from(gy)), -0.3, gp, gx);
      return { y: Float64Array.from(y), logDet, gp, gx: Float64Array.from(gx) };
    };
    const js = run((a) => a);
    const wasm = run(onHeap);
    for (const key of ['y', 'logDet', 'gp', 'gx'] as const) {
      close(wasm[key], js[key], () => true, 1, `d ${d}, scale ${scale}: ${key}`);
    }
    assert.ok(js.logDet.every(Number.isFinite), 'finite ln|det|');
  }
});

test('column sums, standardization and the loss head agree between their WebAssembly and JS passes', { skip: noWasm }, () => {
  const n = 37;
  const d = 18;
  const rng = new Rng(5);
  const x = random(n * d, rng);
  const mean = random(d, rng);
  const inv = Float64Array.from({ length: d }, () => 0.5 + Math.abs(rng.normal()));
  const logDet = random(n, rng);
  const results = [(a: Float64Array): Float64Array => a, onHeap].map((place) => {
    const sums = place(new Float64Array(d));
    columnSums(n, d, place(x), sums);
    const y = place(new Float64Array(n * d));
    standardizeRows(n, d, place(x), y, place(mean), place(inv));
    const g = place(new Float64Array(n * d));
    const loss = gaussianHead(n, d, place(x), g, place(logDet), 0.25, 1.5);
    return { sums: Float64Array.from(sums), y: Float64Array.from(y), g: Float64Array.from(g), loss: Float64Array.of(loss) };
  });
  const [js, wasm] = results;
  for (const key of ['sums', 'y', 'g', 'loss'] as const) close(wasm[key], js[key], () => true, 1, key);
  // And the JS pass against the definitions.
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += x[r * d + i];
    assert.ok(Math.abs(js.sums[i] - s) < 1e-12);
  }
  let loss = 0;
  for (let r = 0; r < n; r++) {
    let q = 0;
    for (let i = 0; i < d; i++) q += x[r * d + i] ** 2;
    loss += q / 2 + 1.5 - logDet[r];
  }
  assert.ok(Math.abs(js.loss[0] - loss) < 1e-10 * Math.abs(loss));
  assert.ok(Math.abs(js.y[3 * d + 5] - (x[3 * d + 5] - mean[5]) * inv[5]) < 1e-15);
});

test('the weighted sum of two gradients gives the same bits in its WebAssembly and JS passes, odd lengths included', { skip: noWasm }, () => {
  const rng = new Rng(6);
  for (const count of [1, 2, 7, 4225]) {
    const x = random(count, rng);
    const y = random(count, rng);
    const want = Float64Array.from(x, (v, i) => 0.375 * v + 0.625 * y[i]);
    const js = Float64Array.from(x);
    weightedSum(count, js, 0.375, y, 0.625);
    const wasm = onHeap(x);
    weightedSum(count, wasm, 0.375, onHeap(y), 0.625);
    assert.deepEqual(Array.from(js), Array.from(want), `JS, ${count}`);
    assert.deepEqual(Array.from(wasm), Array.from(want), `wasm, ${count}`);
  }
});

test('products on column blocks of wider matrices (row strides) read and write only their block', () => {
  for (const [n, m, k] of [
    [64, 16, 24],
    [30, 10, 70],
  ]) {
    for (const transA of [false, true]) {
      for (const place of ['js arrays', 'heap']) {
        const rng = new Rng(n + m + k);
        const put = place === 'heap' ? onHeap : (a: Float64Array): Float64Array => a;
        // A's block at column 2 of a (rows x (cols + 3)) matrix; B's at column 1 of k x (m + 5); out's at column 3 of n x (m + 6).
        const [aRows, aCols] = transA ? [k, n] : [n, k];
        const lda = aCols + 3;
        const ldb = m + 5;
        const ldo = m + 6;
        const aWide = random(aRows * lda, rng);
        const bWide = random(k * ldb, rng);
        const outWide = random(n * ldo, rng);
        const aBlock = Float64Array.from({ length: aRows * aCols }, (_, i) => aWide[Math.floor(i / aCols) * lda + 2 + (i % aCols)]);
        const bBlock = Float64Array.from({ length: k * m }, (_, i) => bWide[Math.floor(i / m) * ldb + 1 + (i % m)]);
        const prior = Float64Array.from({ length: n * m }, (_, i) => outWide[Math.floor(i / m) * ldo + 3 + (i % m)]);
        const want = naive(n, m, k, aBlock, transA, bBlock, prior);
        for (const kernel of ['kernel', 'JS'] as const) {
          const a = put(Float64Array.from(aWide));
          const b = put(Float64Array.from(bWide));
          const out = put(Float64Array.from(outWide));
          const args = [n, m, k, a.subarray(2), transA, b.subarray(1), out.subarray(3), { accumulate: true, lda, ldb, ldo }] as const;
          if (kernel === 'kernel') gemmAB(...args);
          else gemmABjs(...args);
          for (let r = 0; r < n; r++)
            for (let c = 0; c < ldo; c++) {
              const inBlock = c >= 3 && c < 3 + m;
              const expected = inBlock ? want[r * m + c - 3] : outWide[r * ldo + c];
              const got = out[r * ldo + c];
              assert.ok(Math.abs(got - expected) <= 1e-12 * (1 + Math.abs(expected)), `${kernel}, ${place}, ${n}x${m}x${k} transA ${transA}: (${r}, ${c}) ${got} vs ${expected}`);
            }
        }
      }
    }
  }
});

test('the heap blocks of collected flows are reused: training 300 throwaway flows does not grow the heap after the first 100', { skip: noWasm }, () => {
  const script = join(__dirname, '..', 'fixtures', 'heap-reuse.ts');
  const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  const [first, second, third] = JSON.parse(res.stdout) as number[];
  assert.ok(second <= first * 1.05 && third <= first * 1.05, `heap bytes after 100, 200, 300 flows: ${first}, ${second}, ${third}`);
});
