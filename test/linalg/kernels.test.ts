// The product kernels (linalg/kernels.ts) on every variant against products by the definition, and
// the kernel heap. The native kernel's own tests: native-kernel.test.ts; the elementwise passes: rowwise.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gemmAB, gemmABjs, TRI, type ProductOptions } from '../../src/core/linalg/kernels';
import { sharedMemory, WasmHeap } from '../../src/core/linalg/wasm/heap';
import { Rng } from '../../src/core/util/rng';
import { naive, random, triangular, close, onHeap, noWasm, skipFor, withVariant } from './kernel-helpers';

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
