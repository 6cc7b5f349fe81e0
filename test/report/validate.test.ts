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
