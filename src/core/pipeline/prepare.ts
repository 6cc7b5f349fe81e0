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
  /** Orders up to this are stored in the report; the ones above (up to K) are computed on demand (storedOrdersFor). */
  storedOrders: number;
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
 * The most coefficients a report holds with every order stored: it lists every coefficient twice (raw
 * and standardized units), about 250 bytes of JSON per coefficient in all, and V8 cannot build (or
 * read back) a string beyond 2^29 characters. Measured: d = 64, K = 4 (814,385 coefficients) writes a
 * 207 MB report; d = 100, K = 4 (4.6 M) failed after training and extraction.
 */
export const MAX_REPORT_COEFFICIENTS = 1_500_000;

/**
 * Where not every order fits, the orders stored densely stop at the highest whose coefficients (all
 * orders up to it) number at most this; the orders above are computed on demand (action/on-demand).
 * Lower than the limit above so that the report stays near 100 MB: d = 784 stores orders 0-2 (308,505
 * coefficients), d = 196 orders 0-2 (19,503; orders 0-3 would be 1.3 M, a 300 MB report).
 */
export const MAX_STORED_COEFFICIENTS_ON_DEMAND = 600_000;

/** Coefficients of orders 0..k in d variables. */
export function coefficientsUpTo(d: number, k: number): number {
  return binomial(d + k, k);
}

/**
 * The orders stored in the report: all of them where they fit (MAX_REPORT_COEFFICIENTS), else up to
 * the highest that fits MAX_STORED_COEFFICIENTS_ON_DEMAND; at least the pair couplings, or the run
 * is refused before any training.
 */
export function storedOrdersFor(d: number, K: number, file?: string): number {
  if (coefficientsUpTo(d, K) <= MAX_REPORT_COEFFICIENTS) return K;
  let stored = K - 1;
  while (stored > 0 && coefficientsUpTo(d, stored) > MAX_STORED_COEFFICIENTS_ON_DEMAND) stored--;
  if (stored < 2) {
    throw new InputError(
      `on ${d} columns even the pair couplings (${coefficientsUpTo(d, 2).toLocaleString('en-US')} coefficients of orders 0-2) exceed what a report holds ` +
        `(${MAX_STORED_COEFFICIENTS_ON_DEMAND.toLocaleString('en-US')} where the higher orders are computed on demand). Use fewer columns (--columns).`,
      { file },
    );
  }
  return stored;
}

export function prepareRun(table: Table, settings: Pick<LearnSettings, 'order' | 'valFraction' | 'seed' | 'expansion'>): PreparedRun {
  const d = table.d;
  const K = settings.order;
  const orderLimit = SETTING_LIMITS.order;
  if (!Number.isInteger(K) || K < orderLimit.min || K > orderLimit.max) throw new InputError(`--order must be an integer from ${orderLimit.min} to ${orderLimit.max}, got ${K}`);
  const storedOrders = storedOrdersFor(d, K, table.path);
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
  return { table, d, order: K, storedOrders, canonical, data, train, nTrain, val, nVal, mean, std, gaussianValNll, expansion, x0: expansion.point };
}
