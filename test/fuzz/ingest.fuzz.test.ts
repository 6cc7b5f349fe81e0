/**
 * Property-based fuzzing of the CSV ingest and the checks of the data before training: for any bytes,
 * readCsv gives a well-formed table or an InputError at file:line:column, and prepareRun on that
 * table gives a prepared run or an InputError at file:line:column, nothing else (README.md, "Bad input").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { readCsv, type Table } from '../../src/core/data/csv';
import { prepareRun } from '../../src/core/pipeline/prepare';
import { InputError } from '../../src/core/util/errors';
import { anyCsv, renderTable, tableSpec } from './csv-arbitrary';
import { holds, runs, scratchFolder, seed } from './fuzz-settings';

const scratch = scratchFolder('ingest');

/** An InputError about `file` with a line and a column, as the faces print it. */
function assertAtPosition(err: unknown, file: string): void {
  if (!(err instanceof InputError)) throw err;
  assert.equal(err.file, file, err.message);
  assert.ok(Number.isInteger(err.line) && (err.line as number) >= 1, `no line: ${err.message}`);
  assert.ok(Number.isInteger(err.column) && (err.column as number) >= 1, `no column: ${err.message}`);
  assert.ok(err.message.startsWith(`${file}:${err.line}:${err.column}: `), err.message);
}

function assertWellFormed(t: Table): void {
  assert.ok(t.d >= 1 && t.columns.length === t.d && t.sourceColumns.length === t.d);
  assert.equal(new Set(t.columns).size, t.d, 'column names are unique');
  assert.equal(t.data.length, t.rows * t.d);
  assert.equal(t.lines.length, t.rows);
  assert.ok(t.rows >= 10);
  for (const v of t.data) assert.ok(Number.isFinite(v), `value ${v}`);
  for (let r = 1; r < t.rows; r++) assert.ok(t.lines[r] > t.lines[r - 1], 'lines increase');
  for (let j = 0; j < t.d; j++) {
    const cell = t.columnCell?.(j);
    assert.ok(cell && cell.line >= 1 && (cell.column ?? 0) >= 1, `column ${j} has no position`);
  }
}

/** Reads `bytes` as a CSV file; returns the table, or null after checking the error's position. */
async function readOrRefuse(bytes: Buffer): Promise<{ path: string; table: Table | null }> {
  const path = scratch.file('in.csv', bytes);
  try {
    const table = await readCsv(path);
    assertWellFormed(table);
    return { path, table };
  } catch (err) {
    assertAtPosition(err, path);
    return { path, table: null };
  }
}

test('any bytes: a well-formed table or an InputError at file:line:column, and the file unchanged', async () => {
  await holds(
    anyCsv(),
    async (bytes) => {
      const { path } = await readOrRefuse(bytes);
      assert.deepEqual(readFileSync(path), bytes);
    },
    { seed: seed(1), numRuns: runs(300) },
  );
});

test('a table that reads: its columns are the header names, or x0, x1, ... without a header', async () => {
  await holds(
    tableSpec(),
    async (spec) => {
      const plain = { ...spec, missing: 0, junk: 0, ragged: 0, rows: Math.max(spec.rows, 12) };
      const { table } = await readOrRefuse(renderTable(plain));
      if (table === null) return;
      if (!spec.header) assert.deepEqual(table.columns, table.sourceColumns.map((i) => `x${i}`));
      if (!plain.sepLine) return;
      // The Excel line never becomes a header or a row.
      assert.ok(!table.columns.includes('sep=') || plain.header, table.columns.join());
    },
    { seed: seed(2), numRuns: runs(150) },
  );
});

test('the checks before training: a prepared run or an InputError at file:line:column', async () => {
  await holds(
    fc.tuple(anyCsv(), fc.constantFrom(0, 1, 2, 4, 6), fc.boolean()),
    async ([bytes, order, dequantize]) => {
      const { path, table } = await readOrRefuse(bytes);
      if (table === null) return;
      try {
        const run = prepareRun(table, { order, valFraction: 0.2, dataSeed: 1, expansion: 'auto', dequantize });
        assert.equal(run.d + run.omitted.length, table.d);
        for (const x of [run.train, run.val]) for (const v of x) assert.ok(Number.isFinite(v));
        for (const s of run.std) assert.ok(s > 0 && Number.isFinite(s), `std ${s}`);
        assert.ok(Number.isFinite(run.gaussianValNll), `Gaussian NLL ${run.gaussianValNll}`);
      } catch (err) {
        assertAtPosition(err, path);
      }
    },
    { seed: seed(3), numRuns: runs(300) },
  );
});
