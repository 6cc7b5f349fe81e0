import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPERIMENTS, findExperiment } from '../../src/core/experiments';

test('every experiment is listed once and unknown ids are refused with the list', () => {
  assert.deepEqual(EXPERIMENTS.map((e) => e.id), ['teacher', 'phi4', 'depth-data', 'doublewell', 'identify', 'digits']);
  assert.throws(() => findExperiment('nope'), /unknown experiment "nope"; choose one of teacher, phi4, depth-data, doublewell, identify, digits/);
});

test('teacher --quick: the coefficients approach the teacher\'s as N grows', async () => {
  const { report } = await findExperiment('teacher').run({ quick: true, seed: 1 });
  const e = report.experiment;
  assert.ok(e);
  assert.equal(e.runs.length, 2);
  assert.equal(e.perOrder.length, 4);
  // The NLL gap to the teacher is small and positive-ish (KL >= 0 up to sampling noise of the test set).
  for (const r of e.runs) assert.ok(r.trueValNll !== null && r.valNll - r.trueValNll > -0.01 && r.valNll - r.trueValNll < 0.1, `gap ${r.valNll - (r.trueValNll ?? 0)}`);
  const err2 = e.runs.map((r) => r.relativeErrorByOrder[1] ?? Infinity);
  assert.ok(err2[1] < 0.35, `order-2 error at the larger N: ${err2[1]}`);
  assert.ok(e.findings.length >= 5);
});

test('phi4 --quick: second order recovered, NLL near the truth, four cumulant sources compared', async () => {
  const { report, data } = await findExperiment('phi4').run({ quick: true, seed: 1 });
  const e = report.experiment;
  assert.ok(e && e.truth);
  const order2 = e.perOrder.find((o) => o.order === 2);
  assert.ok(order2 && order2.relativeError !== null && order2.relativeError < 0.3, `order 2: ${order2?.relativeError}`);
  const run = e.runs[0];
  assert.ok(run.trueValNll !== null && Math.abs(run.valNll - run.trueValNll) < 0.05, `NLL ${run.valNll} vs true ${run.trueValNll}`);
  const sources = report.cumulants.sets.map((s) => s.source);
  assert.ok(sources.some((s) => s.startsWith('truth')));
  assert.ok(sources.some((s) => s.startsWith('model')));
  assert.ok(report.cumulants.notes.some((n) => /truncated action/.test(n)));
  assert.ok(Object.keys(data).length === 1);
});

test('depth-data --quick: a full L x N grid of runs with errors per order', async () => {
  const { report } = await findExperiment('depth-data').run({ quick: true, seed: 1 });
  const e = report.experiment;
  assert.ok(e);
  assert.equal(e.runs.length, 4);
  assert.deepEqual(e.runs.map((r) => [r.layers, r.rows]), [[1, 1000], [2, 1000], [1, 4000], [2, 4000]]);
  for (const r of e.runs) assert.equal(r.relativeErrorByOrder.length, 4);
  // More data helps the second order at every depth.
  for (const L of [1, 2]) {
    const [small, large] = e.runs.filter((r) => r.layers === L).map((r) => r.relativeErrorByOrder[1] ?? Infinity);
    assert.ok(large < small, `L = ${L}: ${small} -> ${large}`);
  }
});

test('doublewell --quick: modes of the learned model located, cumulants per order compared with the truth', async () => {
  const { report } = await findExperiment('doublewell').run({ quick: true, seed: 1 });
  const e = report.experiment;
  assert.ok(e && e.extra);
  const modes = e.extra.modes as Array<{ x: number[]; basin: number }>;
  assert.ok(modes.length >= 1);
  assert.equal(modes.reduce((s, m) => s + m.basin, 0), e.extra.starts);
  const vsTruth = report.cumulants.comparisons.find((c) => c.a.startsWith('data') && c.b.startsWith('truth'));
  assert.ok(vsTruth);
  // The data are a sample of the truth: their cumulants agree within sampling error.
  for (const o of vsTruth.orders) assert.ok(o.rmsZ < 2, `order ${o.order}: rms z ${o.rmsZ}`);
  assert.ok(e.findings.some((f) => /mode/.test(f)));
});
