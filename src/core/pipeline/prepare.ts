import { chooseExpansionPoint, type ExpansionChoice, type ExpansionRequest } from '../action/expansion';
import type { Table } from '../data/csv';
import type { OmittedColumn } from '../report/schema';
import { gaussianNll } from '../train/gaussian';
import { InputError } from '../util/errors';
import { canonicalOrder, reorderColumns } from './columns';
import { columnWhere, keepColumns, screenColumns, type ScreenedTable } from './data-checks';
import { discreteWarning, type DiscreteColumn } from './data-warnings';
import { checkDependence, checkRowsForColumns } from './dependence-check';
import { addDequantizationNoise, dequantizationRng } from './dequantize';
import { SETTING_LIMITS } from './limits';
import { checkReportSize } from './report-size';
import { DEFAULT_DATA_SEED, type LearnSettings } from './settings';
import { columnMoments, splitRows } from './split';

export { MAX_REPORT_COEFFICIENTS } from './report-size';

/**
 * What every estimator starts from: the columns worth learning (constant ones left out, degenerate
 * data refused: data-checks.ts), in canonical order (sorted by name, so that permuting the CSV
 * permutes the coefficients and changes nothing else), the seeded split into training and held-out
 * rows (dequantized where asked), the training rows' moments, the Gaussian baseline and the
 * expansion point.
 */
export interface PreparedRun {
  /** The columns used (the input table itself when none was left out). */
  table: Table;
  /** Column c of `table` is column kept[c] of the input table. */
  kept: number[];
  d: number;
  /** The order K of the action. */
  order: number;
  /** Orders up to this are stored in the report; the ones above (up to K) are computed on demand (report-size.ts). */
  storedOrders: number;
  /** Canonical column c is the used table's column canonical[c]. */
  canonical: Int32Array;
  /** Every row, canonical column order (as read: without dequantization noise). */
  data: Float64Array;
  train: Float64Array;
  nTrain: number;
  val: Float64Array;
  nVal: number;
  mean: number[];
  std: number[];
  /** Held-out NLL of a full-covariance Gaussian fitted to the training rows, for scale. */
  gaussianValNll: number;
  expansion: ExpansionChoice;
  /** The expansion point, canonical order (expansion.point). */
  x0: Float64Array;
  omitted: OmittedColumn[];
  discrete: DiscreteColumn[];
  /** The discrete columns dequantized (empty unless settings.dequantize). */
  dequantized: DiscreteColumn[];
  /** What the checks of the data found, for the report's warnings (first among them). */
  dataWarnings: string[];
}

type PrepareSettings = Pick<LearnSettings, 'order' | 'valFraction' | 'dataSeed' | 'expansion' | 'dequantize'>;

export function prepareRun(table: Table, settings: PrepareSettings): PreparedRun {
  const K = settings.order;
  const orderLimit = SETTING_LIMITS.order;
  if (!Number.isInteger(K) || K < orderLimit.min || K > orderLimit.max) throw new InputError(`--order must be an integer from ${orderLimit.min} to ${orderLimit.max}, got ${K}`);
  let screened = screenColumns(table, K);
  let split = splitCanonical(screened.table, settings);
  // A column constant on the training rows (its other values all held out) is left out too.
  const at = inverseOrder(split.canonical);
  const flat = screened.table.columns.map((_, j) => j).filter((j) => !(split.std[at[j]] > 0));
  if (flat.length > 0) {
    screened = leaveOut(screened, flat, flat.map((j) => split.train[at[j]]));
    split = splitCanonical(screened.table, settings);
  }
  const { kept } = screened;
  const used = screened.table;
  const d = used.d;
  const storedOrders = checkReportSize(used, K);
  checkRowsForColumns(used, split.nTrain, split.nVal, settings.valFraction);
  const discreteSet = new Set(screened.discrete.map((c) => c.column));
  const warnings = [...screened.warnings];
  warnings.push(...checkDependence({ table: used, summaries: screened.summaries, discrete: discreteSet, ...split }));

  const dequantized = settings.dequantize ? screened.discrete : [];
  if (screened.discrete.length > 0) warnings.push(discreteWarning(screened.discrete, dequantized.length > 0));
  else if (settings.dequantize) warnings.push('--dequantize: no column is discrete (at most 256 distinct values with many ties), so nothing was dequantized.');
  let { mean, std } = split;
  if (dequantized.length > 0) {
    const canonicalOf = inverseOrder(split.canonical);
    const widths = new Map(dequantized.map((c) => [canonicalOf[c.column], c.width]));
    const rng = dequantizationRng(settings.dataSeed ?? DEFAULT_DATA_SEED);
    addDequantizationNoise(split.train, split.nTrain, d, widths, rng);
    addDequantizationNoise(split.val, split.nVal, d, widths, rng);
    ({ mean, std } = columnMoments(split.train, split.nTrain, d));
  }
  const gaussianValNll = gaussianNll(split.train, split.nTrain, split.val, split.nVal, d);
  // A given point comes in the input's column order (one entry per selected column); the model works in canonical order.
  const request = givenPoint(settings.expansion ?? 'auto', table, kept);
  const given = typeof request === 'string' ? request : Array.from(split.canonical, (c) => request[c]);
  const expansion = chooseExpansionPoint(mean, std, given, Array.from(split.canonical, (c) => used.columns[c]));
  return {
    table: used,
    kept,
    d,
    order: K,
    storedOrders,
    canonical: split.canonical,
    data: split.data,
    train: split.train,
    nTrain: split.nTrain,
    val: split.val,
    nVal: split.nVal,
    mean,
    std,
    gaussianValNll,
    expansion,
    x0: expansion.point,
    omitted: screened.omitted,
    discrete: screened.discrete,
    dequantized,
    dataWarnings: warnings,
  };
}

function splitCanonical(table: Table, settings: PrepareSettings) {
  const d = table.d;
  const canonical = canonicalOrder(table.columns);
  const data = reorderColumns(table.data, table.rows, canonical);
  const { train, nTrain, val, nVal } = splitRows(data, table.rows, d, settings.valFraction, settings.dataSeed ?? DEFAULT_DATA_SEED);
  const { mean, std } = columnMoments(train, nTrain, d);
  return { d, canonical, data, train, nTrain, val, nVal, mean, std };
}

/** The screened table without the used columns `flat` (constant on the training rows), which join the omitted ones. */
function leaveOut(screened: ScreenedTable, flat: readonly number[], values: readonly number[]): ScreenedTable {
  const { table } = screened;
  const keep = table.columns.map((_, j) => j).filter((j) => !flat.includes(j));
  if (keep.length === 0) {
    throw new InputError(
      'every column that varies at all varies only on held-out rows: the training rows hold a single value in each; more rows are needed',
      columnWhere(table, flat[0]),
    );
  }
  const omitted = flat.map((j, k) => ({
    name: table.columns[j],
    sourceColumn: table.sourceColumns[j],
    value: values[k],
    reason: 'constant on the training rows: its other values fell to the held-out rows only',
  }));
  const renumber = new Map(keep.map((j, c) => [j, c]));
  const discrete = screened.discrete.filter((c) => renumber.has(c.column)).map((c) => ({ ...c, column: renumber.get(c.column) as number }));
  const names = omitted.map((o) => `${JSON.stringify(o.name)} (${o.reason})`).join('; ');
  return {
    table: keepColumns(table, keep),
    kept: keep.map((j) => screened.kept[j]),
    omitted: [...screened.omitted, ...omitted],
    summaries: keep.map((j) => screened.summaries[j]),
    discrete,
    warnings: [...screened.warnings, `Left out: ${names}.`],
  };
}

/** at[j] = c where order[c] = j. */
function inverseOrder(order: Int32Array): Int32Array {
  const at = new Int32Array(order.length);
  order.forEach((j, c) => (at[j] = c));
  return at;
}

/** A point given per selected column, restricted to the columns kept. */
function givenPoint(request: ExpansionRequest, table: Table, kept: readonly number[]): ExpansionRequest {
  if (typeof request === 'string') return request;
  if (request.length !== table.d) throw new InputError(`the expansion point has ${request.length} entries; the data have ${table.d} columns`);
  return kept.map((j) => request[j]);
}
