import { cholesky } from '../linalg/cholesky';

/**
 * The closed-form part of the coupling start (start.ts): for a rotation Q of whitened rows y, the
 * least-squares regression of u_B on the quadratic features of u_A (u = Q y) and f = ln det of the
 * residual covariance, with its gradient with respect to Q.
 */

/** The features phi(u_A) = (1, u_1..u_k, u_a u_b for a <= b). */
export function featureCount(k: number): number {
  return 1 + k + (k * (k + 1)) / 2;
}

/** Lower-triangular Cholesky factor of a symmetric matrix, with a tiny ridge if it is needed. */
function choleskyRidged(a: Float64Array, n: number): Float64Array | null {
  const direct = cholesky(a, n, 1e-13);
  if (direct) return direct;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i];
  const b = Float64Array.from(a);
  for (let i = 0; i < n; i++) b[i * n + i] += 1e-10 * (trace / n);
  return cholesky(b, n, 1e-15);
}

/** Solves L L^T X = B in place for B with `cols` columns (row-major n x cols). */
function cholSolveMany(l: Float64Array, n: number, b: Float64Array, cols: number): void {
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * cols + c];
      for (let j = 0; j < i; j++) s -= l[i * n + j] * b[j * cols + c];
      b[i * cols + c] = s / l[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i * cols + c];
      for (let j = i + 1; j < n; j++) s -= l[j * n + i] * b[j * cols + c];
      b[i * cols + c] = s / l[i * n + i];
    }
  }
}

/** phi(u_A) of one row into out (length featureCount(k)). */
function features(u: Float64Array, o: number, k: number, out: Float64Array): void {
  out[0] = 1;
  for (let a = 0; a < k; a++) out[1 + a] = u[o + a];
  let f = 1 + k;
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) out[f++] = u[o + a] * u[o + b];
}

export interface QuadraticFit {
  /** ln det of the residual covariance. */
  f: number;
  /** beta (F x nb, row-major): v ~ beta^T phi(u_A). */
  beta: Float64Array;
  /** The residual covariance (nb x nb). */
  sigma: Float64Array;
}

/**
 * The regression of u_B on phi(u_A), u = y Q^T over m rows of y (m x d), and with `grad` the gradient
 * of f = ln det Sigma with respect to Q (d x d, written to grad). Null when the features are
 * degenerate on these rows.
 */
export function profileFit(y: Float64Array, m: number, d: number, q: Float64Array, k: number, grad?: Float64Array): QuadraticFit | null {
  const nb = d - k;
  const F = featureCount(k);
  const u = new Float64Array(m * d);
  for (let r = 0; r < m; r++) {
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += y[r * d + c] * q[a * d + c];
      u[r * d + a] = s;
    }
  }
  const A = new Float64Array(F * F);
  const B = new Float64Array(F * nb);
  const C = new Float64Array(nb * nb);
  const phi = new Float64Array(F);
  for (let r = 0; r < m; r++) {
    const o = r * d;
    features(u, o, k, phi);
    for (let i = 0; i < F; i++) {
      const pi = phi[i];
      for (let j = 0; j <= i; j++) A[i * F + j] += pi * phi[j];
      for (let b = 0; b < nb; b++) B[i * nb + b] += pi * u[o + k + b];
    }
    for (let a = 0; a < nb; a++) for (let b = 0; b <= a; b++) C[a * nb + b] += u[o + k + a] * u[o + k + b];
  }
  for (let i = 0; i < F; i++) for (let j = 0; j <= i; j++) A[j * F + i] = A[i * F + j] /= m;
  for (let i = 0; i < F * nb; i++) B[i] /= m;
  for (let a = 0; a < nb; a++) for (let b = 0; b <= a; b++) C[b * nb + a] = C[a * nb + b] /= m;
  const lA = choleskyRidged(A, F);
  if (!lA) return null;
  const beta = Float64Array.from(B);
  cholSolveMany(lA, F, beta, nb);
  // Sigma = C - B^T beta.
  const sigma = new Float64Array(nb * nb);
  for (let a = 0; a < nb; a++) {
    for (let b = 0; b < nb; b++) {
      let s = C[a * nb + b];
      for (let i = 0; i < F; i++) s -= B[i * nb + a] * beta[i * nb + b];
      sigma[a * nb + b] = s;
    }
  }
  for (let a = 0; a < nb; a++) for (let b = 0; b < a; b++) sigma[a * nb + b] = sigma[b * nb + a] = 0.5 * (sigma[a * nb + b] + sigma[b * nb + a]);
  const lS = cholesky(sigma, nb, 1e-14);
  if (!lS) return null;
  let f = 0;
  for (let a = 0; a < nb; a++) f += 2 * Math.log(lS[a * nb + a]);
  if (!grad) return { f, beta, sigma };
  // S = Sigma^-1; per row res = v - beta^T phi, df/dv = (2/m) S res, df/dphi = -(2/m) beta S res.
  const S = new Float64Array(nb * nb);
  for (let a = 0; a < nb; a++) S[a * nb + a] = 1;
  cholSolveMany(lS, nb, S, nb);
  grad.fill(0, 0, d * d);
  const gu = new Float64Array(d);
  const res = new Float64Array(nb);
  const sres = new Float64Array(nb);
  const gphi = new Float64Array(F);
  for (let r = 0; r < m; r++) {
    const o = r * d;
    features(u, o, k, phi);
    for (let b = 0; b < nb; b++) {
      let s = u[o + k + b];
      for (let i = 0; i < F; i++) s -= beta[i * nb + b] * phi[i];
      res[b] = s;
    }
    for (let a = 0; a < nb; a++) {
      let s = 0;
      for (let b = 0; b < nb; b++) s += S[a * nb + b] * res[b];
      sres[a] = (2 / m) * s;
    }
    gu.fill(0);
    for (let b = 0; b < nb; b++) gu[k + b] = sres[b];
    for (let i = 0; i < F; i++) {
      let s = 0;
      for (let b = 0; b < nb; b++) s -= beta[i * nb + b] * sres[b];
      gphi[i] = s;
    }
    for (let a = 0; a < k; a++) gu[a] += gphi[1 + a];
    let fi = 1 + k;
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        gu[a] += gphi[fi] * u[o + b];
        gu[b] += gphi[fi] * u[o + a];
        fi++;
      }
    }
    for (let a = 0; a < d; a++) {
      const g = gu[a];
      if (g !== 0) for (let c = 0; c < d; c++) grad[a * d + c] += g * y[o + c];
    }
  }
  return { f, beta, sigma };
}
