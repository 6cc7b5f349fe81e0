/**
 * Excel's delimiter line: a first line `sep=;` (or `sep=,`, `sep=<tab>`, sometimes quoted) that
 * Excel writes and reads to say which delimiter the rest of the file uses. It is not a header and not
 * data: the reader takes the delimiter from it and skips the line. Pure: the reader (csv-reader.ts)
 * and the editor's header scanner (csv-header.ts) share it.
 */

import { DELIMITER_NAMES, DELIMITERS, type Delimiter } from './csv-cells';

/** What a first line says: a delimiter, or a delimiter line naming one the reader does not take. */
export type SepDirective = { delimiter: Delimiter } | { unsupported: string; column: number };

// After an optional BOM: sep=X with X one character (possibly none), optionally in double quotes,
// then the end of the line. Case-insensitive, as Excel reads it.
const SEP_LINE = /^(\uFEFF?)("?)sep=([^\r\n"]?)\2[ ]*(?:\r\n|\n|\r|$)/i;

/** The directive on the first line of `text` (the start of the file, decoded), or null when there is none. */
export function sepDirective(text: string): SepDirective | null {
  const m = SEP_LINE.exec(text);
  if (m === null) return null;
  const char = m[3];
  if ((DELIMITERS as readonly string[]).includes(char)) return { delimiter: char as Delimiter };
  // The column of the character after `sep=` (a BOM is not a column; a quote is).
  return { unsupported: char, column: m[2].length + 5 };
}

/** True when the line is an Excel delimiter line (whatever it names). */
export function isSepLine(line: string): boolean {
  return sepDirective(line) !== null;
}

/** Why a delimiter line cannot be followed, for an InputError at line 1. */
export function unsupportedSepMessage(char: string): string {
  const named = char === '' ? 'no delimiter' : `the delimiter ${JSON.stringify(char)}`;
  const known = DELIMITERS.map((d) => `${DELIMITER_NAMES[d]} (sep=${d === '\t' ? '<tab>' : d})`).join(', ');
  return `line 1 is an Excel delimiter line naming ${named}; the delimiters read are ${known}`;
}
