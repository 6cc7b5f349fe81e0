import type { ColumnSummary } from '../data/column-summary';
import type { Table } from '../data/csv';
import { columnsArgument } from '../data/csv-columns';
import { correlationMatrix, findDependence, type ColumnFit } from '../data/dependence';
import { InputError } from '../util/errors';
import { columnWhere, tableWhere } from './data-checks';

/**
 * Rows enough for the columns, and columns that are not linear combinations of each other, judged on
 * the training rows (README.md, "Bad input"; docs/METHOD.md section 3.1). A column the others
 * determine puts the rows on a hyperplane, where a density is infinite: the held-out NLL runs to
 * minus infinity and the coefficients mean nothing, so the run stops and says which combination.
 */

/** A residual spread below this share of a column's own is a linear combination, whatever the rounding. */
export const EXACT_DEPENDENCE = 1e-6;
/** Below this share the column is said to be nearly a combination (a warning). */
export const NEAR_DEPENDENCE = 1e-3;
/** Residual up to this many times the spread that rounding to the file's digits alone gives counts as exact. */
const ROUNDING_FACTOR = 1.5;
/** Dependences listed in one message. */
const LISTED = 4;

/** Refuses a split with no more training rows than columns (their covariance would be singular). */
export function checkRowsForColumns(table: Table, nTrain: number, nVal: number, valFraction: number): void {
  const d = table.d;
  if (nTrain > d) return;
  let needed = d + 2;
  while (needed - Math.max(2, Math.round(needed * valFraction)) <= d) needed++;
  throw new InputError(
    `too few rows for ${d} columns: ${nTrain} training rows (${nVal} more are held out) span at most ${nTrain - 1} directions around their mean, ` +
      `so the columns' covariance is singular and no density can be fitted; at least ${needed} rows are needed, or fewer columns (--columns)`,
    tableWhere(table),
  );
}

export interface DependenceInput {
  /** The columns used, selection order. */
  table: Table;
  summaries: readonly ColumnSummary[];
  /** Columns (selection order) whose values are exact levels, not rounded measurements. */
  discrete: ReadonlySet<number>;
  /** Training rows, canonical order, with their mean and standard deviation (canonical order). */
  train: Float64Array;
  nTrain: number;
  mean: readonly number[];
  std: readonly number[];
  canonical: Int32Array;
}

/** Throws at the first column that is a combination of earlier ones; returns warnings about near combinations. */
export function checkDependence(input: DependenceInput): string[] {
  const { table, summaries, discrete, canonical } = input;
  const d = table.d;
  if (d < 2) return [];
  const corrCanonical = correlationMatrix(input.train, input.nTrain, d, input.mean, input.std);
  // Into the selection's order, so that the later of two copies (as the file lists them) is the one named.
  const at = new Int32Array(d);
  canonical.forEach((sel, c) => (at[sel] = c));
  const corr = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const [p, q] = at[a] >= at[b] ? [at[a], at[b]] : [at[b], at[a]];
      corr[a * d + b] = corrCanonical[p * d + q];
      corr[b * d + a] = corr[a * d + b];
    }
  }
  const std = (j: number): number => input.std[at[j]];
  const mean = (j: number): number => input.mean[at[j]];
  const rounding = (j: number): number => (discrete.has(j) ? 0 : summaries[j].resolution);
  const exact = (fit: ColumnFit): boolean => {
    if (fit.residual <= EXACT_DEPENDENCE) return true;
    // Raw units: x_j - sum_i b_i x_i, each term rounded to its column's last digit (variance q^2 / 12).
    let variance = rounding(fit.column) ** 2;
    fit.on.forEach((i, k) => (variance += (fit.beta[k] * (std(fit.column) / std(i)) * rounding(i)) ** 2));
    return fit.residual * std(fit.column) <= ROUNDING_FACTOR * Math.sqrt(variance / 12);
  };
  const { basis, fits } = findDependence(corr, d, NEAR_DEPENDENCE, exact);
  const name = (j: number): string => table.columns[j];
  const formula = (fit: ColumnFit): string => combination(fit, name, std, mean);
  const dependent = fits.filter((f) => f.dependent);
  if (dependent.length > 0) {
    const first = dependent[0];
    const listed = dependent.slice(0, LISTED).map((f) => describeExact(f, name, formula));
    const more = dependent.length > LISTED ? `; and ${dependent.length - LISTED} more` : '';
    throw new InputError(
      `${listed.join('; ')}${more}. The rows lie on a hyperplane, where a density is infinite: the held-out NLL would run to minus infinity and the coefficients mean nothing. ` +
        `Leave ${dependent.length === 1 ? 'it' : 'them'} out with --columns ${columnsArgument(basis, { names: table.columns, sourceColumns: table.sourceColumns })}`,
      columnWhere(table, first.column),
    );
  }
  const near = fits.filter((f) => !f.dependent);
  if (near.length === 0) return [];
  const listed = near.slice(0, LISTED).map((f) => `${formula(f)} (its residual spread is ${f.residual.toExponential(1)} of its own)`);
  const more = near.length > LISTED ? `; and ${near.length - LISTED} more` : '';
  return [
    `Nearly linear combinations of other columns on the training rows: ${listed.join('; ')}${more}. The rows lie close to a hyperplane: ` +
      'the density is steep across it, and the coefficients along that direction are large and uncertain.',
  ];
}

function describeExact(fit: ColumnFit, name: (j: number) => string, formula: (f: ColumnFit) => string): string {
  const where = fit.residual <= EXACT_DEPENDENCE ? '' : ` up to the rounding of the file's digits (residual spread ${fit.residual.toExponential(1)} of its own)`;
  const copyOf = copySource(fit);
  if (copyOf !== null) return `column ${JSON.stringify(name(fit.column))} is a copy of column ${JSON.stringify(name(copyOf))} on the training rows${where}`;
  return `column ${JSON.stringify(name(fit.column))} is a linear combination of other columns on the training rows: ${formula(fit)}${where}`;
}

/** The one column this one equals (in standardized units, coefficient 1 on a single column), or null. */
function copySource(fit: ColumnFit): number | null {
  const big = fit.on.filter((_, k) => Math.abs(fit.beta[k]) > 1e-6);
  if (big.length !== 1) return null;
  const k = fit.on.indexOf(big[0]);
  return Math.abs(fit.beta[k] - 1) < 1e-6 ? big[0] : null;
}

/** "c = 2 a - 0.5 b + 3" in the file's units, terms by size, the negligible ones left out. */
function combination(fit: ColumnFit, name: (j: number) => string, std: (j: number) => number, mean: (j: number) => number): string {
  const j = fit.column;
  const largest = Math.max(...fit.beta.map(Math.abs));
  const terms = fit.on
    .map((i, k) => ({ i, beta: fit.beta[k], b: (fit.beta[k] * std(j)) / std(i) }))
    .filter((t) => Math.abs(t.beta) > 1e-6 * largest)
    .sort((x, y) => Math.abs(y.beta) - Math.abs(x.beta));
  const intercept = mean(j) - terms.reduce((s, t) => s + t.b * mean(t.i), 0);
  const parts = terms.map((t, k) => `${signed(t.b, k === 0)}${symbol(name(t.i))}`);
  if (Math.abs(intercept) > 1e-6 * std(j)) parts.push(signed(intercept, parts.length === 0, true));
  return `${symbol(name(j))} = ${parts.join(' ') || '0'}`;
}

/** A column's name in a formula: as it is when it reads as one symbol, else quoted. */
function symbol(name: string): string {
  return /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(name) ? name : JSON.stringify(name);
}

function signed(v: number, first: boolean, alone = false): string {
  const mag = Number(Math.abs(v).toPrecision(4));
  const text = alone || mag !== 1 ? `${mag}${alone ? '' : ' '}` : '';
  if (first) return `${v < 0 ? '-' : ''}${text}`;
  return `${v < 0 ? '- ' : '+ '}${text}`;
}
