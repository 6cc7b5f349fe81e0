import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Flow } from '../../src/core/flow/flow';
import type { Layer } from '../../src/core/flow/layer';
import { Standardize } from '../../src/core/flow/standardize';
import { AffineLU } from '../../src/core/flow/affine';
import { evaluationInterval, thinHistory, train } from '../../src/core/train/trainer';
import { randomRows } from '../helpers/flows';

/** Fault injection: an identity layer whose output turns non-finite once its parameter leaves [-limit, limit]. */
class FragileShift implements Layer {
  readonly kind = 'fragile-shift';
  readonly dim: number;
  readonly paramCount = 1;
  params = new Float64Array(1);
  constructor(dim: number, private readonly limit: number) {
    this.dim = dim;
  }
  forward(x: Float64Array, n: number, y: Float64Array): void {
    const bad = Math.abs(this.params[0]) > this.limit;
    for (let i = 0; i < n * this.dim; i++) y[i] = bad ? Number.NaN : x[i] + this.params[0];
  }
  inverse(y: Float64Array, n: number, x: Float64Array): void {
    for (let i = 0; i < n * this.dim; i++) x[i] = y[i] - this.params[0];
  }
  backward(_x: Float64Array, n: number, gy: Float64Array, _w: number, gParams: Float64Array, gx: Float64Array): void {
    for (let i = 0; i < n * this.dim; i++) {
      gParams[0] += gy[i];
      gx[i] = gy[i];
    }
  }
  jet(): { output: Float64Array[]; logDet: null } {
    throw new Error('not used');
  }
}

test('non-finite steps are undone with a smaller step and training goes on', async () => {
  const d = 2;
  const n = 200;
  // Data centred at 3: the shift wants to move to -3, but turns non-finite beyond |0.5|.
  const x = randomRows(n, d, 1).map((v) => v + 3);
  const flow = new Flow([new Standardize([0, 0], [1, 1]), new AffineLU(d, [0, 1]), new FragileShift(d, 0.5)]);
  const result = await train(flow, x, n, x, n, { maxSteps: 400, batch: 50, learningRate: 0.05, patience: 1000, seed: 1, maxGradNorm: 100 });
  assert.ok(result.divergenceEvents > 0);
  // It keeps pushing against the wall, so it may end either way; what matters is a finite, better model.
  assert.ok(['step-limit', 'diverged'].includes(result.stoppedBecause));
  assert.ok(Number.isFinite(result.valNll));
  assert.ok(Math.abs(flow.params[flow.params.length - 1]) <= 0.5);
  // The affine bias took over the shift the fragile layer could not make.
  assert.ok(result.valNll < result.history[0].valNll - 1);
});

test('persistent divergence stops the run with "diverged" and keeps the best finite model', async () => {
  const d = 2;
  const n = 100;
  const x = randomRows(n, d, 3).map((v) => v + 1);
  // Any move of the fragile parameter is non-finite: every step is undone until training gives up.
  const flow = new Flow([new Standardize([0, 0], [1, 1]), new AffineLU(d, [0, 1]), new FragileShift(d, 0)]);
  const before = flow.meanNll(x, n);
  const result = await train(flow, x, n, x, n, { maxSteps: 50, batch: 100, learningRate: 0.05, patience: 1000, seed: 1, maxGradNorm: 100 });
  assert.equal(result.stoppedBecause, 'diverged');
  assert.ok(result.divergenceEvents >= 12, `${result.divergenceEvents} events`);
  assert.ok(result.steps < 50);
  assert.equal(flow.params[flow.params.length - 1], 0);
  assert.equal(result.valNll, before);
});

test('--steps trains for exactly that many optimizer steps and keeps the final weights', async () => {
  const d = 2;
  const n = 300;
  const x = randomRows(n, d, 2);
  const flow = new Flow([new Standardize([0, 0], [1, 1]), new AffineLU(d, [1, 0])]);
  const result = await train(flow, x, n, x, n, { maxSteps: 1, batch: 64, learningRate: 0.01, patience: 1, steps: 23, seed: 1, maxGradNorm: 100 });
  assert.equal(result.steps, 23);
  assert.equal(result.stoppedBecause, 'steps');
});

test('the held-out NLL is evaluated every few steps: a bounded share of the cost, several times per patience window', () => {
  // 20,000 held-out rows against batches of 512: a forward pass over them costs ~13 steps, so every ~131 steps.
  assert.equal(evaluationInterval(20000, 512, 2000), 131);
  // Small held-out sets are evaluated every step or few...
  assert.equal(evaluationInterval(100, 400, 2000), 1);
  // ...and a short patience caps the interval so that early stopping still sees ten points.
  assert.equal(evaluationInterval(1e6, 512, 500), 50);
});

test('the step budget ends a run that keeps improving with "step-limit"; history has one point per evaluation', async () => {
  const d = 2;
  const n = 400;
  const x = randomRows(n, d, 5).map((v, i) => (i % 2 === 0 ? 3 * v + 1 : v));
  const flow = new Flow([new Standardize([0, 0], [1, 1]), new AffineLU(d, [0, 1])]);
  const result = await train(flow, x, n, x, n, { maxSteps: 60, batch: 40, learningRate: 0.01, patience: 1000, seed: 1, maxGradNorm: 100 });
  assert.equal(result.stoppedBecause, 'step-limit');
  assert.equal(result.steps, 60);
  assert.equal(result.evaluationInterval, evaluationInterval(n, 40, 1000));
  assert.equal(result.history.length, Math.ceil(60 / (result.evaluationInterval ?? 1)));
  assert.equal(result.history[result.history.length - 1].step, 60);
  assert.equal(result.epochs, 6);
});

test('the training curve in the report is thinned to about 1,000 points, keeping the first, the best and the last', () => {
  const history = Array.from({ length: 5003 }, (_, i) => ({ epoch: i, step: 10 * (i + 1), trainNll: 1, valNll: 1 }));
  const thin = thinHistory(history, 10 * 4002);
  assert.ok(thin.length <= 1002, `${thin.length} points`);
  assert.equal(thin[0].step, 10);
  assert.equal(thin[thin.length - 1].step, 50030);
  assert.ok(thin.some((p) => p.step === 40020));
});
