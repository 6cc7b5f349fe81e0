/**
 * What each column's values are like, from one pass over the rows: range, a spread that cannot
 * overflow, whether every value is the same, how many distinct values (levels) there are up to a
 * limit, whether the column rises in equal steps (a row number or a clock), and the decimal
 * resolution the file wrote it with. The degenerate-data checks (src/core/pipeline/data-checks.ts)
 * decide from these. Pure.
 */

/** Columns with at most this many distinct values are candidates for "discrete". */
export const LEVEL_LIMIT = 256;
/** Values sampled for the robust spread (median and median absolute deviation). */
const SAMPLE = 2048;
/**
 * Values of a column of many levels whose last digits give its decimal resolution: a file written
 * with k decimals has some of 512 values end in a non-zero k-th decimal except with chance 10^-512.
 */
const RESOLUTION_SAMPLE = 512;

export interface ColumnSummary {
  min: number;
  max: number;
  /** max |x|. */
  maxAbs: number;
  mean: number;
  /** Standard deviation (1/n), computed on x / maxAbs so that it neither overflows nor underflows. */
  std: number;
  /** Every value equal (bitwise as numbers: -0 and 0 are equal). */
  constant: boolean;
  /** The sorted distinct values when there are at most LEVEL_LIMIT of them, else null. */
  levels: Float64Array | null;
  /** Every value an integer. */
  integer: boolean;
  /** The rows rise (or fall) in one non-zero step, row after row; null when they do not. */
  step: number | null;
  /** The largest power of ten every sampled value is a whole multiple of (0.001 for values written with three decimals). */
  resolution: number;
  /** Median and median absolute deviation of a sample of the rows (robust centre and spread). */
  median: number;
  mad: number;
}

/**
 * Summaries of the d columns of `rows` x d row-major values, column by column (each copied out once).
 * At d = 784, n = 10,000 this is the cheap part of the checks: the distinct values are kept in a small
 * sorted array found by bisection, which a column of many values leaves after LEVEL_LIMIT + 1 of them.
 */
export function summarizeColumns(data: Float64Array, rows: number, d: number): ColumnSummary[] {
  const column = new Float64Array(rows);
  const summaries: ColumnSummary[] = [];
  for (let j = 0; j < d; j++) {
    for (let r = 0; r < rows; r++) column[r] = data[r * d + j];
    summaries.push(summarizeColumn(column, rows));
  }
  return summaries;
}

/** One column's summary from its values in row order. */
function summarizeColumn(x: Float64Array, rows: number): ColumnSummary {
  let min = Infinity;
  let max = -Infinity;
  let integer = true;
  for (let r = 0; r < rows; r++) {
    const v = x[r];
    if (v < min) min = v;
    if (v > max) max = v;
    if (integer && !Number.isInteger(v)) integer = false;
  }
  const maxAbs = Math.max(Math.abs(min), Math.abs(max));
  const levels = integer && max - min < 1 << 16 ? distinctIntegers(x, rows, min, max, LEVEL_LIMIT) : distinctValues(x, rows, LEVEL_LIMIT);
  const { mean, std } = scaledMoments(x, rows, maxAbs);
  const sample = sampleColumn(x, rows);
  const median = medianOf(sample);
  return {
    min,
    max,
    maxAbs,
    mean,
    std,
    constant: min === max,
    levels,
    integer,
    step: equalStep(x, rows),
    resolution: decimalResolution(levels ?? sample.subarray(0, Math.min(sample.length, RESOLUTION_SAMPLE))),
    median,
    mad: medianOf(sample.map((v) => Math.abs(v - median))),
  };
}

/** distinctValues for integers within a range of at most 2^16: marks in a table instead of bisection. */
export function distinctIntegers(x: Float64Array, rows: number, min: number, max: number, limit: number): Float64Array | null {
  const seen = new Uint8Array(max - min + 1);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const k = x[r] - min;
    if (seen[k] === 1) continue;
    if (count === limit) return null;
    seen[k] = 1;
    count++;
  }
  const out = new Float64Array(count);
  for (let k = 0, c = 0; c < count; k++) if (seen[k] === 1) out[c++] = min + k;
  return out;
}

/** The sorted distinct values of x when there are at most `limit` of them, else null (-0 and 0 count once). */
export function distinctValues(x: Float64Array, rows: number, limit: number): Float64Array | null {
  const found = new Float64Array(limit);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const v = x[r];
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (found[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo < count && found[lo] === v) continue;
    if (count === limit) return null;
    found.copyWithin(lo + 1, lo, count);
    found[lo] = v;
    count++;
  }
  return found.slice(0, count);
}

/** The one non-zero step by which the rows rise or fall, row after row (at least 3 rows), else null. */
function equalStep(x: Float64Array, rows: number): number | null {
  if (rows < 3) return null;
  const step = x[1] - x[0];
  if (step === 0) return null;
  for (let r = 2; r < rows; r++) if (!(Math.abs(x[r] - x[r - 1] - step) <= 1e-9 * Math.abs(step))) return null;
  return step;
}

/** Mean and standard deviation of a column, computed on the values divided by maxAbs (no overflow at 1e300, no underflow at 1e-300). */
function scaledMoments(x: Float64Array, rows: number, maxAbs: number): { mean: number; std: number } {
  const s = maxAbs > 0 && Number.isFinite(maxAbs) ? maxAbs : 1;
  let m = 0;
  for (let r = 0; r < rows; r++) m += x[r] / s;
  m /= rows;
  let v = 0;
  for (let r = 0; r < rows; r++) {
    const e = x[r] / s - m;
    v += e * e;
  }
  return { mean: m * s, std: Math.sqrt(v / rows) * s };
}

/** Up to SAMPLE values of the column, evenly spaced over the rows. */
function sampleColumn(x: Float64Array, rows: number): Float64Array {
  const n = Math.min(rows, SAMPLE);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = x[Math.floor((k * rows) / n)];
  return out;
}

function medianOf(values: Float64Array): number {
  if (values.length === 0) return Number.NaN;
  const sorted = values.slice().sort();
  const h = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[h] : sorted[h - 1] / 2 + sorted[h] / 2;
}

/**
 * The finest decimal step among the values as JavaScript writes them shortest (which is how a file
 * written with k decimals reads back): 0.125 -> 0.001, 1.5e-7 -> 1e-8, 12300 -> 100, 0 -> none.
 * The result is the smallest such step, 1 when no value says otherwise (all zero).
 */
export function decimalResolution(values: ArrayLike<number>): number {
  let exponent = Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === 0 || !Number.isFinite(v)) continue;
    exponent = Math.min(exponent, lastDigitExponent(v));
  }
  return Number.isFinite(exponent) ? 10 ** exponent : 1;
}

/** The power of ten of the last significant digit of v's shortest decimal form. */
export function lastDigitExponent(v: number): number {
  const text = Math.abs(v).toExponential(); // shortest round-trip digits: "1.25e-1"
  const [mantissa, exp] = text.split('e');
  const decimals = mantissa.includes('.') ? mantissa.length - mantissa.indexOf('.') - 1 : 0;
  return Number(exp) - decimals;
}
