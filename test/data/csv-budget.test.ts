/**
 * Tables refused before their rows are read (src/core/data/csv-budget.ts): too wide for the run, too
 * large for the memory. The refusal comes at the header, with the numbers, and without reading the
 * file: a reader that read it all would see the malformed row planted at its end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv } from '../../src/core/data/csv';
import { BASE_BYTES, estimateRows, LEARN_BYTES_PER_VALUE } from '../../src/core/data/csv-budget';
import { widthLimit } from '../../src/core/pipeline/report-size';
import { fixture, rejectsAt, rows } from './csv-fixtures';

test('a table wider than the order allows is refused at the first column too many, before its rows', async () => {
  const names = Array.from({ length: 1100 }, (_, i) => `v${i}`);
  const path = fixture(`${names.join(',')}\n${rows(3, 1100)}not,a,row\n`);
  const limit = widthLimit(4);
  assert.ok(limit !== undefined);
  // Orders 0-2 of 1,093 columns are 599,171 coefficients, of 1,094 columns 600,060: above the 600,000 a report stores.
  assert.equal(limit.count, 1093);
  const column = names.slice(0, 1093).join(',').length + 2;
  await rejectsAt(readCsv(path, { maxColumns: limit }), path, { line: 1, column, message: /1100 columns selected, more than the 1093 the run can take: on more columns even the pair couplings of an order-4 action/ });
  // Selecting fewer columns is the way out the message names.
  const t = await readCsv(fixture(`${names.join(',')}\n${rows(30, 1100)}`), { maxColumns: limit, columns: names.slice(0, 10) });
  assert.equal(t.d, 10);
});

test('a file whose rows would not fit in the memory is refused at its header, with the estimate', async () => {
  const body = rows(2000, 4);
  const path = fixture(`a,b,c,d\n${body}1,2\n`);
  const needed = BASE_BYTES + 2000 * 4 * LEARN_BYTES_PER_VALUE;
  await rejectsAt(readCsv(path, { memoryBytes: needed - 4 * LEARN_BYTES_PER_VALUE * 200 }), path, {
    line: 1,
    column: 1,
    message: /about 2,0\d\d rows x 4 columns .* would need about \d+ MiB of memory to learn from \(40 bytes per value\)/,
  });
  // With the memory it needs (and the planted short row left out) it reads.
  const fits = fixture(`a,b,c,d\n${body}`);
  assert.equal((await readCsv(fits, { memoryBytes: needed + (1 << 20) })).rows, 2000);
});

test('the row estimate is the file size over the bytes per line of its head', () => {
  assert.equal(estimateRows({ size: 1000, headBytes: 100, headBreaks: 10, headIsAll: false }), 100);
  assert.equal(estimateRows({ size: 100, headBytes: 100, headBreaks: 10, headIsAll: true }), 10);
});
