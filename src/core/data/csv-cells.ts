/**
 * What a single CSV cell means: a number, a missing value, or neither, and which characters may
 * separate cells. Kept apart from the reader so that header detection, delimiter sniffing, row
 * parsing and the editor's header scanner (csv-header.ts) all agree on one definition.
 */

/** The delimiters a CSV may use. */
export type Delimiter = ',' | ';' | '\t';

/**
 * The delimiters in order of preference: when several split a file equally well, the rarer one
 * wins. A file that is consistently split by tabs or semicolons uses them on purpose, while commas
 * also occur as decimal commas ("1,5;2,5") and inside free text.
 */
export const DELIMITERS: readonly Delimiter[] = ['\t', ';', ','];

/** The delimiters in words, for messages. */
export const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

// JS-style decimals with an optional exponent: "1", "-.5", "+2", "1.", "1e-3". Deliberately not
// Number()'s full grammar, which also accepts hex, binary, octal and Infinity, and reads "" as 0.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// Compared after trimming and lower-casing; the spellings spreadsheets and pandas write for "no value".
const MISSING = new Set(['', 'na', 'nan', 'null', 'n/a']);

/** True for an empty cell or a conventional "not available" marker (case-insensitive). */
export function isMissing(cell: string): boolean {
  return MISSING.has(cell.trim().toLowerCase());
}

/**
 * The float64 the cell spells, or undefined when it is not a number in the accepted grammar.
 * Number() on the validated text is correctly rounded, so the value is the nearest float64.
 * A literal beyond the float64 range ("1e999") comes back as +-Infinity; callers report it.
 */
export function parseNumber(cell: string): number | undefined {
  const text = cell.trim();
  return NUMBER.test(text) ? Number(text) : undefined;
}

/** The header rule: a record is a header when some cell is non-empty and not a number. */
export function looksLikeHeader(record: readonly string[]): boolean {
  return record.some((cell) => cell.trim() !== '' && parseNumber(cell) === undefined);
}

/**
 * A record the parser made of a line holding only whitespace: treated like a blank line. With a
 * tab delimiter that includes a line of bare tabs (it looks blank in any editor); with ',' or ';'
 * a line like ",," shows its cells and is a row of missing values instead.
 */
export function isBlankRecord(record: readonly string[], delimiter: string): boolean {
  if (!record.every((cell) => cell.trim() === '')) return false;
  return record.length <= 1 || delimiter === '\t';
}

/** A cell value quoted for a message: JSON escapes control characters, long values are cut. */
export function quoteValue(cell: string, max = 40): string {
  const shown = cell.length > max ? `${cell.slice(0, max)}...` : cell;
  return JSON.stringify(shown);
}

/** A hint that turns "non-numeric" into something the user can act on, or ''. */
export function nonNumericHint(cell: string): string {
  const text = cell.trim();
  if (/^[+-]?\d*,\d+$/.test(text)) return ' (a decimal comma? numbers must use "." as the decimal separator)';
  if (/^[+-]?(?:inf|infinity)$/i.test(text)) return ' (infinite values are not allowed)';
  if (/^[+-]?0[xob][0-9a-f]+$/i.test(text)) return ' (only decimal numbers are read, not hex, octal or binary)';
  return '';
}
