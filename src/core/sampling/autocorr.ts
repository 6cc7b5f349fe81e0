/**
 * Effective sample size and integrated autocorrelation time from several chains, following the
 * multi-chain estimator of Stan (Vehtari et al. 2021, "Rank-normalization, folding, and localization",
 * section 3.2): autocorrelations are pooled over chains and measured against a variance that includes
 * the spread between chains, so chains stuck in different wells show up as a long autocorrelation
 * time instead of a flattering one. The sum over lags is cut by Geyer's initial positive sequence,
 * made monotone.
 */

/** `chains[c][t]`: one scalar series per chain. Chains are truncated to the shortest. */
export interface AutocorrResult {
  /** tau = 1 + 2 sum_t rho_t, in draws (1 for independent draws; < 1 when anticorrelated). */
  tau: number;
  /** Total draws / tau (capped at total * log10(total), as Stan does, for strongly antithetic chains). */
  ess: number;
}

export function autocorrelation(chains: ArrayLike<number>[]): AutocorrResult {
  const m = chains.length;
  let n = Infinity;
  for (const c of chains) n = Math.min(n, c.length);
  if (m === 0 || !Number.isFinite(n) || n < 4) return { tau: NaN, ess: NaN };
  const total = m * n;

  const means = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += chains[c][t];
    means[c] = s / n;
  }
  // Autocovariance at lag `lag`, averaged over chains (biased 1/n normalization, as Geyer's bound needs).
  const acov = (lag: number): number => {
    let sum = 0;
    for (let c = 0; c < m; c++) {
      const x = chains[c];
      const mu = means[c];
      let s = 0;
      for (let t = 0; t + lag < n; t++) s += (x[t] - mu) * (x[t + lag] - mu);
      sum += s / n;
    }
    return sum / m;
  };
  const acov0 = acov(0);
  const w = (acov0 * n) / (n - 1);
  let grand = 0;
  for (let c = 0; c < m; c++) grand += means[c];
  grand /= m;
  let b = 0;
  if (m > 1) {
    for (let c = 0; c < m; c++) b += (means[c] - grand) ** 2;
    b /= m - 1;
  }
  const varPlus = ((n - 1) / n) * w + b;
  if (!(varPlus > 0)) return { tau: 1, ess: total };
  const rho = (lag: number): number => (lag === 0 ? 1 : 1 - (w - acov(lag)) / varPlus);

  // Geyer: sum pairs P_k = rho_2k + rho_2k+1 while positive, never letting a pair exceed the one before.
  let sumPairs = 0;
  let prev = Infinity;
  for (let k = 0; 2 * k + 1 < n; k++) {
    let pair = rho(2 * k) + rho(2 * k + 1);
    if (!(pair > 0)) break;
    if (pair > prev) pair = prev;
    sumPairs += pair;
    prev = pair;
  }
  const tau = Math.max(-1 + 2 * sumPairs, 1 / Math.log10(total));
  return { tau, ess: total / tau };
}

/**
 * Split R-hat (Gelman et al., BDA3): each chain cut in halves; values near 1 mean the chains agree,
 * above ~1.01-1.05 that they have not mixed (e.g. stuck in different wells).
 */
export function splitRhat(chains: ArrayLike<number>[]): number {
  let n = Infinity;
  for (const c of chains) n = Math.min(n, c.length);
  const half = Math.floor(n / 2);
  if (chains.length === 0 || half < 2) return NaN;
  const means: number[] = [];
  const vars: number[] = [];
  for (const c of chains) {
    for (const start of [0, n - half]) {
      let s = 0;
      for (let t = 0; t < half; t++) s += c[start + t];
      const mu = s / half;
      let v = 0;
      for (let t = 0; t < half; t++) v += (c[start + t] - mu) ** 2;
      means.push(mu);
      vars.push(v / (half - 1));
    }
  }
  const k = means.length;
  const grand = means.reduce((a, v) => a + v, 0) / k;
  const b = (half * means.reduce((a, v) => a + (v - grand) ** 2, 0)) / (k - 1);
  const w = vars.reduce((a, v) => a + v, 0) / k;
  if (!(w > 0)) return NaN;
  return Math.sqrt((((half - 1) / half) * w + b / half) / w);
}
