import { basename, dirname, join, resolve } from 'node:path';
import { readCsv, type Table } from '../core/data/csv';
import { readTruthBeside, type TruthBeside } from '../core/data/truth';
import { InputError } from '../core/util/errors';
import type { ProgressReporter } from './progress';

/** The report's default path beside the CSV: `data.csv` -> `data.report.json`. */
export function defaultReportPath(file: string): string {
  return join(dirname(file), `${basename(file).replace(/\.(csv|tsv|txt)$/i, '')}.report.json`);
}

/** Refuses an output path that is the input (the input is only ever read). */
export function refuseOverwritingInput(file: string, targets: Array<string | undefined>): void {
  for (const target of targets) {
    if (target !== undefined && resolve(target) === resolve(file)) throw new InputError('refusing to write over the input file; choose another output path', { file: target });
  }
}

/**
 * The CSV of a run, with its skipped rows said on stderr, and the truth beside it (`<csv>.truth.json`,
 * as `sample` writes it), with a note when one is there but cannot be used.
 */
export async function readRunInput(file: string, options: { columns?: string[]; skipInvalid?: boolean }, progress: ProgressReporter): Promise<{ table: Table; truth?: TruthBeside }> {
  progress.phase(`reading ${file}`);
  const table = await readCsv(file, { columns: options.columns, skipInvalid: options.skipInvalid });
  for (const skipped of table.skippedRows.slice(0, 5)) process.stderr.write(`action-lens: ${file}:${skipped.line}: skipped row: ${skipped.reason}\n`);
  if (table.skippedRows.length > 5) process.stderr.write(`action-lens: ... ${table.skippedRows.length - 5} more rows skipped (listed in the report)\n`);
  const beside = await readTruthBeside(file, table.columns, table.sourceColumns);
  if (beside?.note) process.stderr.write(`action-lens: ${beside.note}\n`);
  return { table, ...(beside?.truth ? { truth: beside.truth } : {}) };
}
