import { setFlagsFromString } from 'node:v8';
import { GEMM_WASM_BASE64 } from './gemm-bytes';

/**
 * The WebAssembly SIMD kernel of gemm.wat, instantiated synchronously on first use (Node allows it
 * for any module size, and the module is 1 KB). null when the runtime lacks WebAssembly SIMD, or
 * when ACTION_LENS_NO_WASM is set (to measure the plain-JS path); callers then use the JS loops.
 */
interface GemmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gemmNT: (n: number, m: number, k: number, a: number, b: number, out: number) => void;
  gemmStrided: (n: number, m: number, k: number, a: number, sar: number, saj: number, b: number, out: number) => void;
}

/** The slice of the WebAssembly API used here (the project's lib setting carries no DOM/wasm types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

let instance: GemmExports | null | undefined;

function load(): GemmExports | null {
  if (instance !== undefined) return instance;
  instance = null;
  if (process.env.ACTION_LENS_NO_WASM) return null;
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) return null;
    // Compile straight to optimized code: V8 starts wasm in its baseline tier (Liftoff, several times
    // slower for SIMD) and cannot swap a running call over, so one long extraction product would run
    // entirely unoptimized. The flag only affects modules compiled while it is set.
    setFlagsFromString('--no-liftoff');
    let mod: object;
    try {
      mod = new wasm.Module(Buffer.from(GEMM_WASM_BASE64, 'base64'));
    } finally {
      setFlagsFromString('--liftoff');
    }
    instance = new wasm.Instance(mod, {}).exports as GemmExports;
  } catch {
    instance = null;
  }
  return instance;
}

/** The kernel's memory as doubles, grown (whole 64 KiB pages) to hold at least `doubles` of them. */
function heapOf(w: GemmExports, doubles: number): Float64Array {
  const have = w.memory.buffer.byteLength;
  if (8 * doubles > have) w.memory.grow(Math.ceil((8 * doubles - have) / 65536));
  return new Float64Array(w.memory.buffer);
}

export function wasmAvailable(): boolean {
  return load() !== null;
}

const pad = (v: number, to: number): number => Math.ceil(v / to) * to;

/** Copies a rows x cols row-major matrix into wasm memory at float64 index base, with row stride `stride` (zero padded). */
function put(heap: Float64Array, base: number, a: Float64Array, rows: number, cols: number, stride: number, paddedRows: number): void {
  if (stride === cols) heap.set(a.subarray(0, rows * cols), base);
  else {
    for (let r = 0; r < rows; r++) {
      const o = base + r * stride;
      heap.set(a.subarray(r * cols, r * cols + cols), o);
      heap.fill(0, o + cols, o + stride);
    }
  }
  heap.fill(0, base + rows * stride, base + paddedRows * stride);
}

/**
 * out[r*m + i] = (bias ? bias[i] : 0) + sum_j a[r*k + j] b[i*k + j] in wasm; false (nothing written)
 * when the kernel is unavailable. Operands are copied in with the padding the kernel needs: O(nk + mk)
 * copies against O(nmk) arithmetic.
 */
export function wasmGemmNT(n: number, m: number, k: number, a: Float64Array, b: Float64Array, out: Float64Array, bias?: Float64Array): boolean {
  return wasmGemmVisit(n, m, k, a, b, (heap, base, stride) => {
    for (let r = 0; r < n; r++) {
      const src = base + r * stride;
      const dst = r * m;
      if (bias) for (let i = 0; i < m; i++) out[dst + i] = heap[src + i] + bias[i];
      else out.set(heap.subarray(src, src + m), dst);
    }
  });
}

/**
 * Computes A B^T in wasm memory and hands it to `visit` in place (entry (r, i) at heap[base + r*stride + i])
 * instead of copying it out: extraction scatters millions of products straight from there. The view
 * is valid only during the call. false when the kernel is unavailable.
 */
export function wasmGemmVisit(
  n: number,
  m: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  visit: (heap: Float64Array, base: number, stride: number) => void,
): boolean {
  const w = load();
  if (!w) return false;
  const np = pad(n, 4);
  const mp = pad(m, 2);
  const kp = pad(k, 2);
  const aBase = 0;
  const bBase = np * kp;
  const oBase = bBase + mp * kp;
  const heap = heapOf(w, oBase + np * mp);
  put(heap, aBase, a, n, k, kp, np);
  put(heap, bBase, b, m, k, kp, mp);
  w.gemmNT(np, mp, kp, 8 * aBase, 8 * bBase, 8 * oBase);
  visit(heap, oBase, mp);
  return true;
}

/**
 * op(A) B in wasm, op(A) = A (n x k, row-major) or, with transA, A^T for A stored k x n: the kernel reads
 * A through strides, so neither case copies more than the operands. B is k x m row-major. The
 * product goes to `visit` in place (entry (r, c) at heap[base + r*stride + c]); false when the
 * kernel is unavailable.
 */
export function wasmGemmAB(
  n: number,
  m: number,
  k: number,
  a: Float64Array,
  transA: boolean,
  b: Float64Array,
  visit: (heap: Float64Array, base: number, stride: number) => void,
): boolean {
  const w = load();
  if (!w) return false;
  const np = pad(n, 4);
  const mp = pad(m, 4);
  const aBase = 0;
  const bBase = np * k;
  const oBase = bBase + k * mp;
  const heap = heapOf(w, oBase + np * mp);
  if (transA) put(heap, aBase, a, k, n, np, k);
  else put(heap, aBase, a, n, k, k, np);
  put(heap, bBase, b, k, m, mp, k);
  w.gemmStrided(np, mp, k, 8 * aBase, transA ? 1 : k, transA ? np : 1, 8 * bBase, 8 * oBase);
  visit(heap, oBase, mp);
  return true;
}
