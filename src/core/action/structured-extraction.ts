import { MonomialBasis } from '../poly/basis';
import { blockProductTable, gradedProduct, linearFormPower } from '../poly/blocks';
import { axpy, zeroJet, type Jet } from '../poly/jet';
import { gemmNT, gemmNTVisit, transpose } from '../linalg/kernels';
import type { Layer } from '../flow/layer';
import { hasStructuredRoute, isLinear, isUnitwise } from '../flow/structured';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Exact extraction for flows made of linear and unitwise layers (the cubic kind), fast at large d.
 *
 * The generic route multiplies full order-K jets for every unit, and at d = 64, K = 4 a jet has
 * 814,385 coefficients. This route never forms the degree-K parts of the coordinates. They enter the
 * action only linearly (t_K times anything without a constant term lies above K), so their total
 * effect is lambda . (degree-K part) with an adjoint d-vector lambda, obtained by one backward sweep
 * of the point expansion (docs/METHOD.md section 4.3). What remains of degree K are the "sources": for a unit
 * with input t (no constant term) and series phi(t) = lambda g(u0 + t) + ln g'(u0 + t), the degree-K
 * part of sum_(k>=2) phi_k t^k = (L t)_K with L = sum_(k>=2) phi_k t^(k-1), which needs only degrees
 * below K. Summed over units, (L t)_K is sum_p L_p^T T_(K-p): dense matrix products over the unit
 * index, then a scatter into the degree-K block. Degrees below K are propagated as ordinary jets in
 * the order-(K-1) basis, which is 17x smaller at d = 64. Identical to the generic route up to
 * float64 rounding; the extraction tests check both.
 *
 * Returns null when a layer offers neither structure or K < 2 (the caller then uses the generic route).
 */
export function structuredActionJet(layers: Layer[], dim: number, basis: MonomialBasis, from: number, at?: ArrayLike<number>): Jet | null {
  const K = basis.order;
  if (K < 2) return null;
  const tail = layers.slice(from);
  if (!hasStructuredRoute(tail)) return null;
  const d = dim;
  const lower = lowerBasis(basis);
  const n1 = lower.size;

  // Point pass: the expansion point entering every layer (the image of u = at), then the adjoint.
  const points: Float64Array[] = [];
  let cur = at ? Float64Array.from(at) : new Float64Array(d);
  const ld = new Float64Array(1);
  for (const layer of tail) {
    points.push(cur);
    const next = new Float64Array(d);
    layer.forward(cur, 1, next, ld);
    cur = next;
  }
  const z0 = cur;
  const series = tail.map((layer, l) => (isUnitwise(layer) ? Array.from({ length: d }, (_, i) => layer.unitSeries(i, points[l][i], K)) : null));
  // lambdaOut[l] = d S_K / d (degree-K part of layer l's output).
  const lambdaOut: Float64Array[] = new Array<Float64Array>(tail.length);
  let lambda = Float64Array.from(z0, (v) => -v);
  for (let l = tail.length - 1; l >= 0; l--) {
    lambdaOut[l] = lambda;
    const layer = tail[l];
    const next = new Float64Array(d);
    if (isLinear(layer)) {
      const w = layer.linearMap().matrix;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) next[j] += w[i * d + j] * lambda[i];
    } else {
      const s = series[l];
      if (!s) throw new Error('unreachable: unitwise layer without series');
      for (let i = 0; i < d; i++) next[i] = s[i].value[1] * lambda[i] + s[i].logDet[1];
    }
    lambda = next;
  }

  // Jet pass below order K: coordinates as rows of a d x n1 matrix.
  const action = zeroJet(basis);
  action[0] = -d * HALF_LOG_2PI;
  let coords = new Float64Array(d * n1);
  for (let i = 0; i < d; i++) {
    coords[i * n1] = at ? at[i] : 0;
    coords[i * n1 + lower.start[1] + i] = 1;
  }
  const lRows = new Float64Array(d * n1);
  const tRows = new Float64Array(d * n1);
  const coordsT = new Float64Array(n1 * d);
  // phi2[i]: unit i's L has degree-1 part phi2[i] t_1 (see addDegreeK).
  const phi2 = new Float64Array(d);
  for (let l = 0; l < tail.length; l++) {
    const layer = tail[l];
    if (isLinear(layer)) {
      const { matrix, bias, logDet } = layer.linearMap();
      // W times the coordinate matrix as W (coords^T)^T: the dot-product kernel reads both operands
      // along contiguous rows, which at n1 ~ 5e4 columns beats walking down columns of coords.
      transpose(d, n1, coords, coordsT);
      const next = new Float64Array(d * n1);
      gemmNT(d, n1, d, matrix, coordsT, next);
      for (let i = 0; i < d; i++) next[i * n1] += bias[i];
      coords = next;
      action[0] += logDet;
      continue;
    }
    const s = series[l];
    if (!s) throw new Error('unreachable: unitwise layer without series');
    for (let i = 0; i < d; i++) {
      const { value, logDet } = s[i];
      const t = coords.slice(i * n1, (i + 1) * n1);
      t[0] = 0;
      const powers = unitPowers(lower, t, K - 1);
      const row = coords.subarray(i * n1, (i + 1) * n1);
      row.fill(0);
      row[0] = value[0];
      action[0] += logDet[0];
      const lam = lambdaOut[l][i];
      phi2[i] = lam * value[2] + logDet[2];
      const lRow = lRows.subarray(i * n1, (i + 1) * n1);
      lRow.fill(0);
      for (let k = 1; k < K; k++) {
        axpy(row, value[k], powers[k]);
        addLower(action, logDet[k], powers[k]);
        axpy(lRow, lam * value[k + 1] + logDet[k + 1], powers[k]);
      }
      tRows.set(t, i * n1);
    }
    addDegreeK(basis, action, lRows, tRows, d, phi2);
  }
  // The latent term -1/2 |z|^2 with z = z0 + t: constant and linear parts, (t^2) below K, then degree K.
  for (let i = 0; i < d; i++) {
    const t = coords.slice(i * n1, (i + 1) * n1);
    const c = t[0];
    t[0] = 0;
    action[0] -= 0.5 * c * c;
    addLower(action, -c, t);
    addLower(action, -0.5, gradedProduct(lower, t, t, true));
    const lRow = lRows.subarray(i * n1, (i + 1) * n1);
    lRow.set(t);
    for (let m = 0; m < n1; m++) lRow[m] *= -0.5;
    tRows.set(t, i * n1);
  }
  phi2.fill(-0.5);
  addDegreeK(basis, action, lRows, tRows, d, phi2);
  return action;
}

const lowerCache = new WeakMap<MonomialBasis, MonomialBasis>();

/** The order-(K-1) basis sharing the first coefficients of `basis` (cached: learn extracts from every layer). */
function lowerBasis(basis: MonomialBasis): MonomialBasis {
  let lb = lowerCache.get(basis);
  if (!lb) {
    lb = new MonomialBasis(basis.d, basis.order - 1);
    lowerCache.set(basis, lb);
  }
  return lb;
}

/**
 * powers[k] = t^k truncated at the lower basis's order, k = 1..maxPower (powers[0] unused). The top
 * power (k = the lower order) has only its lowest degree left, (t's linear part)^k: a closed form.
 */
function unitPowers(lower: MonomialBasis, t: Jet, maxPower: number): Jet[] {
  const powers: Jet[] = [t, t];
  for (let k = 2; k <= maxPower; k++) {
    if (k === lower.order) powers.push(linearFormPower(lower, t.subarray(lower.start[1], lower.start[2]), k));
    else powers.push(k === 2 ? gradedProduct(lower, t, t, true) : gradedProduct(lower, powers[k - 1], t));
  }
  return powers;
}

/** action[0..n1) += alpha * a (a lives in the lower basis, whose coefficients come first). */
function addLower(action: Jet, alpha: number, a: Jet): void {
  if (alpha === 0) return;
  for (let m = 0; m < a.length; m++) action[m] += alpha * a[m];
}

/**
 * action's degree-K block += sum over units i of (L_i T_i)_K = sum_(p+q=K) (L_p)^T T_q over the unit
 * index. The terms (p, q) and (q, p) land on the same monomials, so they are one product with inner
 * dimension 2d, [L_p | T_p] [T_q | L_q]^T, and one scatter. The larger degree is the row operand so
 * that the kernel's streamed operand (the smaller block) stays in cache; both operands are read along
 * contiguous rows (the unit index), which is why the rows are transposed first.
 */
function addDegreeK(basis: MonomialBasis, action: Jet, lRows: Float64Array, tRows: Float64Array, d: number, phi2: Float64Array): void {
  const K = basis.order;
  const n1 = basis.start[K];
  const startK = basis.start[K];
  // lt: row m = [L_m over units | T_m over units] (n1 x 2d).
  const lt = new Float64Array(n1 * 2 * d);
  transposeInto(d, n1, lRows, lt, 2 * d, 0);
  transposeInto(d, n1, tRows, lt, 2 * d, d);
  for (let p = K - 1; 2 * p >= K; p--) {
    const q = K - p;
    const np = basis.countOfDegree(p);
    const nq = basis.countOfDegree(q);
    let a: Float64Array;
    let b: Float64Array;
    let k: number;
    if (p === q) {
      // (L_p)^T T_p alone: its transpose lands on the same monomials, so it must not be added twice.
      a = new Float64Array(np * d);
      b = new Float64Array(np * d);
      for (let m = 0; m < np; m++) {
        const o = (basis.start[p] + m) * 2 * d;
        a.set(lt.subarray(o, o + d), m * d);
        b.set(lt.subarray(o + d, o + 2 * d), m * d);
      }
      k = d;
    } else if (q === 1) {
      // L's degree-1 part is phi2 T_1 unit by unit, so L_p T_1 + T_p L_1 = (L_p + phi2 T_p) T_1:
      // one product with inner dimension d instead of 2d (this is the largest block).
      a = new Float64Array(np * d);
      b = new Float64Array(nq * d);
      for (let m = 0; m < np; m++) {
        const o = (basis.start[p] + m) * 2 * d;
        for (let i = 0; i < d; i++) a[m * d + i] = lt[o + i] + phi2[i] * lt[o + d + i];
      }
      for (let m = 0; m < nq; m++) b.set(lt.subarray((basis.start[q] + m) * 2 * d + d, (basis.start[q] + m) * 2 * d + 2 * d), m * d);
      k = d;
    } else {
      // [L_p | T_p] . [T_q | L_q] = L_p T_q + T_p L_q; the swapped halves are built for the small block only.
      a = lt.subarray(basis.start[p] * 2 * d, (basis.start[p] + np) * 2 * d);
      b = new Float64Array(nq * 2 * d);
      for (let m = 0; m < nq; m++) {
        const o = (basis.start[q] + m) * 2 * d;
        b.set(lt.subarray(o + d, o + 2 * d), m * 2 * d);
        b.set(lt.subarray(o, o + d), m * 2 * d + d);
      }
      k = 2 * d;
    }
    const table = blockProductTable(basis, p, q);
    gemmNTVisit(np, nq, k, a, b, (data, base, stride) => scatterAdd(action, startK, table, data, base, stride, np, nq));
  }
}

/** action[startK + table[r*nq + c]] += data[base + r*stride + c]: the products into their monomials. */
function scatterAdd(action: Jet, startK: number, table: Int32Array, data: Float64Array, base: number, stride: number, np: number, nq: number): void {
  for (let r = 0; r < np; r++) {
    const o = base + r * stride;
    const t = r * nq;
    for (let c = 0; c < nq; c++) action[startK + table[t + c]] += data[o + c];
  }
}

/**
 * out[c * outStride + offset + r] = a[r * cols + c]: a transpose into a column band of a wider matrix.
 * In bands of 64 columns, reading each input row contiguously (measured 2-3x faster here than square
 * tiles: the input rows are ~400 KB apart, so each row of a tile is its own page).
 */
function transposeInto(rows: number, cols: number, a: Float64Array, out: Float64Array, outStride: number, offset: number): void {
  const T = 64;
  for (let c0 = 0; c0 < cols; c0 += T) {
    const c1 = Math.min(cols, c0 + T);
    for (let r = 0; r < rows; r++) {
      const ao = r * cols;
      const oo = offset + r;
      for (let c = c0; c < c1; c++) out[c * outStride + oo] = a[ao + c];
    }
  }
}
