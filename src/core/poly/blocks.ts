import { binomial, type MonomialBasis } from './basis';

/**
 * Index tables for products of homogeneous blocks: table[a * N_q + b] = position within the
 * degree-(p+q) block of monomial a (degree p) times monomial b (degree q). Built with the same
 * ranking as MonomialBasis.index but in one tight loop without allocation, because at d = 64 a
 * table has millions of entries. Cached per basis.
 */
const cache = new WeakMap<MonomialBasis, Map<string, Int32Array>>();

export function blockProductTable(basis: MonomialBasis, p: number, q: number): Int32Array {
  let byBasis = cache.get(basis);
  if (!byBasis) {
    byBasis = new Map();
    cache.set(basis, byBasis);
  }
  const key = `${p},${q}`;
  const hit = byBasis.get(key);
  if (hit) return hit;
  const d = basis.d;
  const k = p + q;
  // count[m * (d + 1) + s]: sorted m-tuples with entries >= s (m = 0: one, the empty tuple); flat for speed.
  const w = d + 1;
  const count = new Float64Array((k + 1) * w);
  for (let m = 0; m <= k; m++) for (let s = 0; s <= d; s++) count[m * w + s] = m === 0 ? 1 : binomial(d - s + m - 1, m);
  const tp = flatTuples(basis, p);
  const tq = flatTuples(basis, q);
  const np = tp.length / Math.max(1, p);
  const nq = tq.length / Math.max(1, q);
  const table = new Int32Array(np * nq);
  const merged = new Int32Array(k);
  for (let a = 0; a < np; a++) {
    for (let b = 0; b < nq; b++) {
      let i = a * p;
      let j = b * q;
      const ie = i + p;
      const je = j + q;
      let m = 0;
      while (i < ie && j < je) merged[m++] = tp[i] <= tq[j] ? tp[i++] : tq[j++];
      while (i < ie) merged[m++] = tp[i++];
      while (j < je) merged[m++] = tq[j++];
      let rank = 0;
      let prev = 0;
      for (let t = 0; t < k; t++) {
        const v = merged[t];
        const row = (k - t) * w;
        rank += count[row + prev] - count[row + v];
        prev = v;
      }
      table[a * nq + b] = rank;
    }
  }
  byBasis.set(key, table);
  return table;
}

/** The index tuples of the degree-p block, flattened (p entries per monomial). */
export function flatTuples(basis: MonomialBasis, p: number): Int32Array {
  const n = basis.countOfDegree(p);
  const out = new Int32Array(n * p);
  for (let m = 0; m < n; m++) out.set(basis.monomial(basis.start[p] + m), m * p);
  return out;
}

/**
 * a * b truncated at the basis order, for jets without constant terms, block by block of degree
 * (no zero tests, no work on blocks that cannot contribute). With square = true (b = a), each
 * unordered pair of blocks is multiplied once and doubled. Returns a new jet.
 */
export function gradedProduct(basis: MonomialBasis, a: Float64Array, b: Float64Array, square = false): Float64Array {
  const K = basis.order;
  const out = new Float64Array(basis.size);
  for (let p = 1; p < K; p++) {
    for (let q = square ? p : 1; p + q <= K; q++) {
      const table = blockProductTable(basis, p, q);
      const np = basis.countOfDegree(p);
      const nq = basis.countOfDegree(q);
      const ap = basis.start[p];
      const bq = basis.start[q];
      const base = basis.start[p + q];
      const factor = square && q > p ? 2 : 1;
      for (let i = 0; i < np; i++) {
        const av = factor * a[ap + i];
        if (av === 0) continue;
        const t = i * nq;
        for (let j = 0; j < nq; j++) out[base + table[t + j]] += av * b[bq + j];
      }
    }
  }
  return out;
}

/**
 * (v . x)^k as a jet (only its degree-k block is non-zero): the coefficient of x_i1 ... x_ik is the
 * number of orderings of the monomial times v_i1 ... v_ik. Far cheaper than k - 1 jet products; it is
 * the whole top-degree part of t^k when t's linear part is v.
 */
export function linearFormPower(basis: MonomialBasis, v: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(basis.size);
  const { tuples, orderings } = degreeBlock(basis, k);
  const start = basis.start[k];
  for (let m = 0; m < orderings.length; m++) {
    let c = orderings[m];
    for (let t = 0; t < k; t++) c *= v[tuples[m * k + t]];
    out[start + m] = c;
  }
  return out;
}

const blockCache = new WeakMap<MonomialBasis, Map<number, { tuples: Int32Array; orderings: Float64Array }>>();

/** The degree-k block's flat tuples and ordering counts, cached per basis (used once per unit and layer). */
function degreeBlock(basis: MonomialBasis, k: number): { tuples: Int32Array; orderings: Float64Array } {
  let byDegree = blockCache.get(basis);
  if (!byDegree) {
    byDegree = new Map();
    blockCache.set(basis, byDegree);
  }
  let hit = byDegree.get(k);
  if (!hit) {
    const start = basis.start[k];
    hit = { tuples: flatTuples(basis, k), orderings: Float64Array.from({ length: basis.countOfDegree(k) }, (_, m) => basis.orderings(start + m)) };
    byDegree.set(k, hit);
  }
  return hit;
}
