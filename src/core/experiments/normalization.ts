import type { Flow } from '../flow/flow';
import type { Theory } from '../theories/theory';
import { Rng } from '../util/rng';

/**
 * ln Z of exp(-E) by importance sampling with the trained flow as proposal q:
 * Z = E_q[exp(-E(x)) / q(x)]. Unbiased in Z; the standard error of ln Z by the delta method. The
 * true held-out NLL is then mean E(x) + ln Z: the floor the learned NLL is measured against.
 */
export function logPartition(theory: Theory, flow: Flow, samples: number, seed: number): { logZ: number; stdErr: number } {
  const d = theory.d;
  const rng = new Rng(seed);
  const z = Float64Array.from({ length: samples * d }, () => rng.normal());
  const x = flow.inverse(z, samples);
  const lq = flow.logProb(x, samples);
  const logW = new Float64Array(samples);
  let max = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < samples; r++) {
    logW[r] = -theory.energy(x.subarray(r * d, r * d + d)) - lq[r];
    if (logW[r] > max) max = logW[r];
  }
  let s1 = 0;
  let s2 = 0;
  for (let r = 0; r < samples; r++) {
    const w = Math.exp(logW[r] - max);
    s1 += w;
    s2 += w * w;
  }
  const mean = s1 / samples;
  const variance = s2 / samples - mean * mean;
  return { logZ: max + Math.log(mean), stdErr: Math.sqrt(Math.max(0, variance) / samples) / mean };
}

/** Mean -ln p of rows under the normalised theory. */
export function theoryNll(theory: Theory, rows: Float64Array, n: number, logZ: number): number {
  const d = theory.d;
  let s = 0;
  for (let r = 0; r < n; r++) s += theory.energy(rows.subarray(r * d, r * d + d));
  return s / n + logZ;
}
