/**
 * The numerical parts of the degenerate-data checks against independent computations: the column
 * summaries against a brute force (a Set of the values, two-pass moments), the correlation matrix
 * against its definition, and the residuals and combinations of the dependence search against least
 * squares by the normal equations solved by Gaussian elimination.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctIntegers, distinctValues, summarizeColumns } from '../../src/core/data/column-summary';
import { correlationMatrix, findDependence } from '../../src/core/data/dependence';
import { Rng } from '../../src/core/util/rng';

function columnOf(data: Float64Array, rows: number, d: number, j: number): number[] {
  return Array.from({ length: rows }, (_, r) => data[r * d + j]);
}

test('column summaries agree with a brute force on columns of every kind', () => {
  const rng = new Rng(3);
  const rows = 600;
  const makers: Array<(r: number) => number> = [
    () => rng.normal(),
    () => Math.floor(4 * rng.normal()),
    () => (rng.uniform() < 0.5 ? -0 : 0),
    () => Math.floor(rng.uniform() * 256) / 255,
    (r) => 3 + 0.5 * r,
    () => 7,
    () => 1e300 * rng.normal(),
    () => Math.floor(rng.uniform() * 300),
  ];
  const d = makers.length;
  const data = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) makers.forEach((f, j) => (data[r * d + j] = f(r)));
  const summaries = summarizeColumns(data, rows, d);
  summaries.forEach((s, j) => {
    const x = columnOf(data, rows, d, j);
    // -0 and 0 are one value.
    const plain = (v: number): number => (v === 0 ? 0 : v);
    const distinct = [...new Set(x)].map(plain).sort((a, b) => a - b);
    assert.ok(s.min === Math.min(...x) && s.max === Math.max(...x), `range of column ${j}`);
    assert.deepEqual(s.levels === null ? null : Array.from(s.levels, plain), distinct.length <= 256 ? distinct : null, `column ${j}`);
    assert.equal(s.integer, x.every(Number.isInteger));
    assert.equal(s.constant, distinct.length === 1);
    // Two passes in the column's own scale (1e300 * x squared would overflow).
    const scale = Math.max(...x.map(Math.abs)) || 1;
    const mean = x.reduce((a, v) => a + v / scale, 0) / rows;
    const sd = Math.sqrt(x.reduce((a, v) => a + (v / scale - mean) ** 2, 0) / rows) * scale;
    assert.ok(Math.abs(s.mean - mean * scale) <= 1e-12 * scale, `mean of column ${j}`);
    assert.ok(Math.abs(s.std - sd) <= 1e-12 * Math.max(sd, 1e-300), `std of column ${j}: ${s.std} vs ${sd}`);
  });
  assert.equal(summaries[4].step, 0.5);
  assert.ok(summaries.every((s, j) => j === 4 || s.step === null));
  assert.equal(summaries[3].resolution > 0, true);
});

test('distinct values: bisection and the integer table agree with a Set, and stop past the limit', () => {
  const rng = new Rng(8);
  for (let trial = 0; trial < 20; trial++) {
    const n = 1 + rng.int(400);
    const spread = 1 + rng.int(40);
    const x = Float64Array.from({ length: n }, () => rng.int(spread) - 7);
    const expected = [...new Set(x)].sort((a, b) => a - b);
    const limit = 1 + rng.int(40);
    const want = expected.length <= limit ? expected : null;
    const bisect = distinctValues(x, n, limit);
    const table = distinctIntegers(x, n, Math.min(...x), Math.max(...x), limit);
    assert.deepEqual(bisect === null ? null : Array.from(bisect), want);
    assert.deepEqual(table === null ? null : Array.from(table), want);
  }
});

/** Least squares of column j on columns `on` (standardized), by the normal equations and Gaussian elimination. */
function leastSquares(z: number[][], j: number, on: number[]): { beta: number[]; residual: number } {
  const q = on.length;
  const a = on.map((p) => on.map((k) => z.reduce((s, row) => s + row[p] * row[k], 0)));
  const b = on.map((p) => z.reduce((s, row) => s + row[p] * row[j], 0));
  for (let c = 0; c < q; c++) {
    let pivot = c;
    for (let r = c + 1; r < q; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    [b[c], b[pivot]] = [b[pivot], b[c]];
    for (let r = c + 1; r < q; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k < q; k++) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  const beta = new Array<number>(q).fill(0);
  for (let c = q - 1; c >= 0; c--) {
    let s = b[c];
    for (let k = c + 1; k < q; k++) s -= a[c][k] * beta[k];
    beta[c] = s / a[c][c];
  }
  const rss = z.reduce((s, row) => s + (row[j] - on.reduce((t, p, k) => t + beta[k] * row[p], 0)) ** 2, 0);
  const tss = z.reduce((s, row) => s + row[j] ** 2, 0);
  return { beta, residual: Math.sqrt(rss / tss) };
}

test('the dependence search finds copies and combinations with the least-squares coefficients, and near ones with their residual', () => {
  const rng = new Rng(11);
  const n = 3000;
  const d = 6;
  const rows = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const a = rng.normal();
    const b = 2 + 3 * rng.normal();
    const c = rng.normal();
    const o = r * d;
    rows.set([a, b, a, 2 * a - 0.5 * b + 3, c, c + a + 2e-4 * rng.normal()], o);
  }
  const mean = Array.from({ length: d }, (_, j) => columnOf(rows, n, d, j).reduce((s, v) => s + v, 0) / n);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(columnOf(rows, n, d, j).reduce((s, v) => s + (v - mean[j]) ** 2, 0) / n));
  const z = Array.from({ length: n }, (_, r) => Array.from({ length: d }, (_, j) => (rows[r * d + j] - mean[j]) / std[j]));
  const corr = correlationMatrix(rows, n, d, mean, std);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const direct = z.reduce((s, row) => s + row[i] * row[j], 0) / n;
      assert.ok(Math.abs(corr[i * d + j] - direct) < 1e-12, `R[${i}, ${j}]`);
    }
  }
  const result = findDependence(corr, d, 1e-3, (fit) => fit.residual <= 1e-6);
  assert.deepEqual(result.basis, [0, 1, 4, 5]);
  assert.deepEqual(
    result.fits.map((f) => [f.column, f.dependent]),
    [
      [2, true],
      [3, true],
      [5, false],
    ],
  );
  for (const fit of result.fits) {
    const ls = leastSquares(z, fit.column, fit.on);
    assert.ok(Math.abs(fit.residual - ls.residual) < 1e-6, `residual of ${fit.column}: ${fit.residual} vs ${ls.residual}`);
    fit.beta.forEach((b, k) => assert.ok(Math.abs(b - ls.beta[k]) < 1e-6, `beta ${k} of ${fit.column}`));
  }
  assert.ok(result.fits[2].residual > 1e-5 && result.fits[2].residual < 1e-3);
});
