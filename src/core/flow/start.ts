import { cholesky, lowerInverse } from '../linalg/cholesky';
import { Rng } from '../util/rng';
import { pivotedLu } from './dense-lu';
import { featureCount, profileFit } from './start-fit';
import { conditioningRotation, POLISH_ROWS, strided } from './start-search';

/**
 * A start of the first block of a coupling flow from the data (docs/METHOD.md section 3.3).
 *
 * Why. A one-block coupling flow writes the whitened data y as z_A = W_A y (jointly Gaussian) and
 * z_B = W_B y + t(z_A) with t quadratic. Which subspace the conditioning half A spans is a discrete
 * choice in disguise: the likelihood has separate local optima for different assignments of the
 * data's directions to the two halves, and gradient descent keeps the one its first steps select, so
 * the answer depended on the seed (through the affine layer's permutation), however long it trained and
 * whatever the parametrization of W (docs/EXPERIMENTS.md, section "Seeds").
 *
 * What. For a given A (k orthonormal rows Q_A of a rotation Q of y, u = Q y), the best t and W_B follow
 * in closed form when t may be any quadratic map: regress v = u_B on the features
 * phi(u_A) = (1, u_A, u_a u_b for a <= b) by least squares; the residual covariance Sigma then gives
 * the likelihood, up to a constant, as -1/2 ln det Sigma (the profile likelihood of the subspace). We
 * minimise f(Q) = ln det Sigma over rotations from several random starts (gradient descent, the
 * gradient analytic: df = tr(Sigma^-1 dSigma) at the least-squares optimum), polish the best few on
 * more rows, and start the layers at the winner: W_A = Q_A L^-1, W_B = Sigma^-1/2 (Q_B - beta_lin^T
 * Q_A) L^-1, b_B = -Sigma^-1/2 beta_0 (x~ = L y, L the Cholesky factor of the correlation matrix), and
 * the coupling's hidden units holding the fitted quadratic part.
 */
/** The parameters of a coupling layer that the start sets (a structural view of QuadraticCoupling). */
export interface CouplingParams {
  readonly conditioner: Int32Array;
  readonly transformed: Int32Array;
  readonly hidden: number;
  params: Float64Array;
}

/**
 * The data-driven start of the first block: sets the coupling layer's parameters and returns the
 * first affine layer's matrix and bias (acting on standardized rows, the layer's output order), with
 * every pivot of its LU factorisation positive (so affineFromMatrix holds it exactly). Null when there
 * is none (too few rows, over budget, or degenerate data): the caller keeps the usual start.
 *
 * rows: n x d standardized training rows (mean 0, unit variance per column).
 */
export function couplingStartFromData(rows: Float64Array, n: number, d: number, layer: CouplingParams, seed: number): { matrix: Float64Array; bias: Float64Array } | null {
  const k = layer.conditioner.length;
  const nb = layer.transformed.length;
  if (k === 0 || nb === 0 || k + nb !== d || n < 4 * featureCount(k)) return null;
  // Whitening: C = L L^T (correlation of the standardized rows), y = L^-1 x~.
  const cov = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) cov[i * d + j] += rows[o + i] * rows[o + j];
  }
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) cov[j * d + i] = cov[i * d + j] /= n;
  const l = cholesky(cov, d, 1e-10);
  if (!l) return null;
  const lInv = lowerInverse(l, d);
  const y = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j <= i; j++) s += lInv[i * d + j] * rows[r * d + j];
      y[r * d + i] = s;
    }
  }
  const best = conditioningRotation(y, n, d, k, new Rng(seed ^ 0x57a27));
  if (!best) return null;
  const q = best.q;
  const mp = Math.min(n, POLISH_ROWS);
  const fit = profileFit(strided(y, n, d, mp), mp, d, q, k);
  if (!fit) return null;
  const F = featureCount(k);
  // G = Sigma^-1/2 in the form L_S^-1 (Sigma = L_S L_S^T): G v whitens the residual.
  const lS = cholesky(fit.sigma, nb, 1e-14);
  if (!lS) return null;
  const g = lowerInverse(lS, nb);
  // Rows in y coordinates, A then B: Q_A, and G (Q_B - beta_lin^T Q_A).
  const wy = new Float64Array(d * d);
  wy.set(q.subarray(0, k * d));
  for (let b = 0; b < nb; b++) {
    const row = new Float64Array(d);
    for (let c = 0; c < d; c++) {
      let s = q[(k + b) * d + c];
      for (let a = 0; a < k; a++) s -= fit.beta[(1 + a) * nb + b] * q[a * d + c];
      row[c] = s;
    }
    for (let b2 = 0; b2 < nb; b2++) {
      const gv = g[b2 * nb + b];
      if (gv !== 0) for (let c = 0; c < d; c++) wy[(k + b2) * d + c] += gv * row[c];
    }
  }
  // Rows in x~ coordinates (times L^-1), placed at the layer's conditioner and transformed indices.
  const place = [...Array.from(layer.conditioner), ...Array.from(layer.transformed)];
  const matrix = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let c = j; c < d; c++) s += wy[a * d + c] * lInv[c * d + j];
      matrix[place[a] * d + j] = s;
    }
  }
  const bias = new Float64Array(d);
  // b_B = -G beta_0; t(u_A) = -G beta_quad phi_2(u_A).
  for (let b2 = 0; b2 < nb; b2++) {
    let s = 0;
    for (let b = 0; b < nb; b++) s += g[b2 * nb + b] * fit.beta[b];
    bias[place[k + b2]] = -s;
  }
  const gamma = new Float64Array(nb * (F - 1 - k));
  for (let b2 = 0; b2 < nb; b2++) {
    for (let p = 0; p < F - 1 - k; p++) {
      let s = 0;
      for (let b = 0; b < nb; b++) s += g[b2 * nb + b] * fit.beta[(1 + k + p) * nb + b];
      gamma[b2 * (F - 1 - k) + p] = -s;
    }
  }
  // Signs: rows whose LU pivot is negative are flipped (an output's sign is a symmetry the coupling absorbs).
  const { lu, order } = pivotedLu(d, matrix);
  const rowSign = new Float64Array(d).fill(1);
  for (let j = 0; j < d; j++) if (lu[j * d + j] < 0) rowSign[order[j]] = -1;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) matrix[i * d + j] *= rowSign[i];
    bias[i] *= rowSign[i];
  }
  const signA = Array.from(layer.conditioner, (i) => rowSign[i]);
  const signB = Array.from(layer.transformed, (i) => rowSign[i]);
  setQuadraticPart(layer, k, nb, gamma, signA, signB, new Rng(seed ^ 0x9a55));
  return { matrix, bias };
}

/**
 * The coupling's t(u_A) = V (U u_A + c)^2 set to the quadratic map with coefficients gamma
 * (nb x k(k+1)/2, monomials u_a u_b for a <= b) in the flipped coordinates u'_a = signA_a u_a, outputs
 * times signB: hidden units along e_a (squares) and (e_a + e_b)/sqrt(2) (products), c = 0. With fewer
 * hidden units than monomials the squares come first and the rest of the map is left to training;
 * further units start with U small and random and V = 0.
 */
function setQuadraticPart(layer: CouplingParams, k: number, nb: number, gamma: Float64Array, signA: number[], signB: number[], rng: Rng): void {
  const h = layer.hidden;
  const p = layer.params;
  const offC = h * k;
  const offV = offC + h;
  const P = (k * (k + 1)) / 2;
  const monomial: Array<[number, number]> = [];
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) monomial.push([a, b]);
  // Units: squares first (a, a), then products (a, b).
  const units: Array<[number, number]> = [...monomial.filter(([a, b]) => a === b), ...monomial.filter(([a, b]) => a !== b)].slice(0, h);
  p.fill(0);
  units.forEach(([a, b], j) => {
    if (a === b) p[j * k + a] = signA[a];
    else {
      p[j * k + a] = Math.SQRT1_2 * signA[a];
      p[j * k + b] = Math.SQRT1_2 * signA[b];
    }
  });
  for (let j = units.length; j < h; j++) for (let a = 0; a < k; a++) p[j * k + a] = 0.1 * rng.normal();
  // (u_a + u_b)^2 / 2 = u_a u_b + (u_a^2 + u_b^2) / 2: products' units take gamma_ab, squares the rest.
  const unitOf = new Map(units.map(([a, b], j) => [a * k + b, j]));
  for (let b = 0; b < nb; b++) {
    const row = gamma.subarray(b * P, (b + 1) * P);
    const square = new Float64Array(k);
    monomial.forEach(([a1, a2], i) => {
      if (a1 === a2) square[a1] += row[i];
      else {
        const j = unitOf.get(a1 * k + a2);
        if (j === undefined) return;
        p[offV + b * h + j] = signB[b] * row[i];
        square[a1] -= 0.5 * row[i];
        square[a2] -= 0.5 * row[i];
      }
    });
    for (let a = 0; a < k; a++) {
      const j = unitOf.get(a * k + a);
      if (j !== undefined) p[offV + b * h + j] = signB[b] * square[a];
    }
  }
}
