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
import type { SkippedRow } from '../report/schema';
import { DEFAULT_TUNING, readCsvTuned } from './csv-reader';

export interface Table {
  /** As given. */
  path: string;
  /** Hex sha256 of the file's bytes, computed in the same read that parsed them. */
  sha256: string;
  /** Names of the selected columns: header names, or x<i> (i the 0-based position in the file) without a header. */
  columns: string[];
  /** 0-based positions in the file of the selected columns. */
  sourceColumns: number[];
  /** Rows kept. */
  rows: number;
  /** columns.length */
  d: number;
  /** rows*d values, row-major, exactly rows*d long. */
  data: Float64Array;
  /** 1-based file line of each kept row (for messages). */
  lines: Int32Array;
  skippedRows: SkippedRow[];
  header: boolean;
  delimiter: ',' | ';' | '\t';
}

export interface ReadCsvOptions {
  /** Names, or 0-based indices as strings ("0", "2"); a token equal to a header name is a name first. */
  columns?: string[];
  /** Skip (and record) rows with non-numeric cells or a wrong field count instead of failing. */
  skipInvalid?: boolean;
  /** Fewest kept rows accepted; default 10. */
  minRows?: number;
  /** Accept a selected column whose kept values are all equal; default false. */
  allowConstant?: boolean;
  /** Aborts the read; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
}

/**
 * Reads the numeric table in `path`. Rows with a missing value (empty, NA, NaN, null, N/A) are
 * skipped and listed in skippedRows; anything else wrong is an InputError.
 */
export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<Table> {
  return readCsvTuned(path, options, DEFAULT_TUNING);
}
