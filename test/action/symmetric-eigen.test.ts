import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigen } from '../../src/core/action/symmetric-eigen';
import { pseudoInverse } from '../helpers/pseudo-inverse';
import { Rng } from '../../src/core/util/rng';

function symmetric(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = rng.normal();
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

/** max |A v_k - lambda_k v_k| and max |V V^T - I|: what an eigen-decomposition must satisfy, checked directly. */
function defects(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): { residual: number; orthonormality: number } {
  let residual = 0;
  let orthonormality = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * vectors[k * n + j];
      residual = Math.max(residual, Math.abs(s - values[k] * vectors[k * n + i]));
    }
    for (let l = 0; l < n; l++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += vectors[k * n + j] * vectors[l * n + j];
      orthonormality = Math.max(orthonormality, Math.abs(s - (k === l ? 1 : 0)));
    }
  }
  return { residual, orthonormality };
}

test('symmetric eigen-decomposition: A v = lambda v, orthonormal vectors, ascending values (random, repeated and zero eigenvalues)', () => {
  const rng = new Rng(8);
  const cases: [string, Float64Array, number][] = [];
  for (const n of [1, 2, 3, 7, 40, 150]) cases.push([`random ${n}`, symmetric(n, rng), n]);
  const eye = new Float64Array(25);
  for (let i = 0; i < 5; i++) eye[i * 5 + i] = 2;
  cases.push(['2 I (one eigenvalue five times)', eye, 5], ['zero 4 x 4', new Float64Array(16), 4]);
  // Rank 3 in 30 dimensions: B B^T with B 30 x 3 (a Fisher matrix of a model with symmetries looks like this).
  const b = Float64Array.from({ length: 90 }, () => rng.normal());
  const lowRank = new Float64Array(900);
  for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) for (let k = 0; k < 3; k++) lowRank[i * 30 + j] += b[i * 3 + k] * b[j * 3 + k];
  cases.push(['rank 3 of 30', lowRank, 30]);
  for (const [what, a, n] of cases) {
    const { values, vectors } = symmetricEigen(a, n);
    let scale = 1;
    for (const x of a) scale = Math.max(scale, Math.abs(x));
    const { residual, orthonormality } = defects(a, n, values, vectors);
    assert.ok(residual < 1e-13 * scale * Math.max(1, n), `${what}: residual ${residual}`);
    assert.ok(orthonormality < 1e-13 * Math.max(1, n), `${what}: orthonormality ${orthonormality}`);
    for (let k = 1; k < n; k++) assert.ok(values[k] >= values[k - 1], `${what}: ascending`);
    // The trace is the sum of the eigenvalues.
    let trace = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    for (const v of values) sum += v;
    assert.ok(Math.abs(trace - sum) < 1e-12 * scale * n, `${what}: trace`);
  }
  // A known spectrum: [[2, 1], [1, 2]] has eigenvalues 1 and 3.
  const known = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
  assert.ok(Math.abs(known.values[0] - 1) < 1e-15 && Math.abs(known.values[1] - 3) < 1e-15);
});

/** The cyclic Jacobi pseudo-inverse the standard errors used before (a different algorithm, as a reference). */
function jacobiPseudoInverse(a: Float64Array, n: number, relTol: number): Float64Array {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const [x, y] = [m[k * n + p], m[k * n + q]];
          m[k * n + p] = c * x - s * y;
          m[k * n + q] = s * x + c * y;
        }
        for (let k = 0; k < n; k++) {
          const [x, y] = [m[p * n + k], m[q * n + k]];
          m[p * n + k] = c * x - s * y;
          m[q * n + k] = s * x + c * y;
        }
        for (let k = 0; k < n; k++) {
          const [x, y] = [v[k * n + p], v[k * n + q]];
          v[k * n + p] = c * x - s * y;
          v[k * n + q] = s * x + c * y;
        }
      }
    }
  }
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, m[i * n + i]);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lambda = m[k * n + k];
    if (!(lambda > relTol * max)) continue;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] += (v[i * n + k] * v[j * n + k]) / lambda;
  }
  return out;
}

test('pseudo-inverse of singular positive semi-definite matrices: the same as the Jacobi method\'s', () => {
  const rng = new Rng(9);
  for (const [n, rank] of [[12, 12], [25, 7], [60, 20]]) {
    const b = Float64Array.from({ length: n * rank }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < rank; k++) a[i * n + j] += b[i * rank + k] * b[j * rank + k];
    const got = pseudoInverse(a, n, 1e-10);
    const want = jacobiPseudoInverse(a, n, 1e-10);
    let scale = 0;
    let worst = 0;
    for (const x of want) scale = Math.max(scale, Math.abs(x));
    for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    assert.ok(worst < 1e-9 * scale, `n ${n}, rank ${rank}: ${worst} against entries up to ${scale}`);
  }
});
