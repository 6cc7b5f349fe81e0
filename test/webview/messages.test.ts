import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseHostMessage, parseWebviewMessage, validateReport } from '../../src/panel/messages';

const sample: unknown = JSON.parse(readFileSync('test/fixtures/report.sample.json', 'utf8'));

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

test('parseWebviewMessage accepts the three message kinds', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'export', format: 'latex' }), { type: 'export', format: 'latex' });
  assert.deepEqual(parseWebviewMessage({ type: 'revealColumn', column: 2 }), { type: 'revealColumn', column: 2 });
  const view = { convention: 'energy', names: 'indices', orders: [2, 4], minAbs: 0.01 };
  assert.deepEqual(parseWebviewMessage({ type: 'export', format: 'html', view, extra: 1 }), { type: 'export', format: 'html', view });
});

test('parseWebviewMessage rejects wrong shapes', () => {
  for (const bad of [
    null, undefined, 42, 'ready', [], {}, { type: 'nope' },
    { type: 'export' }, { type: 'export', format: 'pdf' }, { type: 'export', format: 'json', view: { convention: 'x' } },
    { type: 'export', format: 'json', view: { convention: 'ln p', names: 'columns', orders: [-1], minAbs: 0 } },
    { type: 'revealColumn' }, { type: 'revealColumn', column: -1 }, { type: 'revealColumn', column: 1.5 },
    { type: 'revealColumn', column: '1' }, { type: 'revealColumn', column: Number.NaN },
  ]) {
    assert.equal(parseWebviewMessage(bad), null, JSON.stringify(bad));
  }
});

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

test('parseHostMessage validates the report inside', () => {
  const ok = parseHostMessage({ type: 'report', report: sample });
  assert.equal(ok?.type, 'report');
  assert.equal(parseHostMessage({ type: 'report', report: { schemaVersion: 1 } }), null);
  assert.deepEqual(parseHostMessage({ type: 'theme', kind: 'dark' }), { type: 'theme', kind: 'dark' });
  assert.equal(parseHostMessage({ type: 'theme', kind: 'blue' }), null);
  assert.deepEqual(parseHostMessage({ type: 'focusColumn', column: 1 }), { type: 'focusColumn', column: 1 });
});
