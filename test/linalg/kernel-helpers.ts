// Shared by the kernels' tests (test/linalg): references by the definition, random operands, and
// which kernel variants this run has switched off.
import assert from 'node:assert/strict';
import { kernelHeap, loadKernels, useKernelVariant, type KernelVariant } from '../../src/core/linalg/wasm/kernel';
import type { Rng } from '../../src/core/util/rng';

/** op(A) B by the definition, one entry at a time. */
export function naive(n: number, m: number, k: number, a: Float64Array, transA: boolean, b: Float64Array, start: Float64Array): Float64Array {
  const out = Float64Array.from(start);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < m; c++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += (transA ? a[j * n + r] : a[r * k + j]) * b[j * m + c];
      out[r * m + c] += s;
    }
  return out;
}

export function random(size: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: size }, () => rng.normal());
}

/** Zeroes the entries of a rows x cols matrix that a triangular shape says are zero. */
export function triangular(a: Float64Array, rows: number, cols: number, keep: (i: number, j: number) => boolean): Float64Array {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (!keep(i, j)) a[i * cols + j] = 0;
  return a;
}

export function close(got: Float64Array, want: Float64Array, wanted: (r: number, c: number) => boolean, m: number, what: string): void {
  for (let i = 0; i < want.length; i++) {
    const r = Math.floor(i / m);
    const c = i % m;
    if (!wanted(r, c)) continue;
    assert.ok(Math.abs(got[i] - want[i]) <= 1e-12 * (1 + Math.abs(want[i])), `${what}: entry (${r}, ${c}) ${got[i]} vs ${want[i]}`);
  }
}

/** Copies `a` into the kernel heap (the in-place path) when there is one. */
export function onHeap(a: Float64Array): Float64Array {
  const heap = kernelHeap();
  if (!heap) return a;
  const v = heap.alloc(a.length);
  v.set(a);
  return v;
}

/**
 * Set when a run deliberately turns the kernels off (npm run test:fallback runs the suites on the JS
 * paths): the tests of the kernels themselves are then skipped, everything else must still pass.
 */
export const noWasm = process.env.ACTION_LENS_NO_WASM ? 'ACTION_LENS_NO_WASM is set' : false;
export const noFma = noWasm || (process.env.ACTION_LENS_NO_FMA ? 'ACTION_LENS_NO_FMA is set' : false);
export const noNative = noFma || (process.env.ACTION_LENS_NO_NATIVE ? 'ACTION_LENS_NO_NATIVE is set' : false);
export const skipFor = (variant: KernelVariant): string | false => (variant === 'native' ? noNative : variant === 'fma' ? noFma : noWasm);

/** Runs `body` with the products on `variant`, then restores the default. */
export function withVariant(variant: KernelVariant, body: () => void): void {
  const before = loadKernels()?.variant ?? 'plain';
  assert.ok(useKernelVariant(variant), `variant ${variant} available`);
  try {
    body();
  } finally {
    useKernelVariant(before);
  }
}
