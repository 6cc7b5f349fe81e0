/**
 * Cumulant sets with exact values (truth), in the same shape as estimated ones, for
 * compareWithExact. stdErr is 0 and samples is 0 (meaning: not estimated from samples).
 */

import type { CumulantSet } from '../report/schema';
import { sortedTuples } from './tuples';

/** kappa_k for k = 1..maxOrder over d columns, value(index) for every sorted index tuple. */
export function exactCumulantSet(
  source: string,
  d: number,
  maxOrder: number,
  value: (index: number[]) => number,
): CumulantSet {
  const orders = [];
  for (let k = 1; k <= maxOrder; k++) {
    orders.push(sortedTuples(d, k).map((index) => ({ index, value: value(index), stdErr: 0 })));
  }
  return { source, samples: 0, orders };
}

/** A Gaussian: kappa1 = mean, kappa2 = cov (row-major d x d), higher cumulants 0. */
export function gaussianCumulantSet(source: string, mean: ArrayLike<number>, cov: ArrayLike<number>, maxOrder: number): CumulantSet {
  const d = mean.length;
  if (cov.length !== d * d) throw new RangeError(`gaussianCumulantSet: cov has ${cov.length} values, expected ${d * d}`);
  return exactCumulantSet(source, d, maxOrder, (index) => {
    if (index.length === 1) return mean[index[0]];
    if (index.length === 2) return cov[index[0] * d + index[1]];
    return 0;
  });
}
