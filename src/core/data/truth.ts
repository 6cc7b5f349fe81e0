import { readFile, stat } from 'node:fs/promises';
import type { Action, ActionTerm } from '../report/schema';

/**
 * A true action beside the data: `sample` writes `<csv>.truth.json` next to its CSV, and `learn`
 * and `identify` compare with it when it is there (docs/METHOD.md section 9). The file is input like
 * any other: a malformed, hostile or oversized one is refused with a note, never trusted, and never
 * stops the run.
 */
export interface TruthBeside {
  /** The file it came from. */
  source: string;
  /** The true action over the selected columns (selection order), as written (around its own point). */
  action: Action;
}

/** Larger truth files are not read (a dense order-4 action of 64 columns is about 60 MB of JSON). */
export const MAX_TRUTH_BYTES = 64 * 1024 * 1024;

/**
 * The truth beside `csvPath` mapped onto the selected columns, or a note saying why there is none
 * that can be used; `undefined` when there is no truth file at all. Columns are matched by the names
 * the file lists (`data.columns`, as `sample` writes them), else by position in the file.
 */
export async function readTruthBeside(csvPath: string, columns: readonly string[], sourceColumns: readonly number[]): Promise<{ truth?: TruthBeside; note?: string } | undefined> {
  const path = `${csvPath}.truth.json`;
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return undefined;
    size = s.size;
  } catch {
    return undefined;
  }
  if (size > MAX_TRUTH_BYTES) return { note: `${path} is ${size} bytes, more than the ${MAX_TRUTH_BYTES} read for a truth file; not compared` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    return { note: `${path} is not valid JSON (${e instanceof Error ? e.message : String(e)}); not compared` };
  }
  const problem = (what: string): { note: string } => ({ note: `${path}: ${what}; not compared` });
  if (!isRecord(parsed) || !isRecord(parsed.action)) return problem('no "action" object');
  const action = parsed.action;
  if (action.convention !== 'ln p') return problem('the action is not in the ln p convention');
  if (!Array.isArray(action.terms)) return problem('the action has no "terms" list');
  const fileColumns = isRecord(parsed.data) && Array.isArray(parsed.data.columns) && parsed.data.columns.every((c) => typeof c === 'string') ? (parsed.data.columns as string[]) : null;
  // The truth's column j is the selection's column where[j] (-1: not selected).
  const where = (j: number): number => (fileColumns ? columns.indexOf(fileColumns[j] ?? '') : sourceColumns.indexOf(j));
  const terms: ActionTerm[] = [];
  let order = 0;
  for (const [k, t] of action.terms.entries()) {
    if (!isRecord(t) || !Array.isArray(t.monomial) || typeof t.coefficient !== 'number' || !Number.isFinite(t.coefficient)) return problem(`term ${k} is not {monomial, coefficient}`);
    const raw = t.monomial;
    if (!raw.every((i): i is number => Number.isInteger(i) && i >= 0 && i < 1e6)) return problem(`term ${k} has an index that is not a column`);
    const mapped = raw.map(where);
    if (mapped.some((c) => c < 0)) {
      if (t.coefficient === 0) continue;
      return problem('it involves columns that are not selected (the truth of the selected columns alone is not known)');
    }
    terms.push({ monomial: mapped.sort((a, b) => a - b), coefficient: t.coefficient });
    order = Math.max(order, raw.length);
  }
  const point = Array.isArray(action.expansionPoint) ? action.expansionPoint : null;
  let expansionPoint: number[] | undefined;
  if (point) {
    if (!point.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return problem('its expansionPoint is not a list of numbers');
    expansionPoint = columns.map((_, c) => {
      const j = fileColumns ? fileColumns.indexOf(columns[c]) : sourceColumns[c];
      return j >= 0 && j < point.length ? point[j] : 0;
    });
  }
  return { truth: { source: path, action: { convention: 'ln p', units: 'raw', order, terms, ...(expansionPoint ? { expansionPoint } : {}) } } };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The truth over the columns kept (column c of the result is column kept[c] of the truth's), for a
 * run that left columns out (constant ones). Terms on a left-out column make the truth of the kept
 * columns alone unknown: then no truth, and a note saying so.
 */
export function truthOnColumns(truth: TruthBeside, kept: readonly number[]): { truth?: TruthBeside; note?: string } {
  const at = new Map(kept.map((j, c) => [j, c]));
  const terms: ActionTerm[] = [];
  for (const t of truth.action.terms) {
    if (t.monomial.every((j) => at.has(j))) terms.push({ ...t, monomial: t.monomial.map((j) => at.get(j) as number) });
    else if (t.coefficient !== 0) return { note: `${truth.source}: the true action involves a column left out of the run; not compared` };
  }
  const point = truth.action.expansionPoint;
  const action: Action = { ...truth.action, terms, ...(point ? { expansionPoint: kept.map((j) => point[j]) } : {}) };
  return { truth: { source: truth.source, action } };
}
