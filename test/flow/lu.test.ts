import { test } from 'node:test';
import assert from 'node:assert/strict';
import { luScatter, luUnpack, permuteRows } from '../../src/core/flow/lu';
import { kernelHeap } from '../../src/core/linalg/wasm/kernel';
import { Rng } from '../../src/core/util/rng';

/** Copies of `arrays` in the kernel heap (the wasm path), or plain copies when there is no heap. */
function inHeap(arrays: Float64Array[]): Float64Array[] {
  const heap = kernelHeap();
  return arrays.map((a) => {
    const h = heap ? heap.alloc(a.length) : new Float64Array(a.length);
    h.set(a);
    return h;
  });
}

const sizes = [1, 2, 5, 32];

test('luUnpack: the factors by their definition, the same bits in wasm and in JS', () => {
  const rng = new Rng(3);
  for (const d of sizes) {
    const nTri = (d * (d - 1)) / 2;
    const params = Float64Array.from({ length: 2 * nTri }, () => rng.normal());
    const expS = Float64Array.from({ length: d }, () => Math.exp(rng.normal()));
    const js = [new Float64Array(d * d).fill(7), new Float64Array(d * d).fill(7), new Float64Array(d * d).fill(7)];
    luUnpack(d, params, expS, js[0], js[1], js[2]);
    const [hp, he, ...wasm] = inHeap([params, expS, new Float64Array(d * d).fill(7), new Float64Array(d * d).fill(7), new Float64Array(d * d).fill(7)]);
    luUnpack(d, hp, he, wasm[0], wasm[1], wasm[2]);
    // By the definition: Lo's strict lower part row by row, then Up's strict upper part row by row.
    let k = 0;
    const lo = new Float64Array(d * d);
    const up = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) lo[i * d + j] = params[k++];
      lo[i * d + i] = 1;
    }
    for (let i = 0; i < d; i++) {
      up[i * d + i] = expS[i];
      for (let j = i + 1; j < d; j++) up[i * d + j] = params[k++];
    }
    const upT = Float64Array.from({ length: d * d }, (_, x) => up[(x % d) * d + Math.floor(x / d)]);
    for (const [got, what] of [[js, 'JS'], [wasm, 'wasm']] as const) {
      assert.deepEqual(Array.from(got[0]), Array.from(lo), `d=${d} ${what} Lo`);
      assert.deepEqual(Array.from(got[1]), Array.from(up), `d=${d} ${what} Up`);
      assert.deepEqual(Array.from(got[2]), Array.from(upT), `d=${d} ${what} Up^T`);
    }
  }
});

test('permuteRows: row i of the output is row perm[i] of the input, and the transpose when asked', () => {
  const rng = new Rng(4);
  for (const d of sizes) {
    const perm = Float64Array.from(rng.permutation(d));
    const src = Float64Array.from({ length: d * d }, () => rng.normal());
    const want = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) want[i * d + j] = src[perm[i] * d + j];
    const wantT = Float64Array.from({ length: d * d }, (_, x) => want[(x % d) * d + Math.floor(x / d)]);
    const js = [new Float64Array(d * d), new Float64Array(d * d)];
    permuteRows(d, perm, src, js[0], js[1]);
    const [hp, hs, ...wasm] = inHeap([perm, src, new Float64Array(d * d), new Float64Array(d * d)]);
    permuteRows(d, hp, hs, wasm[0], wasm[1]);
    const only = inHeap([new Float64Array(d * d)])[0];
    permuteRows(d, hp, hs, only);
    for (const [got, what] of [[js, 'JS'], [wasm, 'wasm']] as const) {
      assert.deepEqual(Array.from(got[0]), Array.from(want), `d=${d} ${what}`);
      assert.deepEqual(Array.from(got[1]), Array.from(wantT), `d=${d} ${what} transposed`);
    }
    assert.deepEqual(Array.from(only), Array.from(want), `d=${d} without the transpose`);
  }
});

test('luScatter: adds the factors\' gradients to the packed parameter gradient, the same bits in wasm and in JS', () => {
  const rng = new Rng(5);
  for (const d of sizes) {
    const nTri = (d * (d - 1)) / 2;
    const [gLo, gUp, up] = [0, 1, 2].map(() => Float64Array.from({ length: d * d }, () => rng.normal()));
    const start = Float64Array.from({ length: 2 * nTri + 2 * d }, () => rng.normal());
    const wn = -0.37;
    const want = Float64Array.from(start);
    let k = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) want[k++] += gLo[i * d + j];
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) want[k++] += gUp[i * d + j];
    for (let i = 0; i < d; i++) want[2 * nTri + i] += gUp[i * d + i] * up[i * d + i] + wn;
    const js = Float64Array.from(start);
    luScatter(d, gLo, gUp, up, wn, js);
    const [hLo, hUp, hu, wasm] = inHeap([gLo, gUp, up, start]);
    luScatter(d, hLo, hUp, hu, wn, wasm);
    assert.deepEqual(Array.from(js), Array.from(want), `d=${d} JS`);
    assert.deepEqual(Array.from(wasm), Array.from(want), `d=${d} wasm`);
  }
});
