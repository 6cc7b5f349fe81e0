/**
 * The corpus of malformed and awkward files (test/corpus/files, written by generate.mjs), each run
 * through `learn` (the CLI in-process, small budgets) and held to its expected outcome in
 * manifest.json: exit 2 with the message at the stated file:line:column, or exit 0 with a sound
 * report (README.md, "Bad input") whose columns used, left out, discrete and dequantized are the
 * stated ones and whose warnings say the stated things.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../../src/core/data/csv';
import { assertColumnsMatch, assertSoundRun, runCli } from '../fuzz/soundness';
import { scratchFolder } from '../fuzz/fuzz-settings';

interface Expected {
  file: string;
  args?: string[];
  exit: 0 | 2;
  why?: string;
  /** exit 2: "line:column" and a part of the message. */
  at?: string;
  message?: string;
  /** exit 0: the report's columns used, left out and discrete (names), dequantized ([name, width]). */
  columns?: string[];
  omitted?: string[];
  discrete?: string[];
  dequantized?: Array<[string, number]>;
  warnings?: string[];
  skippedRows?: number;
  bitsPerDim?: boolean;
}

const here = join(__dirname);
const manifest = JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8')) as Expected[];
const scratch = scratchFolder('corpus');
const FAST = ['--quiet', '--max-steps', '100', '--patience', '40', '--model-samples', '500'];

test('the corpus has at least 50 files and the manifest names each of them', () => {
  const files = new Set(manifest.map((e) => e.file));
  assert.ok(files.size >= 50, `${files.size} files`);
  for (const f of files) assert.ok(readFileSync(join(here, 'files', f)) instanceof Buffer);
});

for (const e of manifest) {
  const label = `${e.file}${e.args ? ` ${e.args.join(' ')}` : ''}: exit ${e.exit}${e.why ? ` (${e.why})` : ''}`;
  test(label, async () => {
    const file = join(here, 'files', e.file);
    const bytes = readFileSync(file);
    const out = join(scratch.dir, `${e.file}-${manifest.indexOf(e)}.report.json`);
    const run = await runCli(['learn', file, ...FAST, ...(e.args ?? []), '--out', out]);
    const report = assertSoundRun(run, file, bytes, out);
    assert.equal(run.code, e.exit, run.stderr);
    if (report === null) {
      const last = run.stderr.trimEnd().split('\n').pop() ?? '';
      assert.ok(last.startsWith(`action-lens: ${file}:${e.at}: `), last);
      assert.ok(last.includes(e.message ?? ''), `"${e.message}" not in: ${last}`);
      return;
    }
    const { input } = report;
    const selected = e.args?.includes('--columns') ? e.args[e.args.indexOf('--columns') + 1].split(',') : null;
    assertColumnsMatch(report, selected ?? (await readCsv(file, { skipInvalid: e.args?.includes('--skip-invalid') })).columns);
    assert.deepEqual(input.columns, e.columns);
    assert.deepEqual((input.omittedColumns ?? []).map((o) => o.name), e.omitted ?? []);
    assert.deepEqual((input.discreteColumns ?? []).map((c) => c.name), e.discrete ?? []);
    assert.deepEqual((input.dequantized ?? []).map((c) => [c.name, c.width]), e.dequantized ?? []);
    if (e.skippedRows !== undefined) assert.equal(input.skippedRows.length, e.skippedRows);
    for (const w of e.warnings ?? []) assert.ok(report.warnings.some((x) => x.includes(w)), `no warning with "${w}" in:\n${report.warnings.join('\n')}`);
    const bits = report.training?.valBitsPerDim;
    assert.equal(bits !== undefined, e.bitsPerDim === true);
    if (bits !== undefined && report.training) {
      // Widths of 1: bits per dimension is the held-out NLL in bits per column.
      const widths = (input.dequantized ?? []).map((c) => c.width);
      const expected = (report.training.valNll - widths.reduce((s, w) => s + Math.log(w), 0)) / (input.columns.length * Math.LN2);
      assert.ok(Math.abs(bits - expected) < 1e-12, `${bits} vs ${expected}`);
      assert.ok(run.stderr.includes(`${bits.toFixed(4)} bits/dim`), run.stderr);
    }
  });
}
