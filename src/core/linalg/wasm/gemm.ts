import type { WasmHeap } from './heap';
import { loadKernels as load } from './kernel';

/** Staging buffers for operands that live outside the heap, one per operand slot, grown as needed. */
const staging: Float64Array[] = [];

function stage(heap: WasmHeap, slot: number, doubles: number): Float64Array {
  const have = staging[slot];
  if (have && have.length >= doubles) return have;
  if (have) heap.release(have);
  // Not zeroed: every use writes (and pads) what the kernel reads.
  staging[slot] = heap.alloc(Math.max(doubles, 2 * (have?.length ?? 0)), false);
  return staging[slot];
}

const pad = (v: number, to: number): number => Math.ceil(v / to) * to;

/** ProductOptions.tri flags: which operand is triangular, which half of the output is wanted (gemm.wat). */
export const TRI = { aLower: 1, aUpper: 2, bUpper: 4, bLower: 8, outLower: 16, outUpper: 32 } as const;

/**
 * Copies a rows x cols matrix (row stride `from` in a) into a staging view with row stride `stride`,
 * zero padded to paddedRows rows.
 */
function put(dst: Float64Array, a: Float64Array, rows: number, cols: number, stride: number, paddedRows: number, from = cols): void {
  if (stride === cols && from === cols) dst.set(a.subarray(0, rows * cols));
  else {
    for (let r = 0; r < rows; r++) {
      const o = r * stride;
      dst.set(a.subarray(r * from, r * from + cols), o);
      dst.fill(0, o + cols, o + stride);
    }
  }
  dst.fill(0, rows * stride, paddedRows * stride);
}

/**
 * out[r*m + i] = sum_j a[r*k + j] b[i*k + j] in wasm; false (nothing written) when the kernel is
 * unavailable. Operands are copied in with the padding the kernel needs: O(nk + mk) copies against
 * O(nmk) arithmetic.
 */
export function wasmGemmNT(n: number, m: number, k: number, a: Float64Array, b: Float64Array, out: Float64Array): boolean {
  return wasmGemmVisit(n, m, k, a, b, (data, base, stride) => {
    for (let r = 0; r < n; r++) out.set(data.subarray(base + r * stride, base + r * stride + m), r * m);
  });
}

/**
 * Computes A B^T in wasm memory and hands it to `visit` in place (entry (r, i) at data[base + r*stride + i])
 * instead of copying it out: extraction scatters millions of products straight from there. The view
 * is valid only during the call. false when the kernel is unavailable.
 */
export function wasmGemmVisit(
  n: number,
  m: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  visit: (data: Float64Array, base: number, stride: number) => void,
): boolean {
  const w = load();
  if (!w) return false;
  const np = pad(n, 4);
  const mp = pad(m, 2);
  const kp = pad(k, 2);
  const sa = stage(w.heap, 0, np * kp);
  const sb = stage(w.heap, 1, mp * kp);
  const so = stage(w.heap, 2, np * mp);
  put(sa, a, n, k, kp, np);
  put(sb, b, m, k, kp, mp);
  w.gemm.gemmNT(np, mp, kp, sa.byteOffset, sb.byteOffset, so.byteOffset);
  visit(so, 0, mp);
  return true;
}

/**
 * What a product does besides A B: start from a bias row, accumulate into out, skip triangular zeros,
 * read or write column blocks of wider matrices (row strides).
 */
export interface ProductOptions {
  /** Row stride of the stored A (n x k, or k x n with transA); default k (n with transA). */
  lda?: number;
  /** Row stride of B (k x m); default m. */
  ldb?: number;
  /** Row stride of out (n x m); default m. */
  ldo?: number;
  /** out = bias + A B, bias a row of m numbers added to every output row. */
  bias?: Float64Array;
  /** out += A B. */
  accumulate?: boolean;
  /** Known zeros of triangular operands and the wanted half of the output (TRI's flags). */
  tri?: number;
  /** After the product, also write the squares of its entries here (out's layout; not with accumulate). */
  squares?: Float64Array;
  /** After the product, multiply each entry by twice the matching entry of this (out's layout; not with accumulate). */
  timesTwice?: Float64Array;
}

/**
 * op(A) B in wasm, op(A) = A (n x k, row-major) or, with transA, A^T for A stored k x n: the kernel
 * reads A through strides, so neither case copies more than the operands. B is k x m row-major.
 * Operands and output that live in the kernel heap (and, for the wasm kernel, whose shapes need no
 * padding: n and m multiples of 4) are used in place; others are copied through staging buffers. false (nothing
 * done) when the kernel is unavailable, or when operands would have to be copied and the product has
 * fewer than minStagedWork multiply-adds.
 */
export function wasmGemmAB(
  n: number,
  m: number,
  k: number,
  a: Float64Array,
  transA: boolean,
  b: Float64Array,
  out: Float64Array,
  options: ProductOptions = {},
  minStagedWork = 0,
): boolean {
  const w = load();
  if (!w) return false;
  const heap = w.heap;
  const { bias, accumulate = false, tri = 0, lda = transA ? n : k, ldb = m, ldo = m, squares, timesTwice } = options;
  // Where each buffer lives in the heap (-1: elsewhere; 0: absent).
  const aux = squares ?? timesTwice;
  const auxMode = squares ? 1 : timesTwice ? 2 : 0;
  const aAt = heap.pointerOf(a);
  const bAt = heap.pointerOf(b);
  const biasAt = bias ? heap.pointerOf(bias) : 0;
  const outAt = heap.pointerOf(out);
  const auxAt = aux ? heap.pointerOf(aux) : 0;
  const inHeap = aAt >= 0 && bAt >= 0 && biasAt >= 0 && outAt >= 0 && auxAt >= 0;
  // Small products pay off in wasm only when nothing has to be copied in or out. The rule is the wasm
  // kernel's even when the native one runs: the same products then take the JS loops on every build,
  // so a seed gives the same model with or without the native kernel.
  const fourfold = n % 4 === 0 && m % 4 === 0;
  if (!(inHeap && fourfold) && n * m * k < minStagedWork) return false;
  // In place needs the buffer in the heap and, for the wasm kernel, shapes without padding (the
  // native one takes any shape); -1: copy through staging.
  const native = w.variant === 'native';
  const direct = native || fourfold;
  let aPtr = direct ? aAt : -1;
  let bPtr = direct ? bAt : -1;
  let biasPtr = bias && !direct ? -1 : biasAt;
  const outPtr = direct ? outAt : -1;
  const auxPtr = aux && !direct ? -1 : auxAt;
  const np = native ? n : pad(n, 4);
  const mp = native ? m : pad(m, 4);
  let aStride = lda;
  if (aPtr < 0) {
    const sa = stage(heap, 0, np * k);
    if (transA) put(sa, a, k, n, np, k, lda);
    else put(sa, a, n, k, k, np, lda);
    aPtr = sa.byteOffset;
    aStride = transA ? np : k;
  }
  let bStride = ldb;
  if (bPtr < 0) {
    const sb = stage(heap, 1, k * mp);
    put(sb, b, k, m, mp, k, ldb);
    bPtr = sb.byteOffset;
    bStride = mp;
  }
  if (bias && biasPtr < 0) {
    const sbias = stage(heap, 3, mp);
    put(sbias, bias, 1, m, mp, 1);
    biasPtr = sbias.byteOffset;
  }
  const sar = transA ? 1 : aStride;
  const saj = transA ? aStride : 1;
  const mode = accumulate ? 2 : bias ? 1 : 0;
  if (outPtr >= 0 && auxPtr >= 0) {
    w.gemm.gemmStrided(np, mp, k, aPtr, sar, saj, bPtr, bStride, outPtr, ldo, biasPtr, mode, tri, auxPtr, auxMode);
    return true;
  }
  // The output through staging. It starts from out's values when the product accumulates (each entry
  // is then one chain of multiply-adds from its old value, the same bits as in place) or leaves
  // blocks unwritten (an output-half flag), so that they come back unchanged.
  const halves = (tri & (TRI.outLower | TRI.outUpper)) !== 0;
  const so = stage(heap, 2, np * mp);
  if (accumulate || halves) put(so, out, n, m, mp, np, ldo);
  let sx: Float64Array | null = null;
  if (aux) {
    sx = stage(heap, 4, np * mp);
    if (timesTwice || halves) put(sx, aux, n, m, mp, np, ldo);
  }
  w.gemm.gemmStrided(np, mp, k, aPtr, sar, saj, bPtr, bStride, so.byteOffset, mp, biasPtr, mode, tri, sx ? sx.byteOffset : 0, auxMode);
  for (let r = 0; r < n; r++) {
    const src = r * mp;
    const dst = r * ldo;
    out.set(so.subarray(src, src + m), dst);
    if (squares && sx) squares.set(sx.subarray(src, src + m), dst);
  }
  return true;
}
