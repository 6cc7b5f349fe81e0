/**
 * Entry-by-entry agreement of two cumulant sets (docs/METHOD.md section 6.3): z = (a - b) / sqrt(seA^2 + seB^2).
 */

import type { CumulantComparison, CumulantComparisonEntry, CumulantSet } from '../report/schema';

/**
 * z-score of a difference. When both standard errors are 0 (e.g. a value against exact truth that
 * came with no error, or constant columns) there is no scale: equal values agree perfectly (z = 0),
 * different values disagree beyond any finite number of standard errors (z = +-Infinity, signed like
 * a - b). NaN in, NaN out. Note that JSON.stringify writes Infinity and NaN as null.
 */
export function zScore(a: number, seA: number, b: number, seB: number): number {
  const diff = a - b;
  const se = Math.sqrt(seA * seA + seB * seB);
  if (se === 0) {
    if (diff === 0) return 0;
    return diff > 0 ? Infinity : diff < 0 ? -Infinity : NaN;
  }
  return diff / se;
}

/** Compare two estimated sets, each with its own standard errors. */
export function compareCumulants(a: CumulantSet, b: CumulantSet): CumulantComparison {
  return compare(a, b, true);
}

/**
 * Compare an estimated set against exact values (truth): b's values are taken as exact, its stdErr
 * is ignored (treated as 0), so z = (a - exact) / seA.
 */
export function compareWithExact(a: CumulantSet, exact: CumulantSet): CumulantComparison {
  return compare(a, exact, false);
}

/**
 * Orders present in both sets are compared (the lower maxOrder wins); within an order the two sets
 * must list the same index tuples in the same order (same number of columns), else this throws.
 */
function compare(a: CumulantSet, b: CumulantSet, useErrB: boolean): CumulantComparison {
  const orders: CumulantComparison['orders'] = [];
  const nOrders = Math.min(a.orders.length, b.orders.length);
  for (let k = 0; k < nOrders; k++) {
    const ea = a.orders[k];
    const eb = b.orders[k];
    if (ea.length !== eb.length) {
      throw new Error(
        `compareCumulants: order ${k + 1} of '${a.source}' has ${ea.length} entries, of '${b.source}' ${eb.length} (different numbers of columns?)`,
      );
    }
    const entries: CumulantComparisonEntry[] = new Array<CumulantComparisonEntry>(ea.length);
    let maxAbsZ = 0;
    let sumZ2 = 0;
    for (let t = 0; t < ea.length; t++) {
      const x = ea[t];
      const y = eb[t];
      if (!sameIndex(x.index, y.index)) {
        throw new Error(
          `compareCumulants: order ${k + 1} entry ${t} is [${x.index.join(', ')}] in '${a.source}' but [${y.index.join(', ')}] in '${b.source}'`,
        );
      }
      const z = zScore(x.value, x.stdErr, y.value, useErrB ? y.stdErr : 0);
      entries[t] = { index: x.index, a: x.value, b: y.value, z };
      // NaN propagates into maxAbsZ and rmsZ on purpose: a summary must not hide a broken entry.
      const az = Math.abs(z);
      maxAbsZ = az > maxAbsZ || Number.isNaN(az) ? az : maxAbsZ;
      sumZ2 += z * z;
    }
    const rmsZ = ea.length > 0 ? Math.sqrt(sumZ2 / ea.length) : 0;
    orders.push({ order: k + 1, maxAbsZ, rmsZ, entries });
  }
  return { a: a.source, b: b.source, orders };
}

function sameIndex(p: readonly number[], q: readonly number[]): boolean {
  if (p.length !== q.length) return false;
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
  return true;
}
