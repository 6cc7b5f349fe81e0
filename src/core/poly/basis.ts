import type { MonomialSet } from './monomial-set';

/**
 * The monomials of degree 0..K in d variables, in graded lexicographic order: degree 0 ([]), then all
 * sorted index tuples of degree 1, 2, ... K, each degree in lexicographic order. This is the storage
 * order of every truncated polynomial (jet) and of the report's action: symmetric storage, one entry
 * per monomial, C(d+K, K) entries in all (never a dense d^k tensor).
 */
export class MonomialBasis implements MonomialSet {
  readonly d: number;
  readonly order: number;
  /** start[k] = index of the first monomial of degree k; start[K+1] = size. */
  readonly start: Int32Array;
  readonly size: number;
  /** Flattened tuples: monomial m has degree deg[m] and indices tuples[offset[m] .. offset[m]+deg[m]). */
  readonly deg: Uint8Array;
  private readonly offset: Int32Array;
  private readonly tuples: Int32Array;
  /** countAtLeast[m][s] = number of sorted m-tuples with all entries >= s (for ranking). */
  private readonly countAtLeast: Float64Array[];
  private productTable: Int32Array[] | null = null;

  constructor(d: number, order: number) {
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`dimension must be a positive integer, got ${d}`);
    if (!Number.isInteger(order) || order < 0) throw new RangeError(`order must be a non-negative integer, got ${order}`);
    this.d = d;
    this.order = order;
    this.countAtLeast = [];
    for (let m = 0; m <= order; m++) {
      const row = new Float64Array(d + 1);
      for (let s = 0; s <= d; s++) row[s] = binomial(d - s + m - 1, m);
      if (m === 0) row.fill(1);
      this.countAtLeast.push(row);
    }
    this.start = new Int32Array(order + 2);
    let total = 0;
    for (let k = 0; k <= order; k++) {
      this.start[k] = total;
      total += binomial(d + k - 1, k);
    }
    this.start[order + 1] = total;
    this.size = total;
    this.deg = new Uint8Array(total);
    this.offset = new Int32Array(total);
    let flat = 0;
    for (let k = 0; k <= order; k++) flat += k * (this.start[k + 1] - this.start[k]);
    this.tuples = new Int32Array(flat);
    let pos = 0;
    let m = 0;
    for (let k = 0; k <= order; k++) {
      const t = new Int32Array(k);
      const emit = (): void => {
        this.deg[m] = k;
        this.offset[m] = pos;
        this.tuples.set(t, pos);
        pos += k;
        m++;
      };
      if (k === 0) {
        emit();
        continue;
      }
      // Enumerate sorted tuples in lexicographic order.
      t.fill(0);
      while (true) {
        emit();
        let i = k - 1;
        while (i >= 0 && t[i] === d - 1) i--;
        if (i < 0) break;
        t[i]++;
        for (let j = i + 1; j < k; j++) t[j] = t[i];
      }
    }
  }

  /** Number of monomials of exactly degree k. */
  countOfDegree(k: number): number {
    return this.start[k + 1] - this.start[k];
  }

  monomial(m: number): number[] {
    const o = this.offset[m];
    return Array.from(this.tuples.subarray(o, o + this.deg[m]));
  }

  /** Index of a sorted tuple, or -1 when it is not a monomial of this basis (too high a degree, not sorted, out of range). */
  find(tuple: ArrayLike<number>): number {
    if (tuple.length > this.order) return -1;
    for (let t = 0; t < tuple.length; t++) if (!(tuple[t] >= (t > 0 ? tuple[t - 1] : 0) && tuple[t] < this.d && Number.isInteger(tuple[t]))) return -1;
    return this.index(tuple);
  }

  /** The index of x_i (right after the constant), or -1 at order 0. */
  variable(i: number): number {
    return this.order >= 1 && i >= 0 && i < this.d ? this.start[1] + i : -1;
  }

  /** Index of a sorted tuple (sorted ascending, entries in [0, d)). */
  index(tuple: ArrayLike<number>): number {
    const k = tuple.length;
    if (k > this.order) throw new RangeError(`monomial of degree ${k} exceeds the basis order ${this.order}`);
    let rank = 0;
    let prev = 0;
    for (let t = 0; t < k; t++) {
      const v = tuple[t];
      if (v < prev || v >= this.d) throw new RangeError(`not a sorted tuple of indices below ${this.d}: [${Array.from(tuple).join(',')}]`);
      // Tuples that agree so far and have a smaller entry at position t: (k-t)-tuples whose first entry
      // lies in [prev, v), i.e. those with all entries >= prev minus those with all entries >= v.
      const rest = this.countAtLeast[k - t];
      rank += rest[prev] - rest[v];
      prev = v;
    }
    return this.start[k] + rank;
  }

  /** Index of the product of monomials a and b (degree must stay <= order). */
  productIndex(a: number, b: number): number {
    const ka = this.deg[a];
    const kb = this.deg[b];
    const merged = new Int32Array(ka + kb);
    let i = this.offset[a];
    let j = this.offset[b];
    const ie = i + ka;
    const je = j + kb;
    let p = 0;
    while (i < ie && j < je) merged[p++] = this.tuples[i] <= this.tuples[j] ? this.tuples[i++] : this.tuples[j++];
    while (i < ie) merged[p++] = this.tuples[i++];
    while (j < je) merged[p++] = this.tuples[j++];
    return this.index(merged);
  }

  /**
   * products()[a][b] = index of monomial a times monomial b, for every b of degree <= K - deg(a)
   * (those b form the prefix [0, start[K - deg a + 1]) of the basis). Built once, on first use.
   */
  products(): Int32Array[] {
    if (this.productTable) return this.productTable;
    const table: Int32Array[] = new Array<Int32Array>(this.size);
    for (let a = 0; a < this.size; a++) {
      const limit = this.start[this.order - this.deg[a] + 1];
      const row = new Int32Array(limit);
      for (let b = 0; b < limit; b++) row[b] = this.productIndex(a, b);
      table[a] = row;
    }
    this.productTable = table;
    return table;
  }

  /** Number of distinct orderings of monomial m: relates monomial form to symmetric tensors (docs/METHOD.md section 1). */
  orderings(m: number): number {
    const k = this.deg[m];
    let result = factorial(k);
    let run = 1;
    const o = this.offset[m];
    for (let t = 1; t <= k; t++) {
      if (t < k && this.tuples[o + t] === this.tuples[o + t - 1]) run++;
      else {
        result /= factorial(run);
        run = 1;
      }
    }
    return result;
  }
}

export function binomial(n: number, k: number): number {
  if (k < 0 || n < k) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

function factorial(n: number): number {
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}
