import { compareCumulants, cumulants, DEFAULT_BLOCKS, defaultMaxOrder } from '../cumulants';
import { summaryComparison } from '../cumulants/summary';
import type { CumulantComparison, ReportCumulants } from '../report/schema';
import { restoreColumns } from './columns';

/** Rows drawn from a fitted model (canonical column order), with how they were drawn. */
export interface DrawnRows {
  rows: Float64Array;
  n: number;
  source: string;
  /** How they were drawn, one sentence for the notes. */
  note: string;
  /** Further notes about the comparison. */
  extraNotes?: string[];
  /** Jackknife blocks (default 20; chain by chain for MCMC output). */
  blocks?: number;
}

/** Cumulants of the held-out rows against rows drawn from the fitted model, both in the report's column order. */
export function compareWithSamples(val: Float64Array, nVal: number, canonical: Int32Array, drawn: DrawnRows | null): ReportCumulants {
  return compareWithSamplesForFit(val, nVal, canonical, drawn).cumulants;
}

/**
 * The same, and the comparison the fit assessment judges: the report's own, or for a wide table
 * (summary form, cumulants/summary.ts) every compared entry, of which the report keeps the summary.
 */
export function compareWithSamplesForFit(val: Float64Array, nVal: number, canonical: Int32Array, drawn: DrawnRows | null): { cumulants: ReportCumulants; assessed?: CumulantComparison } {
  const d = canonical.length;
  const wide = d > ORDER3_MAX_COLUMNS;
  // A wide table: order 1 entry by entry, orders 2-4 in summary form.
  const maxOrder = wide ? 1 : defaultMaxOrder(d);
  const notes: string[] = [];
  const blocks = Math.min(20, Math.max(2, Math.floor(nVal / 5)));
  const valRows = restoreColumns(val, nVal, canonical);
  const dataSet = cumulants(valRows, nVal, d, { maxOrder, blocks, source: 'data (held-out rows)' });
  if (!drawn) {
    notes.push(`Data: the ${nVal} held-out rows (jackknife over ${blocks} blocks). The model could not be sampled: nothing to compare with.`);
    return { cumulants: { sets: [dataSet], comparisons: [], notes } };
  }
  const samples = restoreColumns(drawn.rows, drawn.n, canonical);
  const modelSet = cumulants(samples, drawn.n, d, { maxOrder, source: drawn.source, ...(drawn.blocks !== undefined ? { blocks: drawn.blocks } : {}) });
  notes.push(`Data: the ${nVal} held-out rows (jackknife over ${blocks} blocks). ${drawn.note}`);
  notes.push(...(drawn.extraNotes ?? []));
  const comparison = compareCumulants(dataSet, modelSet);
  if (!wide) {
    if (maxOrder < 4) notes.push(`Orders above ${maxOrder} are skipped for d = ${d} (their tables would be too large).`);
    return { cumulants: { sets: [dataSet, modelSet], comparisons: [comparison], notes }, assessed: comparison };
  }
  const { summaries, entries } = summaryComparison(valRows, nVal, samples, drawn.n, d, [2, 3, 4], SUMMARY_SEED, { data: blocks, model: drawn.blocks ?? DEFAULT_BLOCKS });
  notes.push(
    `Orders 2-4 on ${d} columns are compared in summary form (${summaries.map((s) => `order ${s.order}: ${s.compared.toLocaleString('en-US')} of ${s.tuples.toLocaleString('en-US')} index tuples`).join('; ')}): ` +
      'every diagonal tuple and a seeded random sample, with the distribution of |z| and the worst entries; the full tables would be too large.',
  );
  const assessed: CumulantComparison = {
    ...comparison,
    orders: [
      ...comparison.orders,
      ...entries.map((list, i) => {
        const z = list.map((e) => Math.abs(e.z));
        return { order: summaries[i].order, maxAbsZ: Math.max(0, ...z), rmsZ: Math.sqrt(z.reduce((s, v) => s + v * v, 0) / Math.max(1, z.length)), entries: list };
      }),
    ],
  };
  return { cumulants: { sets: [dataSet, modelSet], comparisons: [comparison], notes, summaries }, assessed };
}

/** The seed of the summary's tuple sample (fixed: the same tuples for every run on the same columns). */
const SUMMARY_SEED = 14;

/** Widest table whose cumulants are compared entry by entry (order 3 has 45,760 entries at d = 64); wider ones in summary form. */
export const ORDER3_MAX_COLUMNS = 64;

/** Median over the rows of the Euclidean distance from x0 in standardized units, |(x - x0) / std|. */
export function medianDistance(data: Float64Array, n: number, d: number, x0: ArrayLike<number>, std: ArrayLike<number>): number {
  const norms = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += ((data[r * d + i] - x0[i]) / std[i]) ** 2;
    norms[r] = Math.sqrt(s);
  }
  norms.sort();
  return norms[Math.floor(n / 2)];
}
