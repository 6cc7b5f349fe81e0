/**
 * A set of monomials that jets (truncated polynomials, poly/jet.ts) are stored over: one coefficient
 * per monomial, in graded order (degree, then lexicographic). Two kinds:
 *
 * - the dense set of every monomial of degree 0..K in d variables (MonomialBasis, poly/basis.ts),
 *   C(d+K, K) of them;
 * - a set given by a support and closed under division (ClosedMonomialSet): with every monomial it
 *   holds all its divisors. Sums, products and affine maps of jets restricted to such a set are exact
 *   on it: the coefficient of m in a product needs only the pairs of divisors of m, which the set
 *   holds. So a flow's action can be extracted exactly on a sparse theory's terms alone, or on one
 *   slice, without the C(d+K, K) dense coefficients (docs/METHOD.md section 4).
 */
export interface MonomialSet {
  readonly d: number;
  /** The highest degree in the set. */
  readonly order: number;
  readonly size: number;
  /** start[k] = index of the first monomial of degree k (graded order); start[order + 1] = size. */
  readonly start: Int32Array;
  /** deg[m]: the degree of monomial m. */
  readonly deg: Uint8Array;
  /** Monomial m as a sorted tuple of variable indices. */
  monomial(m: number): number[];
  /** The index of a sorted tuple, or -1 when the set does not hold it. */
  find(tuple: ArrayLike<number>): number;
  /** The index of a sorted tuple the set holds (throws otherwise). */
  index(tuple: ArrayLike<number>): number;
  /** The index of the monomial x_i, or -1 when the set does not hold it. */
  variable(i: number): number;
  /**
   * products()[a][b], for every b of degree <= order - deg(a) (the prefix [0, start[order - deg(a) + 1])):
   * the index of monomial a times monomial b, or -1 when the set does not hold the product.
   */
  products(): Int32Array[];
  /** Number of distinct orderings of monomial m: relates monomial form to symmetric tensors (docs/METHOD.md section 1). */
  orderings(m: number): number;
  countOfDegree(k: number): number;
}

/** The number of distinct orderings of a sorted tuple: k! / prod (multiplicity!). */
export function tupleOrderings(tuple: readonly number[]): number {
  let result = 1;
  for (let t = 2; t <= tuple.length; t++) result *= t;
  let run = 1;
  for (let t = 1; t <= tuple.length; t++) {
    if (t < tuple.length && tuple[t] === tuple[t - 1]) run++;
    else {
      for (let f = 2; f <= run; f++) result /= f;
      run = 1;
    }
  }
  return result;
}

function compareTuples(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Every sub-multiset of a sorted tuple (its divisors), sorted tuples each. */
function divisors(tuple: readonly number[]): number[][] {
  const groups: { v: number; r: number }[] = [];
  for (const v of tuple) {
    const last = groups[groups.length - 1];
    if (last && last.v === v) last.r++;
    else groups.push({ v, r: 1 });
  }
  const out: number[][] = [];
  const take = new Array<number>(groups.length).fill(0);
  for (;;) {
    const m: number[] = [];
    groups.forEach((g, k) => {
      for (let r = 0; r < take[k]; r++) m.push(g.v);
    });
    out.push(m);
    let k = 0;
    while (k < groups.length && take[k] === groups[k].r) take[k++] = 0;
    if (k === groups.length) break;
    take[k]++;
  }
  return out;
}

/** The monomials of a support and all their divisors (the constant included), graded order. */
export class ClosedMonomialSet implements MonomialSet {
  readonly d: number;
  readonly order: number;
  readonly size: number;
  readonly start: Int32Array;
  readonly deg: Uint8Array;
  private readonly tuples: number[][];
  private readonly lookup = new Map<string, number>();
  private productTable: Int32Array[] | null = null;

  constructor(d: number, support: readonly (readonly number[])[]) {
    const all = new Map<string, number[]>([['', []]]);
    for (const m of support) {
      for (let t = 0; t < m.length; t++) {
        if (!Number.isInteger(m[t]) || m[t] < 0 || m[t] >= d || (t > 0 && m[t] < m[t - 1])) throw new RangeError(`not a sorted monomial of ${d} variables: [${m.join(',')}]`);
      }
      for (const q of divisors(m)) all.set(q.join(','), q);
    }
    this.d = d;
    this.tuples = [...all.values()].sort(compareTuples);
    this.size = this.tuples.length;
    this.order = this.tuples[this.size - 1].length;
    this.deg = Uint8Array.from(this.tuples, (t) => t.length);
    this.start = new Int32Array(this.order + 2);
    let k = 0;
    for (let m = 0; m < this.size; m++) while (k <= this.deg[m]) this.start[k++] = m;
    while (k <= this.order + 1) this.start[k++] = this.size;
    this.tuples.forEach((t, m) => this.lookup.set(t.join(','), m));
  }

  monomial(m: number): number[] {
    return [...this.tuples[m]];
  }

  find(tuple: ArrayLike<number>): number {
    return this.lookup.get(Array.from(tuple).join(',')) ?? -1;
  }

  index(tuple: ArrayLike<number>): number {
    const m = this.find(tuple);
    if (m < 0) throw new RangeError(`the monomial [${Array.from(tuple).join(',')}] is not in this set`);
    return m;
  }

  variable(i: number): number {
    return this.find([i]);
  }

  products(): Int32Array[] {
    if (this.productTable) return this.productTable;
    this.productTable = this.tuples.map((a) => {
      const limit = this.start[this.order - a.length + 1];
      const row = new Int32Array(limit);
      for (let b = 0; b < limit; b++) row[b] = this.find([...a, ...this.tuples[b]].sort((x, y) => x - y));
      return row;
    });
    return this.productTable;
  }

  orderings(m: number): number {
    return tupleOrderings(this.tuples[m]);
  }

  countOfDegree(k: number): number {
    return k > this.order ? 0 : this.start[k + 1] - this.start[k];
  }
}
