/**
 * Dense float64 products for the flow's hot paths. Training uses one form, out (+)= op(A) B
 * (gemmAB): B is read along rows, A through strides (so A^T needs no copy), with a bias row,
 * accumulation, row strides and triangular shortcuts (ProductOptions). It runs in the WebAssembly
 * kernel (wasm/gemm.ts), in place when the operands live in the kernel heap; the plain-JS versions
 * are register-blocked (sums kept in registers, fewer loads per multiply-add). Extraction also uses
 * out = A B^T (gemmNT), whose operands are both read along rows.
 */
import { wasmGemmAB, wasmGemmNT, wasmGemmVisit, type ProductOptions } from './wasm/gemm';

export { TRI, type ProductOptions } from './wasm/gemm';

/** Below this many multiply-adds the copy into wasm memory costs more than the SIMD saves (operands already in the heap go to wasm at any size). */
const WASM_MIN_WORK = 16384;

/** out[r*m + i] = sum_j a[r*k + j] * b[i*k + j], for r < n, i < m. */
export function gemmNT(n: number, m: number, k: number, a: Float64Array, b: Float64Array, out: Float64Array): void {
  if (n * m * k >= WASM_MIN_WORK && wasmGemmNT(n, m, k, a, b, out)) return;
  gemmNTjs(n, m, k, a, b, out);
}

/** The plain-JS kernel: the fallback without WebAssembly SIMD, and the faster path for tiny products. */
export function gemmNTjs(n: number, m: number, k: number, a: Float64Array, b: Float64Array, out: Float64Array): void {
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    const a0 = r * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const b0 = i * k;
      const b1 = b0 + k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let j = 0; j < k; j++) {
        const x0 = b[b0 + j];
        const x1 = b[b1 + j];
        const v0 = a[a0 + j];
        const v1 = a[a1 + j];
        const v2 = a[a2 + j];
        const v3 = a[a3 + j];
        s00 += v0 * x0;
        s01 += v0 * x1;
        s10 += v1 * x0;
        s11 += v1 * x1;
        s20 += v2 * x0;
        s21 += v2 * x1;
        s30 += v3 * x0;
        s31 += v3 * x1;
      }
      const o = r * m + i;
      out[o] = s00;
      out[o + 1] = s01;
      out[o + m] = s10;
      out[o + m + 1] = s11;
      out[o + 2 * m] = s20;
      out[o + 2 * m + 1] = s21;
      out[o + 3 * m] = s30;
      out[o + 3 * m + 1] = s31;
    }
    for (; i < m; i++) {
      const b0 = i * k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < k; j++) {
        const x0 = b[b0 + j];
        s0 += a[a0 + j] * x0;
        s1 += a[a1 + j] * x0;
        s2 += a[a2 + j] * x0;
        s3 += a[a3 + j] * x0;
      }
      out[r * m + i] = s0;
      out[(r + 1) * m + i] = s1;
      out[(r + 2) * m + i] = s2;
      out[(r + 3) * m + i] = s3;
    }
  }
  for (; r < n; r++) {
    const a0 = r * k;
    for (let i = 0; i < m; i++) {
      const b0 = i * k;
      let s = 0;
      for (let j = 0; j < k; j++) s += a[a0 + j] * b[b0 + j];
      out[r * m + i] = s;
    }
  }
}

/** out (cols x rows) = a^T for a row-major rows x cols matrix, in bands of 64 columns (input rows read contiguously). */
export function transpose(rows: number, cols: number, a: Float64Array, out: Float64Array): void {
  const T = 64;
  for (let c0 = 0; c0 < cols; c0 += T) {
    const c1 = Math.min(cols, c0 + T);
    for (let r = 0; r < rows; r++) {
      const ao = r * cols;
      for (let c = c0; c < c1; c++) out[c * rows + r] = a[ao + c];
    }
  }
}

/**
 * A B^T handed to `visit` as (data, base, stride): in wasm memory when the kernel is available,
 * else in a JS array. For consumers that read each product once (extraction's scatter).
 */
export function gemmNTVisit(n: number, m: number, k: number, a: Float64Array, b: Float64Array, visit: (data: Float64Array, base: number, stride: number) => void): void {
  if (wasmGemmVisit(n, m, k, a, b, visit)) return;
  const out = new Float64Array(n * m);
  gemmNTjs(n, m, k, a, b, out);
  visit(out, 0, m);
}

/**
 * out (n x m) = op(A) B (+ bias per column), B row-major k x m; op(A) = A (n x k) or, with transA,
 * A^T for A stored k x n. The wasm kernel's preferred form: B is read along rows as vectors and A
 * through strides, so neither the weight gradient G^T X nor W X needs a transposed copy.
 */
export function gemmAB(n: number, m: number, k: number, a: Float64Array, transA: boolean, b: Float64Array, out: Float64Array, options: ProductOptions = {}): void {
  if (wasmGemmAB(n, m, k, a, transA, b, out, options, WASM_MIN_WORK)) return;
  gemmABjs(n, m, k, a, transA, b, out, options);
  const { squares, timesTwice, ldo = m } = options;
  if (!squares && !timesTwice) return;
  for (let r = 0; r < n; r++) {
    for (let c = r * ldo; c < r * ldo + m; c++) {
      if (squares) squares[c] = out[c] * out[c];
      else if (timesTwice) out[c] *= 2 * timesTwice[c];
    }
  }
}

/**
 * The plain-JS op(A) B. Register-blocked like gemmNTjs: each 2 x 4 block of the output keeps 8 sums
 * in registers, 6 loads per 8 multiply-adds; A is read through strides (A(r, j) = a[r*sar + j*saj]).
 * Ignores `tri` (computes every entry; the skipped ones are zeros anyway).
 */
export function gemmABjs(n: number, m: number, k: number, a: Float64Array, transA: boolean, b: Float64Array, out: Float64Array, options: ProductOptions = {}): void {
  const { bias, accumulate = false, lda = transA ? n : k, ldb = m, ldo = m } = options;
  const sar = transA ? 1 : lda;
  const saj = transA ? lda : 1;
  let r = 0;
  for (; r < n; r += 2) {
    const two = r + 1 < n;
    const a0 = r * sar;
    const a1 = two ? a0 + sar : a0;
    let c = 0;
    for (; c + 4 <= m; c += 4) {
      const o = r * ldo + c;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      if (accumulate) {
        s00 = out[o]; s01 = out[o + 1]; s02 = out[o + 2]; s03 = out[o + 3];
        if (two) {
          s10 = out[o + ldo]; s11 = out[o + ldo + 1]; s12 = out[o + ldo + 2]; s13 = out[o + ldo + 3];
        }
      } else if (bias) {
        s00 = s10 = bias[c]; s01 = s11 = bias[c + 1]; s02 = s12 = bias[c + 2]; s03 = s13 = bias[c + 3];
      }
      for (let j = 0, bo = c, ao = 0; j < k; j++, bo += ldb, ao += saj) {
        const b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];
        const v0 = a[a0 + ao];
        const v1 = a[a1 + ao];
        s00 += v0 * b0; s01 += v0 * b1; s02 += v0 * b2; s03 += v0 * b3;
        s10 += v1 * b0; s11 += v1 * b1; s12 += v1 * b2; s13 += v1 * b3;
      }
      out[o] = s00; out[o + 1] = s01; out[o + 2] = s02; out[o + 3] = s03;
      if (two) {
        out[o + ldo] = s10; out[o + ldo + 1] = s11; out[o + ldo + 2] = s12; out[o + ldo + 3] = s13;
      }
    }
    for (; c < m; c++) {
      const o = r * ldo + c;
      let s0 = accumulate ? out[o] : bias ? bias[c] : 0;
      let s1 = !two ? 0 : accumulate ? out[o + ldo] : bias ? bias[c] : 0;
      for (let j = 0, bo = c, ao = 0; j < k; j++, bo += ldb, ao += saj) {
        s0 += a[a0 + ao] * b[bo];
        s1 += a[a1 + ao] * b[bo];
      }
      out[o] = s0;
      if (two) out[o + ldo] = s1;
    }
  }
}
