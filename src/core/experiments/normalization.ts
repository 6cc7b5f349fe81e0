import type { Flow } from '../flow/flow';
import type { Theory } from '../theories/theory';
import { flowProposal, importanceLogZ } from '../identify/validate';

/**
 * ln Z of exp(-E) by importance sampling with the trained flow as proposal q:
 * Z = E_q[exp(-E(x)) / q(x)]. Unbiased in Z; the standard error of ln Z by the delta method. The
 * true held-out NLL is then mean E(x) + ln Z: the floor the learned NLL is measured against.
 */
export function logPartition(theory: Theory, flow: Flow, samples: number, seed: number): { logZ: number; stdErr: number } {
  const { value, stdErr } = importanceLogZ(theory, flowProposal(flow), samples, seed);
  return { logZ: value, stdErr };
}

/** Mean -ln p of rows under the normalised theory. */
export function theoryNll(theory: Theory, rows: Float64Array, n: number, logZ: number): number {
  const d = theory.d;
  let s = 0;
  for (let r = 0; r < n; r++) s += theory.energy(rows.subarray(r * d, r * d + d));
  return s / n + logZ;
}
