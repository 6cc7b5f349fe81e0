import { summarizeColumns, type ColumnSummary } from '../data/column-summary';
import type { Table } from '../data/csv';
import type { OmittedColumn } from '../report/schema';
import { InputError, type InputErrorWhere } from '../util/errors';
import { describeDiscrete, duplicateRowsWarning, indexColumnWarnings, outlierWarnings, type DiscreteColumn } from './data-warnings';

/**
 * Degenerate data, caught before training (README.md, "Bad input"): columns with nothing to learn
 * are left out with a note, columns whose magnitudes the report cannot hold are refused with the
 * reason, and what would make the model misleading without being wrong (discrete levels, a row
 * number, a gross outlier, repeated rows) is said in the warnings. Linear dependence is judged on
 * the training rows (dependence-check.ts), dequantization adds its noise after the split
 * (dequantize.ts); prepare.ts runs them in that order.
 */

/** A column whose spread is below this share of its magnitude varies only in digits float64 barely keeps: left out as constant. */
export const NEAR_CONSTANT = 1e-12;

export interface ScreenedTable {
  /** The table of the columns used (the input table itself when none was left out). */
  table: Table;
  /** Column c of `table` is column kept[c] of the input table. */
  kept: number[];
  omitted: OmittedColumn[];
  /** Summaries of the columns used. */
  summaries: ColumnSummary[];
  discrete: DiscreteColumn[];
  warnings: string[];
}

/** Where a message about column j of the table points: its header cell, else the table's start. */
export function columnWhere(table: Table, j: number): InputErrorWhere {
  const cell = table.columnCell?.(j);
  return cell ? { file: table.path, ...cell } : { file: table.path };
}

/** Where a message about the whole table points: the start of its first line. */
export function tableWhere(table: Table): InputErrorWhere {
  const cell = table.columnCell?.(0);
  return cell ? { file: table.path, line: cell.line, column: 1 } : { file: table.path };
}

/**
 * The columns worth learning from, with the notes about them. `order` is the action's order K, which
 * sets how large and small a column's spread may be (magnitudeLimit).
 */
export function screenColumns(table: Table, order: number): ScreenedTable {
  const summaries = summarizeColumns(table.data, table.rows, table.d);
  const omitted: OmittedColumn[] = [];
  const kept: number[] = [];
  for (let j = 0; j < table.d; j++) {
    const reason = omitReason(summaries[j]);
    if (reason === null) kept.push(j);
    else omitted.push({ name: table.columns[j], sourceColumn: table.sourceColumns[j], value: summaries[j].constant ? summaries[j].min : summaries[j].mean, reason });
  }
  if (kept.length === 0) {
    const what = table.d === 1 ? `the one selected column, ${JSON.stringify(table.columns[0])}, is` : `all ${table.d} selected columns are`;
    throw new InputError(`${what} constant (${omitted[0].reason}), so there is nothing to learn`, columnWhere(table, 0));
  }
  for (const j of kept) checkMagnitude(table, j, summaries[j], order);
  const used = keepColumns(table, kept);
  const usedSummaries = kept.map((j) => summaries[j]);
  const discrete = describeDiscrete(used, usedSummaries);
  const warnings: string[] = [];
  if (omitted.length > 0) warnings.push(omittedWarning(omitted, kept));
  warnings.push(...indexColumnWarnings(used, usedSummaries));
  warnings.push(...outlierWarnings(used, usedSummaries));
  const duplicates = duplicateRowsWarning(used, discrete);
  if (duplicates) warnings.push(duplicates);
  return { table: used, kept, omitted, summaries: usedSummaries, discrete, warnings };
}

function omitReason(s: ColumnSummary): string | null {
  if (s.constant) return `constant: every row has the value ${s.min}`;
  if (s.std <= NEAR_CONSTANT * s.maxAbs) {
    return `constant to float64's precision: its values (about ${s.mean.toPrecision(6)}) differ by ${(s.std / s.maxAbs).toExponential(1)} of their size, in the last digits a float64 keeps`;
  }
  return null;
}

function omittedWarning(omitted: readonly OmittedColumn[], kept: readonly number[]): string {
  const shown = omitted.slice(0, 8).map((o) => `${JSON.stringify(o.name)} (${o.reason})`);
  const more = omitted.length > shown.length ? `, and ${omitted.length - shown.length} more` : '';
  const one = omitted.length === 1;
  return (
    `Left out ${one ? 'a constant column' : `${omitted.length} constant columns`}: ${shown.join('; ')}${more}. ` +
    `A constant column has no fluctuations to learn from; the action is that of the other ${kept.length} (report: input.omittedColumns).`
  );
}

/**
 * The range of spreads whose raw-unit report stays within float64: the order-k coefficients scale as
 * 1/spread^k and are squared in norms, the cumulants of order 4 as spread^4 and their errors as
 * spread^8. Both stay within 1e+-300 for spreads within 10^(+-300 / (2 max(K, 4))), 1e+-37 at K = 4.
 */
export function magnitudeLimit(order: number): number {
  return Math.floor(300 / (2 * Math.max(order, 4)));
}

function checkMagnitude(table: Table, j: number, s: ColumnSummary, order: number): void {
  const limit = magnitudeLimit(order);
  const exponent = Math.log10(s.std);
  if (Math.abs(exponent) <= limit) return;
  const factor = `1e${Math.round(exponent)}`;
  throw new InputError(
    `column ${JSON.stringify(table.columns[j])} has a standard deviation of ${s.std.toExponential(2)}, outside what the report can hold in the file's units ` +
      `(1e-${limit} to 1e${limit} at order ${order}): the order-k coefficients scale as 1/spread^k and the cumulants' errors as spread^8, ` +
      `beyond float64's range; ${exponent > 0 ? 'divide' : 'multiply'} the column by ${exponent > 0 ? factor : `1e${-Math.round(exponent)}`} (a change of units) and run again`,
    columnWhere(table, j),
  );
}

/** The table restricted to the selection's columns `kept` (the same object when that is all of them). */
export function keepColumns(table: Table, kept: readonly number[]): Table {
  if (kept.length === table.d) return table;
  const d = kept.length;
  const data = new Float64Array(table.rows * d);
  for (let r = 0; r < table.rows; r++) for (let c = 0; c < d; c++) data[r * d + c] = table.data[r * table.d + kept[c]];
  const cell = table.columnCell;
  return {
    ...table,
    columns: kept.map((j) => table.columns[j]),
    sourceColumns: kept.map((j) => table.sourceColumns[j]),
    d,
    data,
    ...(cell ? { columnCell: (c: number) => cell(kept[c]) } : {}),
  };
}
