/**
 * Property-based fuzzing of the whole `learn` (and `identify`) pipeline through the CLI, run in-process
 * on small awkward tables: for any file the CLI exits 0 or 2, never prints a stack trace, never writes
 * the input; exit 2 names file:line:column; exit 0 means a valid, finite report whose columns are the
 * file's (README.md, "Bad input"). Budgets are small so that a case takes well under a second.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readCsv } from '../../src/core/data/csv';
import { anyCsv } from './csv-arbitrary';
import { holds, runs, scratchFolder, seed } from './fuzz-settings';
import { assertColumnsMatch, assertSoundRun, runCli } from './soundness';

const scratch = scratchFolder('learn');
const FAST = ['--quiet', '--max-steps', '120', '--patience', '40', '--model-samples', '600'];
const VARIANTS: string[][] = [[], ['--dequantize'], ['--layer-kind', 'coupling'], ['--order', '2'], ['--expand-at', 'zero']];

/** The file's columns as the reader sees them, or null when it refuses the file. */
async function readColumns(path: string): Promise<string[] | null> {
  try {
    return (await readCsv(path)).columns;
  } catch {
    return null;
  }
}

/** One command on one file, held to the contract. */
async function soundOn(command: string, bytes: Buffer, flags: string[]): Promise<void> {
  const path = scratch.file('in.csv', bytes);
  const out = `${path}.report.json`;
  const run = await runCli([command, path, ...flags, '--out', out]);
  const report = assertSoundRun(run, path, bytes, out);
  if (report === null) return;
  const columns = await readColumns(path);
  assert.ok(columns !== null, `${command} succeeded where the reader refuses`);
  assertColumnsMatch(report, columns);
}

test('learn on any small file: exit 0 with a sound report, or exit 2 at file:line:column', async () => {
  await holds(fc.tuple(anyCsv({ maxRows: 50, maxColumns: 4 }), fc.constantFrom(...VARIANTS)), ([bytes, extra]) => soundOn('learn', bytes, [...FAST, ...extra]), {
    seed: seed(1),
    numRuns: runs(24),
  });
});

test('identify on any small file: the same contract', async () => {
  await holds(anyCsv({ maxRows: 50, maxColumns: 4 }), (bytes) => soundOn('identify', bytes, ['--quiet']), { seed: seed(2), numRuns: runs(16) });
});
