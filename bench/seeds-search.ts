/**
 * Does the coupling start's search (src/core/flow/start-search.ts) find the teacher's split? On the
 * rows bench/seeds-probe.ts trains on (teacher T, split seed S), per seed: f = ln det Sigma at the
 * teacher's conditioning subspace and at the one found, their overlap (mean squared cosine of the
 * principal angles: 1 = the same subspace, 0.5 = one direction of two right), and the started flow's
 * held-out NLL above the teacher's (docs/EXPERIMENTS.md, section "Seeds"). No training.
 *
 *   node --import tsx bench/seeds-search.ts <teacher seed> <seeds, e.g. 0,1,2>
 */
import { probeData } from './seeds-probe';
import { AffineLU } from '../src/core/flow/affine';
import { QuadraticCoupling } from '../src/core/flow/coupling';
import { buildFlow } from '../src/core/flow/build';
import { cholesky, lowerInverse } from '../src/core/linalg/cholesky';
import { profileFit } from '../src/core/flow/start-fit';
import { conditioningRotation } from '../src/core/flow/start-search';
import { Rng } from '../src/core/util/rng';

const t = Number(process.argv[2]);
for (const seed of process.argv[3].split(',').map(Number)) {
  const data = probeData(t, 20000, seed);
  const d = 4, n = data.nTrain;
  const X = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) X[r * d + j] = (data.train[r * d + j] - data.mean[j]) / data.std[j];
  const C = new Float64Array(d * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) C[i * d + j] += (X[r * d + i] * X[r * d + j]) / n;
  const L = cholesky(C, d, 1e-12)!;
  const Li = lowerInverse(L, d);
  const y = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) { let s = 0; for (let j = 0; j < d; j++) s += Li[i * d + j] * X[r * d + j]; y[r * d + i] = s; }
  const aff = data.teacher.layers.find((l): l is AffineLU => l instanceof AffineLU)!;
  const cp = data.teacher.layers.find((l): l is QuadraticCoupling => l instanceof QuadraticCoupling)!;
  const W = aff.matrix();
  // The teacher's W_A in whitened coordinates (rows of W_A D L), completed to an orthonormal basis.
  const rows: number[][] = [];
  for (const a of cp.conditioner) { const row = new Array(d).fill(0); for (let c = 0; c < d; c++) for (let j = 0; j < d; j++) row[c] += W[a * d + j] * data.std[j] * L[j * d + c]; rows.push(row); }
  for (let e = 0; e < d; e++) { const row = new Array(d).fill(0); row[e] = 1; rows.push(row); }
  const q: number[][] = [];
  for (const r0 of rows) { const r = [...r0]; for (const b of q) { const dot = r.reduce((s, x, i) => s + x * b[i], 0); for (let i = 0; i < d; i++) r[i] -= dot * b[i]; } const nn = Math.hypot(...r); if (nn > 1e-6 && q.length < d) q.push(r.map((x) => x / nn)); }
  const Q = Float64Array.from(q.flat());
  const fTrue = profileFit(y, n, d, Q, 2)!.f;
  const t0 = Date.now();
  const found = conditioningRotation(y, n, d, 2, new Rng(seed ^ 0x57a27))!;
  const fFound = profileFit(y, n, d, found.q, 2)!.f;
  // Overlap: |Q_A(found) Q_A(true)^T|_F^2 / k, the mean squared cosine of the principal angles.
  let ov = 0; for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) { let s = 0; for (let c = 0; c < d; c++) s += found.q[a * d + c] * Q[b * d + c]; ov += s * s; }
  const flow = buildFlow(data.mean, data.std, { layerKind: 'coupling', layers: 1, hidden: 4, seed, start: { rows: data.train, n } });
  const startExcess = flow.meanNll(data.val, data.nVal) - data.trueValNll;
  console.log(`t${t} seed ${seed}: f true ${fTrue.toFixed(4)} found ${fFound.toFixed(4)} (search f ${found.f.toFixed(4)}), overlap ${(ov / 2).toFixed(4)}, start excess ${startExcess.toFixed(4)}, ${Date.now() - t0} ms`);
}
