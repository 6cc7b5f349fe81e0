import { gemmAB, TRI } from '../linalg/kernels';
import { Scratch } from '../linalg/scratch';

/** Training rows centred per product (a chunk stays in cache; no centred copy of all rows). */
const CHUNK_ROWS = 2048;

/**
 * Mean -ln p of the rows `test` under the full-covariance Gaussian fitted (maximum likelihood) to the
 * rows `train`: the model the flow starts from, reported for scale.
 */
export function gaussianNll(train: Float64Array, nTrain: number, test: Float64Array, nTest: number, d: number): number {
  const mean = new Float64Array(d);
  for (let r = 0; r < nTrain; r++) for (let i = 0; i < d; i++) mean[i] += train[r * d + i] / nTrain;
  // Covariance (lower triangle): sum over chunks of C^T C for the centred rows C, in the product kernel.
  const scratch = new Scratch();
  const cov = scratch.get('cov', d * d);
  cov.fill(0);
  const chunk = scratch.get('chunk', Math.min(CHUNK_ROWS, nTrain) * d);
  for (let r0 = 0; r0 < nTrain; r0 += CHUNK_ROWS) {
    const m = Math.min(CHUNK_ROWS, nTrain - r0);
    for (let r = 0; r < m; r++) {
      const o = (r0 + r) * d;
      for (let i = 0; i < d; i++) chunk[r * d + i] = train[o + i] - mean[i];
    }
    gemmAB(d, d, m, chunk, true, chunk, cov, { accumulate: true, tri: TRI.outLower });
  }
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) cov[i * d + j] /= nTrain;
  // Cholesky of the covariance (lower triangle).
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = cov[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) return Number.NaN;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(l[i * d + i]);
  const y = new Float64Array(d);
  let total = 0;
  for (let r = 0; r < nTest; r++) {
    let q = 0;
    for (let i = 0; i < d; i++) {
      let s = test[r * d + i] - mean[i];
      for (let k = 0; k < i; k++) s -= l[i * d + k] * y[k];
      y[i] = s / l[i * d + i];
      q += y[i] * y[i];
    }
    total += 0.5 * q + 0.5 * logDet + 0.5 * d * Math.log(2 * Math.PI);
  }
  return total / nTest;
}
