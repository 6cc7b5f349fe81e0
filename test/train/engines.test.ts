import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../src/core/train/engines';
import { train } from '../../src/core/train/trainer';
import { randomFlow, randomRows } from '../helpers/flows';
import { buildFlow } from '../../src/core/flow/build';
import { Rng } from '../../src/core/util/rng';
import { layerKindNames } from '../../src/core/flow/kinds';

/** The largest |entry| of a gradient: the scale its entries are compared at. */
function largest(g: Float64Array): number {
  let scale = 0;
  for (const v of g) scale = Math.max(scale, Math.abs(v));
  return scale;
}

/** got's loss within tol of want's (relative), and each gradient entry within tol times `scale`. */
function assertSameLossAndGradient(what: string, want: { loss: number; grad: Float64Array }, got: { loss: number; grad: Float64Array }, tol: number, scale = largest(want.grad)): void {
  assert.ok(Math.abs(got.loss - want.loss) <= tol * Math.abs(want.loss), `${what}: loss ${got.loss} vs ${want.loss}`);
  for (let k = 0; k < want.grad.length; k++) {
    assert.ok(Math.abs(got.grad[k] - want.grad[k]) <= tol * scale, `${what}: gradient ${k}: ${got.grad[k]} vs ${want.grad[k]} (largest ${scale})`);
  }
}

// The tfjs engine here is @tensorflow/tfjs + the wasm backend (float32). tfjs-node (an optional
// dependency) cannot be installed on CI: its install downloads libtensorflow from outside the npm
// registry, fails, and npm skips it; the engine then falls back to wasm.

for (const kind of layerKindNames()) {
  test(`${kind}: the tfjs engine gives the float64 engine's loss and gradient (1e-4 relative)`, async () => {
    const d = 4;
    const n = 64;
    const flow = randomFlow(d, kind, 2, 5, 0.2);
    const x = randomRows(n, d, 12);
    const ours = await createEngine('float64', flow);
    const tfjs = await createEngine('tfjs', flow);
    assert.match(tfjs.name, /^tfjs-/);
    const g64 = new Float64Array(flow.paramCount);
    const g32 = new Float64Array(flow.paramCount);
    const l64 = ours.lossAndGradient(x, n, g64);
    const l32 = tfjs.lossAndGradient(x, n, g32);
    assertSameLossAndGradient('tfjs', { loss: l64, grad: g64 }, { loss: l32, grad: g32 }, 1e-4);
    assert.ok(Math.abs(tfjs.meanNll(x, n) - ours.meanNll(x, n)) <= 1e-4 * Math.abs(l64));
    tfjs.dispose?.();
  });
}

test('cubic: both engines train to the same held-out NLL on a small problem', async () => {
  const d = 2;
  const rng = new Rng(3);
  const rows = (n: number): Float64Array => {
    const x = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      const a = rng.normal();
      const b = 0.6 * a + 0.8 * rng.normal();
      x[r * d] = a + 0.3 * a * a * a;
      x[r * d + 1] = b;
    }
    return x;
  };
  const nTrain = 1024;
  const nVal = 512;
  const trainRows = rows(nTrain);
  const val = rows(nVal);
  const results: number[] = [];
  for (const name of ['float64', 'tfjs'] as const) {
    const flow = buildFlow([0, 0], [1.3, 1], { layerKind: 'cubic', layers: 1, hidden: d, seed: 4 });
    const engine = await createEngine(name, flow);
    const before = flow.meanNll(val, nVal);
    await train(flow, trainRows, nTrain, val, nVal, { maxSteps: 400, steps: 400, batch: 256, learningRate: 2e-2, patience: 10, seed: 1, maxGradNorm: 100, engine });
    // Judge both models with the float64 engine, so that only the training differs.
    results.push(flow.meanNll(val, nVal));
    assert.ok(results[results.length - 1] < before - 0.05, `${name}: training did not improve the held-out NLL (${before} -> ${results[results.length - 1]})`);
    engine.dispose?.();
  }
  assert.ok(Math.abs(results[0] - results[1]) < 5e-3, `held-out NLL: float64 ${results[0]}, tfjs ${results[1]}`);
});

test('the two-thread float64 engine gives the one-thread loss and gradient (1e-12 relative)', async () => {
  const d = 6;
  const n = 256;
  const flow = randomFlow(d, 'cubic', 2, 8, 0.2);
  const x = randomRows(n, d, 4);
  const one = await createEngine('float64', flow);
  const two = await createEngine('parallel', flow);
  try {
    assert.equal(two.name, 'float64-js-2threads');
    const g1 = new Float64Array(flow.paramCount);
    const g2 = new Float64Array(flow.paramCount);
    const l1 = one.lossAndGradient(x, n, g1);
    const l2 = two.lossAndGradient(x, n, g2);
    const scale = largest(g1);
    assertSameLossAndGradient('two threads', { loss: l1, grad: g1 }, { loss: l2, grad: g2 }, 1e-12);
    // A batch too small to split is computed on one thread, exactly.
    const small = one.lossAndGradient(x, 20, g1);
    assert.equal(two.lossAndGradient(x, 20, g2), small);
    // Moved to another flow of the same shape (another start): the helper computes with the new replica.
    const other = randomFlow(d, 'cubic', 2, 9, 0.2);
    assert.ok(two.retarget);
    await two.retarget(other);
    const l3 = other.lossAndGradient(x, n, g1);
    const l4 = two.lossAndGradient(x, n, g2);
    assertSameLossAndGradient('after retarget', { loss: l3, grad: g1 }, { loss: l4, grad: g2 }, 1e-12, scale);
    assert.ok(Math.abs(l3 - l1) > 1e-6, 'the two flows differ');
    // Twice in a row, with no batch between (a start that trained no steps): the helper follows.
    await two.retarget(flow);
    await two.retarget(other);
    assert.equal(two.lossAndGradient(x, n, g2), l4);
    await assert.rejects(two.retarget(randomFlow(d + 1, 'cubic', 2, 9, 0.2)), /built for 6 variables/);
  } finally {
    two.dispose?.();
  }
});

test('from d = 32 on, one and two threads give the same bits: per batch, and over a training run', async () => {
  // The one-thread engine splits batches as the two-thread one does (halves.ts); the two-thread one
  // computes the second half on whichever thread is free first (CLAIM), with the same arithmetic.
  for (const kind of ['cubic', 'coupling']) {
    const d = 32;
    const n = 256;
    const x = randomRows(n, d, 4);
    const flows = [randomFlow(d, kind, 2, 8, 0.2), randomFlow(d, kind, 2, 8, 0.2)];
    const one = await createEngine('float64', flows[0]);
    const two = await createEngine('parallel', flows[1]);
    try {
      const g1 = new Float64Array(flows[0].paramCount);
      const g2 = new Float64Array(flows[1].paramCount);
      assert.equal(two.lossAndGradient(x, n, g2), one.lossAndGradient(x, n, g1));
      assert.deepEqual(g2, g1);
      const val = randomRows(200, d, 5);
      const options = { maxSteps: 300, batch: 128, learningRate: 5e-3, patience: 100, seed: 3, maxGradNorm: 100 };
      const [a, b] = [await train(flows[0], x, n, val, 200, { ...options, engine: one }), await train(flows[1], x, n, val, 200, { ...options, engine: two })];
      assert.equal(b.valNll, a.valNll, kind);
      assert.deepEqual(flows[1].params, flows[0].params, kind);
    } finally {
      one.dispose?.();
      two.dispose?.();
    }
  }
});
