import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCumulants, compareWithExact, cumulants, exactCumulantSet, zScore } from '../../src/core/cumulants';
import type { CumulantSet } from '../../src/core/report/schema';
import { Rng } from '../../src/core/util/rng';

/** Correlated, skewed rows: x0 exponential, x1 = x0/2 + gaussian, x2 gaussian with a square. */
function skewed(rng: Rng, n: number): Float64Array {
  const x = new Float64Array(n * 3);
  for (let r = 0; r < n; r++) {
    const e = -Math.log(1 - rng.uniform());
    const g = rng.normal();
    x[r * 3] = e;
    x[r * 3 + 1] = 0.5 * e + g;
    x[r * 3 + 2] = rng.normal() + 0.2 * g * g;
  }
  return x;
}

test('zScore: plain ratio, and the zero-error cases', () => {
  assert.equal(zScore(3, 3, -1, 4), 4 / 5);
  assert.equal(zScore(2, 0, 2, 0), 0);
  assert.equal(zScore(2, 0, 1, 0), Infinity);
  assert.equal(zScore(1, 0, 2, 0), -Infinity);
  assert.ok(Number.isNaN(zScore(NaN, 1, 0, 1)));
});

test('two independent samples of one distribution: z-scores roughly standard normal', () => {
  const rng = new Rng(8);
  const zs: number[] = [];
  for (let pair = 0; pair < 20; pair++) {
    const a = cumulants(skewed(rng, 5000), 5000, 3, { source: 'a' });
    const b = cumulants(skewed(rng, 5000), 5000, 3, { source: 'b' });
    const cmp = compareCumulants(a, b);
    assert.equal(cmp.a, 'a');
    assert.equal(cmp.b, 'b');
    assert.deepEqual(
      cmp.orders.map((o) => o.order),
      [1, 2, 3, 4],
    );
    for (const o of cmp.orders) {
      for (const e of o.entries) zs.push(e.z);
      const rms = Math.sqrt(o.entries.reduce((p, e) => p + e.z * e.z, 0) / o.entries.length);
      assert.ok(Math.abs(o.rmsZ - rms) < 1e-12);
      assert.equal(o.maxAbsZ, Math.max(...o.entries.map((e) => Math.abs(e.z))));
    }
  }
  const rms = Math.sqrt(zs.reduce((p, z) => p + z * z, 0) / zs.length);
  const mean = zs.reduce((p, z) => p + z, 0) / zs.length;
  const within2 = zs.filter((z) => Math.abs(z) < 2).length / zs.length;
  assert.ok(rms > 0.85 && rms < 1.15, `rms z ${rms}`);
  assert.ok(Math.abs(mean) < 0.2, `mean z ${mean}`);
  assert.ok(within2 > 0.9 && within2 < 0.99, `fraction |z| < 2: ${within2}`);
});

test('different distributions: large z where the cumulants differ', () => {
  const rng = new Rng(9);
  const n = 5000;
  // Same mean and variance (1, 1) per column, but exponential vs Gaussian: kappa3 2 vs 0, kappa4 6 vs 0.
  const e = new Float64Array(n * 2);
  const g = new Float64Array(n * 2);
  for (let i = 0; i < n * 2; i++) {
    e[i] = -Math.log(1 - rng.uniform());
    g[i] = 1 + rng.normal();
  }
  const cmp = compareCumulants(cumulants(e, n, 2, { source: 'exp' }), cumulants(g, n, 2, { source: 'gauss' }));
  assert.ok(cmp.orders[0].maxAbsZ < 4);
  assert.ok(cmp.orders[1].maxAbsZ < 4);
  assert.ok(cmp.orders[2].maxAbsZ > 10, `order 3 max |z| ${cmp.orders[2].maxAbsZ}`);
  assert.ok(cmp.orders[3].maxAbsZ > 5, `order 4 max |z| ${cmp.orders[3].maxAbsZ}`);
  const diag3 = cmp.orders[2].entries.find((x) => x.index.join() === '0,0,0');
  assert.ok(diag3 !== undefined && diag3.z > 10);
});

test('compareWithExact: z = (a - exact) / seA, the exact set stdErr ignored', () => {
  const rng = new Rng(10);
  const a = cumulants(skewed(rng, 3000), 3000, 3, { source: 'data' });
  const exact = exactCumulantSet('truth', 3, 4, (idx) => idx.length * 0.1);
  // An exact set that (wrongly) carries errors: compareWithExact must ignore them.
  const noisy: CumulantSet = { ...exact, orders: exact.orders.map((o) => o.map((e) => ({ ...e, stdErr: 100 }))) };
  for (const ex of [exact, noisy]) {
    const cmp = compareWithExact(a, ex);
    assert.equal(cmp.b, 'truth');
    for (const o of cmp.orders) {
      for (let t = 0; t < o.entries.length; t++) {
        const ea = a.orders[o.order - 1][t];
        assert.equal(o.entries[t].z, (ea.value - o.order * 0.1) / ea.stdErr);
        assert.equal(o.entries[t].b, o.order * 0.1);
      }
    }
  }
  // compareCumulants with the exact set itself (stdErr 0) gives the same z.
  assert.deepEqual(compareCumulants(a, exact), compareWithExact(a, exact));
});

test('exact against exact: z is 0 where equal, infinite where not', () => {
  const x = exactCumulantSet('x', 2, 2, (idx) => idx[0]);
  const y = exactCumulantSet('y', 2, 2, (idx) => idx[idx.length - 1]);
  const cmp = compareWithExact(x, y);
  // order 1: [0], [1] equal; order 2: [0,0] equal, [0,1] 0 vs 1, [1,1] equal.
  assert.deepEqual(cmp.orders[0].entries.map((e) => e.z), [0, 0]);
  assert.deepEqual(cmp.orders[1].entries.map((e) => e.z), [0, -Infinity, 0]);
  assert.equal(cmp.orders[1].maxAbsZ, Infinity);
  assert.equal(cmp.orders[0].rmsZ, 0);
});

test('orders compared up to the lower maxOrder; mismatched columns throw', () => {
  const rng = new Rng(12);
  const x = skewed(rng, 200);
  const a = cumulants(x, 200, 3, { maxOrder: 4 });
  const b = cumulants(x, 200, 3, { maxOrder: 2 });
  const cmp = compareCumulants(a, b);
  assert.equal(cmp.orders.length, 2);
  // The same rows: z is 0 up to rounding (maxOrder 4 sums order 2 inside its SIMD tiles, maxOrder 2 directly).
  for (const o of cmp.orders) assert.ok(o.maxAbsZ < 1e-9, `max |z| ${o.maxAbsZ}`);
  const two = cumulants(x.subarray(0, 300), 150, 2);
  assert.throws(() => compareCumulants(a, two), /entries/);
});
