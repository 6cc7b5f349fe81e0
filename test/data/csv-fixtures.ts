// Fixtures and assertions of the CSV reader's tests (csv*.test.ts): every fixture is written into a
// fresh temp folder, removed when the process exits.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadCsvOptions, Table } from '../../src/core/data/csv';
import { InputError } from '../../src/core/util/errors';

export const root = mkdtempSync(join(tmpdir(), 'action-lens-csv-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let fileCount = 0;

/** Writes `content` (a string is written as UTF-8 bytes, unchanged) to a new temp file. */
export function fixture(content: string | Buffer, name = `t${fileCount++}.csv`): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

/** n rows of distinct, non-constant values for `cols` columns, joined with `sep`. */
export function rows(n: number, cols: number, sep = ',', eol = '\n'): string {
  const out: string[] = [];
  for (let r = 0; r < n; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) cells.push(String(r * 10 + c + 0.5));
    out.push(cells.join(sep) + eol);
  }
  return out.join('');
}

export interface Where {
  line?: number;
  column?: number;
  message: RegExp;
}

/** Asserts an InputError at exactly file:line:column (undefined parts must be absent). */
export async function rejectsAt(promise: Promise<unknown>, file: string, where: Where): Promise<InputError> {
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

export function row(t: Table, r: number): number[] {
  return Array.from(t.data.subarray(r * t.d, (r + 1) * t.d));
}

export const few: ReadCsvOptions = { minRows: 1 };
