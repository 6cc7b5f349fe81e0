/**
 * Elementwise passes of the training step over row-major n x d batches, in WebAssembly SIMD when
 * every buffer lives in the kernel heap and d is even (the flow's own buffers do), else in plain JS.
 * The two paths agree to float64 rounding (test/linalg/rowwise.test.ts).
 */
import { loadKernels, type Kernels } from './wasm/kernel';

/**
 * The elementwise kernels and the heap offsets of `arrays` when all of them live in the heap (and the
 * row length d, for the passes that work on units in pairs, is even), else null. An empty array (an
 * output nobody wants) gets offset 0, which the kernels read as "skip".
 */
export function unitwiseOn(arrays: Float64Array[], d = 0): { unitwise: Kernels['unitwise']; at: number[] } | null {
  const kernels = loadKernels();
  if (!kernels || d % 2 !== 0) return null;
  const at = arrays.map((a) => (a.length === 0 ? 0 : kernels.heap.pointerOf(a)));
  return at.every((p) => p >= 0) ? { unitwise: kernels.unitwise, at } : null;
}

/** out[i] = sum over the rows of src[r, i]. */
export function columnSums(n: number, d: number, src: Float64Array, out: Float64Array): void {
  const fast = unitwiseOn([src, out], d);
  if (fast) return fast.unitwise.columnSums(n, d, fast.at[0], fast.at[1]);
  out.fill(0, 0, d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) out[i] += src[o + i];
  }
}

/** y = (x - mean) * inv, unit by unit. */
export function standardizeRows(n: number, d: number, x: Float64Array, y: Float64Array, mean: Float64Array, inv: Float64Array): void {
  const fast = unitwiseOn([x, y, mean, inv], d);
  if (fast) return fast.unitwise.standardize(n, d, fast.at[0], fast.at[1], fast.at[2], fast.at[3]);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) y[o + i] = (x[o + i] - mean[i]) * inv[i];
  }
}

/** The Gaussian head of the loss: g = z * scale, returns the sum over rows of |z_r|^2 / 2 + c - logDet[r]. */
export function gaussianHead(n: number, d: number, z: Float64Array, g: Float64Array, logDet: Float64Array, scale: number, c: number): number {
  const fast = unitwiseOn([z, g, logDet], d);
  if (fast) return fast.unitwise.gaussianHead(n, d, fast.at[0], fast.at[1], fast.at[2], scale, c);
  let loss = 0;
  for (let r = 0; r < n; r++) {
    let q = 0;
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const v = z[o + i];
      q += v * v;
      g[o + i] = v * scale;
    }
    loss += 0.5 * q + c - logDet[r];
  }
  return loss;
}

/** x[i] = wx x[i] + wy y[i] for i < count. */
export function weightedSum(count: number, x: Float64Array, wx: number, y: Float64Array, wy: number): void {
  const fast = unitwiseOn([x, y]);
  if (fast) return fast.unitwise.weightedSum(count, fast.at[0], wx, fast.at[1], wy);
  for (let i = 0; i < count; i++) x[i] = wx * x[i] + wy * y[i];
}
