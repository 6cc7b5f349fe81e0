import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianNll } from '../../src/core/train/gaussian';
import { Rng } from '../../src/core/util/rng';

/** The same NLL by another route: naive covariance, then Gauss-Jordan inverse and determinant (partial pivoting). */
function reference(train: Float64Array, nTrain: number, test: Float64Array, nTest: number, d: number): number {
  const mean = new Array<number>(d).fill(0);
  for (let r = 0; r < nTrain; r++) for (let i = 0; i < d; i++) mean[i] += train[r * d + i];
  for (let i = 0; i < d; i++) mean[i] /= nTrain;
  const a: number[][] = Array.from({ length: d }, () => new Array<number>(2 * d).fill(0));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let r = 0; r < nTrain; r++) s += (train[r * d + i] - mean[i]) * (train[r * d + j] - mean[j]);
      a[i][j] = s / nTrain;
    }
    a[i][d + i] = 1;
  }
  let logDet = 0;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const piv = a[c][c];
    logDet += Math.log(Math.abs(piv));
    for (let j = 0; j < 2 * d; j++) a[c][j] /= piv;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r][c];
      for (let j = 0; j < 2 * d; j++) a[r][j] -= f * a[c][j];
    }
  }
  let total = 0;
  for (let r = 0; r < nTest; r++) {
    let q = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q += (test[r * d + i] - mean[i]) * a[i][d + j] * (test[r * d + j] - mean[j]);
    total += 0.5 * q + 0.5 * logDet + 0.5 * d * Math.log(2 * Math.PI);
  }
  return total / nTest;
}

function correlatedRows(rng: Rng, n: number, d: number): Float64Array {
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    let prev = 0;
    for (let i = 0; i < d; i++) {
      prev = 0.6 * prev + rng.normal();
      x[r * d + i] = 5 + i + (1 + 0.1 * i) * prev;
    }
  }
  return x;
}

test('the Gaussian fit NLL equals an independent computation (several chunks of training rows, widths that run in the kernel and that do not)', () => {
  const rng = new Rng(3);
  for (const [d, nTrain] of [
    [3, 500],
    [12, 5000],
    [21, 4500],
  ]) {
    const train = correlatedRows(rng, nTrain, d);
    const nTest = 300;
    const testRows = correlatedRows(rng, nTest, d);
    const got = gaussianNll(train, nTrain, testRows, nTest, d);
    const want = reference(train, nTrain, testRows, nTest, d);
    assert.ok(Math.abs(got - want) <= 1e-10 * Math.abs(want), `d ${d}: ${got} vs ${want}`);
  }
});
