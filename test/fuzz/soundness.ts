/**
 * What "exit 0 with a sound report, or exit 2 at file:line:column, nothing else" means, as checks the
 * fuzz tests and the corpus share: the CLI run in-process (main() with stdout and stderr captured),
 * the report's numbers finite where the schema has no null, and its columns those of the input.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/main';
import { layerKindNames } from '../../src/core/flow/kinds';
import { validateReport } from '../../src/core/report/validate';
import type { Report } from '../../src/core/report/schema';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * main(argv) with what the CLI writes to process.stdout / stderr captured. Only writes made from the
 * sources are taken: the test runner reports through the same stdout meanwhile, and must still get through.
 */
export async function runCli(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const capture = (into: string[], pass: typeof process.stdout.write): typeof process.stdout.write =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (!/[/\\]src[/\\](cli|core)[/\\]/.test(new Error().stack ?? '')) return (pass as (...a: unknown[]) => boolean)(chunk, ...rest);
      into.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out, stdoutWrite);
  process.stderr.write = capture(err, stderrWrite);
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
}

/** Paths (indices as []) whose value may be null: the schema's `number | null` fields. */
const NULLABLE = [
  /^convergence\.radius(Standardized)?$/,
  /^training\.patience$/,
  /\.relativeError$/,
  /\.(max|rms)AbsWhereTrueZero$/,
  /\.rmsZ$/,
];

/** Every null (a NaN or an infinity that JSON wrote as null) outside the nullable fields, and every "NaN" or "Infinity" in a text. */
export function nonFinite(report: unknown): string[] {
  const found: string[] = [];
  const walk = (x: unknown, path: string): void => {
    if (x === null) {
      if (!NULLABLE.some((re) => re.test(path))) found.push(path);
    } else if (typeof x === 'number') {
      if (!Number.isFinite(x)) found.push(path);
    } else if (typeof x === 'string') {
      if (/\bNaN\b|\bInfinity\b/.test(x)) found.push(`${path}: ${x.slice(0, 160)}`);
    } else if (Array.isArray(x)) x.forEach((v) => walk(v, `${path}[]`));
    else if (typeof x === 'object') for (const [k, v] of Object.entries(x as object)) walk(v, path === '' ? k : `${path}.${k}`);
  };
  walk(report, '');
  return [...new Set(found)];
}

/** The outcome of a CLI run on a file, asserted sound; returns the report on exit 0. */
export function assertSoundRun(run: CliRun, file: string, input: Buffer, reportPath: string): Report | null {
  assert.ok(run.code === 0 || run.code === 2, `exit ${run.code}: ${run.stderr}`);
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at .*\(.*:\d+:\d+\)/, 'a stack trace or internal error');
  assert.deepEqual(readFileSync(file), input, 'the input file was written');
  if (run.code === 2) {
    // The error is the last line (notes about skipped rows may come before it).
    const lines = run.stderr.trimEnd().split('\n');
    const first = lines[lines.length - 1];
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(first, new RegExp(`^action-lens: ${escaped}:\\d+:\\d+: \\S`), `no file:line:column in: ${run.stderr}`);
    return null;
  }
  const report: unknown = JSON.parse(readFileSync(reportPath, 'utf8'));
  const valid = validateReport(report, { layerKinds: layerKindNames() });
  assert.ok(valid.ok, `invalid report: ${valid.ok ? '' : valid.errors.join('; ')}`);
  assert.deepEqual(nonFinite(report), [], 'non-finite numbers in the report');
  return valid.report;
}

/**
 * The report's columns are the file's: used plus left out = the selected header fields, each once,
 * by name and position (`header`: the file's column names, in order).
 */
export function assertColumnsMatch(report: Report, header: readonly string[]): void {
  const { input } = report;
  const used = input.columns.map((name, c) => ({ name, at: input.sourceColumns?.[c] ?? -1 }));
  const left = (input.omittedColumns ?? []).map((o) => ({ name: o.name, at: o.sourceColumn }));
  const all = [...used, ...left].sort((a, b) => a.at - b.at);
  assert.deepEqual(
    all.map((c) => c.name),
    header.filter((_, i) => all.some((c) => c.at === i)),
  );
  assert.equal(all.length, header.length, 'a column was lost');
  for (const c of all) assert.equal(header[c.at], c.name, `column ${c.name} at ${c.at}`);
  assert.equal(report.model.standardization.mean.length, input.columns.length);
}
