/**
 * Where a record's cells are, as a user's editor shows the file: the line and the 1-based character
 * column a cell starts at, and its length. Columns count UTF-16 code units (VS Code's Position
 * character), a tab is one, a BOM on line 1 is not there (both paths drop it before splitting), and a
 * quoted cell starts at its opening quote. Only computed for a message, so nothing here is on the
 * per-row path.
 */

import { countBreaks } from './csv-lines';
import type { Delimiter } from './csv-cells';

export interface CellPosition {
  /** 1-based file line the cell starts on (a quoted cell before it may span lines). */
  line: number;
  /** 1-based character column where the cell starts on that line; absent when it cannot be told. */
  column?: number;
  /** Characters of the cell on that line (to the line's end for a cell that spans lines). */
  length?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;

const SPACE = 0x20;
const TAB = 0x09;

/** A field of a line: its span [start, end), and where its quotes are when it is quoted. */
export interface ScannedField {
  start: number;
  end: number;
  /** The opening quote's offset and the closing one's (-1 when the quote is never closed). */
  quote?: { open: number; close: number };
}

export interface ScanOptions {
  /** A line break ends the record (csv-parse's records); otherwise it is an ordinary character. */
  lineBreaksEnd: boolean;
  /**
   * Blanks (spaces, and tabs unless the delimiter is a tab) may stand before a field's opening
   * quote, as an editor's reader of the header takes ' "a,b"' (csv-header.ts); csv-parse, without
   * its ltrim option, reads such a quote as an ordinary character.
   */
  blanksBeforeQuote: boolean;
}

/**
 * The fields of one line or record's text, quotes respected: "" inside quotes is an escaped quote,
 * the quote that closes a field is the first other one, and, as with csv-parse's relax_quotes, text
 * after it up to the delimiter still belongs to the field. The one scanner behind the reader's cell
 * positions (fieldSpans) and the editor's header (csv-header.ts).
 */
export function scanFields(text: string, delimiter: string, options: ScanOptions): ScannedField[] {
  const fields: ScannedField[] = [];
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  let pos = 0;
  while (true) {
    const start = pos;
    let open = pos;
    if (options.blanksBeforeQuote) {
      while (open < n && (text.charCodeAt(open) === SPACE || (text.charCodeAt(open) === TAB && delim !== TAB))) open++;
    }
    let quote: ScannedField['quote'];
    if (text.charCodeAt(open) === QUOTE) {
      pos = open + 1;
      let close = -1;
      while (pos < n) {
        if (text.charCodeAt(pos) === QUOTE) {
          if (text.charCodeAt(pos + 1) === QUOTE) {
            pos += 2;
            continue;
          }
          close = pos;
          pos++;
          break;
        }
        pos++;
      }
      quote = { open, close };
    }
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === delim || (options.lineBreaksEnd && (c === CR || c === LF))) break;
      pos++;
    }
    fields.push(quote ? { start, end: pos, quote } : { start, end: pos });
    if (pos < n && text.charCodeAt(pos) === delim) {
      pos++;
      continue;
    }
    return fields;
  }
}

/** Start and end offsets of every field of one record's text, splitting as csv-parse does under the reader's options. */
export function fieldSpans(text: string, delimiter: string): Array<{ start: number; end: number }> {
  return scanFields(text, delimiter, { lineBreaksEnd: true, blanksBeforeQuote: false }).map(({ start, end }) => ({ start, end }));
}

/**
 * One record's text and where it starts. `raw` is csv-parse's raw text of the record (line breaks of
 * blank lines before it included); without it (the quote-free fast path) the text is the fields
 * joined by the delimiter, which is exactly the line there. `fields`, when given, are the parser's
 * fields: a scan that splits the text into another count gives no column rather than a wrong one.
 */
export class RecordText {
  private readonly text: string;
  /** Line the text's first character is on. */
  private readonly firstLine: number;
  private spans: Array<{ start: number; end: number }> | undefined;

  /**
   * `line`: for a parsed record, the line it starts on (known: its leading breaks are not counted
   * again); for a parser error's raw text (`fields` absent), the line the raw text starts on.
   */
  constructor(
    private readonly delimiter: Delimiter,
    line: number,
    private readonly fields?: readonly string[],
    raw?: string,
  ) {
    const text = raw ?? (fields ?? []).join(delimiter);
    let i = 0;
    while (i < text.length && (text.charCodeAt(i) === CR || text.charCodeAt(i) === LF)) i++;
    this.firstLine = fields === undefined ? line + countBreaks(text.slice(0, i)) : line;
    this.text = text.slice(i);
  }

  private get cells(): Array<{ start: number; end: number }> | null {
    this.spans ??= fieldSpans(this.text, this.delimiter);
    return this.fields === undefined || this.spans.length === this.fields.length ? this.spans : null;
  }

  /** The cell `index` (0-based); the index just past the last field is the end of the record (a missing field). */
  cell(index: number): CellPosition {
    const cells = this.cells;
    if (cells === null) return { line: this.fallbackLine(index) };
    if (index >= cells.length) {
      const end = cells[cells.length - 1].end;
      return this.at(end, end);
    }
    return this.at(cells[index].start, cells[index].end);
  }

  /**
   * Fields beyond the expected count: from the delimiter before field `index` to the record's end.
   * The delimiter is what made the extra field (a trailing one leaves an empty field to point at).
   */
  extraFrom(index: number): CellPosition {
    const cells = this.cells;
    if (cells === null || index <= 0 || index >= cells.length) return this.cell(index);
    return this.at(cells[index].start - 1, cells[cells.length - 1].end);
  }

  private at(start: number, end: number): CellPosition {
    const before = this.text.slice(0, start);
    const line = this.firstLine + countBreaks(before);
    const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    let stop = start;
    while (stop < end && this.text.charCodeAt(stop) !== CR && this.text.charCodeAt(stop) !== LF) stop++;
    return { line, column: start - lastBreak, length: stop - start };
  }

  // The line from the fields' own line breaks (quoted cells before this one may span lines).
  private fallbackLine(index: number): number {
    let line = this.firstLine;
    const fields = this.fields ?? [];
    for (let j = 0; j < index && j < fields.length; j++) line += countBreaks(fields[j]);
    return line;
  }
}
