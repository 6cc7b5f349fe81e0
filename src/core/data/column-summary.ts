/**
 * What each column's values are like, from one pass over the rows: range, a spread that cannot
 * overflow, whether every value is the same, how many distinct values (levels) there are up to a
 * limit, whether the column rises in equal steps (a row number or a clock), and the decimal
 * resolution the file wrote it with. The degenerate-data checks (src/core/pipeline/data-checks.ts)
 * decide from these. Pure.
 */

/** Columns with at most this many distinct values are candidates for "discrete". */
export const LEVEL_LIMIT = 256;
/** Values sampled for the decimal resolution and the robust spread. */
const SAMPLE = 2048;

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

/** Summaries of the d columns of `rows` x d row-major values. */
export function summarizeColumns(data: Float64Array, rows: number, d: number): ColumnSummary[] {
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  const integer = new Array<boolean>(d).fill(true);
  const sets: Array<Set<number> | null> = Array.from({ length: d }, () => new Set<number>());
  const step = new Float64Array(d);
  const stepped = new Array<boolean>(d).fill(rows >= 3);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) {
      const v = data[o + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
      if (integer[j] && !Number.isInteger(v)) integer[j] = false;
      const set = sets[j];
      if (set !== null) {
        set.add(v);
        if (set.size > LEVEL_LIMIT) sets[j] = null;
      }
      if (stepped[j] && r > 0) {
        const diff = v - data[o - d + j];
        if (r === 1) step[j] = diff;
        else if (!(Math.abs(diff - step[j]) <= 1e-9 * Math.abs(step[j]))) stepped[j] = false;
      }
    }
  }
  const summaries: ColumnSummary[] = [];
  for (let j = 0; j < d; j++) {
    const maxAbs = Math.max(Math.abs(min[j]), Math.abs(max[j]));
    const { mean, std } = scaledMoments(data, rows, d, j, maxAbs);
    const set = sets[j];
    const sample = sampleColumn(data, rows, d, j);
    const median = medianOf(sample);
    summaries.push({
      min: min[j],
      max: max[j],
      maxAbs,
      mean,
      std,
      constant: min[j] === max[j],
      levels: set === null ? null : Float64Array.from(set).sort(),
      integer: integer[j],
      step: stepped[j] && step[j] !== 0 ? step[j] : null,
      resolution: decimalResolution(sample),
      median,
      mad: medianOf(sample.map((v) => Math.abs(v - median))),
    });
  }
  return summaries;
}

/** Mean and standard deviation of column j, computed on the values divided by maxAbs (no overflow at 1e300, no underflow at 1e-300). */
function scaledMoments(data: Float64Array, rows: number, d: number, j: number, maxAbs: number): { mean: number; std: number } {
  const s = maxAbs > 0 && Number.isFinite(maxAbs) ? maxAbs : 1;
  let m = 0;
  for (let r = 0; r < rows; r++) m += data[r * d + j] / s;
  m /= rows;
  let v = 0;
  for (let r = 0; r < rows; r++) {
    const e = data[r * d + j] / s - m;
    v += e * e;
  }
  return { mean: m * s, std: Math.sqrt(v / rows) * s };
}

/** Up to SAMPLE values of column j, evenly spaced over the rows. */
function sampleColumn(data: Float64Array, rows: number, d: number, j: number): number[] {
  const n = Math.min(rows, SAMPLE);
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = data[Math.floor((k * rows) / n) * d + j];
  return out;
}

function medianOf(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[h] : sorted[h - 1] / 2 + sorted[h] / 2;
}

/**
 * The finest decimal step among the values as JavaScript writes them shortest (which is how a file
 * written with k decimals reads back): 0.125 -> 0.001, 1.5e-7 -> 1e-8, 12300 -> 100, 0 -> none.
 * The result is the smallest such step, 1 when no value says otherwise (all zero).
 */
export function decimalResolution(values: readonly number[]): number {
  let exponent = Infinity;
  for (const v of values) {
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
