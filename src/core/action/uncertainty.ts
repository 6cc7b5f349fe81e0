import type { Flow } from '../flow/flow';
import type { MonomialBasis } from '../poly/basis';
import { Rng } from '../util/rng';
import { gemmAB, gemmNT, TRI } from '../linalg/kernels';
import { kernelHeap } from '../linalg/wasm/kernel';
import { symmetricEigen } from './symmetric-eigen';
import { hasStructuredRoute } from '../flow/structured';
import { actionJet } from './extract';

/** Rows whose scores form one block of the Fisher matrix's product (fits in cache with P up to ~1,000). */
const SCORE_ROWS = 128;

export interface UncertaintyOptions {
  /** Rows used to estimate the Fisher information (a seeded subsample of the training rows). */
  maxRows: number;
  seed: number;
  /** The expansion point of the coefficients (raw units; default 0). */
  at?: ArrayLike<number>;
}

/**
 * Standard errors of the extracted coefficients by the delta method: the parameters' covariance is
 * the inverse Fisher information of the training rows, Cov = (N F)^+, F = mean of per-row score outer
 * products (the empirical Fisher, equal to the Hessian of the NLL at the optimum when the model is
 * right), and se(c_m) = sqrt(J_m Cov J_m^T) with J = dc/dtheta by central differences of the exact
 * extraction. The network's parameters are not identifiable (symmetries leave ln p unchanged), so
 * F is singular: the pseudo-inverse restricts the covariance to directions that change ln p, which
 * are the only ones the coefficients depend on. A local, asymptotic estimate: it says nothing about
 * other optima or model-class error.
 */
export function coefficientStdErrors(flow: Flow, basis: MonomialBasis, rows: Float64Array, n: number, options: UncertaintyOptions): Float64Array {
  const p = flow.paramCount;
  const m = Math.min(n, options.maxRows);
  const pick = new Rng(options.seed).permutation(n).subarray(0, m);
  const fisher = fisherInformation(flow, rows, pick);
  // Cov = (n F)^+ = sum over the kept eigenpairs of v v^T / (n lambda), so se(c_k)^2 is the sum of
  // (J_k . v)^2 / (n lambda): one product J V^T, no P x P covariance.
  const { vectors, lambdas } = keptEigenpairs(fisher, p, 1e-10);
  const q = lambdas.length;
  const jac = coefficientJacobian(flow, basis, options.at);
  const proj = new Float64Array(basis.size * q);
  if (q > 0) gemmNT(basis.size, q, p, jac, vectors, proj);
  const out = new Float64Array(basis.size);
  for (let k = 0; k < basis.size; k++) {
    let v = 0;
    for (let e = 0; e < q; e++) v += (proj[k * q + e] * proj[k * q + e]) / (n * lambdas[e]);
    out[k] = Math.sqrt(v);
  }
  return out;
}

/**
 * F = mean over the picked rows of g g^T, g a row's score (its gradient of -ln p): the scores of
 * SCORE_ROWS rows at a time in a block G, F += G^T G in the product kernel (lower triangle, then
 * mirrored). Blocks keep the product in cache (a single m x P block streamed all of G from memory
 * for every 4 x 4 tile) and memory at SCORE_ROWS x P, not m x P.
 */
function fisherInformation(flow: Flow, rows: Float64Array, pick: Int32Array): Float64Array {
  const p = flow.paramCount;
  const d = flow.dim;
  const m = pick.length;
  const heap = kernelHeap();
  const block = heap ? heap.alloc(SCORE_ROWS * p) : new Float64Array(SCORE_ROWS * p);
  const sum = heap ? heap.alloc(p * p) : new Float64Array(p * p);
  try {
    const row = new Float64Array(d);
    for (let start = 0; start < m; start += SCORE_ROWS) {
      const b = Math.min(SCORE_ROWS, m - start);
      for (let k = 0; k < b; k++) {
        const r = pick[start + k];
        row.set(rows.subarray(r * d, r * d + d));
        flow.lossAndGradient(row, 1, block.subarray(k * p, (k + 1) * p));
      }
      gemmAB(p, p, b, block, true, block, sum, { accumulate: true, tri: TRI.outLower });
    }
    const fisher = new Float64Array(p * p);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j <= i; j++) {
        const v = sum[i * p + j] / m;
        fisher[i * p + j] = v;
        fisher[j * p + i] = v;
      }
    }
    return fisher;
  } finally {
    if (heap) {
      heap.release(block);
      heap.release(sum);
    }
  }
}

/**
 * The eigenvectors (rows, q x n) and eigenvalues of a symmetric positive semi-definite matrix whose
 * eigenvalues exceed relTol times the largest: the directions a pseudo-inverse keeps (its
 * Moore-Penrose pseudo-inverse is the sum of v v^T / lambda over them).
 */
export function keptEigenpairs(a: Float64Array, n: number, relTol: number): { vectors: Float64Array; lambdas: Float64Array } {
  const { values, vectors } = symmetricEigen(a, n);
  const max = n > 0 ? values[n - 1] : 0;
  // Ascending: the kept ones are a tail.
  let first = n;
  while (first > 0 && values[first - 1] > relTol * max) first--;
  return { vectors: vectors.subarray(first * n), lambdas: values.subarray(first) };
}

/**
 * Rates of the standard-error code measured on this project's 2-core bench machine and rounded to
 * the slow side: a row's score (one-row loss and gradient), the products (Fisher blocks, projection;
 * multiply-adds per second), the eigen-decomposition (n^3 per second), and one exact extraction from
 * its size (coefficients x variables x layers) on each route: the structured route of
 * structured-extraction.ts (linear and unitwise layers, with a fixed cost) and the generic jet route
 * (coupling layers).
 */
const SECONDS_PER_SCORE_ROW = 3e-5;
const MULTIPLY_ADDS_PER_SECOND = 5e9;
const EIGEN_CUBES_PER_SECOND = 4e8;
const STRUCTURED_EXTRACTION = { fixed: 2e-3, perUnit: 4e-9 };
const GENERIC_EXTRACTION_PER_UNIT = 4.5e-8;

/**
 * What coefficientStdErrors would cost with `rows` rows, in seconds: two extractions per parameter,
 * the scores, the Fisher matrix (rows x P^2 / 2 multiply-adds), its eigen-decomposition (P^3) and
 * the projection of the coefficients' gradients (K x P^2). A model, not a timing of this run: whether
 * a report has standard errors must not depend on how busy the machine was (a seed reproduces the
 * same report), which a budget on measured time did.
 */
export function stdErrSecondsEstimate(flow: Flow, basis: MonomialBasis, rows: number): number {
  const p = flow.paramCount;
  const units = basis.size * flow.dim * flow.layers.length;
  const extraction = hasStructuredRoute(flow.layers) ? STRUCTURED_EXTRACTION.fixed + STRUCTURED_EXTRACTION.perUnit * units : GENERIC_EXTRACTION_PER_UNIT * units;
  return 2 * p * extraction + rows * SECONDS_PER_SCORE_ROW + ((rows / 2 + basis.size) * p * p) / MULTIPLY_ADDS_PER_SECOND + p ** 3 / EIGEN_CUBES_PER_SECOND;
}

/** dc_m / dtheta_j (basis.size x P, row-major) by central differences of the exact extraction around `at`. */
export function coefficientJacobian(flow: Flow, basis: MonomialBasis, at?: ArrayLike<number>): Float64Array {
  const p = flow.paramCount;
  const jac = new Float64Array(basis.size * p);
  for (let j = 0; j < p; j++) {
    const keep = flow.params[j];
    const h = 1e-5 * Math.max(1, Math.abs(keep));
    flow.params[j] = keep + h;
    const up = actionJet(flow, basis, 0, at);
    flow.params[j] = keep - h;
    const down = actionJet(flow, basis, 0, at);
    flow.params[j] = keep;
    for (let k = 0; k < basis.size; k++) jac[k * p + j] = (up[k] - down[k]) / (2 * h);
  }
  return jac;
}
