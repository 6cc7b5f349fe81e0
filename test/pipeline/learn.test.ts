import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../../src/core/data/csv';
import { saveModel, loadModel } from '../../src/core/flow/serialize';
import { DEFAULT_LEARN_SETTINGS, learn, type LearnSettings } from '../../src/core/pipeline/learn';
import { Rng } from '../../src/core/util/rng';
import { tempDir } from '../helpers/cli';

/** Rows of a small non-Gaussian 3-variable system (a triangular polynomial map of Gaussians). */
function writeData(path: string, order: number[], n = 1500): void {
  const rng = new Rng(77);
  const names = ['alpha', 'beta', 'gamma'];
  const lines = [order.map((c) => names[c]).join(',')];
  for (let r = 0; r < n; r++) {
    const z = [rng.normal(), rng.normal(), rng.normal()];
    const x = [z[0], z[1] + 0.4 * z[0] * z[0], 0.7 * z[2] - 0.3 * z[0] * z[1]];
    lines.push(order.map((c) => String(x[c])).join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

const quick: LearnSettings = { ...DEFAULT_LEARN_SETTINGS, seed: 3, steps: 150, modelSamples: 2000, layers: 2 };

test('permuting the CSV columns permutes the coefficients and changes nothing else', async () => {
  const dir = tempDir();
  writeData(join(dir, 'a.csv'), [0, 1, 2]);
  writeData(join(dir, 'b.csv'), [2, 0, 1]);
  const a = await learn(await readCsv(join(dir, 'a.csv')), quick);
  const b = await learn(await readCsv(join(dir, 'b.csv')), quick);
  assert.equal(a.report.training.valNll, b.report.training.valNll);
  // Column c of a is column where[c] of b.
  const where = a.report.input.columns.map((name) => b.report.input.columns.indexOf(name));
  const key = (m: number[]): string => m.join(',');
  const bTerms = new Map(b.report.action.terms.map((t) => [key(t.monomial), t.coefficient]));
  assert.equal(a.report.action.terms.length, b.report.action.terms.length);
  for (const t of a.report.action.terms) {
    const m = t.monomial.map((c) => where[c]).sort((x, y) => x - y);
    assert.equal(bTerms.get(key(m)), t.coefficient, `monomial ${key(t.monomial)}`);
  }
});

test('a saved model reloads to the same ln p, and the report is reproducible from the seed', async () => {
  const dir = tempDir();
  writeData(join(dir, 'a.csv'), [0, 1, 2]);
  const table = await readCsv(join(dir, 'a.csv'));
  const first = await learn(table, { ...quick, layerKind: 'coupling' });
  const again = await learn(table, { ...quick, layerKind: 'coupling' });
  assert.deepEqual(again.report.action, first.report.action);
  const saved = JSON.parse(JSON.stringify(first.model)) as unknown;
  const { flow } = loadModel(saved, 'model.json');
  const x = Float64Array.from({ length: 30 }, (_, i) => Math.sin(i));
  assert.deepEqual(Array.from(flow.logProb(x, 10)), Array.from(first.flow.logProb(x, 10)));
  assert.deepEqual(saveModel(flow, first.model).flow, first.model.flow);
  assert.throws(() => loadModel({ format: 'nope' }, 'm.json'), /m\.json: not an Action Lens model file/);
});

test('the seed draws the optimisation, the data seed the split: runs at two seeds fit the same rows', async () => {
  const dir = tempDir();
  writeData(join(dir, 'a.csv'), [0, 1, 2]);
  const table = await readCsv(join(dir, 'a.csv'));
  const settings = { ...quick, steps: 20, modelSamples: 500, identify: 'off' as const, stdErrBudgetSeconds: 0 };
  const [a, b, c] = await Promise.all([learn(table, { ...settings, seed: 1 }), learn(table, { ...settings, seed: 2 }), learn(table, { ...settings, seed: 1, dataSeed: 2 })]);
  // The same held-out rows: the Gaussian fit's held-out NLL depends on nothing else.
  assert.equal(a.report.training.gaussianValNll, b.report.training.gaussianValNll);
  assert.deepEqual(a.report.model.standardization, b.report.model.standardization);
  assert.notEqual(a.report.training.valNll, b.report.training.valNll, 'the seeds trained differently');
  assert.notEqual(c.report.training.gaussianValNll, a.report.training.gaussianValNll, 'another data seed holds out other rows');
  assert.deepEqual([a.report.model.dataSeed, b.report.model.dataSeed, c.report.model.dataSeed], [1, 1, 2]);
});

test('cancelling keeps the best model so far and says so', async () => {
  const dir = tempDir();
  writeData(join(dir, 'a.csv'), [0, 1, 2], 3000);
  const table = await readCsv(join(dir, 'a.csv'));
  for (const restarts of [1, 3]) {
    const controller = new AbortController();
    let calls = 0;
    const result = await learn(table, { ...quick, steps: undefined, epochs: 1000, batch: 64, restarts }, {
      signal: controller.signal,
      onProgress: () => {
        calls++;
        if (calls === 3) controller.abort();
      },
    });
    assert.equal(calls, 3, `restarts = ${restarts}: no progress after the cancel`);
    assert.equal(result.report.training.stoppedBecause, 'cancelled');
    assert.ok(result.report.warnings.some((w) => /cancelled/.test(w)));
    assert.ok(Number.isFinite(result.report.training.valNll));
    assert.ok(result.report.action.terms.length > 0);
  }
});
