import { compareCumulants, cumulants, defaultMaxOrder } from '../cumulants';
import type { Flow } from '../flow/flow';
import type { ReportCumulants } from '../report/schema';
import { Rng } from '../util/rng';
import { restoreColumns } from './columns';
import type { LearnSettings } from './settings';

/** Cumulants of the held-out rows against exact samples of the model, both in the report's column order. */
export function compareWithModel(flow: Flow, val: Float64Array, nVal: number, canonical: Int32Array, settings: LearnSettings): ReportCumulants {
  const d = flow.dim;
  const maxOrder = defaultMaxOrder(d);
  const notes: string[] = [];
  const blocks = Math.min(20, Math.max(2, Math.floor(nVal / 5)));
  const dataSet = cumulants(restoreColumns(val, nVal, canonical), nVal, d, { maxOrder, blocks, source: 'data (held-out rows)' });
  const rng = new Rng(settings.seed ^ 0xc0ffee);
  const n = settings.modelSamples;
  const z = Float64Array.from({ length: n * d }, () => rng.normal());
  const samples = restoreColumns(flow.inverse(z, n), n, canonical);
  const modelSet = cumulants(samples, n, d, { maxOrder, source: `model (${settings.layerKind}, exact samples)` });
  notes.push(`Data: the ${nVal} held-out rows (jackknife over ${blocks} blocks). Model: ${n} exact samples x = f^-1(z).`);
  notes.push('The truncated action S_K is not sampled here (see the experiments for MCMC of S_K).');
  if (maxOrder < 4) notes.push(`Orders above ${maxOrder} are skipped for d = ${d} (their tables would be too large).`);
  return { sets: [dataSet, modelSet], comparisons: [compareCumulants(dataSet, modelSet)], notes };
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
