import assert from 'node:assert/strict';
import { sortedTuples } from '../../src/core/cumulants';
import type { CumulantSet } from '../../src/core/report/schema';
import type { Rng } from '../../src/core/util/rng';

// A brute-force reference: re-reads the rows of every jackknife replicate, centres them on that
// replicate's own mean, and forms each entry from its definition.

export function bruteCumulants(rows: number[][], d: number, maxOrder: number): number[][] {
  const n = rows.length;
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let i = 0; i < d; i++) mean[i] += r[i] / n;
  const dev = rows.map((r) => r.map((v, i) => v - mean[i]));
  const moment = (idx: number[]): number => {
    let s = 0;
    for (const r of dev) {
      let p = 1;
      for (const i of idx) p *= r[i];
      s += p;
    }
    return s / n;
  };
  const out: number[][] = [];
  for (let k = 1; k <= maxOrder; k++) {
    out.push(
      sortedTuples(d, k).map((t) => {
        if (k === 1) return mean[t[0]];
        if (k === 2 || k === 3) return moment(t);
        const [i, j, a, b] = t;
        const c = (p: number, q: number): number => moment([p, q]);
        return moment(t) - c(i, j) * c(a, b) - c(i, a) * c(j, b) - c(i, b) * c(j, a);
      }),
    );
  }
  return out;
}

export function bruteJackknife(x: Float64Array, n: number, d: number, maxOrder: number, blocks: number): { value: number[][]; se: number[][] } {
  const rows: number[][] = [];
  for (let r = 0; r < n; r++) rows.push(Array.from(x.subarray(r * d, r * d + d)));
  const value = bruteCumulants(rows, d, maxOrder);
  const reps: number[][][] = [];
  for (let b = 0; b < blocks; b++) {
    const s = Math.floor((b * n) / blocks);
    const e = Math.floor(((b + 1) * n) / blocks);
    reps.push(bruteCumulants(rows.filter((_, r) => r < s || r >= e), d, maxOrder));
  }
  const se = value.map((order, k) =>
    order.map((_, t) => {
      const th = reps.map((rep) => rep[k][t]);
      const m = th.reduce((p, q) => p + q, 0) / blocks;
      const ss = th.reduce((p, q) => p + (q - m) * (q - m), 0);
      return Math.sqrt(((blocks - 1) / blocks) * ss);
    }),
  );
  return { value, se };
}

export function assertMatchesBrute(set: CumulantSet, x: Float64Array, n: number, d: number, maxOrder: number, blocks: number): void {
  const ref = bruteJackknife(x, n, d, maxOrder, blocks);
  // Relative to the larger of the entry and its natural scale prod_i sd_i: an entry that is a small
  // difference of large terms (kappa4 = m4 - 3 k2 k2 near 0) cannot be more accurate than that scale.
  const sd = Array.from({ length: d }, (_, i) => {
    const col = Array.from({ length: n }, (_, r) => x[r * d + i]);
    const m = col.reduce((p, q) => p + q, 0) / n;
    return Math.sqrt(col.reduce((p, q) => p + (q - m) * (q - m), 0) / n);
  });
  assert.equal(set.orders.length, maxOrder);
  for (let k = 0; k < maxOrder; k++) {
    for (let t = 0; t < ref.value[k].length; t++) {
      const e = set.orders[k][t];
      const v = ref.value[k][t];
      const s = ref.se[k][t];
      const scale = e.index.reduce((p, i) => p * sd[i], 1);
      assert.ok(Math.abs(e.value - v) <= 1e-12 * Math.max(Math.abs(v), scale), `order ${k + 1} [${e.index}] value ${e.value} vs ${v}`);
      assert.ok(Math.abs(e.stdErr - s) <= 1e-12 * Math.max(Math.abs(s), scale), `order ${k + 1} [${e.index}] stdErr ${e.stdErr} vs ${s}`);
    }
  }
}

/** Skewed, correlated, off-centre test data (every cumulant non-zero). */
export function skewedData(rng: Rng, n: number, d: number): Float64Array {
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const common = -Math.log(1 - rng.uniform());
    for (let i = 0; i < d; i++) x[r * d + i] = 10 * (i + 1) + 0.7 * common + (i + 1) * rng.normal() - Math.log(1 - rng.uniform());
  }
  return x;
}
