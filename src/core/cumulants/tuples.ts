/**
 * Sorted index tuples (i1 <= i2 <= ... <= ik over columns 0..d-1), the index set of a symmetric
 * order-k tensor such as kappa_k. They are always listed in lexicographic order; there are
 * C(d+k-1, k) of them.
 */

/** The binomial coefficient C(n, k) (exact for the sizes used here: results below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || n < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let r = 1;
  // r stays an integer after every step: r * (n - kk + i) / i = C(n - kk + i, i).
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return Math.round(r);
}

/** Number of sorted k-tuples over d columns: C(d + k - 1, k). */
export function tupleCount(d: number, k: number): number {
  return binomial(d + k - 1, k);
}

/** All sorted k-tuples over d columns, in lexicographic order. */
export function sortedTuples(d: number, k: number): number[][] {
  const out: number[][] = [];
  if (k === 0) return [[]];
  if (d <= 0) return out;
  const t = new Array<number>(k).fill(0);
  while (true) {
    out.push(t.slice());
    // Advance: bump the last position that can still grow, reset the ones after it to its value.
    let p = k - 1;
    while (p >= 0 && t[p] === d - 1) p--;
    if (p < 0) return out;
    t[p]++;
    for (let q = p + 1; q < k; q++) t[q] = t[p];
  }
}

/** Position of a sorted tuple in the lexicographic list sortedTuples(d, index.length). */
export function tupleRank(index: readonly number[], d: number): number {
  const k = index.length;
  let rank = 0;
  let prev = 0;
  for (let p = 0; p < k; p++) {
    const v = index[p];
    if (!Number.isInteger(v) || v < prev || v >= d) {
      throw new RangeError(`tupleRank: [${index.join(', ')}] is not a sorted tuple over ${d} columns`);
    }
    // Tuples that agree before position p and hold w (prev <= w < v) there: their remaining
    // k-p-1 entries are any sorted tuple over the d-w columns w..d-1.
    for (let w = prev; w < v; w++) rank += tupleCount(d - w, k - p - 1);
    prev = v;
  }
  return rank;
}
