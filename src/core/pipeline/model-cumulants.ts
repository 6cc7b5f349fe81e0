import { compareCumulants, cumulants, defaultMaxOrder } from '../cumulants';
import type { ReportCumulants } from '../report/schema';
import { restoreColumns } from './columns';
import { binomial } from '../poly/basis';

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
  const d = canonical.length;
  const maxOrder = cumulantOrderFor(d);
  const notes: string[] = [];
  const blocks = Math.min(20, Math.max(2, Math.floor(nVal / 5)));
  const dataSet = cumulants(restoreColumns(val, nVal, canonical), nVal, d, { maxOrder, blocks, source: 'data (held-out rows)' });
  if (!drawn) {
    notes.push(`Data: the ${nVal} held-out rows (jackknife over ${blocks} blocks). The model could not be sampled: nothing to compare with.`);
    return { sets: [dataSet], comparisons: [], notes };
  }
  const samples = restoreColumns(drawn.rows, drawn.n, canonical);
  const modelSet = cumulants(samples, drawn.n, d, { maxOrder, source: drawn.source, ...(drawn.blocks !== undefined ? { blocks: drawn.blocks } : {}) });
  notes.push(`Data: the ${nVal} held-out rows (jackknife over ${blocks} blocks). ${drawn.note}`);
  notes.push(...(drawn.extraNotes ?? []));
  if (maxOrder < 4) notes.push(`Orders above ${maxOrder} are skipped for d = ${d} (their tables would be too large: ${binomial(d + maxOrder, maxOrder + 1).toLocaleString('en-US')} entries of order ${maxOrder + 1}).`);
  return { sets: [dataSet, modelSet], comparisons: [compareCumulants(dataSet, modelSet)], notes };
}

/** Widest table whose order-3 cumulants are compared entry by entry (45,760 entries at d = 64). */
export const ORDER3_MAX_COLUMNS = 64;

/** The highest cumulant order compared: 4 up to 32 columns, 3 up to 64, else the covariances alone. */
export function cumulantOrderFor(d: number): number {
  return d > ORDER3_MAX_COLUMNS ? 2 : defaultMaxOrder(d);
}

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
