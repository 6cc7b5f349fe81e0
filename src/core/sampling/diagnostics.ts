import { autocorrelation, splitRhat } from './autocorr';

/** ESS, autocorrelation time and split R-hat per coordinate of the output, chain blocks as chains. */
export function diagnostics(samples: Float64Array, d: number, chainLengths: number[]): { ess: number[]; integratedAutocorrTime: number[]; rhat: number[] } {
  const ess: number[] = [];
  const tau: number[] = [];
  const rhat: number[] = [];
  const n = chainLengths.reduce((a, v) => a + v, 0);
  const common = Math.min(...chainLengths);
  for (let i = 0; i < d; i++) {
    const series: Float64Array[] = [];
    let row = 0;
    for (const len of chainLengths) {
      const s = new Float64Array(len);
      for (let t = 0; t < len; t++) s[t] = samples[(row + t) * d + i];
      series.push(s);
      row += len;
    }
    // Chains are cut to the common length for the estimator; the ESS is scaled back to all n rows.
    const ac = autocorrelation(series.map((s) => s.subarray(0, common)));
    tau.push(ac.tau);
    ess.push(n / ac.tau);
    rhat.push(splitRhat(series));
  }
  return { ess, integratedAutocorrTime: tau, rhat };
}
