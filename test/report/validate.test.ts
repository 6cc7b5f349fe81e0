import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateReport } from '../../src/core/report/validate';

const sample: unknown = JSON.parse(readFileSync('test/fixtures/report.sample.json', 'utf8'));

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

test('validateReport accepts the sample report', () => {
  const v = validateReport(sample);
  assert.ok(v.ok, v.ok ? '' : v.errors.join('\n'));
});

test('validateReport rejects wrong shapes with a path to the fault', () => {
  const cases: [(r: Record<string, unknown>) => void, RegExp][] = [
    [(r) => { delete r.action; }, /^action: expected an object/],
    [(r) => { (r.input as Record<string, unknown>).columns = 'a,b'; }, /input\.columns/],
    [(r) => { ((r.action as Record<string, unknown>).terms as unknown[])[0] = { monomial: [0, 9], coefficient: 1 }; }, /action\.terms\[0\]\.monomial\[1\]: index out of range/],
    [(r) => { ((r.action as Record<string, unknown>).terms as unknown[])[1] = { monomial: [0], coefficient: '1' }; }, /coefficient: expected a number/],
    [(r) => { (r.layers as Record<string, unknown>[])[0]!.diagrams = [{ vertexOrder: 2, legs: [0, -2], resultOrder: 2, norm: 1 }]; }, /legs\[1\]/],
    [(r) => { r.warnings = [1]; }, /warnings\[0\]/],
    [(r) => { (r.action as Record<string, unknown>).convention = 'energy'; }, /action\.convention/],
    [(r) => { r.cumulants = { comparisons: [{ a: 'x', b: 'y', orders: [{ order: 2, entries: [{ index: [0], a: 1, b: 2 }] }] }] }; }, /\.z: expected a number/],
  ];
  for (const [mutate, re] of cases) {
    const r = clone(sample) as Record<string, unknown>;
    mutate(r);
    const v = validateReport(r);
    assert.equal(v.ok, false);
    if (!v.ok) assert.ok(v.errors.some((e) => re.test(e)), `${re}: ${v.errors.join('; ')}`);
  }
  assert.equal(validateReport(null).ok, false);
  assert.equal(validateReport([]).ok, false);
});

test('a version 1 report (no estimator tag) opens as a report of the network; version 2 tags are checked', () => {
  const v1 = JSON.parse(JSON.stringify(sample)) as Record<string, unknown> & { model: Record<string, unknown> };
  v1.schemaVersion = 1;
  delete v1.model.estimator;
  const res = validateReport(v1);
  assert.ok(res.ok, res.ok ? '' : res.errors.join('; '));
  assert.equal(res.report.model.estimator, 'flow');
  // A version 2 report must say which estimator made it.
  const untagged = JSON.parse(JSON.stringify(sample)) as Record<string, unknown> & { model: Record<string, unknown> };
  delete untagged.model.estimator;
  const bad = validateReport(untagged);
  assert.ok(!bad.ok && bad.errors.some((e) => e.startsWith('model.estimator')));
  // A report of the network needs its training; the direct estimator's does not, but needs its own fields.
  const noTraining = JSON.parse(JSON.stringify(sample)) as Record<string, unknown>;
  delete noTraining.training;
  const missing = validateReport(noTraining);
  assert.ok(!missing.ok && missing.errors.some((e) => e.startsWith('training')));
  const direct = JSON.parse(JSON.stringify(sample)) as Record<string, unknown> & { model: Record<string, unknown> };
  delete direct.training;
  direct.model = { estimator: 'score-matching', order: 4, seed: 1, standardization: direct.model.standardization, candidates: 34, alpha: 0.01 };
  const ok = validateReport(direct);
  assert.ok(ok.ok, ok.ok ? '' : ok.errors.join('; '));
  direct.model.candidates = 'many';
  assert.ok(!validateReport(direct).ok);
});

test('the theory section is checked: its terms, its expansion point against the columns, its truth', () => {
  const d = (sample as { input: { columns: string[] } }).input.columns.length;
  const theory = {
    estimator: 'score-matching', method: 'score matching', order: 4, expansionPoint: new Array<number>(d).fill(0), alpha: 0.01, family: 34, candidates: 34,
    screen: 'none', cut: 3.5, terms: [{ monomial: [0, 0], coefficient: -0.5, stdErr: 0.01, z: -50, selectionFrequency: 1 }, { monomial: [], coefficient: -1.2 }],
    nearMisses: [{ monomial: [0, 1], z: 2.1 }], dependent: [], stability: { halves: 6, note: 'x' }, normalizable: { normalizable: true, reason: 'x' }, warnings: [], seconds: 1,
  };
  const withTheory = { ...(JSON.parse(JSON.stringify(sample)) as Record<string, unknown>), theory };
  const res = validateReport(withTheory);
  assert.ok(res.ok, res.ok ? '' : res.errors.join('; '));
  const wrongPoint = { ...withTheory, theory: { ...theory, expansionPoint: [0] } };
  const r1 = validateReport(wrongPoint);
  assert.ok(!r1.ok && r1.errors.some((e) => e.startsWith('theory.expansionPoint')));
  const outOfRange = { ...withTheory, theory: { ...theory, nearMisses: [{ monomial: [0, 99], z: 1 }] } };
  const r2 = validateReport(outOfRange);
  assert.ok(!r2.ok && r2.errors.some((e) => e.startsWith('theory.nearMisses[0].monomial')));
  const badTruth = { ...withTheory, theory: { ...theory, truth: { source: 's', action: { convention: 'energy' }, missed: [], spurious: [], perOrder: [] } } };
  assert.ok(!validateReport(badTruth).ok);
});
