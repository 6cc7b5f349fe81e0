/**
 * The affine layer's bookkeeping around its products (affine.ts): the LU factors unpacked from the
 * parameters, rows permuted, the factors' gradients added back to the parameter gradient. In wasm when
 * every buffer lives in the kernel heap (JS loops over the heap's shared buffers run slower than over
 * plain ones), else in JS; both paths do the same operations, so they give the same bits.
 */
import { unitwiseOn } from '../linalg/rowwise';

/**
 * lo = unit lower-triangular factor, up = upper factor with diagonal expS, upT = up^T (d x d
 * row-major), from the layout: Lo's strict lower part row by row (i > j), then Up's strict upper part.
 */
export function luUnpack(d: number, params: Float64Array, expS: Float64Array, lo: Float64Array, up: Float64Array, upT: Float64Array): void {
  const fast = unitwiseOn([params, expS, lo, up, upT]);
  if (fast) return fast.unitwise.luUnpack(d, ...(fast.at as [number, number, number, number, number]));
  let k = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) lo[i * d + j] = j < i ? params[k++] : j === i ? 1 : 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const v = j < i ? 0 : j === i ? expS[i] : params[k++];
      up[i * d + j] = v;
      upT[j * d + i] = v;
    }
  }
}

/** dst row i = src row perm[i] (perm holds row indices as numbers), and dstT = dst^T when given. */
export function permuteRows(d: number, perm: Float64Array, src: Float64Array, dst: Float64Array, dstT: Float64Array | null = null): void {
  const fast = unitwiseOn(dstT ? [perm, src, dst, dstT] : [perm, src, dst]);
  if (fast) return fast.unitwise.permuteRows(d, fast.at[0], fast.at[1], fast.at[2], dstT ? fast.at[3] : 0);
  for (let i = 0; i < d; i++) {
    const from = perm[i] * d;
    for (let j = 0; j < d; j++) {
      const v = src[from + j];
      dst[i * d + j] = v;
      if (dstT) dstT[j * d + i] = v;
    }
  }
}

/**
 * g (the layer's parameter gradient, layout of luUnpack then s) += Lo's strict lower part of gLo, Up's
 * strict upper part of gUp, and for s_i = ln Up_ii: gUp_ii Up_ii + wn (the log-determinant's share).
 */
export function luScatter(d: number, gLo: Float64Array, gUp: Float64Array, up: Float64Array, wn: number, g: Float64Array): void {
  const fast = unitwiseOn([gLo, gUp, up, g]);
  if (fast) return fast.unitwise.luScatter(d, fast.at[0], fast.at[1], fast.at[2], wn, fast.at[3]);
  const nTri = (d * (d - 1)) / 2;
  let k = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) g[k++] += gLo[i * d + j];
  for (let i = 0; i < d; i++) {
    g[2 * nTri + i] += gUp[i * d + i] * up[i * d + i] + wn;
    for (let j = i + 1; j < d; j++) g[k++] += gUp[i * d + j];
  }
}
