// The header scanner behind the editor's hover, column reveal and column pick (csv-header.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldAt, headerLineIndex, sniffHeaderDelimiter, splitHeader } from '../../src/core/data/csv-header';

test('header scanner: spans, quotes, delimiters, the field under the cursor', () => {
  const line = 'a, "b,c" ,"d""e";f';
  const f = splitHeader(line, ',');
  assert.deepEqual(f.map((x) => x.name), ['a', 'b,c', 'd"e;f']);
  assert.equal(line.slice(f[1].start, f[1].end), ' "b,c" ');
  assert.equal(fieldAt(f, 4)?.index, 1);
  assert.equal(fieldAt(f, 0)?.index, 0);
  assert.equal(sniffHeaderDelimiter('a;b;c'), ';');
  assert.equal(sniffHeaderDelimiter('a\tb\tc'), '\t');
  assert.equal(sniffHeaderDelimiter('a,b'), ',');
  assert.deepEqual(splitHeader('a,b,', ',').map((x) => x.name), ['a', 'b', '']);
  assert.deepEqual(splitHeader('', ',').map((x) => x.name), ['']);
  // A tie goes to the commoner delimiter: ',' before ';' before a tab.
  assert.equal(sniffHeaderDelimiter('a,b;c'), ',');
  assert.equal(sniffHeaderDelimiter('a;b\tc'), ';');
  assert.equal(sniffHeaderDelimiter('abc'), ',');
  // Blanks may stand before an opening quote (csv-parse would read that quote as a character).
  assert.deepEqual(splitHeader('\t"a;b" ;c', ';').map((x) => x.name), ['a;b', 'c']);
  assert.deepEqual(splitHeader('\t"a\tb"\tc', '\t').map((x) => x.name), ['', 'a\tb', 'c']);
  const lines = ['', '  ', 'x,y'];
  assert.equal(headerLineIndex((i) => lines[i], lines.length), 2);
});
