import type { Layer } from '../../flow/layer';
import { isLinear, isUnitwise, type UnitStructure } from '../../flow/structured';
import { gemmAB } from '../../linalg/kernels';
import { hdMul, hdPowers, hdSeries, submasks } from './hyperdual';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** The mixed derivatives of S at x0 with the fixed directions held (top hyper-dual component). */
export interface Directional {
  /** D^f S[e_F]. */
  value: number;
  /** D^(f+1) S[e_F, e_j] for every j (degree >= 1). */
  gradient?: Float64Array;
  /** D^(f+2) S[e_F, e_j, e_k], row-major d x d (degree 2). */
  hessian?: Float64Array;
}

/** A layer as the on-demand route reads it: W, b and ln|det| read once (linearMap forms W from its factors), or the unit series. */
export type PreparedLayer = { kind: 'linear'; matrix: Float64Array; bias: Float64Array; logDet: number; diagonal: boolean } | { kind: 'unit'; layer: UnitStructure };

/** Reads every layer's structure once; throws for a layer that is neither linear nor unitwise. */
export function prepareLayers(layers: readonly Layer[], d: number): PreparedLayer[] {
  return layers.map((layer) => {
    if (isLinear(layer)) {
      const { matrix, bias, logDet } = layer.linearMap();
      return { kind: 'linear', matrix, bias, logDet, diagonal: isDiagonal(matrix, d) };
    }
    if (isUnitwise(layer)) return { kind: 'unit', layer };
    throw new Error(`the on-demand action needs linear and unitwise layers; layer "${layer.kind}" is neither`);
  });
}

/** A d x d matrix over the hyper-dual ring: one real matrix per component, null where zero. */
type HdMatrix = (Float64Array | null)[];

interface UnitRecord {
  kind: 'unit';
  /** g', g'' and (ln g')', (ln g')'' per unit at the hyper-dual input: d x n each. */
  gp: Float64Array;
  gpp: Float64Array;
  lp: Float64Array;
  lpp: Float64Array;
  /** Jacobian of the layer's input with respect to the free variables (degree 2 only). */
  jacobian: HdMatrix | null;
}
type LayerRecord = UnitRecord | { kind: 'linear'; matrix: Float64Array };

/**
 * Exact mixed derivatives of the action S_from(u) = -1/2 |z|^2 - (d/2) ln 2pi + sum of ln|det| of
 * layers from.. (the same function actionJet expands) through linear and unitwise layers, at u = at
 * with the directions e_(fixed[a]) held: the value (degree 0), the gradient (1) or the Hessian (2) in
 * the free variables of the top component of the hyper-dual ring (hyperdual.ts). Forward: the point
 * in the ring, and for degree 2 its Jacobian. Backward: the adjoint lambda = dS/du in the ring, and for
 * degree 2 the Hessian H = sum over unitwise layers of J^T diag(lambda g'' + (ln g')'') J - J_z^T J_z,
 * the second-order chain rule, which holds over any commutative ring. Cost: O(3^f d) per unit and
 * O(2^f d^2) per linear layer for degrees 0-1; O(2^f d^3) products for degree 2.
 */
export function directionalDerivatives(layers: readonly PreparedLayer[], d: number, at: ArrayLike<number>, fixed: readonly number[], degree: 0 | 1 | 2): Directional {
  const f = fixed.length;
  const n = 1 << f;
  const top = n - 1;
  // The point x0 + sum_a eps_a e_(fixed[a]) in the ring, d x n.
  let u = new Float64Array(d * n);
  for (let i = 0; i < d; i++) u[i * n] = at[i];
  fixed.forEach((i, a) => (u[i * n + (1 << a)] += 1));
  const action = new Float64Array(n);
  action[0] = -d * HALF_LOG_2PI;
  let jac: HdMatrix | null = null;
  let jacIsIdentity = degree === 2;
  const records: LayerRecord[] = [];
  const tmp = new Float64Array(n);

  for (const layer of layers) {
    if (layer.kind === 'linear') {
      const { matrix, bias, logDet, diagonal } = layer;
      const next = new Float64Array(d * n);
      for (let i = 0; i < d; i++) {
        const row = i * d;
        const o = i * n;
        for (let j = 0; j < d; j++) {
          const w = matrix[row + j];
          if (w === 0) continue;
          for (let s = 0; s < n; s++) next[o + s] += w * u[j * n + s];
        }
        next[o] += bias[i];
      }
      u = next;
      action[0] += logDet;
      if (degree === 2) {
        if (jacIsIdentity) {
          jac = [Float64Array.from(matrix)];
          for (let s = 1; s < n; s++) jac.push(null);
          jacIsIdentity = false;
        } else if (jac) jac = jac.map((m) => (m ? linearTimes(matrix, diagonal, m, d) : null));
      }
      records.push({ kind: 'linear', matrix });
      continue;
    }
    const rec: UnitRecord = { kind: 'unit', gp: new Float64Array(d * n), gpp: new Float64Array(d * n), lp: new Float64Array(d * n), lpp: new Float64Array(d * n), jacobian: null };
    const next = new Float64Array(d * n);
    for (let i = 0; i < d; i++) {
      const o = i * n;
      const base = u[o];
      const delta = u.slice(o, o + n);
      delta[0] = 0;
      const { value, logDet } = layer.layer.unitSeries(i, base, f + 2);
      const powers = hdPowers(delta, f);
      next.set(hdSeries(powers, (k) => value[k]), o);
      rec.gp.set(hdSeries(powers, (k) => (k + 1) * value[k + 1]), o);
      rec.gpp.set(hdSeries(powers, (k) => (k + 2) * (k + 1) * value[k + 2]), o);
      const ell = hdSeries(powers, (k) => logDet[k]);
      for (let s = 0; s < n; s++) action[s] += ell[s];
      rec.lp.set(hdSeries(powers, (k) => (k + 1) * logDet[k + 1]), o);
      rec.lpp.set(hdSeries(powers, (k) => (k + 2) * (k + 1) * logDet[k + 2]), o);
    }
    if (degree === 2) {
      const before: HdMatrix = jacIsIdentity ? identityJacobian(d, n) : (jac as HdMatrix);
      rec.jacobian = before;
      jac = rowScaled(rec.gp, before, d, n);
      jacIsIdentity = false;
    }
    u = next;
    records.push(rec);
  }

  // The latent term -1/2 |z|^2.
  for (let i = 0; i < d; i++) {
    const zi = u.subarray(i * n, (i + 1) * n);
    hdMul(zi, zi, tmp);
    for (let s = 0; s < n; s++) action[s] -= 0.5 * tmp[s];
  }
  if (degree === 0) return { value: action[top] };

  let hessian: Float64Array | undefined;
  // When the last layer is unitwise, z's Jacobian is diag(g') J there, and -J_z^T J_z joins that
  // layer's sandwich as -g'^2 on its diagonal (4 fewer matrix products at f = 2).
  const last = records[records.length - 1];
  const latentFolded = degree === 2 && last?.kind === 'unit' && last.jacobian !== null;
  if (degree === 2) {
    hessian = new Float64Array(d * d);
    if (!latentFolded) {
      const final: HdMatrix = jacIsIdentity ? identityJacobian(d, n) : (jac as HdMatrix);
      // -J_z^T J_z: the "diagonal" is -1 for every latent unit.
      const minusOne = new Float64Array(d * n);
      for (let i = 0; i < d; i++) minusOne[i * n] = -1;
      addSandwich(hessian, final, minusOne, d, n);
    }
  }
  // lambda = dS/dz = -z, then back through the layers.
  let lambda = Float64Array.from(u, (v) => -v);
  const dvec = new Float64Array(n);
  for (let l = records.length - 1; l >= 0; l--) {
    const rec = records[l];
    const prev = new Float64Array(d * n);
    if (rec.kind === 'linear') {
      const w = rec.matrix;
      for (let i = 0; i < d; i++) {
        const row = i * d;
        for (let j = 0; j < d; j++) {
          const wij = w[row + j];
          if (wij === 0) continue;
          for (let s = 0; s < n; s++) prev[j * n + s] += wij * lambda[i * n + s];
        }
      }
    } else {
      if (hessian && rec.jacobian) {
        // diag(lambda g'' + (ln g')'') between the layer's input Jacobians.
        const dg = new Float64Array(d * n);
        const fold = latentFolded && l === records.length - 1;
        for (let i = 0; i < d; i++) {
          const o = i * n;
          hdMul(lambda.subarray(o, o + n), rec.gpp.subarray(o, o + n), dvec);
          for (let s = 0; s < n; s++) dg[o + s] = dvec[s] + rec.lpp[o + s];
          if (fold) {
            const gp = rec.gp.subarray(o, o + n);
            hdMul(gp, gp, dvec);
            for (let s = 0; s < n; s++) dg[o + s] -= dvec[s];
          }
        }
        addSandwich(hessian, rec.jacobian, dg, d, n);
      }
      for (let i = 0; i < d; i++) {
        const o = i * n;
        hdMul(lambda.subarray(o, o + n), rec.gp.subarray(o, o + n), dvec);
        for (let s = 0; s < n; s++) prev[o + s] = dvec[s] + rec.lp[o + s];
      }
    }
    lambda = prev;
  }
  const gradient = new Float64Array(d);
  for (let j = 0; j < d; j++) gradient[j] = lambda[j * n + top];
  return { value: action[top], gradient, ...(hessian ? { hessian } : {}) };
}

/** W M for a d x d W (a diagonal W, the standardization, is a row scaling). */
function linearTimes(w: Float64Array, diagonal: boolean, m: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  if (diagonal) {
    for (let i = 0; i < d; i++) {
      const s = w[i * d + i];
      for (let j = 0; j < d; j++) out[i * d + j] = s * m[i * d + j];
    }
    return out;
  }
  if (isDiagonal(m, d)) {
    // W times the standardization's diagonal Jacobian: a column scaling.
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = w[i * d + j] * m[j * d + j];
    return out;
  }
  gemmAB(d, d, d, w, false, m, out);
  return out;
}

function isDiagonal(w: Float64Array, d: number): boolean {
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j && w[i * d + j] !== 0) return false;
  return true;
}

function identityJacobian(d: number, n: number): HdMatrix {
  const eye = new Float64Array(d * d);
  for (let i = 0; i < d; i++) eye[i * d + i] = 1;
  const m: HdMatrix = [eye];
  for (let s = 1; s < n; s++) m.push(null);
  return m;
}

/** diag(g) J over the ring: component s of row i is sum over t subset of s of g_i[t] J_(s \ t)[i, :]. */
function rowScaled(g: Float64Array, jac: HdMatrix, d: number, n: number): HdMatrix {
  return Array.from({ length: n }, (_, s) => rowScaledComponent(g, jac, d, n, s));
}

/** Component s of diag(g) J (null when zero). */
function rowScaledComponent(g: Float64Array, jac: HdMatrix, d: number, n: number, s: number): Float64Array | null {
  let m: Float64Array | null = null;
  for (const t of submasks(s)) {
    const src = jac[s ^ t];
    if (!src) continue;
    m ??= new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      const c = g[i * n + t];
      if (c === 0) continue;
      const o = i * d;
      for (let j = 0; j < d; j++) m[o + j] += c * src[o + j];
    }
  }
  return m;
}

/** hessian += top component of J^T diag(g) J over the ring: sum over a of J_a^T (diag(g) J)_(top \ a). */
function addSandwich(hessian: Float64Array, jac: HdMatrix, g: Float64Array, d: number, n: number): void {
  const top = n - 1;
  for (let a = 0; a < n; a++) {
    const ja = jac[a];
    if (!ja) continue;
    const m = rowScaledComponent(g, jac, d, n, top ^ a);
    if (!m) continue;
    gemmAB(d, d, d, ja, true, m, hessian, { accumulate: true });
  }
}
