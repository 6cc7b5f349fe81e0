import { weightedSum } from '../linalg/rowwise';
import { kernelHeap } from '../linalg/wasm/kernel';

/**
 * A batch's loss and gradient as the row-weighted sum of its two halves': the arithmetic of the
 * two-thread engine (parallel.ts), whichever thread computes each half, so that who was free at a
 * step (or whether the engine ran on one thread while the machine was busy) never moves a result.
 */

/** Below this many rows per half, a batch is not split (the hand-off would cost more than the second core saves). */
export const MIN_HALF = 32;
/** Above it neither (the shared row buffer's size). */
export const MAX_HALF = 4096;

/** Rows of the first and second half of an n-row batch; null when the batch is not split. */
export function halvesOf(n: number): { n1: number; n2: number } | null {
  const n2 = Math.floor(n / 2);
  return n2 >= MIN_HALF && n2 <= MAX_HALF ? { n1: n - n2, n2 } : null;
}

/** A block of float64s in the kernel heap (shared memory, where the combining runs in wasm), or a plain shared buffer without one. */
export function sharedBlock(doubles: number): Float64Array {
  const heap = kernelHeap();
  return heap ? heap.alloc(doubles) : new Float64Array(new SharedArrayBuffer(8 * doubles));
}

/** Gives a block of sharedBlock back (a no-op outside the heap). */
export function releaseBlock(block: Float64Array): void {
  const heap = kernelHeap();
  if (heap && heap.pointerOf(block) >= 0) heap.release(block);
}

/**
 * Combines the halves: `first` holds the first half's gradient (p entries) and becomes the batch's,
 * `second` the second half's gradient followed by its loss; returns the batch's mean loss.
 */
export function combineHalves(p: number, n1: number, l1: number, first: Float64Array, n2: number, second: Float64Array, grad: Float64Array): number {
  const n = n1 + n2;
  const w1 = n1 / n;
  const w2 = n2 / n;
  weightedSum(p, first, w1, second, w2);
  grad.set(first.subarray(0, p));
  return w1 * l1 + w2 * second[p];
}
