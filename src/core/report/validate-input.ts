/**
 * Structural validation of a report's `input` section: the file, its rows and columns, and what was
 * done to the columns before learning (left out, found discrete, dequantized). Shape only.
 */

import { REPORT_LIMITS, type Checker, type Rec } from './checker';

/** Checks the input section; returns the number of columns used (0 when it cannot be told). */
export function checkInput(c: Checker, x: unknown): number {
  const input = c.rec(x, 'input');
  if (!input) return 0;
  c.str(input.path, 'input.path');
  c.optStr(input.sha256, 'input.sha256');
  c.num(input.rows, 'input.rows', { integer: true, min: 0 });
  const columns = c.arr(input.columns, 'input.columns', REPORT_LIMITS.columns);
  columns?.forEach((v, i) => c.str(v, `input.columns[${i}]`));
  const d = columns?.length ?? 0;
  if (input.sourceColumns !== undefined) {
    c.indices(input.sourceColumns, 'input.sourceColumns', undefined, REPORT_LIMITS.columns);
    if (Array.isArray(input.sourceColumns) && input.sourceColumns.length !== d) c.fail('input.sourceColumns', `has ${input.sourceColumns.length} entries for ${d} columns`);
  }
  c.optStr(input.delimiter, 'input.delimiter');
  c.optBool(input.header, 'input.header');
  if (input.skippedRows !== undefined) {
    c.arr(input.skippedRows, 'input.skippedRows', Number.MAX_SAFE_INTEGER)?.forEach((s, i) => {
      const sr = c.rec(s, `input.skippedRows[${i}]`);
      if (!sr) return;
      c.num(sr.line, `input.skippedRows[${i}].line`, { integer: true, min: 0 });
      c.str(sr.reason, `input.skippedRows[${i}].reason`);
    });
  }
  columnNotes(c, input, 'omittedColumns', (o, p) => {
    c.num(o.value, `${p}.value`, { nullable: true });
    c.str(o.reason, `${p}.reason`);
  });
  columnNotes(c, input, 'discreteColumns', (o, p) => {
    c.num(o.levels, `${p}.levels`, { integer: true, min: 1 });
    c.num(o.width, `${p}.width`, { min: 0 });
  });
  columnNotes(c, input, 'dequantized', (o, p) => c.num(o.width, `${p}.width`, { min: 0 }));
  return d;
}

/** An optional list of {name, sourceColumn, ...} entries about columns. */
function columnNotes(c: Checker, input: Rec, key: string, rest: (o: Rec, path: string) => void): void {
  if (input[key] === undefined) return;
  c.arr(input[key], `input.${key}`, REPORT_LIMITS.columns)?.forEach((x, i) => {
    const p = `input.${key}[${i}]`;
    const o = c.rec(x, p);
    if (!o) return;
    c.str(o.name, `${p}.name`);
    c.num(o.sourceColumn, `${p}.sourceColumn`, { integer: true, min: 0 });
    rest(o, p);
  });
}
