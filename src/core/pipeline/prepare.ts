import { chooseExpansionPoint, type ExpansionChoice } from '../action/expansion';
import type { Table } from '../data/csv';
import { binomial } from '../poly/basis';
import { gaussianNll } from '../train/gaussian';
import { InputError } from '../util/errors';
import { canonicalOrder, reorderColumns } from './columns';
import { SETTING_LIMITS } from './limits';
import type { LearnSettings } from './settings';
import { columnMoments, splitRows } from './split';

/**
 * What every estimator starts from: the columns in canonical order (sorted by name, so that permuting
 * the CSV permutes the coefficients and changes nothing else), the seeded split into training and
 * held-out rows, the training rows' moments, the Gaussian baseline and the expansion point.
 */
export interface PreparedRun {
  table: Table;
  d: number;
  /** The order K of the action. */
  order: number;
  /** Canonical column c is the selection's column canonical[c]. */
  canonical: Int32Array;
  /** Every row, canonical column order. */
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
}

/**
 * The most coefficients a report can hold: it lists every coefficient twice (raw and standardized
 * units), about 250 bytes of JSON per coefficient in all, and V8 cannot build (or read back) a string
 * beyond 2^29 characters. Measured: d = 64, K = 4 (814,385 coefficients) writes a 207 MB report;
 * d = 100, K = 4 (4.6 M) failed after training and extraction.
 */
export const MAX_REPORT_COEFFICIENTS = 1_500_000;

/** Refuses, before any training, an order and column count whose report could not be written. */
function checkReportSize(d: number, K: number, file: string | undefined): void {
  let count = 0;
  for (let k = 0; k <= K; k++) count += binomial(d + k - 1, k);
  if (count <= MAX_REPORT_COEFFICIENTS) return;
  throw new InputError(
    `order ${K} on ${d} columns has ${count.toLocaleString('en-US')} coefficients; a report holds at most ${MAX_REPORT_COEFFICIENTS.toLocaleString('en-US')} ` +
      `(its JSON would exceed what JavaScript can write or read back). Use a lower --order or fewer columns (--columns).`,
    { file },
  );
}

export function prepareRun(table: Table, settings: Pick<LearnSettings, 'order' | 'valFraction' | 'seed' | 'expansion'>): PreparedRun {
  const d = table.d;
  const K = settings.order;
  const orderLimit = SETTING_LIMITS.order;
  if (!Number.isInteger(K) || K < orderLimit.min || K > orderLimit.max) throw new InputError(`--order must be an integer from ${orderLimit.min} to ${orderLimit.max}, got ${K}`);
  checkReportSize(d, K, table.path);
  const canonical = canonicalOrder(table.columns);
  const data = reorderColumns(table.data, table.rows, canonical);
  const { train, nTrain, val, nVal } = splitRows(data, table.rows, d, settings.valFraction, settings.seed);
  const { mean, std } = columnMoments(train, nTrain, d);
  const zeroStd = std.findIndex((s) => !(s > 0));
  if (zeroStd >= 0) throw new InputError(`column "${table.columns[canonical[zeroStd]]}" is constant on the training rows; drop it with --columns`, { file: table.path });
  const gaussianValNll = gaussianNll(train, nTrain, val, nVal, d);
  // A given point comes in the selection's column order; the model works in canonical order.
  const request = settings.expansion ?? 'auto';
  const given = typeof request === 'string' ? request : Array.from(canonical, (c) => request[c]);
  const expansion = chooseExpansionPoint(mean, std, given, Array.from(canonical, (c) => table.columns[c]));
  return { table, d, order: K, canonical, data, train, nTrain, val, nVal, mean, std, gaussianValNll, expansion, x0: expansion.point };
}
