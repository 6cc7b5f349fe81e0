import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseHostMessage, parseWebviewMessage } from '../../src/panel/messages';

const sample: unknown = JSON.parse(readFileSync('test/fixtures/report.sample.json', 'utf8'));

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

test('parseHostMessage validates the report inside', () => {
  const ok = parseHostMessage({ type: 'report', report: sample });
  assert.equal(ok?.type, 'report');
  assert.equal(parseHostMessage({ type: 'report', report: { schemaVersion: 1 } }), null);
  assert.deepEqual(parseHostMessage({ type: 'theme', kind: 'dark' }), { type: 'theme', kind: 'dark' });
  assert.equal(parseHostMessage({ type: 'theme', kind: 'blue' }), null);
  assert.deepEqual(parseHostMessage({ type: 'focusColumn', column: 1 }), { type: 'focusColumn', column: 1 });
});

test('slice requests and answers: accepted in shape, refused otherwise', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'requestSlice', requestId: 3, order: 3, fixed: [5] }), { type: 'requestSlice', requestId: 3, order: 3, fixed: [5] });
  assert.deepEqual(parseWebviewMessage({ type: 'requestSlice', requestId: 0, order: 4, fixed: [1, 2] }), { type: 'requestSlice', requestId: 0, order: 4, fixed: [1, 2] });
  for (const bad of [
    { type: 'requestSlice', requestId: 1, order: 3, fixed: [] },
    { type: 'requestSlice', requestId: 1, order: 3, fixed: [1, 2, 3] },
    { type: 'requestSlice', requestId: -1, order: 3, fixed: [1] },
    { type: 'requestSlice', requestId: 1, order: 3, fixed: [1.5] },
    { type: 'requestSlice', requestId: 1, order: 3, fixed: '1' },
  ]) {
    assert.equal(parseWebviewMessage(bad), null, JSON.stringify(bad));
  }
  const answer = { type: 'slice', requestId: 3, order: 3, fixed: [5], values: [0.5, -1, 2e-3, 0], seconds: 0.01 };
  assert.deepEqual(parseHostMessage(answer), answer);
  assert.equal(parseHostMessage({ ...answer, values: [1, Number.NaN] }), null);
  assert.equal(parseHostMessage({ ...answer, values: [1, '2'] }), null);
  assert.equal(parseHostMessage({ ...answer, seconds: -1 }), null);
  assert.deepEqual(parseHostMessage({ type: 'sliceError', requestId: 3, message: 'no model file' }), { type: 'sliceError', requestId: 3, message: 'no model file' });
  assert.equal(parseHostMessage({ type: 'sliceError', requestId: 3 }), null);
});
