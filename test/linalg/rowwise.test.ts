// The elementwise passes (linalg/rowwise.ts, the cubic layer's): WebAssembly against the JS loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelHeap } from '../../src/core/linalg/wasm/kernel';
import { Rng } from '../../src/core/util/rng';
import { MonotoneCubic } from '../../src/core/flow/cubic';
import { columnSums, gaussianHead, standardizeRows, weightedSum } from '../../src/core/linalg/rowwise';
import { random, close, onHeap, noWasm } from './kernel-helpers';

test('the cubic layer gives the same rows, ln|det| and gradients from its WebAssembly pass as from its JS loops', { skip: noWasm }, () => {
  const heap = kernelHeap();
  assert.ok(heap);
  // d = 200: the row's Jacobian product is renormalized many times; rows scaled up to |u| ~ 1e3.
  for (const [d, scale] of [
    [8, 1],
    [200, 1],
    [40, 300],
  ] as const) {
    const n = 24;
    const rng = new Rng(d);
    const layer = new MonotoneCubic(d);
    for (let i = 0; i < layer.params.length; i++) layer.params[i] = 0.8 * rng.normal();
    const x = Float64Array.from({ length: n * d }, () => scale * rng.normal());
    const gy = Float64Array.from({ length: n * d }, () => rng.normal());
    const run = (place: (a: Float64Array) => Float64Array): { y: Float64Array; logDet: Float64Array; gp: Float64Array; gx: Float64Array } => {
      const y = place(new Float64Array(n * d));
      const logDet = new Float64Array(n);
      layer.forward(place(Float64Array.from(x)), n, y, logDet);
      const gp = new Float64Array(2 * d);
      const gx = place(new Float64Array(n * d));
      layer.backward(place(Float64Array.from(x)), n, place(Float64Array.from(gy)), -0.3, gp, gx);
      return { y: Float64Array.from(y), logDet, gp, gx: Float64Array.from(gx) };
    };
    const js = run((a) => a);
    const wasm = run(onHeap);
    for (const key of ['y', 'logDet', 'gp', 'gx'] as const) {
      close(wasm[key], js[key], () => true, 1, `d ${d}, scale ${scale}: ${key}`);
    }
    assert.ok(js.logDet.every(Number.isFinite), 'finite ln|det|');
  }
});

test('column sums, standardization and the loss head agree between their WebAssembly and JS passes', { skip: noWasm }, () => {
  const n = 37;
  const d = 18;
  const rng = new Rng(5);
  const x = random(n * d, rng);
  const mean = random(d, rng);
  const inv = Float64Array.from({ length: d }, () => 0.5 + Math.abs(rng.normal()));
  const logDet = random(n, rng);
  const results = [(a: Float64Array): Float64Array => a, onHeap].map((place) => {
    const sums = place(new Float64Array(d));
    columnSums(n, d, place(x), sums);
    const y = place(new Float64Array(n * d));
    standardizeRows(n, d, place(x), y, place(mean), place(inv));
    const g = place(new Float64Array(n * d));
    const loss = gaussianHead(n, d, place(x), g, place(logDet), 0.25, 1.5);
    return { sums: Float64Array.from(sums), y: Float64Array.from(y), g: Float64Array.from(g), loss: Float64Array.of(loss) };
  });
  const [js, wasm] = results;
  for (const key of ['sums', 'y', 'g', 'loss'] as const) close(wasm[key], js[key], () => true, 1, key);
  // And the JS pass against the definitions.
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += x[r * d + i];
    assert.ok(Math.abs(js.sums[i] - s) < 1e-12);
  }
  let loss = 0;
  for (let r = 0; r < n; r++) {
    let q = 0;
    for (let i = 0; i < d; i++) q += x[r * d + i] ** 2;
    loss += q / 2 + 1.5 - logDet[r];
  }
  assert.ok(Math.abs(js.loss[0] - loss) < 1e-10 * Math.abs(loss));
  assert.ok(Math.abs(js.y[3 * d + 5] - (x[3 * d + 5] - mean[5]) * inv[5]) < 1e-15);
});

test('the weighted sum of two gradients gives the same bits in its WebAssembly and JS passes, odd lengths included', { skip: noWasm }, () => {
  const rng = new Rng(6);
  for (const count of [1, 2, 7, 4225]) {
    const x = random(count, rng);
    const y = random(count, rng);
    const want = Float64Array.from(x, (v, i) => 0.375 * v + 0.625 * y[i]);
    const js = Float64Array.from(x);
    weightedSum(count, js, 0.375, y, 0.625);
    const wasm = onHeap(x);
    weightedSum(count, wasm, 0.375, onHeap(y), 0.625);
    assert.deepEqual(Array.from(js), Array.from(want), `JS, ${count}`);
    assert.deepEqual(Array.from(wasm), Array.from(want), `wasm, ${count}`);
  }
});
