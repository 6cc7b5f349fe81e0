// The CSV reader: layouts (header or not, delimiters, a single column), encodings and line numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readCsv, type Table } from '../../src/core/data/csv';
import { readCsvTuned, DEFAULT_TUNING } from '../../src/core/data/csv-reader';
import { countBreaks } from '../../src/core/data/csv-lines';
import { fixture, rows, rejectsAt, row, few } from './csv-fixtures';

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
  const comparable = (t: Table) => ({ ...t, columnCell: t.columns.map((_, j) => t.columnCell?.(j)) });
  const reference = comparable(await readCsv(path, few));
  assert.deepEqual(Array.from(reference.lines), [4, 5, 8, 9, 10]);
  assert.deepEqual(reference.skippedRows, [{ line: 7, reason: 'missing value in column "x, one" (field 1)' }]);
  // The header cells: the quoted second name spans a line break (its cell ends where line 1 does).
  assert.deepEqual(reference.columnCell, [
    { line: 1, column: 1, length: 8 },
    { line: 1, column: 10, length: 2 },
  ]);
  for (let chunkBytes = 1; chunkBytes <= 9; chunkBytes++) {
    const t = await readCsvTuned(path, few, { ...DEFAULT_TUNING, chunkBytes, headLines: 2 });
    assert.deepEqual(comparable(t), reference, `chunkBytes ${chunkBytes}`);
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
