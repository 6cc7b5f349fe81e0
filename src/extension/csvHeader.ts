/**
 * The header line of a CSV as fields with their character spans, for the hover and for revealing a
 * column. Only the one line is scanned (RFC 4180 quotes: "a,b" and "" inside quotes). Pure.
 */

export type Delimiter = ',' | ';' | '\t';

export interface HeaderField {
  /** 0-based position of the field in the line. */
  index: number;
  /** The name as the CSV reader sees it (quotes removed, "" unescaped, trimmed). */
  name: string;
  /** Character span [start, end) in the line, quotes included. */
  start: number;
  end: number;
}

/** The delimiter of a header line: the candidate that splits it into the most fields outside quotes. */
export function sniffDelimiter(line: string): Delimiter {
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t'] as const) {
    const n = splitHeader(line, d).length;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

export function splitHeader(line: string, delimiter: Delimiter): HeaderField[] {
  const fields: HeaderField[] = [];
  let i = 0;
  let index = 0;
  const n = line.length;
  while (i <= n) {
    const start = i;
    let name = '';
    // leading spaces before an opening quote
    let j = i;
    while (j < n && (line[j] === ' ' || (line[j] === '\t' && delimiter !== '\t'))) j++;
    if (j < n && line[j] === '"') {
      j++;
      while (j < n) {
        if (line[j] === '"') {
          if (line[j + 1] === '"') {
            name += '"';
            j += 2;
            continue;
          }
          j++;
          break;
        }
        name += line[j];
        j++;
      }
      // anything after the closing quote up to the delimiter is kept, as csv-parse with relax would
      while (j < n && line[j] !== delimiter) name += line[j++];
      i = j;
    } else {
      while (i < n && line[i] !== delimiter) name += line[i++];
    }
    fields.push({ index, name: name.trim(), start, end: i });
    index++;
    if (i >= n) break;
    i++; // skip the delimiter
    if (i === n) {
      fields.push({ index, name: '', start: i, end: i });
      break;
    }
  }
  return fields;
}

/** The field under character `ch` (on a delimiter: the field before it). */
export function fieldAt(fields: readonly HeaderField[], ch: number): HeaderField | undefined {
  return fields.find((f) => ch >= f.start && ch <= f.end);
}

/** 0-based line of the header: the first line that is not blank. */
export function headerLineIndex(lines: (i: number) => string, lineCount: number): number {
  for (let i = 0; i < lineCount && i < 1000; i++) {
    if (lines(i).trim() !== '') return i;
  }
  return -1;
}
