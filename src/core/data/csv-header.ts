/**
 * The header line of a CSV as fields with their character spans, for the editor (the hover on a
 * column name, revealing a column, the column pick). Only the one line is scanned, with the same
 * field scanner as the reader's cell positions (csv-position.ts); unlike csv-parse, a quote may
 * follow blanks (' "a,b" ' is the field a,b), as a person reading the header would take it. Pure.
 */

import { DELIMITERS, type Delimiter } from './csv-cells';
import { isSepLine } from './csv-directive';
import { scanFields } from './csv-position';

export interface HeaderField {
  /** 0-based position of the field in the line. */
  index: number;
  /** The name as the CSV reader sees it (quotes removed, "" unescaped, trimmed). */
  name: string;
  /** Character span [start, end) in the line, quotes included. */
  start: number;
  end: number;
}

/**
 * The delimiter of a lone header line (for a report that does not record its own, and for the
 * column pick before a file was read): the candidate that splits it into the most fields outside
 * quotes; on a tie the commoner one (the later in DELIMITERS' order of preference, so ',' first).
 */
export function sniffHeaderDelimiter(line: string): Delimiter {
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = splitHeader(line, d).length;
    if (n >= bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

export function splitHeader(line: string, delimiter: Delimiter): HeaderField[] {
  return scanFields(line, delimiter, { lineBreaksEnd: false, blanksBeforeQuote: true }).map((f, index) => {
    let name: string;
    if (!f.quote) name = line.slice(f.start, f.end);
    else {
      const { open, close } = f.quote;
      // Anything after the closing quote up to the delimiter is kept, as csv-parse with relax would.
      name = close < 0 ? line.slice(open + 1, f.end).replace(/""/g, '"') : line.slice(open + 1, close).replace(/""/g, '"') + line.slice(close + 1, f.end);
    }
    return { index, name: name.trim(), start: f.start, end: f.end };
  });
}

/** The field under character `ch` (on a delimiter: the field before it). */
export function fieldAt(fields: readonly HeaderField[], ch: number): HeaderField | undefined {
  return fields.find((f) => ch >= f.start && ch <= f.end);
}

/** 0-based line of the header: the first line that is not blank, after an Excel `sep=` line on line 1 (csv-directive.ts). */
export function headerLineIndex(lines: (i: number) => string, lineCount: number): number {
  for (let i = 0; i < lineCount && i < 1000; i++) {
    const line = lines(i);
    if (i === 0 && isSepLine(line)) continue;
    if (line.trim() !== '') return i;
  }
  return -1;
}
