import type { ActionTerm } from '../../report/schema';
import { binomial } from '../../poly/basis';

/** The strongest terms of one order and what they are guaranteed to be. */
export interface TopTerms {
  /** Largest |coefficient| first. */
  terms: ActionTerm[];
  /** In words: exact, or which monomials were searched and which were not. */
  guarantee: string;
}

/** The slicer's view the search needs (slices with no index held included). */
export interface SliceSource {
  readonly dim: number;
  freeSlice(fixed: readonly number[], order: number): Float64Array;
}

/** At most this many held index tuples are listed for the search (the rest of the columns are then left out, and said so). */
const MAX_TUPLES = 1_000_000;

/**
 * The k largest |c_m| of one order. Orders 1 and 2 come from one gradient or Hessian. Order K >= 3 is
 * searched by slices with K - 2 indices held (each slice is every monomial containing them, a d x d
 * Hessian): every tuple gives the exact top k; under a time budget the tuples are taken strongest
 * first (by the summed order-2 couplings of their columns) and the guarantee says how many were
 * searched, and that monomials outside them were not.
 */
export function searchTopTerms(source: SliceSource, order: number, k: number, seconds: number): TopTerms {
  const d = source.dim;
  const heap = new TopHeap(k);
  if (order === 1) {
    const g = source.freeSlice([], 1);
    for (let j = 0; j < d; j++) heap.offer([j], g[j]);
    return { terms: heap.sorted(), guarantee: `exact: all ${d} coefficients of order 1 computed from the weights and sorted` };
  }
  const pairs = source.freeSlice([], 2);
  if (order === 2) {
    for (let j = 0; j < d; j++) for (let l = j; l < d; l++) heap.offer([j, l], pairs[j * d + l]);
    return { terms: heap.sorted(), guarantee: `exact: all ${binomial(d + 1, 2).toLocaleString('en-US')} coefficients of order 2 computed from the weights and sorted` };
  }
  const held = order - 2;
  // Columns ranked by the strength of their pair couplings (the screen's order).
  const strength = Array.from({ length: d }, (_, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += Math.abs(pairs[i * d + j]);
    return s;
  });
  const ranked = Array.from(strength.keys()).sort((a, b) => strength[b] - strength[a] || a - b);
  let nCols = d;
  while (nCols > 1 && binomial(nCols + held - 1, held) > MAX_TUPLES) nCols--;
  const tuples = multisets(nCols, held)
    .map((t) => t.map((r) => ranked[r]).sort((a, b) => a - b))
    .map((t) => ({ t, score: t.reduce((s, i) => s + strength[i], 0) }))
    .sort((a, b) => b.score - a.score);
  const start = Date.now();
  let searched = 0;
  for (const { t } of tuples) {
    if (searched > 0 && (Date.now() - start) / 1000 >= seconds) break;
    const h = source.freeSlice(t, order);
    for (let j = 0; j < d; j++) for (let l = j; l < d; l++) heap.offer([...t, j, l], h[j * d + l]);
    searched++;
  }
  const total = binomial(d + order - 1, order);
  const allTuples = binomial(d + held - 1, held);
  const heldName = (count: number): string => {
    const one = held === 1 ? 'column' : held === 2 ? 'pair of columns' : `${held}-tuple of columns`;
    return count === 1 ? one : one.replace(/^(\w+)/, '$1s');
  };
  if (searched === allTuples) {
    return { terms: heap.sorted(), guarantee: `exact: all ${total.toLocaleString('en-US')} coefficients of order ${order} computed from the weights (one slice per held ${heldName(1)}) and sorted` };
  }
  return {
    terms: heap.sorted(),
    guarantee:
      `exact among the monomials of order ${order} that contain one of the ${searched.toLocaleString('en-US')} held ${heldName(searched)} searched ` +
      `(of ${allTuples.toLocaleString('en-US')}; strongest pair couplings first${seconds < Infinity ? `, within ${seconds} s` : ''}); ` +
      `the other monomials of the ${total.toLocaleString('en-US')} were not searched, and a larger coefficient may lie among them`,
  };
}

/** Every non-decreasing tuple of `size` indices below n. */
function multisets(n: number, size: number): number[][] {
  const out: number[][] = [];
  const cur: number[] = [];
  const rec = (from: number): void => {
    if (cur.length === size) {
      out.push([...cur]);
      return;
    }
    for (let i = from; i < n; i++) {
      cur.push(i);
      rec(i);
      cur.pop();
    }
  };
  rec(0);
  return out;
}

/** The k largest |value| seen, each monomial once (a min-heap on |value| with a key per member). */
class TopHeap {
  private readonly items: { monomial: number[]; value: number; key: string }[] = [];
  private readonly keys = new Set<string>();
  constructor(private readonly k: number) {}

  offer(monomial: number[], value: number): void {
    const a = Math.abs(value);
    if (this.items.length === this.k && a <= Math.abs(this.items[0].value)) return;
    const sorted = monomial.slice().sort((x, y) => x - y);
    const key = sorted.join(',');
    if (this.keys.has(key)) return;
    const item = { monomial: sorted, value, key };
    if (this.items.length < this.k) {
      this.items.push(item);
      this.up(this.items.length - 1);
    } else {
      this.keys.delete(this.items[0].key);
      this.items[0] = item;
      this.down(0);
    }
    this.keys.add(key);
  }

  sorted(): ActionTerm[] {
    return [...this.items].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).map((it) => ({ monomial: it.monomial, coefficient: it.value }));
  }

  private less(i: number, j: number): boolean {
    return Math.abs(this.items[i].value) < Math.abs(this.items[j].value);
  }

  private swap(i: number, j: number): void {
    const t = this.items[i];
    this.items[i] = this.items[j];
    this.items[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
