// The CSV reader: column selection, whole-file checks, files that are not tables, safety and scale.
// Layouts and line numbers: csv-layouts.test.ts; cells: csv-values.test.ts; fixtures: csv-fixtures.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, createWriteStream, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readCsv } from '../../src/core/data/csv';
import { readCsvTuned, DEFAULT_TUNING } from '../../src/core/data/csv-reader';
import { fixture, rows, rejectsAt, row, few, root } from './csv-fixtures';

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
    column: 1,
    message: /unknown column "zz"; available columns: "a" \(0\), "b" \(1\), "c" \(2\)$/,
  });
  await rejectsAt(readCsv(path, { ...few, columns: ['3'] }), path, {
    line: 1,
    column: 1,
    message: /column index 3 is out of range: the file has 3 columns \(indices 0 to 2\): "a" \(0\), "b" \(1\), "c" \(2\)$/,
  });
  await rejectsAt(readCsv(path, { ...few, columns: ['b', '1'] }), path, { line: 1, column: 3, message: /column "b" \(field 2\) is selected twice$/ });
  await rejectsAt(readCsv(path, { ...few, columns: [] }), path, { line: 1, column: 1, message: /no columns selected; available columns: "a" \(0\)/ });
  const headerless = fixture(rows(3, 2));
  await rejectsAt(readCsv(headerless, { ...few, columns: ['a'] }), headerless, {
    line: 1,
    column: 1,
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

test('a constant column is read as it is: the pipeline leaves it out (src/core/pipeline/data-checks.ts)', async () => {
  const text = 'a,b,c\n' + Array.from({ length: 12 }, (_, i) => `${i},3.5,${i * i}\n`).join('');
  const t = await readCsv(fixture(text));
  assert.equal(t.rows, 12);
  assert.deepEqual(row(t, 4), [4, 3.5, 16]);
  // Where each column's header cell is, for the pipeline's messages about a column.
  assert.deepEqual(t.columnCell?.(1), { line: 1, column: 3, length: 1 });
});

test('minRows must be a non-negative integer', async () => {
  const path = fixture('a\n1\n2\n');
  await assert.rejects(readCsv(path, { minRows: -1 }), RangeError);
  await assert.rejects(readCsv(path, { minRows: 1.5 }), RangeError);
});

test('too few rows: says how many there are and how many are needed', async () => {
  const path = fixture('a,b\n' + rows(4, 2) + '1,\n');
  await rejectsAt(readCsv(path), path, { line: 1, column: 1, message: /too few data rows: 4 kept \(1 more were skipped\), at least 10 are needed$/ });
  const exact = fixture('a,b\n' + rows(10, 2));
  assert.equal((await readCsv(exact)).rows, 10);
  await rejectsAt(readCsv(exact, { minRows: 11 }), exact, { line: 1, column: 1, message: /too few data rows: 10 kept, at least 11 are needed$/ });
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
  await rejectsAt(readCsv(empty), empty, { line: 1, column: 1, message: /is empty$/ });
  const bomOnly = fixture('\ufeff');
  await rejectsAt(readCsv(bomOnly), bomOnly, { line: 1, column: 1, message: /is empty$/ });
  const blank = fixture('\n\r\n  \n\t\n');
  await rejectsAt(readCsv(blank), blank, { line: 1, column: 1, message: /contains only blank lines, no data$/ });
  const headerOnly = fixture('\na,b,c\n\n');
  await rejectsAt(readCsv(headerOnly), headerOnly, { line: 2, column: 1, message: /has a header \(line 2\) but no data rows$/ });
  // The first NUL byte is where the file stops being text.
  const binary = fixture(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x31, 0x0a]));
  await rejectsAt(readCsv(binary), binary, { line: 1, column: 5, message: /looks like a binary file/ });
  const later = fixture(Buffer.concat([Buffer.from('\ufeffa,b\n1,2\n3,'), Buffer.from([0x00])]));
  await rejectsAt(readCsv(later), later, { line: 3, column: 3, message: /looks like a binary file/ });
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
  await rejectsAt(readCsv(path, { columns: ['zz'] }), path, { line: 1, column: 1, message: /unknown column/ });
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
