import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam, adamLoop } from '../../src/core/train/adam';
import { kernelHeap, loadKernels } from '../../src/core/linalg/wasm/kernel';
import { Rng } from '../../src/core/util/rng';

/** Adam as the paper writes it: bias-corrected moments, then p -= lr m^ / (sqrt(v^) + eps). */
function textbook(params: number[], grads: number[][], lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] {
  const p = [...params];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, step) => {
    const t = step + 1;
    for (let i = 0; i < p.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const mHat = m[i] / (1 - b1 ** t);
      const vHat = v[i] / (1 - b2 ** t);
      p[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  });
  return p;
}

function problem(size: number, steps: number, seed: number): { start: Float64Array; grads: Float64Array[] } {
  const rng = new Rng(seed);
  const start = Float64Array.from({ length: size }, () => rng.normal());
  // Gradients over many scales, some tiny (where eps matters), some zero.
  const grads = Array.from({ length: steps }, () => Float64Array.from({ length: size }, (_, i) => (i % 7 === 0 ? 0 : rng.normal() * 10 ** ((i % 9) - 6))));
  return { start, grads };
}

test('Adam agrees with the textbook formulas (odd and even sizes)', () => {
  for (const size of [1, 2, 7, 1000, 1001]) {
    const { start, grads } = problem(size, 25, size);
    const want = textbook(Array.from(start), grads.map((g) => Array.from(g)), 3e-3);
    const params = Float64Array.from(start);
    const adam = new Adam(size, 3e-3);
    for (const g of grads) adam.step(params, g);
    let worst = 0;
    for (let i = 0; i < size; i++) worst = Math.max(worst, Math.abs(params[i] - want[i]) / Math.max(1e-300, Math.abs(start[i] - want[i])));
    // Relative to the distance moved: the folded bias corrections round differently.
    assert.ok(worst < 1e-12, `size ${size}: worst relative error of the update ${worst}`);
  }
});

test('Adam gives the same bits in the kernel and in the JS loop, with parameters in the heap or outside', (t) => {
  const kernels = loadKernels();
  const heap = kernelHeap();
  if (!kernels || !heap) return t.skip('WebAssembly kernels unavailable');
  for (const size of [9, 4224]) {
    const { start, grads } = problem(size, 12, 100 + size);
    const viaKernel = Float64Array.from(start);
    const inHeap = heap.alloc(size);
    inHeap.set(start);
    const a = new Adam(size, 1e-3);
    const b = new Adam(size, 1e-3);
    for (const g of grads) {
      a.step(viaKernel, g);
      b.step(inHeap, g);
    }
    // The JS loop, driven by hand with the constants of train/adam.ts.
    const viaJs = Float64Array.from(start);
    const m = new Float64Array(size);
    const v = new Float64Array(size);
    grads.forEach((g, k) => {
      const t = k + 1;
      adamLoop(viaJs, g, m, v, { b1: 0.9, b2: 0.999, a1: 1 - 0.9, a2: 1 - 0.999, step: 1e-3 / (1 - 0.9 ** t), invRootC2: 1 / Math.sqrt(1 - 0.999 ** t), eps: 1e-8 });
    });
    assert.deepEqual(Array.from(viaKernel), Array.from(viaJs), `size ${size}: kernel vs JS`);
    assert.deepEqual(Array.from(inHeap), Array.from(viaJs), `size ${size}: in heap vs JS`);
    heap.release(inHeap);
  }
});

test('Adam.reset forgets the moments: the next step is a first step again', () => {
  const { start, grads } = problem(33, 3, 5);
  const once = Float64Array.from(start);
  new Adam(33, 1e-2).step(once, grads[2]);
  const again = Float64Array.from(start);
  const adam = new Adam(33, 1e-2);
  adam.step(again, grads[0]);
  adam.step(again, grads[1]);
  adam.reset();
  again.set(start);
  adam.step(again, grads[2]);
  assert.deepEqual(Array.from(again), Array.from(once));
});
