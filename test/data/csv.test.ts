import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readCsv, type ReadCsvOptions, type Table } from '../../src/core/data/csv';
import { readCsvTuned, DEFAULT_TUNING } from '../../src/core/data/csv-reader';
import { countBreaks } from '../../src/core/data/csv-lines';
import { isMissing, parseNumber } from '../../src/core/data/csv-cells';
import { InputError } from '../../src/core/util/errors';

// ---------------------------------------------------------------------------------------------
// Helpers: every fixture is written into a fresh temp folder, removed when the process exits.

const root = mkdtempSync(join(tmpdir(), 'action-lens-csv-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let fileCount = 0;

/** Writes `content` (a string is written as UTF-8 bytes, unchanged) to a new temp file. */
function fixture(content: string | Buffer, name = `t${fileCount++}.csv`): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

/** n rows of distinct, non-constant values for `cols` columns, joined with `sep`. */
function rows(n: number, cols: number, sep = ',', eol = '\n'): string {
  const out: string[] = [];
  for (let r = 0; r < n; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) cells.push(String(r * 10 + c + 0.5));
    out.push(cells.join(sep) + eol);
  }
  return out.join('');
}

interface Where {
  line?: number;
  column?: number;
  message: RegExp;
}

/** Asserts an InputError at exactly file:line:column (undefined parts must be absent). */
async function rejectsAt(promise: Promise<unknown>, file: string, where: Where): Promise<InputError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof InputError, `expected an InputError, got ${String(caught)}`);
  const err = caught;
  assert.equal(err.file, file);
  assert.equal(err.line, where.line, `line in: ${err.message}`);
  assert.equal(err.column, where.column, `column in: ${err.message}`);
  let prefix = file;
  if (where.line !== undefined) prefix += `:${where.line}`;
  if (where.column !== undefined) prefix += `:${where.column}`;
  assert.ok(err.message.startsWith(`${prefix}: `), `prefix ${prefix} in: ${err.message}`);
  assert.match(err.message, where.message);
  return err;
}

function row(t: Table, r: number): number[] {
  return Array.from(t.data.subarray(r * t.d, (r + 1) * t.d));
}

const few: ReadCsvOptions = { minRows: 1 };

// ---------------------------------------------------------------------------------------------
// Layouts: header or not, delimiters, single column.

test('comma file with header: names, values, lines, sha256', async () => {
  const text = 'a,b,c\n1,2,3\n4,5,6.5\n';
  const path = fixture(text);
  const t = await readCsv(path, few);
  assert.equal(t.path, path);
  assert.deepEqual(t.columns, ['a', 'b', 'c']);
  assert.deepEqual(t.sourceColumns, [0, 1, 2]);
  assert.equal(t.header, true);
  assert.equal(t.delimiter, ',');
  assert.equal(t.rows, 2);
  assert.equal(t.d, 3);
  assert.equal(t.data.length, 6);
  assert.equal(t.data.buffer.byteLength, 6 * 8);
  assert.deepEqual(Array.from(t.data), [1, 2, 3, 4, 5, 6.5]);
  assert.deepEqual(Array.from(t.lines), [2, 3]);
  assert.deepEqual(t.skippedRows, []);
  assert.equal(t.sha256, createHash('sha256').update(text).digest('hex'));
});

test('headerless file: columns are x0, x1, ... and the first line is data', async () => {
  const path = fixture('1,2\n3,4\n');
  const t = await readCsv(path, few);
  assert.equal(t.header, false);
  assert.deepEqual(t.columns, ['x0', 'x1']);
  assert.deepEqual(Array.from(t.data), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(t.lines), [1, 2]);
});

test('header detection: one non-numeric cell makes a header; empty cells do not', async () => {
  const mixed = await readCsv(fixture('a,2\n1,2\n3,4\n'), few);
  assert.equal(mixed.header, true);
  assert.deepEqual(mixed.columns, ['a', '2']);
  // An empty first cell is not a name: the first line is data (skipped: its value is missing).
  const empty = await readCsv(fixture(',1\n1,2\n3,4\n'), few);
  assert.equal(empty.header, false);
  assert.deepEqual(empty.skippedRows, [{ line: 1, reason: 'missing value in column "x0" (field 1)' }]);
  // Quoted numbers are numbers, so a quoted numeric first row is data.
  const quoted = await readCsv(fixture('"1.5","2"\n3,4\n'), few);
  assert.equal(quoted.header, false);
  assert.deepEqual(Array.from(quoted.data), [1.5, 2, 3, 4]);
});

test('header names are trimmed; an empty header cell (pandas index) becomes x<i>', async () => {
  const t = await readCsv(fixture(',  alpha , beta\n0,1,2\n1,3,5\n'), few);
  assert.deepEqual(t.columns, ['x0', 'alpha', 'beta']);
});

for (const [name, sep] of [['comma', ','], ['semicolon', ';'], ['tab', '\t']] as const) {
  test(`${name} delimiter is detected, with and without header`, async () => {
    const withHeader = await readCsv(fixture(['p', 'q', 'r'].join(sep) + '\n' + rows(3, 3, sep)), few);
    assert.equal(withHeader.delimiter, sep);
    assert.equal(withHeader.header, true);
    assert.deepEqual(withHeader.columns, ['p', 'q', 'r']);
    assert.deepEqual(row(withHeader, 2), [20.5, 21.5, 22.5]);
    const without = await readCsv(fixture(rows(3, 3, sep)), few);
    assert.equal(without.delimiter, sep);
    assert.equal(without.header, false);
    assert.deepEqual(without.columns, ['x0', 'x1', 'x2']);
    assert.deepEqual(row(without, 0), [0.5, 1.5, 2.5]);
  });
}

test('a delimiter inside quotes does not count when detecting', async () => {
  // Semicolons only inside quotes: a comma file.
  const comma = await readCsv(fixture('"a;1","b;2"\n1,2\n3,4\n'), few);
  assert.equal(comma.delimiter, ',');
  assert.deepEqual(comma.columns, ['a;1', 'b;2']);
  // Commas only inside quotes: a tab file.
  const tab = await readCsv(fixture('"mass, kg"\t"length, m"\n1\t2\n3\t4\n'), few);
  assert.equal(tab.delimiter, '\t');
  assert.deepEqual(tab.columns, ['mass, kg', 'length, m']);
});

test('single column, with and without header (delimiter ",")', async () => {
  const named = await readCsv(fixture('energy\n1.5\n2.5\n-3\n'), few);
  assert.equal(named.delimiter, ',');
  assert.deepEqual(named.columns, ['energy']);
  assert.deepEqual(Array.from(named.data), [1.5, 2.5, -3]);
  const bare = await readCsv(fixture('1.5\n2.5\n-3'), few);
  assert.equal(bare.header, false);
  assert.deepEqual(bare.columns, ['x0']);
  assert.deepEqual(Array.from(bare.lines), [1, 2, 3]);
});

test('a ragged row early on is reported as ragged, not read as a single column', async () => {
  const path = fixture('a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11\n');
  await rejectsAt(readCsv(path, few), path, { line: 3, column: 4, message: /too few fields: expected 3 \(as on line 1\), found 2/ });
});

test('semicolon file with decimal commas: the delimiter is ";" and the message says why', async () => {
  const path = fixture('a;b\n1,5;2,5\n3,5;4,5\n');
  await rejectsAt(readCsv(path, few), path, { line: 2, column: 1, message: /non-numeric value "1,5" in column "a" \(field 1\) \(a decimal comma\?/ });
});

// ---------------------------------------------------------------------------------------------
// Encoding and line numbers.

test('BOM + CRLF + blank lines: names clean, true line numbers', async () => {
  const text = '\ufeffa,b\r\n\r\n1,2\r\n\r\n\r\n3,4\r\n5,NA\r\n\r\n';
  const path = fixture(text);
  const t = await readCsv(path, few);
  assert.deepEqual(t.columns, ['a', 'b']);
  assert.deepEqual(Array.from(t.lines), [3, 6]);
  assert.deepEqual(t.skippedRows, [{ line: 7, reason: 'missing value in column "b" (field 2)' }]);
  assert.equal(t.sha256, createHash('sha256').update(Buffer.from(text)).digest('hex'));
  const bad = fixture('\ufeffa,b\r\n\r\n1,2\r\n3,x\r\n');
  await rejectsAt(readCsv(bad, few), bad, { line: 4, column: 3, message: /non-numeric value "x" in column "b" \(field 2\)$/ });
});

test('quoted fields with embedded delimiter and newline keep later line numbers true (LF and CRLF)', async () => {
  for (const eol of ['\n', '\r\n']) {
    const text = ['"first, name","second', 'name"', '"1.5",2', '', '3,"4"', '5,6', '7,oops', ''].join(eol);
    const path = fixture(text);
    await rejectsAt(readCsv(path, few), path, { line: 7, column: 3, message: /non-numeric value "oops" in column "second(\\r)?\\nname" \(field 2\)/ });
    const ok = fixture(text.replace('oops', '8'));
    const t = await readCsv(ok, few);
    assert.deepEqual(t.columns, ['first, name', `second${eol}name`]);
    assert.deepEqual(Array.from(t.lines), [3, 5, 6, 7]);
    assert.deepEqual(Array.from(t.data), [1.5, 2, 3, 4, 5, 6, 7, 8]);
  }
});

test('a cell after a multi-line quoted cell is reported on its own line', async () => {
  const path = fixture('a,b,c\n1,"2\n",x\n');
  await rejectsAt(readCsv(path, few), path, { line: 3, column: 3, message: /non-numeric value "x"/ });
});

test('CR-only and mixed line endings', async () => {
  const cr = await readCsv(fixture('a,b\r1,2\r\r3,4\r'), few);
  assert.deepEqual(Array.from(cr.lines), [2, 4]);
  const mixed = await readCsv(fixture('a,b\r\n1,2\n3,4\r\n5,6\n'), few);
  assert.deepEqual(Array.from(mixed.lines), [2, 3, 4]);
  assert.deepEqual(Array.from(mixed.data), [1, 2, 3, 4, 5, 6]);
});

test('mixed line endings do not mislead the delimiter detection (a CRLF header over LF lines: ";" stays ";")', async () => {
  // csv-parse left to guess the record delimiter took the header's CRLF for all lines and read the
  // LF lines as one record, so ';' split nothing consistently and the file became one column "a;b;c".
  // (e.g. a header written on Windows, rows appended on Linux).
  const text = 'a;b;c\r\n1;2;3\n4;5;6\n7;8;9\n10;11;12\n';
  const t = await readCsv(fixture(text), few);
  assert.equal(t.delimiter, ';');
  assert.deepEqual(t.columns, ['a', 'b', 'c']);
  assert.deepEqual(Array.from(t.data), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(Array.from(t.lines), [2, 3, 4, 5]);
});

test('lines containing only spaces are blank lines', async () => {
  const t = await readCsv(fixture('a,b\n1,2\n   \n\t\n3,4\n'), few);
  assert.deepEqual(Array.from(t.lines), [2, 5]);
  assert.deepEqual(t.skippedRows, []);
});

test('a line of bare tabs in a tab file is blank; ",," in a comma file is a row of missing values', async () => {
  const tabs = await readCsv(fixture('a\tb\n1\t2\n\t\n3\t4\n'), few);
  assert.deepEqual(Array.from(tabs.lines), [2, 4]);
  assert.deepEqual(tabs.skippedRows, []);
  const commas = await readCsv(fixture('a,b\n1,2\n,\n3,4\n5,6\n'), few);
  assert.deepEqual(commas.skippedRows, [{ line: 3, reason: 'missing value in column "a" (field 1)' }]);
});

test('UTF-16 files (Excel "Unicode text") with BOM are decoded; lines and sha256 are of the file', async () => {
  const text = 'a\tb\r\n1.5\t2\r\n\r\n3\t"4"\r\n5\tx\r\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('5\tx\r\n', ''), 'utf16le')]);
  const t = await readCsv(fixture(le), few);
  assert.equal(t.delimiter, '\t');
  assert.deepEqual(t.columns, ['a', 'b']);
  assert.deepEqual(Array.from(t.data), [1.5, 2, 3, 4]);
  assert.deepEqual(Array.from(t.lines), [2, 4]);
  assert.equal(t.sha256, createHash('sha256').update(le).digest('hex'));
  const swapped = Buffer.from(text, 'utf16le').swap16();
  const be = fixture(Buffer.concat([Buffer.from([0xfe, 0xff]), swapped]));
  await rejectsAt(readCsvTuned(be, few, { ...DEFAULT_TUNING, chunkBytes: 3 }), be, { line: 5, column: 3, message: /non-numeric value "x" in column "b" \(field 2\)$/ });
});

test('records split across read chunks of every small size give the same table', async () => {
  const text =
    '\ufeff"x, one";"y\r\nnew"\r\n\r\n1.25;"2"\r\n  3 ;4e-3\r\n\r\n;5\r\n"6";"7"\n8;9\r10;11\r\n';
  const path = fixture(text);
  const reference = await readCsv(path, few);
  assert.deepEqual(Array.from(reference.lines), [4, 5, 8, 9, 10]);
  assert.deepEqual(reference.skippedRows, [{ line: 7, reason: 'missing value in column "x, one" (field 1)' }]);
  for (let chunkBytes = 1; chunkBytes <= 9; chunkBytes++) {
    const t = await readCsvTuned(path, few, { ...DEFAULT_TUNING, chunkBytes, headLines: 2 });
    assert.deepEqual(t, reference, `chunkBytes ${chunkBytes}`);
  }
  const bad = fixture(text.replace('10;11', '10;x'));
  for (let chunkBytes = 1; chunkBytes <= 9; chunkBytes++) {
    await rejectsAt(readCsvTuned(bad, few, { ...DEFAULT_TUNING, chunkBytes, headLines: 2 }), bad, {
      line: 10,
      column: 4,
      message: /non-numeric value "x" in column "y\\r\\nnew"/,
    });
  }
});

test('countBreaks counts CRLF, CR and LF once each', () => {
  assert.equal(countBreaks('a\r\nb\rc\nd'), 3);
  assert.equal(countBreaks('\n\n'), 2);
  assert.equal(countBreaks('\r\r\n'), 2);
});

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
    message:
      /2 of 3 data rows were skipped, more than half \(column "b" \(field 2\) has no value in 2 of the 3 rows; leave it out with --columns a\); for example line 3: missing value in column "b" \(field 2\); line 4: /,
  });
  // Spread over columns: no single column to blame.
  const spread = fixture('a,b\n1,2\n3,\n,6\n');
  await rejectsAt(readCsv(spread, few), spread, {
    message: /^[^(]*: 2 of 3 data rows were skipped, more than half; for example line 3: missing value in column "b" \(field 2\); line 4: missing value in column "a" \(field 1\)$/,
  });
});

test('a column that is empty on most rows (trailing delimiter) is named in the error, with a way out', async () => {
  const path = fixture('a,b,\n' + rows(12, 2, ',', ',\n'));
  await rejectsAt(readCsv(path), path, {
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

// ---------------------------------------------------------------------------------------------
// Columns.

test('column selection by name, by index, mixed; order as asked', async () => {
  const path = fixture('a,b,c,d\n' + rows(3, 4));
  const byName = await readCsv(path, { ...few, columns: ['c', 'a'] });
  assert.deepEqual(byName.columns, ['c', 'a']);
  assert.deepEqual(byName.sourceColumns, [2, 0]);
  assert.equal(byName.d, 2);
  assert.deepEqual(row(byName, 1), [12.5, 10.5]);
  const byIndex = await readCsv(path, { ...few, columns: ['3', '1'] });
  assert.deepEqual(byIndex.columns, ['d', 'b']);
  assert.deepEqual(row(byIndex, 0), [3.5, 1.5]);
  const mixed = await readCsv(path, { ...few, columns: ['b', ' 2 '] });
  assert.deepEqual(mixed.sourceColumns, [1, 2]);
  const headerless = await readCsv(fixture(rows(3, 3)), { ...few, columns: ['x2', '0'] });
  assert.deepEqual(headerless.columns, ['x2', 'x0']);
  assert.deepEqual(row(headerless, 0), [2.5, 0.5]);
});

test('a token equal to a header name is a name before it is an index', async () => {
  const t = await readCsv(fixture('a,0,b\n' + rows(2, 3)), { ...few, columns: ['0'] });
  assert.deepEqual(t.sourceColumns, [1]);
  assert.deepEqual(t.columns, ['0']);
});

test('column selection errors list the available columns', async () => {
  const path = fixture('a,b,c\n' + rows(3, 3));
  await rejectsAt(readCsv(path, { ...few, columns: ['a', 'zz'] }), path, {
    line: 1,
    message: /unknown column "zz"; available columns: "a" \(0\), "b" \(1\), "c" \(2\)$/,
  });
  await rejectsAt(readCsv(path, { ...few, columns: ['3'] }), path, {
    line: 1,
    message: /column index 3 is out of range: the file has 3 columns \(indices 0 to 2\): "a" \(0\), "b" \(1\), "c" \(2\)$/,
  });
  await rejectsAt(readCsv(path, { ...few, columns: ['b', '1'] }), path, { line: 1, column: 3, message: /column "b" \(field 2\) is selected twice$/ });
  await rejectsAt(readCsv(path, { ...few, columns: [] }), path, { line: 1, message: /no columns selected; available columns: "a" \(0\)/ });
  const headerless = fixture(rows(3, 2));
  await rejectsAt(readCsv(headerless, { ...few, columns: ['a'] }), headerless, {
    line: 1,
    message: /unknown column "a"; available columns: "x0" \(0\), "x1" \(1\)$/,
  });
});

test('duplicate column names: an error when selected (both positions named), fine when one is left out', async () => {
  const path = fixture('a,b,a\n' + rows(3, 3));
  await rejectsAt(readCsv(path, few), path, { line: 1, column: 5, message: /duplicate column name "a" in fields 1 and 3; rename one/ });
  await rejectsAt(readCsv(path, { ...few, columns: ['a'] }), path, {
    line: 1,
    column: 5,
    message: /column name "a" is ambiguous: fields 1 and 3 both have it; select by 0-based index instead \(0 or 2\)$/,
  });
  const t = await readCsv(path, { ...few, columns: ['b', '2'] });
  assert.deepEqual(t.columns, ['b', 'a']);
  assert.deepEqual(row(t, 0), [1.5, 2.5]);
});

// ---------------------------------------------------------------------------------------------
// Whole-file checks.

test('a constant column is an error naming it and its value, suggesting --columns', async () => {
  const text = 'a,b,c\n' + Array.from({ length: 12 }, (_, i) => `${i},3.5,${i * i}\n`).join('');
  const path = fixture(text);
  await rejectsAt(readCsv(path), path, {
    message: /column "b" \(field 2\) has the same value 3.5 in every kept row: a constant column carries no information; leave it out with --columns a,c$/,
  });
  const t = await readCsv(path, { allowConstant: true });
  assert.equal(t.rows, 12);
  // Two constant columns, and names that a comma split would break: indices are suggested.
  const two = fixture('"p,q",b,c\n' + Array.from({ length: 12 }, (_, i) => `${i},0,-1\n`).join(''));
  await rejectsAt(readCsv(two), two, { message: /column "b" \(field 2\) has the same value 0 .*; column "c" \(field 3\) has the same value -1 .*leave them out with --columns 0$/ });
  // Constant only among the kept rows still counts.
  const kept = fixture('a,b\n' + Array.from({ length: 12 }, (_, i) => `${i},1\n`).join('') + '99,NA\n');
  await rejectsAt(readCsv(kept), kept, { message: /column "b" \(field 2\) has the same value 1/ });
});

test('minRows must be a non-negative integer', async () => {
  const path = fixture('a\n1\n2\n');
  await assert.rejects(readCsv(path, { minRows: -1 }), RangeError);
  await assert.rejects(readCsv(path, { minRows: 1.5 }), RangeError);
});

test('too few rows: says how many there are and how many are needed', async () => {
  const path = fixture('a,b\n' + rows(4, 2) + '1,\n');
  await rejectsAt(readCsv(path), path, { message: /too few data rows: 4 kept \(1 more were skipped\), at least 10 are needed$/ });
  const exact = fixture('a,b\n' + rows(10, 2));
  assert.equal((await readCsv(exact)).rows, 10);
  await rejectsAt(readCsv(exact, { minRows: 11 }), exact, { message: /too few data rows: 10 kept, at least 11 are needed$/ });
});

// ---------------------------------------------------------------------------------------------
// Files that are not tables.

test('missing file, directory, empty, only blank lines, header only, binary', async () => {
  const missing = join(root, 'nope.csv');
  await rejectsAt(readCsv(missing), missing, { message: /file not found$/ });
  const dir = join(root, 'a-folder.csv');
  mkdirSync(dir);
  await rejectsAt(readCsv(dir), dir, { message: /is a directory, not a CSV file$/ });
  const empty = fixture('');
  await rejectsAt(readCsv(empty), empty, { message: /is empty$/ });
  const bomOnly = fixture('\ufeff');
  await rejectsAt(readCsv(bomOnly), bomOnly, { message: /is empty$/ });
  const blank = fixture('\n\r\n  \n\t\n');
  await rejectsAt(readCsv(blank), blank, { message: /contains only blank lines, no data$/ });
  const headerOnly = fixture('\na,b,c\n\n');
  await rejectsAt(readCsv(headerOnly), headerOnly, { message: /has a header \(line 2\) but no data rows$/ });
  const binary = fixture(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x31, 0x0a]));
  await rejectsAt(readCsv(binary), binary, { message: /looks like a binary file/ });
});

test('unreadable file', async (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: permissions do not stop reads');
    return;
  }
  const path = fixture('a\n1\n');
  chmodSync(path, 0o000);
  await rejectsAt(readCsv(path), path, { message: /cannot read the file: permission denied$/ });
});

test('a quote that is never closed is reported where its record starts', async () => {
  const path = fixture('a,b\n1,2\n3,"4\n5,6\n7,8\n');
  await rejectsAt(readCsv(path, few), path, { line: 3, column: 3, message: /a quoted field that starts here is never closed/ });
});

// ---------------------------------------------------------------------------------------------
// Safety and scale.

test('the input file is never modified', async () => {
  const text = 'a,b\n' + rows(20, 2) + '1,NA\n';
  const path = fixture(text);
  const before = statSync(path);
  await readCsv(path);
  await rejectsAt(readCsv(path, { columns: ['zz'] }), path, { line: 1, message: /unknown column/ });
  const after = statSync(path);
  assert.equal(after.mtimeMs, before.mtimeMs);
  assert.equal(after.size, before.size);
  assert.equal(readFileSync(path, 'utf8'), text);
});

test('an aborted signal rejects with an AbortError, before and during the read', async () => {
  const path = fixture('a,b\n' + rows(100_000, 2));
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(readCsv(path, { signal: pre.signal }), { name: 'AbortError' });
  const mid = new AbortController();
  const reading = readCsvTuned(path, { signal: mid.signal }, { ...DEFAULT_TUNING, chunkBytes: 4096 });
  setTimeout(() => mid.abort(), 5);
  await assert.rejects(reading, { name: 'AbortError' });
  // The file handle was released: the file reads again.
  assert.equal((await readCsv(path)).rows, 100_000);
});

test('a ~50 MB file is streamed: memory grows far less than the file', async () => {
  const path = join(root, 'big.csv');
  const size = await writeBigFile(path, 50e6);
  // Measured in a child process whose V8 heap is capped below the file's size (holding the text,
  // even as one string, dies there) and whose young generation is small, so that the peak heap
  // shows what is retained rather than how much garbage V8 lets pile up before collecting.
  const script = join(root, 'measure-read.ts');
  writeFileSync(
    script,
    `import { readCsv } from ${JSON.stringify(join(__dirname, '..', '..', 'src', 'core', 'data', 'csv'))};
const base = process.memoryUsage();
let heap = 0;
let arrayBuffers = 0;
const sample = () => {
  const m = process.memoryUsage();
  heap = Math.max(heap, m.heapUsed - base.heapUsed);
  arrayBuffers = Math.max(arrayBuffers, m.arrayBuffers - base.arrayBuffers);
};
const timer = setInterval(sample, 2);
readCsv(process.argv[2], { columns: ['c1'] }).then((t) => {
  clearInterval(timer);
  sample();
  console.log(JSON.stringify({ rows: t.rows, d: t.d, length: t.data.length, last: t.lines[t.rows - 1], heap, arrayBuffers }));
});
`,
  );
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', `--max-old-space-size=${Math.floor((0.8 * size) / 1e6)}`, '--max-semi-space-size=1', script, path],
    { cwd: join(__dirname, '..', '..'), encoding: 'utf8', timeout: 60_000 },
  );
  rmSync(path);
  assert.equal(res.status, 0, `child failed: ${res.stderr.slice(-2000)}`);
  const m = JSON.parse(res.stdout.trim().split('\n').pop() ?? '') as {
    rows: number; d: number; length: number; last: number; heap: number; arrayBuffers: number;
  };
  assert.ok(m.rows > 500_000, `rows ${m.rows}`);
  assert.equal(m.d, 1);
  assert.equal(m.length, m.rows);
  assert.equal(m.last, m.rows + 1);
  const mb = (x: number): string => `${(x / 1e6).toFixed(1)} MB`;
  assert.ok(m.heap < 0.2 * size, `JS heap grew ${mb(m.heap)} reading a ${mb(size)} file`);
  // Array buffers: the result (8 bytes a value, 4 a line) while it doubles (old + new: up to 3x) and
  // is trimmed, plus the chunks in flight.
  const result = m.rows * (8 * m.d + 4);
  assert.ok(m.arrayBuffers < 3.5 * result + 8e6, `array buffers grew ${mb(m.arrayBuffers)} for a ${mb(result)} result`);
});

/** Writes rows of 4 random 17-digit numbers until `bytes` are written; returns the size. */
async function writeBigFile(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  const header = 'c0,c1,c2,c3\n';
  out.write(header);
  written += header.length;
  while (written < bytes) {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(`${Math.random()},${-Math.random()},${Math.random() * 1e-7},${Math.random() * 1e9}\n`);
    const block = lines.join('');
    written += block.length;
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return statSync(path).size;
}
