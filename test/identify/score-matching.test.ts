import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allMonomials, CandidateMonomials } from '../../src/core/identify/derivatives';
import { fitSupport, scoreMatchingGram } from '../../src/core/identify/score-matching';
import { cholesky, choleskyInverse, choleskySolve } from '../../src/core/linalg/cholesky';
import { Rng } from '../../src/core/util/rng';

function gaussianRows(n: number, mix: number[][], shift: number[], seed: number): Float64Array {
  const rng = new Rng(seed);
  const d = shift.length;
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const z = Array.from({ length: d }, () => rng.normal());
    for (let i = 0; i < d; i++) {
      let v = shift[i];
      for (let j = 0; j < d; j++) v += mix[i][j] * z[j];
      out[r * d + i] = v;
    }
  }
  return out;
}

test('Cholesky: factor, solve and inverse of a random SPD matrix against brute force; singular matrices are refused', () => {
  const rng = new Rng(2);
  const n = 7;
  const m = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += m[i * n + k] * m[j * n + k];
  for (let i = 0; i < n; i++) a[i * n + i] += 0.5;
  const l = cholesky(a, n);
  assert.ok(l);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += l[i * n + k] * l[j * n + k];
      assert.ok(Math.abs(s - a[i * n + j]) < 1e-12 * Math.abs(a[i * n + i]));
    }
  }
  const b = Array.from({ length: n }, () => rng.normal());
  const x = choleskySolve(l, n, b);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    assert.ok(Math.abs(s - b[i]) < 1e-10);
  }
  const inv = choleskyInverse(l, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-10);
    }
  }
  assert.equal(cholesky(Float64Array.from([1, 1, 1, 1]), 2), null);
});

test('score matching at K = 2 on Gaussian rows is exactly the inverse of the rows\' covariance (and its mean in the linear terms)', () => {
  const d = 3;
  const n = 4000;
  const rows = gaussianRows(n, [[1, 0, 0], [0.6, 0.8, 0], [-0.3, 0.2, 0.5]], [0.4, -0.2, 1.1], 7);
  const candidates = new CandidateMonomials(d, allMonomials(d, 2));
  const gram = scoreMatchingGram(rows, n, candidates, new Int32Array(n), 1);
  const all = Int32Array.from({ length: candidates.size }, (_, k) => k);
  const fit = fitSupport(rows, Int32Array.from({ length: n }, (_, r) => r), candidates, gram.a, gram.b, all);
  assert.ok(!('dependent' in fit));
  // The rows' mean and covariance (1/n), and the precision by brute force.
  const mean = new Array<number>(d).fill(0);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i] += rows[r * d + i] / n;
  const cov = new Float64Array(d * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] += ((rows[r * d + i] - mean[i]) * (rows[r * d + j] - mean[j])) / n;
  const l = cholesky(cov, d);
  assert.ok(l);
  const precision = choleskyInverse(l, d);
  const coefficient = (m: number[]): number => fit.coefficients[candidates.monomials().findIndex((t) => t.join() === m.join())];
  for (let i = 0; i < d; i++) {
    let linear = 0;
    for (let j = 0; j < d; j++) linear += precision[i * d + j] * mean[j];
    assert.ok(Math.abs(coefficient([i]) - linear) < 1e-9 * Math.max(1, Math.abs(linear)), `linear ${i}`);
    for (let j = i; j < d; j++) {
      const expected = i === j ? -0.5 * precision[i * d + i] : -precision[i * d + j];
      assert.ok(Math.abs(coefficient([i, j]) - expected) < 1e-9 * Math.max(1, Math.abs(expected)), `[${i},${j}]: ${coefficient([i, j])} vs ${expected}`);
    }
  }
});

test('A and b give the score-matching objective: 1/2 c^T A c + b^T c equals mean sum_i 1/2 (d_i S)^2 + d_i^2 S by finite differences', () => {
  const d = 2;
  const n = 300;
  const rows = gaussianRows(n, [[1, 0], [0.5, 0.7]], [0.3, -0.4], 3);
  const monomials = allMonomials(d, 4);
  const candidates = new CandidateMonomials(d, monomials);
  const gram = scoreMatchingGram(rows, n, candidates, new Int32Array(n), 1);
  const rng = new Rng(5);
  const c = Float64Array.from(monomials, () => 0.3 * rng.normal());
  const S = (x: number[]): number => monomials.reduce((s, m, k) => s + c[k] * m.reduce((p, i) => p * x[i], 1), 0);
  const h = 1e-4;
  let direct = 0;
  for (let r = 0; r < n; r++) {
    const x = [rows[r * d], rows[r * d + 1]];
    for (let i = 0; i < d; i++) {
      const up = x.map((v, k) => (k === i ? v + h : v));
      const down = x.map((v, k) => (k === i ? v - h : v));
      const grad = (S(up) - S(down)) / (2 * h);
      const lap = (S(up) - 2 * S(x) + S(down)) / (h * h);
      direct += (0.5 * grad * grad + lap) / n;
    }
  }
  let quadratic = 0;
  const p = monomials.length;
  for (let i = 0; i < p; i++) {
    quadratic += gram.b[i] * c[i];
    for (let j = 0; j < p; j++) quadratic += 0.5 * c[i] * gram.a[i * p + j] * c[j];
  }
  assert.ok(Math.abs(direct - quadratic) < 1e-5 * Math.max(1, Math.abs(direct)), `${direct} vs ${quadratic}`);
});

test('the sandwich standard errors match the spread of the fit over independent data sets (Gaussian, K = 2)', () => {
  const d = 2;
  const n = 400;
  const candidates = new CandidateMonomials(d, allMonomials(d, 2));
  const all = Int32Array.from({ length: candidates.size }, (_, k) => k);
  const index = Int32Array.from({ length: n }, (_, r) => r);
  const coefficients: number[][] = [];
  const errors: number[][] = [];
  for (let trial = 0; trial < 150; trial++) {
    const rows = gaussianRows(n, [[1, 0], [0.6, 0.8]], [0.2, 0.1], 100 + trial);
    const gram = scoreMatchingGram(rows, n, candidates, new Int32Array(n), 1);
    const fit = fitSupport(rows, index, candidates, gram.a, gram.b, all);
    assert.ok(!('dependent' in fit));
    coefficients.push(Array.from(fit.coefficients));
    errors.push(Array.from(fit.stdErr));
  }
  for (let k = 0; k < candidates.size; k++) {
    const mean = coefficients.reduce((s, c) => s + c[k], 0) / coefficients.length;
    const sd = Math.sqrt(coefficients.reduce((s, c) => s + (c[k] - mean) ** 2, 0) / (coefficients.length - 1));
    const se = errors.reduce((s, e) => s + e[k], 0) / errors.length;
    assert.ok(se > 0.8 * sd && se < 1.25 * sd, `${candidates.monomial(k)}: mean sandwich se ${se} vs spread ${sd}`);
  }
});

test('a candidate that is a combination of others on the rows is named, not fitted', () => {
  // Column 1 is constant (3): d_1 of x1^2 is 6 on every row, a multiple of d_1 x1 = 1.
  const n = 200;
  const rng = new Rng(9);
  const rows = new Float64Array(n * 2);
  for (let r = 0; r < n; r++) rows.set([rng.normal(), 3], 2 * r);
  const candidates = new CandidateMonomials(2, [[0], [1], [1, 1]]);
  const gram = scoreMatchingGram(rows, n, candidates, new Int32Array(n), 1);
  const fit = fitSupport(rows, Int32Array.from({ length: n }, (_, r) => r), candidates, gram.a, gram.b, Int32Array.from([0, 1, 2]));
  assert.deepEqual(fit, { dependent: 2 });
});
