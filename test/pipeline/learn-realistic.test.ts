import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromRows } from '../../src/core/data/memory';
import { DEFAULT_LEARN_SETTINGS, learn } from '../../src/core/pipeline/learn';
import { compareActions, reexpandAction } from '../../src/core/experiments/compare';
import type { Action } from '../../src/core/report/schema';
import { plantTable, realisticTable } from '../helpers/realistic-tables';

test('a table of measurements far from 0: expanded at the mean, coefficients on the scale of the spreads, early-stopped, the fit judged', async () => {
  const t = plantTable(23, 3000);
  const { report } = await learn(tableFromRows(t.name, t.columns, t.data, t.rows), { ...DEFAULT_LEARN_SETTINGS, seed: 2 });
  const x0 = report.action.expansionPoint ?? [];
  const std = report.model.standardization.std;
  assert.deepEqual(x0, report.model.standardization.mean, 'x0 is the training mean');
  assert.match(report.action.expansionReason ?? '', /mean: 0 lies outside the data's spread/);
  // c_m times the spreads of its variables: of order one to ten, as -1/(2 sigma^2) is for a Gaussian column.
  for (const term of report.action.terms) {
    if (term.monomial.length === 0) continue;
    let scaled = Math.abs(term.coefficient);
    for (const i of term.monomial) scaled *= std[i];
    assert.ok(scaled < 30, `${term.monomial}: c * spreads = ${scaled}`);
  }
  assert.equal(report.training.stoppedBecause, 'early-stopping');
  assert.ok(report.fit !== undefined && ['good', 'poor'].includes(report.fit.verdict));
  // Around the mean the series converges across the bulk: no warning that it describes the model near 0 only.
  assert.ok(!report.warnings.some((w) => /converges only within/.test(w)), report.warnings.join('\n'));
  // The standardized action is the raw one times the spreads (same point), standard errors included.
  const raw = new Map(report.action.terms.map((term) => [term.monomial.join(','), term]));
  for (const term of report.actionStandardized?.terms ?? []) {
    const r = raw.get(term.monomial.join(','));
    assert.ok(r !== undefined);
    let scale = 1;
    for (const i of term.monomial) scale *= std[i];
    if (term.monomial.length === 0) {
      // The constants differ by the standardization's log-det, sum_i ln sigma_i.
      const logDet = std.reduce((acc, v) => acc + Math.log(v), 0);
      assert.ok(Math.abs(term.coefficient - (r.coefficient + logDet)) < 1e-9 * Math.max(1, Math.abs(logDet)));
      continue;
    }
    assert.ok(Math.abs(term.coefficient - r.coefficient * scale) <= 1e-8 * Math.max(1e-3, Math.abs(term.coefficient)), `${term.monomial}`);
    if (term.monomial.length > 0) assert.ok(term.stdErr !== undefined && Math.abs(term.stdErr - (r.stdErr ?? 0) * scale) <= 1e-9 * term.stdErr);
  }
});

test('a centred table keeps x = 0; --expand-at mean moves it; a truth at 0 is re-expanded exactly before comparing', async () => {
  const t = realisticTable(3, 1500, 3);
  // Centre every column at 0 (a natural zero).
  const d = 3;
  const means = [0, 1, 2].map((j) => t.data.filter((_, k) => k % d === j).reduce((s, v) => s + v, 0) / t.rows);
  const stds = [0, 1, 2].map((j) => Math.sqrt(t.data.filter((_, k) => k % d === j).reduce((s, v) => s + (v - means[j]) ** 2, 0) / t.rows));
  const centred = t.data.map((v, k) => (v - means[k % d]) / stds[k % d]);
  const settings = { ...DEFAULT_LEARN_SETTINGS, seed: 1, steps: 300, restarts: 1, modelSamples: 2000 };
  const zero = await learn(tableFromRows('centred', t.columns, centred, t.rows), settings);
  assert.deepEqual(zero.report.action.expansionPoint, [0, 0, 0]);
  const atMean = await learn(tableFromRows('centred', t.columns, centred, t.rows), { ...settings, expansion: 'mean' });
  assert.deepEqual(atMean.report.action.expansionPoint, atMean.report.model.standardization.mean);
  // A polynomial truth at 0, compared with an action at the mean: compareActions re-expands the truth.
  const truth: Action = { convention: 'ln p', units: 'raw', order: 4, terms: [{ monomial: [0, 0], coefficient: -0.5 }, { monomial: [0, 0, 0, 0], coefficient: -0.1 }, { monomial: [1, 2], coefficient: 0.3 }] };
  const shifted = reexpandAction(truth, atMean.report.action.expansionPoint ?? []);
  const direct = compareActions({ ...atMean.report.action }, truth, d);
  const viaShifted = compareActions({ ...atMean.report.action }, shifted, d);
  assert.deepEqual(direct.map((o) => o.relativeError), viaShifted.map((o) => o.relativeError));
  // The shifted truth gained lower-order terms (x^4 about m has x^3, x^2, x terms), unless m = 0.
  if ((atMean.report.action.expansionPoint?.[0] ?? 0) !== 0) assert.ok(shifted.terms.some((term) => term.monomial.length === 3));
});
