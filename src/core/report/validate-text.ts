/**
 * A report (or any JSON file of ours) from its text: parsed, its syntax errors located by line and
 * column, then validated (validate.ts). Pure: the extension host reads the file (after checking its
 * size against REPORT_LIMITS.fileBytes) and hands the text here.
 */

import { validateReport, type ReportValidation, type ValidateOptions } from './validate';

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string; line?: number; column?: number };

/** 1-based line and column of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.max(0, Math.min(offset, text.length));
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: end - start + 1 };
}

/** Texts up to this long are searched for the place of a fault V8 does not locate. */
const LOCATE_LIMIT = 16_000_000;

function endsEarly(message: string): boolean {
  return /end of (JSON )?input/i.test(message);
}

/**
 * The offset of the first character that cannot continue a JSON text: the shortest prefix that fails
 * other than by ending early (a prefix that parses or ends early can still be continued, one that
 * fails otherwise cannot, so the search is a bisection).
 */
function faultOffset(text: string): number {
  let lo = 0; // text[0, lo) can be continued
  let hi = text.length; // text[0, hi) cannot
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    let continuable = true;
    try {
      JSON.parse(text.slice(0, mid));
    } catch (e) {
      continuable = endsEarly(e instanceof Error ? e.message : String(e));
    }
    if (continuable) lo = mid;
    else hi = mid;
  }
  return hi - 1;
}

/**
 * JSON.parse with the error's place: V8 names an offset ("at position N") for most faults, none for
 * a text that ends early (placed at its end) or an unexpected token (searched for, in texts up to
 * LOCATE_LIMIT characters).
 */
export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : endsEarly(message) ? text.length : text.length <= LOCATE_LIMIT ? faultOffset(text) : undefined;
    // V8's message may quote a piece of the text: the file's own (possibly hostile) data; the place says more.
    const what = at || endsEarly(message) ? message.replace(/( in JSON)? at position \d+.*$/s, '') : message.replace(/,\s*".*$/s, '');
    return offset === undefined ? { ok: false, error: what } : { ok: false, error: what, ...lineColumn(text, offset) };
  }
}

/** A report's text parsed and validated; a syntax error is reported as `line L, column C: what`. */
export function parseReportText(text: string, options: ValidateOptions = {}): ReportValidation {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const what = text.trim() === '' ? 'the file is empty' : `not valid JSON: ${parsed.error}`;
    const where = parsed.line === undefined ? '' : `line ${parsed.line}, column ${parsed.column}: `;
    return { ok: false, errors: [`${where}${what}`] };
  }
  return validateReport(parsed.value, options);
}
