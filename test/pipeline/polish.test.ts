import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromRows } from '../../src/core/data/memory';
import { teacherFlow } from '../../src/core/experiments/teacher';
import { DEFAULT_LEARN_SETTINGS, learn } from '../../src/core/pipeline/learn';
import { fullBatchNll } from '../../src/core/train/polish';
import { Rng } from '../../src/core/util/rng';
import { randomFlow } from '../helpers/flows';

test('fullBatchNll is the mean NLL over all rows, its gradient the finite differences of it', () => {
  const flow = randomFlow(3, 'coupling', 2, 5);
  const rng = new Rng(4);
  const n = 5000; // more than one chunk of rows
  const x = Float64Array.from({ length: n * 3 }, () => rng.normal());
  const g = new Float64Array(flow.paramCount);
  const f = fullBatchNll(flow, x, n, g);
  assert.ok(Math.abs(f - flow.meanNll(x, n)) < 1e-12);
  for (const k of [0, 3, flow.paramCount - 1]) {
    const h = 1e-6;
    const p = flow.params[k];
    flow.params[k] = p + h;
    const up = fullBatchNll(flow, x, n, null);
    flow.params[k] = p - h;
    const down = fullBatchNll(flow, x, n, null);
    flow.params[k] = p;
    assert.ok(Math.abs((up - down) / (2 * h) - g[k]) < 1e-7, `parameter ${k}: ${(up - down) / (2 * h)} vs ${g[k]}`);
  }
});

test('on data a one-block coupling flow can represent, runs at two seeds polish to the same action', async () => {
  // A teacher (experiments/teacher.ts): the truth is in the model class, the likelihood has one basin
  // around it, and every seed's early-stopped weights sit at a different point of its flat floor.
  const teacher = teacherFlow('coupling', 1, 5);
  const rng = new Rng(11);
  const n = 8000;
  const rows = teacher.inverse(Float64Array.from({ length: n * 4 }, () => rng.normal()), n);
  const table = tableFromRows('teacher 5', ['x0', 'x1', 'x2', 'x3'], rows, n);
  const settings = { ...DEFAULT_LEARN_SETTINGS, layerKind: 'coupling', layers: 1, order: 3, identify: 'off' as const, modelSamples: 500, ensemble: 1, restarts: 1 };
  const runs = await Promise.all([1, 2].map(async (seed) => (await learn(table, { ...settings, seed })).report));
  const unpolished = await Promise.all([1, 2].map(async (seed) => (await learn(table, { ...settings, seed, polish: false })).report));
  for (const r of runs) {
    const p = r.training.polish;
    assert.ok(p?.kept, JSON.stringify(p));
    assert.ok(p.stoppedBecause === 'gradient' || p.stoppedBecause === 'stalled');
    assert.ok(p.trainNll[1] < p.trainNll[0]);
    assert.equal(r.training.valNll, p.valNll[1]);
  }
  // The largest difference between the two seeds' coefficients, in the first seed's standard errors.
  const gap = (a: typeof runs[number], b: typeof runs[number]): number =>
    Math.max(...a.action.terms.filter((t) => t.stdErr !== undefined).map((t, k) => Math.abs(t.coefficient - b.action.terms.filter((u) => u.stdErr !== undefined)[k].coefficient) / (t.stdErr ?? 1)));
  const polishedGap = gap(runs[0], runs[1]);
  const earlyGap = gap(unpolished[0], unpolished[1]);
  assert.ok(polishedGap < 0.01, `polished seeds differ by ${polishedGap} standard errors (early-stopped: ${earlyGap})`);
  assert.ok(earlyGap > 0.1, `early-stopped seeds differ by ${earlyGap} standard errors`);
  assert.equal(unpolished[0].training.polish, undefined);
});
