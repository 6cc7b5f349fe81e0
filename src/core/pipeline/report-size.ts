import type { Table } from '../data/csv';
import type { TableLimits } from '../data/csv-budget';
import { binomial } from '../poly/basis';
import { InputError } from '../util/errors';
import { columnWhere } from './data-checks';

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

/** Coefficients of a dense action of order K in d variables (orders 0..K). */
export function coefficientCount(d: number, K: number): number {
  return binomial(d + K, K);
}

/**
 * The orders stored in the report: all of them where they fit (MAX_REPORT_COEFFICIENTS), else up to
 * the highest that fits MAX_STORED_COEFFICIENTS_ON_DEMAND; at least the pair couplings. null: not
 * even those fit, and the run cannot be made.
 */
export function storedOrdersFor(d: number, K: number): number | null {
  if (coefficientCount(d, K) <= MAX_REPORT_COEFFICIENTS) return K;
  let stored = K - 1;
  while (stored > 0 && coefficientCount(d, stored) > MAX_STORED_COEFFICIENTS_ON_DEMAND) stored--;
  return stored < 2 ? null : stored;
}

/** The widest table an order-K run can take (its higher orders on demand where they do not fit). */
export function maxColumnsForOrder(K: number): number {
  let lo = 1;
  let hi = 2;
  while (storedOrdersFor(hi, K) !== null && hi < 1 << 24) hi *= 2;
  // lo fits, hi does not (or hi is huge).
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (storedOrdersFor(mid, K) !== null) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The reader's refusal of a table too wide for an order-K run, before its rows are read (csv-budget.ts). */
export function widthLimit(K: number): TableLimits['maxColumns'] {
  const count = maxColumnsForOrder(K);
  return {
    count,
    why:
      `on more columns even the pair couplings of an order-${K} action exceed what a report can hold ` +
      `(${MAX_STORED_COEFFICIENTS_ON_DEMAND.toLocaleString('en-US')} coefficients stored, the orders above 2 computed on demand)`,
  };
}

/** The orders the report of this table stores; refuses, before any training, a table too wide for any report. */
export function checkReportSize(table: Table, K: number): number {
  const d = table.d;
  const stored = storedOrdersFor(d, K);
  if (stored !== null) return stored;
  throw new InputError(
    `on ${d} columns even the pair couplings (${coefficientCount(d, 2).toLocaleString('en-US')} coefficients of orders 0-2) exceed what a report holds ` +
      `(${MAX_STORED_COEFFICIENTS_ON_DEMAND.toLocaleString('en-US')} where the higher orders are computed on demand). Use fewer columns (--columns).`,
    columnWhere(table, maxColumnsForOrder(K)),
  );
}
