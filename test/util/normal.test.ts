import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bonferroniZ, normalUpperTail, twoSidedP, upperQuantile } from '../../src/core/util/normal';

/** P(Z > z) by Simpson's rule on the density from z to z + 40 (independent of the series and continued fraction). */
function tailByQuadrature(z: number): number {
  const n = 200000;
  const h = 40 / n;
  const f = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  let s = f(z) + f(z + 40);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(z + i * h);
  return (s * h) / 3;
}

test('the upper tail equals quadrature of the density (both branches, far tails relative)', () => {
  for (const z of [-2.5, -0.3, 0, 0.7, 1.96, 3.4, 3.6, 5, 8, 12]) {
    const q = tailByQuadrature(z);
    assert.ok(Math.abs(normalUpperTail(z) - q) <= 1e-12 * q + 1e-300, `z = ${z}: ${normalUpperTail(z)} vs ${q}`);
  }
  // Far out, against the asymptotic series phi(z)/z (1 - 1/z^2 + 3/z^4 - 15/z^6).
  for (const z of [20, 30, 37]) {
    const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const asym = (phi / z) * (1 - 1 / z ** 2 + 3 / z ** 4 - 15 / z ** 6 + 105 / z ** 8);
    assert.ok(Math.abs(normalUpperTail(z) / asym - 1) < 1e-9, `z = ${z}`);
  }
  assert.equal(twoSidedP(0), 1);
  assert.ok(Math.abs(twoSidedP(-1.959963984540054) - 0.05) < 1e-15);
});

test('the quantile inverts the tail to float64 precision, from p = 0.9 to 1e-300', () => {
  for (const p of [0.9, 0.5, 0.3, 0.05, 0.025, 1e-3, 1e-8, 1e-20, 1e-100, 1e-300]) {
    const z = upperQuantile(p);
    assert.ok(Math.abs(normalUpperTail(z) / p - 1) < 1e-12, `p = ${p}: z = ${z}`);
  }
  assert.ok(Math.abs(upperQuantile(0.025) - 1.959963984540054) < 1e-14);
  assert.throws(() => upperQuantile(0), RangeError);
  // Bonferroni over m tests: the two-sided tail of the cut is alpha / m.
  assert.ok(Math.abs(twoSidedP(bonferroniZ(0.01, 35)) - 0.01 / 35) < 1e-15);
});
