import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, type TrainingEngine } from '../../src/core/train/engines';
import { combineHalves, halvesOf, sharedBlock } from '../../src/core/train/halves';
import { PaceKeeper } from '../../src/core/train/parallel';
import type { Flow } from '../../src/core/flow/flow';
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

/** The two-thread engine's arithmetic on one thread: both halves here, combined as it combines them. */
function halvesOnOneThread(flow: Flow): TrainingEngine {
  const p = flow.paramCount;
  const first = sharedBlock(p);
  const second = sharedBlock(p + 1);
  return {
    name: 'halves on one thread',
    lossAndGradient(x, n, grad) {
      const h = halvesOf(n);
      if (!h) return flow.lossAndGradient(x, n, grad);
      const l1 = flow.lossAndGradient(x, h.n1, first);
      second[p] = flow.lossAndGradient(x.subarray(h.n1 * flow.dim, n * flow.dim), h.n2, second.subarray(0, p));
      return combineHalves(p, h.n1, l1, first, h.n2, second, grad);
    },
    meanNll: (x, n) => flow.meanNll(x, n),
  };
}

test('the two-thread engine gives the same bits whichever thread computed the second half, per batch and over a training run', async () => {
  // The helper computes the second half when it is there in time, the trainer's thread otherwise
  // (CLAIM), and on a busy machine the engine runs both halves on one thread (PaceKeeper): every way
  // must give the arithmetic of the halves on one thread.
  // d = 8 too: there the small products take the JS loops or the kernel depending on where their
  // operands live, so both threads must keep the parameters where the other keeps them.
  for (const [kind, d] of [['cubic', 32], ['coupling', 32], ['cubic', 8], ['coupling', 8]] as const) {
    const n = 256;
    const x = randomRows(n, d, 4);
    const flows = [randomFlow(d, kind, 2, 8, 0.2), randomFlow(d, kind, 2, 8, 0.2)];
    const one = halvesOnOneThread(flows[0]);
    const two = await createEngine('parallel', flows[1]);
    try {
      const g1 = new Float64Array(flows[0].paramCount);
      const g2 = new Float64Array(flows[1].paramCount);
      assert.equal(two.lossAndGradient(x, n, g2), one.lossAndGradient(x, n, g1));
      assert.deepEqual(g2, g1);
      const val = randomRows(200, d, 5);
      // 700 steps: past the PaceKeeper's first trials of the one-thread way (after 180 and 580 batches).
      const options = { maxSteps: 700, batch: 128, learningRate: 5e-3, patience: 1000, seed: 3, maxGradNorm: 100 };
      const [a, b] = [await train(flows[0], x, n, val, 200, { ...options, engine: one }), await train(flows[1], x, n, val, 200, { ...options, engine: two })];
      assert.equal(b.valNll, a.valNll, `${kind}, d = ${d}`);
      assert.deepEqual(flows[1].params, flows[0].params, `${kind}, d = ${d}`);
    } finally {
      two.dispose?.();
    }
  }
});

test('the pace keeper runs the faster way, tries the other now and then, and less often while it keeps losing', () => {
  const pace = new PaceKeeper();
  const ways: boolean[] = [];
  // Two threads take 1 ms a batch, one thread 2 ms: two threads stay, with trials of one thread.
  for (let b = 0; b < 1000; b++) {
    const two = pace.twoThreads();
    ways.push(two);
    pace.record(two ? 1 : 2);
  }
  const trials = ways.map((two, b) => (two ? -1 : b)).filter((b) => b >= 0);
  assert.deepEqual([trials.length, trials[0], trials[20]], [40, 180, 580], 'trials of 20 batches after 200, then 400 batches');
  // The machine gets busy: two threads now take 5 ms; the next trial finds one thread faster and stays there.
  let switched = -1;
  for (let b = 0; b < 2000 && switched < 0; b++) {
    const two = pace.twoThreads();
    pace.record(two ? 5 : 2);
    if (!two && !pace.twoThreads()) switched = b;
  }
  assert.ok(switched >= 0, 'switched to one thread');
  let twoAfter = 0;
  for (let b = 0; b < 150; b++) {
    const two = pace.twoThreads();
    if (two) twoAfter++;
    pace.record(two ? 5 : 2);
  }
  assert.equal(twoAfter, 0, 'one thread until the next trial');
});
