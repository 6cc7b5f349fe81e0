import { basename, dirname, join, resolve } from 'node:path';
import { readCsv, type Table } from '../core/data/csv';
import { readTruthBeside, type TruthBeside } from '../core/data/truth';
import { widthLimit } from '../core/pipeline/report-size';
import type { ReportInput } from '../core/report/schema';
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
export async function readRunInput(
  file: string,
  options: { columns?: string[]; skipInvalid?: boolean; order: number },
  progress: ProgressReporter,
): Promise<{ table: Table; truth?: TruthBeside }> {
  progress.phase(`reading ${file}`);
  // A table too wide for the order's report is refused at its header, before its rows are read.
  const table = await readCsv(file, { columns: options.columns, skipInvalid: options.skipInvalid, maxColumns: widthLimit(options.order) });
  for (const skipped of table.skippedRows.slice(0, 5)) process.stderr.write(`action-lens: ${file}:${skipped.line}: skipped row: ${skipped.reason}\n`);
  if (table.skippedRows.length > 5) process.stderr.write(`action-lens: ... ${table.skippedRows.length - 5} more rows skipped (listed in the report)\n`);
  const beside = await readTruthBeside(file, table.columns, table.sourceColumns);
  if (beside?.note) process.stderr.write(`action-lens: ${beside.note}\n`);
  return { table, ...(beside?.truth ? { truth: beside.truth } : {}) };
}

/** "3 columns", or "3 columns (2 constant ones left out)", for the run's summary line. */
export function columnsSummary(input: ReportInput): string {
  const d = input.columns.length;
  const omitted = input.omittedColumns?.length ?? 0;
  const left = omitted > 0 ? ` (${omitted} constant ${omitted === 1 ? 'one' : 'ones'} left out)` : '';
  const discrete = input.discreteColumns?.length ?? 0;
  const levels = discrete > 0 ? `, ${discrete} discrete${input.dequantized?.length ? ', dequantized' : ''}` : '';
  return `${d} column${d === 1 ? '' : 's'}${left}${levels}`;
}
