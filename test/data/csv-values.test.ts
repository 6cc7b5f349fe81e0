// The CSV reader: numbers, missing values and field counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv } from '../../src/core/data/csv';
import { isMissing, parseNumber } from '../../src/core/data/csv-cells';
import { fixture, rows, rejectsAt, few } from './csv-fixtures';

// ---------------------------------------------------------------------------------------------
// Numbers.

test('numbers parse to the exact float64 that Number() gives', async () => {
  const cells = [
    '1e-3', '-.5', '+2', ' 3.25 ', '1.', '0.1', '1E+10', '-0', '5e-324', '1.7976931348623157e308',
    '123456789012345678901234567890', '0.30000000000000004', '2.2250738585072014e-308', '9007199254740993',
    '00012', '.000001', '+.5e-2', '6.02214076e23', '-1.0000000000000002', '3.141592653589793238462643',
  ];
  const text = 'v\n' + cells.map((c) => `"${c}"`).join('\n') + '\n';
  const t = await readCsv(fixture(text), { minRows: 1 });
  assert.equal(t.rows, cells.length);
  cells.forEach((c, i) => assert.ok(Object.is(t.data[i], Number(c.trim())), `${c}: ${t.data[i]} vs ${Number(c)}`));
  // Unquoted too.
  const bare = await readCsv(fixture('v\n' + cells.join('\n') + '\n'), { minRows: 1 });
  assert.deepEqual(bare.data, t.data);
});

test('parseNumber rejects hex, Infinity and other non-decimals; isMissing knows the NA spellings', () => {
  for (const s of ['0x10', 'Infinity', '-Infinity', 'inf', '1e', 'e3', '.', '+', '1..2', '1,5', '1 2', '0b11', '', 'abc', '1e3.5']) {
    assert.equal(parseNumber(s), undefined, s);
  }
  for (const s of ['', ' ', 'NA', 'na', 'NaN', 'nan', 'NAN', 'null', 'NULL', 'N/A', 'n/a', ' NA ']) assert.ok(isMissing(s), s);
  for (const s of ['0', 'none', '-', 'NA1']) assert.ok(!isMissing(s), s);
});

test('non-numeric cells: error at the cell, with a hint where one helps', async () => {
  const cases: Array<[string, RegExp]> = [
    ['abc', /non-numeric value "abc" in column "b" \(field 2\)$/],
    ['inf', /non-numeric value "inf" in column "b" \(field 2\) \(infinite values are not allowed\)$/],
    ['Infinity', /non-numeric value "Infinity" in column "b" \(field 2\) \(infinite values are not allowed\)$/],
    ['0x1F', /non-numeric value "0x1F" in column "b" \(field 2\) \(only decimal numbers are read/],
    ['1e999', /value "1e999" in column "b" \(field 2\) is beyond the float64 range$/],
  ];
  for (const [cell, message] of cases) {
    const path = fixture(`a,b,c\n1,2,3\n\n4,${cell},6\n`);
    await rejectsAt(readCsv(path, few), path, { line: 4, column: 3, message });
  }
  const headerless = fixture('1,2,3\n4,5,zz\n');
  await rejectsAt(readCsv(headerless, few), headerless, { line: 2, column: 5, message: /non-numeric value "zz" in column "x2" \(field 3\)$/ });
});

test('a non-numeric cell is an error even when the same row also misses a value', async () => {
  const path = fixture('a,b\n1,2\n,x\n');
  await rejectsAt(readCsv(path, few), path, { line: 3, column: 2, message: /non-numeric value "x"/ });
});

test('non-numeric cells in columns that are not selected are ignored', async () => {
  const t = await readCsv(fixture('label,a\nfoo,1\nbar,2\n'), { minRows: 1, columns: ['a'] });
  assert.deepEqual(Array.from(t.data), [1, 2]);
});

test('skipInvalid skips and records non-numeric cells and wrong field counts', async () => {
  const text = 'a,b\n1,2\n3,abc\n4,5,6\n7\n8,9\n10,11\n12,13\n';
  const t = await readCsv(fixture(text), { minRows: 1, skipInvalid: true });
  assert.deepEqual(Array.from(t.lines), [2, 6, 7, 8]);
  assert.deepEqual(t.skippedRows, [
    { line: 3, reason: 'non-numeric value "abc" in column "b" (field 2)' },
    { line: 4, reason: 'too many fields: expected 2 (as on line 1), found 3 with the comma as delimiter' },
    { line: 5, reason: 'too few fields: expected 2 (as on line 1), found 1 with the comma as delimiter' },
  ]);
});

// ---------------------------------------------------------------------------------------------
// Missing values.

test('missing values skip the row and are recorded; not an error', async () => {
  const text = 'a,b,c\n' + rows(8, 3) + '1,,3\n1,NA,3\n1,2,NaN\nnan,2,3\n1,null,3\n1,N/A,3\n1, n/a ,3\n' + rows(8, 3);
  const t = await readCsv(fixture(text), few);
  assert.equal(t.rows, 16);
  assert.deepEqual(t.skippedRows, [
    { line: 10, reason: 'missing value in column "b" (field 2)' },
    { line: 11, reason: 'missing value in column "b" (field 2)' },
    { line: 12, reason: 'missing value in column "c" (field 3)' },
    { line: 13, reason: 'missing value in column "a" (field 1)' },
    { line: 14, reason: 'missing value in column "b" (field 2)' },
    { line: 15, reason: 'missing value in column "b" (field 2)' },
    { line: 16, reason: 'missing value in column "b" (field 2)' },
  ]);
  // A missing value in a column left out does not cost the row.
  const picked = await readCsv(fixture(text), { ...few, columns: ['a', 'c'] });
  assert.equal(picked.rows, 21);
});

test('more than half of the rows skipped is an error; exactly half is not', async () => {
  const half = fixture('a,b\n1,2\n3,\n4,5\n6,NA\n');
  assert.equal((await readCsv(half, few)).rows, 2);
  const most = fixture('a,b\n1,2\n3,\n6,NA\n');
  await rejectsAt(readCsv(most, few), most, {
    line: 3,
    column: 1,
    message:
      /2 of 3 data rows were skipped, more than half \(column "b" \(field 2\) has no value in 2 of the 3 rows; leave it out with --columns a\); for example line 3: missing value in column "b" \(field 2\); line 4: /,
  });
  // Spread over columns: no single column to blame.
  const spread = fixture('a,b\n1,2\n3,\n,6\n');
  await rejectsAt(readCsv(spread, few), spread, {
    line: 3,
    column: 1,
    message: /^[^(]*: 2 of 3 data rows were skipped, more than half; for example line 3: missing value in column "b" \(field 2\); line 4: missing value in column "a" \(field 1\)$/,
  });
});

test('a column that is empty on most rows (trailing delimiter) is named in the error, with a way out', async () => {
  const path = fixture('a,b,\n' + rows(12, 2, ',', ',\n'));
  await rejectsAt(readCsv(path), path, {
    line: 2,
    column: 1,
    message: /12 of 12 data rows were skipped, more than half \(column "x2" \(field 3\) has no value in 12 of the 12 rows; leave it out with --columns a,b\); for example line 2: missing value in column "x2" \(field 3\); /,
  });
  assert.equal((await readCsv(path, { columns: ['a', 'b'] })).rows, 12);
});

// ---------------------------------------------------------------------------------------------
// Field counts.

test('wrong number of fields: line and the first extra or missing field', async () => {
  const more = fixture('a,b,c\n1,2,3\n4,5,6,7,8\n');
  await rejectsAt(readCsv(more, few), more, {
    line: 3,
    column: 6,
    message: /too many fields: expected 3 \(as on line 1\), found 5 with the comma as delimiter; quote values that contain a comma$/,
  });
  const less = fixture('1;2;3\n4;5;6\n\n7\n');
  await rejectsAt(readCsv(less, few), less, { line: 4, column: 2, message: /too few fields: expected 3 \(as on line 1\), found 1 with the semicolon/ });
  // A decimal comma in a comma file ends up as an extra field.
  const comma = fixture('a,b\n1.5,2\n1,5,2\n');
  await rejectsAt(readCsv(comma, few), comma, { line: 3, column: 4, message: /too many fields/ });
  // Single-column file: any comma is an extra field.
  const single = fixture('v\n1\n2\n3,5\n');
  await rejectsAt(readCsv(single, few), single, { line: 4, column: 2, message: /too many fields: expected 1/ });
});
