// What a run tells the user (src/extension/runMessages.ts): the span "Go to Line" selects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorSpan } from '../../../src/extension/runMessages';

/** A document of these lines, as errorSpan sees one. */
function doc(lines: string[]): { lineCount: number; lineLength: (i: number) => number } {
  return { lineCount: lines.length, lineLength: (i) => lines[i].length };
}

test('Go to Line selects exactly the cell: 1-based column and length to a 0-based span', () => {
  const d = doc(['a,b,c', '0.72950,1.12685,abc']);
  // bad.csv:2:17 "abc": the status bar then shows Col 17 (3 selected).
  const span = errorSpan({ line: 2, column: 17, length: 3 }, d);
  assert.deepEqual(span, { line: 1, start: 16, end: 19 });
  assert.equal('0.72950,1.12685,abc'.slice(span.start, span.end), 'abc');
  // A missing field at the end of a line: an empty selection there.
  assert.deepEqual(errorSpan({ line: 2, column: 20, length: 0 }, d), { line: 1, start: 19, end: 19 });
});

test('Go to Line falls back to the whole line without a column, and clamps to a document that changed', () => {
  const d = doc(['a,b,c', '1,2,3']);
  assert.deepEqual(errorSpan({ line: 2 }, d), { line: 1, start: 0, end: 5 });
  assert.deepEqual(errorSpan({ line: 9, column: 3, length: 1 }, d), { line: 1, start: 2, end: 3 });
  assert.deepEqual(errorSpan({ line: 1, column: 4, length: 50 }, d), { line: 0, start: 3, end: 5 });
  assert.deepEqual(errorSpan({ line: 1, column: 40, length: 2 }, d), { line: 0, start: 5, end: 5 });
  assert.deepEqual(errorSpan({ line: 0, column: 1 }, d), { line: 0, start: 0, end: 0 });
});
