import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareWithExact,
  cumulants,
  defaultMaxOrder,
  exactCumulantSet,
  gaussianCumulantSet,
} from '../../src/core/cumulants';
import { accumulate } from '../../src/core/cumulants/accumulate';
import { loadKernels, useKernelVariant } from '../../src/core/linalg/wasm/kernel';
import type { CumulantSet } from '../../src/core/report/schema';
import { Rng } from '../../src/core/util/rng';
import { assertMatchesBrute, skewedData } from './brute-force';

test('matches a brute-force implementation (values and jackknife errors) to 1e-12 relative, d = 3', () => {
  const rng = new Rng(2024);
  const d = 3;
  // 57 rows in 5 blocks: unequal block sizes (11 or 12 rows).
  for (const [n, blocks] of [
    [57, 5],
    [200, 20],
  ]) {
    const x = skewedData(rng, n, d);
    assertMatchesBrute(cumulants(x, n, d, { blocks }), x, n, d, 4, blocks);
  }
});

test('matches brute force with fewer rows than blocks (delete-one jackknife) and for each maxOrder', () => {
  const rng = new Rng(7);
  const d = 3;
  const n = 9;
  const x = skewedData(rng, n, d);
  assertMatchesBrute(cumulants(x, n, d, { blocks: 20 }), x, n, d, 4, n);
  for (let K = 1; K <= 3; K++) assertMatchesBrute(cumulants(x, n, d, { maxOrder: K, blocks: 3 }), x, n, d, K, 3);
});

test('matches brute force for other widths (d = 1, 2, 5, 6, 9) and every maxOrder', () => {
  const rng = new Rng(77);
  for (const d of [1, 2, 5, 6, 9]) {
    const n = 41;
    const x = skewedData(rng, n, d);
    for (let K = 1; K <= 4; K++) assertMatchesBrute(cumulants(x, n, d, { maxOrder: K, blocks: 4 }), x, n, d, K, 4);
  }
});

test('independent scaled exponential columns: kappa_k = (k-1)! s^k on the diagonal, 0 elsewhere, within 4 SE', () => {
  const rng = new Rng(99);
  const n = 50000;
  const scales = [1, 0.5, 2];
  const shifts = [0, -3, 5];
  const d = scales.length;
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) x[r * d + i] = shifts[i] - scales[i] * Math.log(1 - rng.uniform());
  const set = cumulants(x, n, d, { source: 'exp' });
  const fact = [1, 1, 2, 6];
  const exact = exactCumulantSet('truth', d, 4, (idx) => {
    const i = idx[0];
    if (!idx.every((j) => j === i)) return 0;
    return (idx.length === 1 ? shifts[i] : 0) + fact[idx.length - 1] * scales[i] ** idx.length;
  });
  const cmp = compareWithExact(set, exact);
  assert.equal(cmp.a, 'exp');
  assert.equal(cmp.b, 'truth');
  for (const o of cmp.orders) assert.ok(o.maxAbsZ < 4, `order ${o.order}: max |z| = ${o.maxAbsZ}`);
  // The errors have the right size.
  const k4 = set.orders[3][0];
  assert.deepEqual(k4.index, [0, 0, 0, 0]);
  // Asymptotic sd of kappa4 for Exp(1): sqrt(~11520 / n) = 0.48.
  assert.ok(k4.stdErr > 0.3 && k4.stdErr < 0.7, `stdErr ${k4.stdErr}`);
});

function gaussianSample(rng: Rng, n: number, mean: number[], chol: number[][]): Float64Array {
  const d = mean.length;
  const x = new Float64Array(n * d);
  const z = new Array<number>(d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) z[i] = rng.normal();
    for (let i = 0; i < d; i++) {
      let s = mean[i];
      for (let j = 0; j <= i; j++) s += chol[i][j] * z[j];
      x[r * d + i] = s;
    }
  }
  return x;
}

function covFromChol(chol: number[][]): number[] {
  const d = chol.length;
  const c = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let m = 0; m < d; m++) c[i * d + j] += (chol[i][m] ?? 0) * (chol[j][m] ?? 0);
  return c;
}

const CHOL = [
  [1.0],
  [0.6, 0.8],
  [-0.3, 0.5, 1.2],
  [0.2, 0.0, 0.4, 0.5],
];
const MEAN = [1, -2, 0.5, 3];

test('correlated Gaussian: kappa2 = covariance, kappa3 = kappa4 = 0, within 4 SE', () => {
  const rng = new Rng(5);
  const n = 40000;
  const x = gaussianSample(rng, n, MEAN, CHOL);
  const set = cumulants(x, n, MEAN.length, { source: 'gauss' });
  const cmp = compareWithExact(set, gaussianCumulantSet('truth', MEAN, covFromChol(CHOL), 4));
  assert.equal(cmp.orders.length, 4);
  for (const o of cmp.orders) assert.ok(o.maxAbsZ < 4, `order ${o.order}: max |z| = ${o.maxAbsZ}`);
  assert.equal(set.samples, n);
});

test('jackknife calibration: spread of estimates over 200 replicates matches the rms stdErr within 20%', () => {
  const rng = new Rng(31337);
  const reps = 200;
  const n = 2000;
  const d = 2;
  const sets: CumulantSet[] = [];
  for (let rep = 0; rep < reps; rep++) {
    // Mildly skewed, correlated: every order has non-zero entries.
    const x = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      const a = rng.normal();
      const b = rng.normal();
      x[r * d] = a;
      x[r * d + 1] = 0.5 * a + b + 0.3 * (b * b - 1);
    }
    sets.push(cumulants(x, n, d));
  }
  for (let k = 0; k < 4; k++) {
    for (let t = 0; t < sets[0].orders[k].length; t++) {
      const v = sets.map((s) => s.orders[k][t].value);
      const m = v.reduce((p, q) => p + q, 0) / reps;
      const sd = Math.sqrt(v.reduce((p, q) => p + (q - m) * (q - m), 0) / (reps - 1));
      // Root-mean-square stdErr, i.e. variances are compared: the plain mean of the errors is biased
      // low (Jensen) where the error estimate is itself noisy, as for kappa4 of the skewed column.
      const se = Math.sqrt(sets.reduce((p, s) => p + s.orders[k][t].stdErr ** 2, 0) / reps);
      const ratio = se / sd;
      assert.ok(ratio > 0.8 && ratio < 1.2, `order ${k + 1} [${sets[0].orders[k][t].index}]: mean stdErr ${se} vs spread ${sd} (ratio ${ratio})`);
    }
  }
});

test('contiguous blocks give honest errors for a correlated chain (AR(1), rho = 0.9)', () => {
  const rng = new Rng(4242);
  const reps = 100;
  const n = 20000;
  const rho = 0.9;
  const sets: CumulantSet[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const x = new Float64Array(n);
    let s = rng.normal();
    for (let r = 0; r < n; r++) {
      s = rho * s + Math.sqrt(1 - rho * rho) * rng.normal();
      x[r] = s;
    }
    sets.push(cumulants(x, n, 1, { maxOrder: 2 }));
  }
  for (let k = 0; k < 2; k++) {
    const v = sets.map((s) => s.orders[k][0].value);
    const m = v.reduce((p, q) => p + q, 0) / reps;
    const sd = Math.sqrt(v.reduce((p, q) => p + (q - m) * (q - m), 0) / (reps - 1));
    const se = Math.sqrt(sets.reduce((p, s) => p + s.orders[k][0].stdErr ** 2, 0) / reps);
    assert.ok(se / sd > 0.8 && se / sd < 1.2, `order ${k + 1}: mean stdErr ${se} vs spread ${sd}`);
  }
  // The naive iid error of the mean would be sqrt(1/n) ~ 0.007, about sqrt(19) times too small.
  assert.ok(sets[0].orders[0][0].stdErr > 0.02);
});

test('options: defaults, maxOrder, source, samples, and input validation', () => {
  const rng = new Rng(1);
  const mk = (n: number, d: number): Float64Array => {
    const x = new Float64Array(n * d);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    return x;
  };
  assert.equal(defaultMaxOrder(32), 4);
  assert.equal(defaultMaxOrder(33), 3);
  const s32 = cumulants(mk(24, 32), 24, 32);
  assert.equal(s32.orders.length, 4);
  assert.equal(s32.source, 'data');
  assert.equal(s32.samples, 24);
  const s33 = cumulants(mk(24, 33), 24, 33);
  assert.equal(s33.orders.length, 3);
  assert.equal(s33.orders[2].length, 6545);
  const s2 = cumulants(mk(50, 3), 50, 3, { maxOrder: 2, source: 'model' });
  assert.equal(s2.orders.length, 2);
  assert.equal(s2.source, 'model');

  assert.throws(() => cumulants(mk(10, 2), 10, 3), RangeError);
  assert.throws(() => cumulants(mk(1, 2), 1, 2), RangeError);
  assert.throws(() => cumulants(mk(10, 2), 10, 2, { maxOrder: 5 }), RangeError);
  assert.throws(() => cumulants(mk(10, 2), 10, 2, { maxOrder: 0 }), RangeError);
  assert.throws(() => cumulants(mk(10, 2), 10, 2, { blocks: 1 }), RangeError);
});

test('a constant column has zero cumulants above order 1 with zero error', () => {
  const n = 40;
  const x = new Float64Array(n * 2);
  const rng = new Rng(3);
  for (let r = 0; r < n; r++) {
    x[r * 2] = 2.5;
    x[r * 2 + 1] = rng.normal();
  }
  const set = cumulants(x, n, 2);
  assert.equal(set.orders[0][0].value, 2.5);
  assert.equal(set.orders[0][0].stdErr, 0);
  for (let k = 1; k < 4; k++) {
    const e = set.orders[k][0];
    assert.ok(e.index.every((i) => i === 0));
    assert.equal(e.value, 0);
    assert.equal(e.stdErr, 0);
  }
});

for (const variant of ['fma', 'plain'] as const) {
  const off = process.env.ACTION_LENS_NO_WASM || (variant === 'fma' && process.env.ACTION_LENS_NO_FMA) ? 'kernels turned off' : false;
  test(`the cumulant pass gives the same sums with its WebAssembly tiles (${variant}) as with its JS tiles (1e-12 relative)`, { skip: off }, () => {
    const before = loadKernels()?.variant ?? 'plain';
    assert.ok(useKernelVariant(variant));
    const rng = new Rng(77);
    for (const [d, n, maxOrder] of [
      [9, 1001, 4],
      [5, 777, 3],
      [40, 613, 4],
    ]) {
      const x = skewedData(rng, n, d);
      // About the mean of the first rows, as cumulants() does (sums stay well conditioned).
      const ref = Float64Array.from({ length: d }, (_, i) => 10 * (i + 1) + 0.1 * rng.normal());
      const starts = Int32Array.from([0, 300, 301, 640, n].filter((v, i, a) => v <= n && (i === 0 || v > a[i - 1])));
      const simd = accumulate(x, d, ref, maxOrder, starts);
      const js = accumulate(x, d, ref, maxOrder, starts, false);
      for (let k = 0; k < maxOrder; k++) {
        let scale = 0;
        for (const v of js.sums[k]) scale = Math.max(scale, Math.abs(v));
        for (let t = 0; t < js.sums[k].length; t++) {
          assert.ok(Math.abs(simd.sums[k][t] - js.sums[k][t]) <= 1e-12 * scale, `d ${d}, order ${k + 1}, entry ${t}: ${simd.sums[k][t]} vs ${js.sums[k][t]}`);
        }
      }
    }
    useKernelVariant(before);
  });
}
