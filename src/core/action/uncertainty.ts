import type { Flow } from '../flow/flow';
import type { MonomialBasis } from '../poly/basis';
import { Rng } from '../util/rng';

export interface UncertaintyOptions {
  /** Rows used to estimate the Fisher information (a seeded subsample of the training rows). */
  maxRows: number;
  seed: number;
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
  const d = flow.dim;
  const m = Math.min(n, options.maxRows);
  const pick = new Rng(options.seed).permutation(n).subarray(0, m);
  const fisher = new Float64Array(p * p);
  const g = new Float64Array(p);
  const row = new Float64Array(d);
  for (const r of pick) {
    row.set(rows.subarray(r * d, r * d + d));
    flow.lossAndGradient(row, 1, g);
    for (let i = 0; i < p; i++) {
      const gi = g[i] / m;
      if (gi === 0) continue;
      for (let j = 0; j <= i; j++) fisher[i * p + j] += gi * g[j];
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) fisher[j * p + i] = fisher[i * p + j];
  const cov = pseudoInverse(fisher, p, 1e-10);
  for (let i = 0; i < p * p; i++) cov[i] /= n;
  const jac = coefficientJacobian(flow, basis);
  const out = new Float64Array(basis.size);
  const tmp = new Float64Array(p);
  for (let k = 0; k < basis.size; k++) {
    const jk = jac.subarray(k * p, (k + 1) * p);
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += cov[i * p + j] * jk[j];
      tmp[i] = s;
    }
    let v = 0;
    for (let i = 0; i < p; i++) v += jk[i] * tmp[i];
    out[k] = Math.sqrt(Math.max(0, v));
  }
  return out;
}

/** dc_m / dtheta_j (basis.size x P, row-major) by central differences of the exact extraction. */
export function coefficientJacobian(flow: Flow, basis: MonomialBasis): Float64Array {
  const p = flow.paramCount;
  const jac = new Float64Array(basis.size * p);
  for (let j = 0; j < p; j++) {
    const keep = flow.params[j];
    const h = 1e-5 * Math.max(1, Math.abs(keep));
    flow.params[j] = keep + h;
    const up = flow.actionJet(basis);
    flow.params[j] = keep - h;
    const down = flow.actionJet(basis);
    flow.params[j] = keep;
    for (let k = 0; k < basis.size; k++) jac[k * p + j] = (up[k] - down[k]) / (2 * h);
  }
  return jac;
}

/** Moore-Penrose pseudo-inverse of a symmetric positive semi-definite matrix (cyclic Jacobi eigen-decomposition). */
export function pseudoInverse(a: Float64Array, n: number, relTol: number): Float64Array {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j] ** 2;
    if (off < 1e-30) break;
    for (let pI = 0; pI < n; pI++) {
      for (let q = pI + 1; q < n; q++) {
        const apq = m[pI * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q] - m[pI * n + pI]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + pI];
          const mkq = m[k * n + q];
          m[k * n + pI] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[pI * n + k];
          const mqk = m[q * n + k];
          m[pI * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + pI];
          const vkq = v[k * n + q];
          v[k * n + pI] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
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
    for (let i = 0; i < n; i++) {
      const vik = v[i * n + k] / lambda;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += vik * v[j * n + k];
    }
  }
  return out;
}
