import type { SkippedRow } from '../report/schema';
import { InputError } from '../util/errors';
import { DELIMITER_NAMES, isBlankRecord, isMissing, looksLikeHeader, nonNumericHint, parseNumber, quoteValue, type Delimiter } from './csv-cells';
import { columnNames, selectColumns, type Selection } from './csv-columns';
import { RecordText, type CellPosition } from './csv-position';
import { RowStore } from './csv-rows';

export interface BuilderOptions {
  columns?: string[];
  skipInvalid: boolean;
  /** A line that is neither header nor data (Excel's `sep=` line, csv-directive.ts): skipped. */
  skipLine?: number;
  /** Called once the layout is fixed, before any data row is read: may refuse the table (too wide, too big). */
  onLayout?: (layout: Layout) => void;
}

/** What the first non-blank record fixed for the rest of the file. */
export interface Layout {
  header: boolean;
  /** Line of the first non-blank record (the header, or the first data row). */
  firstLine: number;
  /** Field count every row must have. */
  fields: number;
  names: string[];
  selection: Selection;
  /** Where selected column j's header cell (or first cell, without a header) is, for messages about the column. */
  cellOf: (j: number) => CellPosition;
}

/**
 * Turns parsed records, one at a time, into kept rows and skipped-row notes. The first non-blank
 * record decides header or not, the field count and the selected columns; every later record is
 * a data row. Errors are thrown as InputError at the cell at fault.
 */
export class TableBuilder {
  layout: Layout | undefined;
  store: RowStore | undefined;
  readonly skippedRows: SkippedRow[] = [];
  /** Rows skipped for a missing value, by selected column (the first missing cell of each row). */
  readonly missingByColumn = new Map<number, number>();
  private scratch = new Float64Array(0);

  constructor(
    private readonly file: string,
    private readonly delimiter: Delimiter,
    private readonly options: BuilderOptions,
  ) {}

  /**
   * One record as the parser split it, starting on file line `line`; `raw` is its text as csv-parse
   * read it (absent on the quote-free fast path, where the fields joined are the line), kept only to
   * tell where a cell at fault is.
   */
  add(fields: string[], line: number, raw?: string): void {
    if (line === this.options.skipLine || isBlankRecord(fields, this.delimiter)) return;
    if (this.layout === undefined) {
      this.layout = this.fixLayout(fields, line, raw);
      this.options.onLayout?.(this.layout);
      this.store = new RowStore(this.layout.selection.sourceColumns.length);
      this.scratch = new Float64Array(this.store.d);
      if (this.layout.header) return;
    }
    this.addDataRow(fields, line, raw, this.layout);
  }

  /** Rows seen after the header, kept or skipped. */
  get dataRows(): number {
    return (this.store?.rows ?? 0) + this.skippedRows.length;
  }

  private fixLayout(first: string[], line: number, raw: string | undefined): Layout {
    const header = looksLikeHeader(first);
    const names = columnNames(first, header);
    const text = new RecordText(this.delimiter, line, first, raw);
    const selection = selectColumns(names, this.options.columns, { file: this.file, line, cell: (i) => text.cell(i) });
    const cellOf = (j: number): CellPosition => text.cell(selection.sourceColumns[j]);
    return { header, firstLine: line, fields: first.length, names, selection, cellOf };
  }

  private addDataRow(fields: string[], line: number, raw: string | undefined, layout: Layout): void {
    if (fields.length !== layout.fields) {
      this.wrongFieldCount(fields, line, raw, layout);
      return;
    }
    const { sourceColumns, names } = layout.selection;
    let missing = -1;
    for (let k = 0; k < sourceColumns.length; k++) {
      const cell = fields[sourceColumns[k]];
      if (isMissing(cell)) {
        if (missing === -1) missing = k;
        continue;
      }
      const value = parseNumber(cell);
      if (value === undefined || !Number.isFinite(value)) {
        // A non-numeric cell is reported even when another cell of the row is missing: it is
        // the problem the user has to fix, the missing value is not.
        const field = sourceColumns[k] + 1;
        const what =
          value === undefined
            ? `non-numeric value ${quoteValue(cell)} in column ${JSON.stringify(names[k])} (field ${field})`
            : `value ${quoteValue(cell)} in column ${JSON.stringify(names[k])} (field ${field}) is beyond the float64 range`;
        const hint = value === undefined ? (this.repeatsHeader(fields, layout) ? ' (the header again: were files joined together?)' : nonNumericHint(cell)) : '';
        this.invalid(line, () => new RecordText(this.delimiter, line, fields, raw).cell(sourceColumns[k]), `${what}${hint}`, what);
        return;
      }
      this.scratch[k] = value;
    }
    if (missing !== -1) {
      const field = sourceColumns[missing] + 1;
      this.skippedRows.push({ line, reason: `missing value in column ${JSON.stringify(names[missing])} (field ${field})` });
      this.missingByColumn.set(missing, (this.missingByColumn.get(missing) ?? 0) + 1);
      return;
    }
    (this.store as RowStore).push(this.scratch, line);
  }

  /** A record equal to the header (cells trimmed): what joining CSV files with `cat` leaves. */
  private repeatsHeader(fields: readonly string[], layout: Layout): boolean {
    return layout.header && columnNames(fields, true).every((name, i) => name === layout.names[i]);
  }

  private wrongFieldCount(fields: string[], line: number, raw: string | undefined, layout: Layout): void {
    const found = fields.length;
    const expected = layout.fields;
    const more = found > expected;
    const what =
      `${more ? 'too many' : 'too few'} fields: expected ${expected} (as on line ${layout.firstLine}), found ${found}` +
      ` with the ${DELIMITER_NAMES[this.delimiter]} as delimiter`;
    const hint = more ? `; quote values that contain a ${DELIMITER_NAMES[this.delimiter]}` : '';
    // Too many: the extra fields, from the delimiter that starts them; too few: the end of the line,
    // where the first missing field would go.
    const where = (): CellPosition => {
      const text = new RecordText(this.delimiter, line, fields, raw);
      return more ? text.extraFrom(expected) : text.cell(found);
    };
    this.invalid(line, where, `${what}${hint}`, what);
  }

  /**
   * A row that cannot be read: skipped (and recorded) with skipInvalid, else the error at the cell.
   * The position is computed only for the error: skipped rows are listed by line.
   */
  private invalid(rowLine: number, where: () => CellPosition, message: string, reason: string): void {
    if (!this.options.skipInvalid) throw new InputError(message, { file: this.file, ...where() });
    this.skippedRows.push({ line: rowLine, reason });
  }
}
