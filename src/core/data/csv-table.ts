/** What reading a CSV gives (Table) and what it takes (ReadCsvOptions): the types csv.ts and csv-reader.ts share. */
import type { SkippedRow } from '../report/schema';
import type { TableLimits } from './csv-budget';
import type { Delimiter } from './csv-cells';
import type { CellPosition } from './csv-position';

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
  delimiter: Delimiter;
  /**
   * Where column j's header cell is in the file (its first cell without a header), for messages
   * about a whole column; absent for tables made in memory.
   */
  columnCell?: (j: number) => CellPosition;
}

export interface ReadCsvOptions extends TableLimits {
  /** Names, or 0-based indices as strings ("0", "2"); a token equal to a header name is a name first. */
  columns?: string[];
  /** Skip (and record) rows with non-numeric cells or a wrong field count instead of failing. */
  skipInvalid?: boolean;
  /** Fewest kept rows accepted; default 10. */
  minRows?: number;
  /** Aborts the read; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
}
