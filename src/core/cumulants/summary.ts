/**
 * Cumulant comparisons of wide tables in summary form (docs/METHOD.md section 6.4): at d = 784 there
 * are 8.0e7 entries of order 3 and 1.6e10 of order 4, so the data and the model are compared on a
 * seeded sample of index tuples plus every diagonal tuple (i, i, ..., i), each with the block
 * jackknife's standard errors, and the report keeps the distribution of |z| and the worst entries.
 */
import type { CumulantComparisonEntry, CumulantSummary } from '../report/schema';
import { Rng } from '../util/rng';
import { zScore } from './compare';
import { tupleCount } from './tuples';

/** Random tuples per order (besides the d diagonal ones). */
export const SUMMARY_RANDOM_TUPLES = 1000;
/** Worst entries kept per order. */
export const SUMMARY_WORST = 50;
const Z_EDGES = [0, 1, 2, 3, 4, 5, Infinity];
const QUANTILES = [0.5, 0.9, 0.99, 1];

/** kappa of each tuple with its jackknife standard error, for rows (n x d) in `blocks` contiguous blocks. */
export function tupleCumulants(x: Float64Array, n: number, d: number, tuples: readonly number[][], blocks: number): { value: Float64Array; stdErr: Float64Array } {
  const value = new Float64Array(tuples.length);
  const stdErr = new Float64Array(tuples.length);
  const B = Math.max(2, Math.min(blocks, n));
  const blockOf = (r: number): number => Math.min(B - 1, Math.floor((r * B) / n));
  tuples.forEach((t, q) => {
    const k = t.length;
    const nSub = 1 << k;
    // sums[b * nSub + S]: per block, the sum over rows of prod_{p in S} x[t_p].
    const sums = new Float64Array(B * nSub);
    const counts = new Float64Array(B);
    const prod = new Float64Array(nSub);
    for (let r = 0; r < n; r++) {
      const b = blockOf(r);
      counts[b]++;
      prod[0] = 1;
      for (let p = 0; p < k; p++) {
        const v = x[r * d + t[p]];
        const bit = 1 << p;
        for (let S = 0; S < bit; S++) prod[S | bit] = prod[S] * v;
      }
      const o = b * nSub;
      for (let S = 0; S < nSub; S++) sums[o + S] += prod[S];
    }
    const total = new Float64Array(nSub);
    for (let b = 0; b < B; b++) for (let S = 0; S < nSub; S++) total[S] += sums[b * nSub + S];
    const all = cumulantFromSums(total, n, k);
    const loo = new Float64Array(B);
    const part = new Float64Array(nSub);
    for (let b = 0; b < B; b++) {
      for (let S = 0; S < nSub; S++) part[S] = total[S] - sums[b * nSub + S];
      loo[b] = cumulantFromSums(part, n - counts[b], k);
    }
    let mean = 0;
    for (const v of loo) mean += v / B;
    let ss = 0;
    for (const v of loo) ss += (v - mean) ** 2;
    value[q] = all;
    stdErr[q] = Math.sqrt(((B - 1) / B) * ss);
  });
  return { value, stdErr };
}

/** The order-k joint cumulant (k <= 4) from the sums of every sub-product over m rows. */
function cumulantFromSums(sums: Float64Array, m: number, k: number): number {
  const raw = (S: number): number => sums[S] / m;
  const mean = Array.from({ length: k }, (_, p) => raw(1 << p));
  // Central moment of the positions in T: sum over S subset of T of (-1)^|T \ S| E[prod_S x] prod_(T \ S) mean.
  const central = (T: number): number => {
    let s = 0;
    for (let S = T; ; S = (S - 1) & T) {
      let term = raw(S);
      for (let p = 0; p < k; p++) if (T & (1 << p) && !(S & (1 << p))) term *= -mean[p];
      s += term;
      if (S === 0) break;
    }
    return s;
  };
  if (k === 1) return mean[0];
  if (k <= 3) return central((1 << k) - 1);
  return central(15) - central(3) * central(12) - central(5) * central(10) - central(9) * central(6);
}

/** The tuples compared for one order: every one if they are few, else the diagonal and a seeded sample. */
export function summaryTuples(d: number, k: number, seed: number): { tuples: number[][]; how: string } {
  const total = tupleCount(d, k);
  const seen = new Set<string>();
  const tuples: number[][] = [];
  const add = (t: number[]): void => {
    const key = t.join(',');
    if (!seen.has(key)) {
      seen.add(key);
      tuples.push(t);
    }
  };
  for (let i = 0; i < d; i++) add(new Array<number>(k).fill(i));
  const rng = new Rng(seed + 101 * k);
  const target = Math.min(total, d + SUMMARY_RANDOM_TUPLES);
  while (tuples.length < target) add(Array.from({ length: k }, () => rng.int(d)).sort((a, b) => a - b));
  const how =
    tuples.length === total
      ? `all ${total.toLocaleString('en-US')} index tuples`
      : `${tuples.length.toLocaleString('en-US')} of the ${total.toLocaleString('en-US')} index tuples: every diagonal one (i, ..., i) and a seeded random sample ` +
        `(${k} columns drawn uniformly, sorted); the others were not compared`;
  return { tuples, how };
}

/** One order's summary, and its compared entries (for the fit assessment). */
export function summarizeOrder(k: number, total: number, how: string, entries: CumulantComparisonEntry[]): CumulantSummary {
  const absZ = entries.map((e) => Math.abs(e.z)).sort((a, b) => a - b);
  const counts = new Array<number>(Z_EDGES.length - 1).fill(0);
  for (const z of absZ) {
    const bin = Z_EDGES.findIndex((edge, i) => i + 1 < Z_EDGES.length && z >= edge && z < Z_EDGES[i + 1]);
    if (bin >= 0) counts[bin]++;
  }
  const quantile = (q: number): number => (absZ.length === 0 ? 0 : absZ[Math.min(absZ.length - 1, Math.floor(q * (absZ.length - 1)))]);
  const worst = [...entries].sort((a, b) => Math.abs(b.z) - Math.abs(a.z)).slice(0, SUMMARY_WORST);
  return {
    order: k,
    tuples: total,
    compared: entries.length,
    how,
    absZQuantiles: QUANTILES.map((q) => ({ q, z: quantile(q) })),
    histogram: { edges: Z_EDGES.slice(0, -1), counts },
    worst,
  };
}

/** Compares data and model rows (report column order) on the summary tuples of the given orders (1..4). */
export function summaryComparison(
  data: Float64Array,
  nData: number,
  model: Float64Array,
  nModel: number,
  d: number,
  orders: readonly number[],
  seed: number,
  blocks: { data: number; model: number },
): { summaries: CumulantSummary[]; entries: CumulantComparisonEntry[][] } {
  const summaries: CumulantSummary[] = [];
  const entries: CumulantComparisonEntry[][] = [];
  for (const k of orders) {
    const { tuples, how } = summaryTuples(d, k, seed);
    const a = tupleCumulants(data, nData, d, tuples, blocks.data);
    const b = tupleCumulants(model, nModel, d, tuples, blocks.model);
    const list = tuples.map((index, q) => ({ index, a: a.value[q], b: b.value[q], z: zScore(a.value[q], a.stdErr[q], b.value[q], b.stdErr[q]) }));
    entries.push(list);
    summaries.push(summarizeOrder(k, tupleCount(d, k), how, list));
  }
  return { summaries, entries };
}
