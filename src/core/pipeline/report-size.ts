import type { Table } from '../data/csv';
import type { TableLimits } from '../data/csv-budget';
import { binomial } from '../poly/basis';
import { InputError } from '../util/errors';
import { columnWhere } from './data-checks';

/**
 * The most coefficients a report can hold: it lists every coefficient twice (raw and standardized
 * units), about 250 bytes of JSON per coefficient in all, and V8 cannot build (or read back) a string
 * beyond 2^29 characters. Measured: d = 64, K = 4 (814,385 coefficients) writes a 207 MB report;
 * d = 100, K = 4 (4.6 M) failed after training and extraction.
 */
export const MAX_REPORT_COEFFICIENTS = 1_500_000;

/** Coefficients of a dense action of order K in d variables (orders 0..K). */
export function coefficientCount(d: number, K: number): number {
  let count = 0;
  for (let k = 0; k <= K; k++) count += binomial(d + k - 1, k);
  return count;
}

/** The widest table whose order-K report can be written. */
export function maxColumnsForOrder(K: number): number {
  let lo = 1;
  let hi = 1;
  while (coefficientCount(hi * 2, K) <= MAX_REPORT_COEFFICIENTS && hi < 1 << 24) hi *= 2;
  hi *= 2;
  // coefficientCount(lo) fits, coefficientCount(hi) does not (or hi is huge).
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (coefficientCount(mid, K) <= MAX_REPORT_COEFFICIENTS) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The reader's refusal of a table too wide for an order-K report, before its rows are read (csv-budget.ts). */
export function widthLimit(K: number): TableLimits['maxColumns'] {
  const count = maxColumnsForOrder(K);
  return { count, why: `an action of order ${K} on more columns has more than the ${MAX_REPORT_COEFFICIENTS.toLocaleString('en-US')} coefficients a report can hold (lower --order to take more)` };
}

/** Refuses, before any training, an order and column count whose report could not be written. */
export function checkReportSize(table: Table, K: number): void {
  const d = table.d;
  const count = coefficientCount(d, K);
  if (count <= MAX_REPORT_COEFFICIENTS) return;
  throw new InputError(
    `order ${K} on ${d} columns has ${count.toLocaleString('en-US')} coefficients; a report holds at most ${MAX_REPORT_COEFFICIENTS.toLocaleString('en-US')} ` +
      `(its JSON would exceed what JavaScript can write or read back). Use a lower --order or fewer columns (--columns).`,
    columnWhere(table, maxColumnsForOrder(K)),
  );
}
