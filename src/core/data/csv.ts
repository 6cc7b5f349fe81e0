/**
 * CSV ingest: a table of numbers from a CSV file, streamed (never the whole text in memory),
 * with every problem reported as an InputError naming file, line and column (README.md,
 * "What `learn` does", step 1). The file is opened read-only.
 *
 * The pieces: csv-source (bytes + sha256), csv-sniff (delimiter), csv-plain (the fast path for
 * quote-free lines), csv-lines (true line numbers), csv-cells (what a cell means), csv-columns (names
 * and --columns), csv-builder (records to rows), csv-rows (growing storage), csv-checks (whole-file
 * checks), csv-reader (the pipeline). csv-header scans a header line for the editor (hover, column
 * reveal) with csv-position's field scanner.
 */
import { DEFAULT_TUNING, readCsvTuned } from './csv-reader';
import type { ReadCsvOptions, Table } from './csv-table';

export type { ReadCsvOptions, Table } from './csv-table';

/**
 * Reads the numeric table in `path`. Rows with a missing value (empty, NA, NaN, null, N/A) are
 * skipped and listed in skippedRows; anything else wrong is an InputError.
 */
export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<Table> {
  return readCsvTuned(path, options, DEFAULT_TUNING);
}
