import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Flow } from '../../src/core/flow/flow';
import type { Layer, LayerStructure } from '../../src/core/flow/layer';
import { Standardize } from '../../src/core/flow/standardize';
import { AffineLU } from '../../src/core/flow/affine';
import { train } from '../../src/core/train/trainer';
import { randomRows } from '../helpers/flows';

/** Fault injection: an identity layer whose output turns non-finite once its parameter leaves [-limit, limit]. */
class FragileShift implements Layer {
  readonly kind = 'cubic' as const;
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
  structure(): LayerStructure {
    return { kind: 'cubic' };
  }
}

test('non-finite steps are undone with a smaller step and training goes on', async () => {
  const d = 2;
  const n = 200;
  // Data centred at 3: the shift wants to move to -3, but turns non-finite beyond |0.5|.
  const x = randomRows(n, d, 1).map((v) => v + 3);
  const flow = new Flow([new Standardize([0, 0], [1, 1]), new AffineLU(d, [0, 1]), new FragileShift(d, 0.5)]);
  const result = await train(flow, x, n, x, n, { epochs: 100, batch: 50, learningRate: 0.05, patience: 1000, seed: 1, maxGradNorm: 100 });
  assert.ok(result.divergenceEvents > 0);
  // It keeps pushing against the wall, so it may end either way; what matters is a finite, better model.
  assert.ok(['max-epochs', 'diverged'].includes(result.stoppedBecause));
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
  const result = await train(flow, x, n, x, n, { epochs: 50, batch: 100, learningRate: 0.05, patience: 1000, seed: 1, maxGradNorm: 100 });
  assert.equal(result.stoppedBecause, 'diverged');
  assert.ok(result.divergenceEvents >= 12, `${result.divergenceEvents} events`);
  assert.ok(result.epochs < 50);
  assert.equal(flow.params[flow.params.length - 1], 0);
  assert.equal(result.valNll, before);
});

test('--steps trains for exactly that many optimizer steps and keeps the final weights', async () => {
  const d = 2;
  const n = 300;
  const x = randomRows(n, d, 2);
  const flow = new Flow([new Standardize([0, 0], [1, 1]), new AffineLU(d, [1, 0])]);
  const result = await train(flow, x, n, x, n, { epochs: 1, batch: 64, learningRate: 0.01, patience: 1, steps: 23, seed: 1, maxGradNorm: 100 });
  assert.equal(result.steps, 23);
  assert.equal(result.stoppedBecause, 'steps');
});
