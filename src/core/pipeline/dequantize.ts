import { Rng } from '../util/rng';

/**
 * Dequantization of discrete columns (docs/METHOD.md section 3.1.1): each value k of a column with
 * level width w becomes k + w u with u uniform on [-1/2, 1/2), seeded, on the training and the
 * held-out rows alike. The density of the dequantized rows then bounds the discrete likelihood of the
 * levels, which bitsPerDimension turns the held-out NLL into.
 */

/** Adds the noise in place to `rows` (n x d, row-major): column c gets width widths.get(c). */
export function addDequantizationNoise(rows: Float64Array, n: number, d: number, widths: ReadonlyMap<number, number>, rng: Rng): void {
  const columns = [...widths.keys()].sort((a, b) => a - b);
  for (let r = 0; r < n; r++) {
    for (const c of columns) rows[r * d + c] += (widths.get(c) as number) * (rng.uniform() - 0.5);
  }
}

/** The generator of the noise for a run's seed (apart from the split's and the trainer's streams). */
export function dequantizationRng(seed: number): Rng {
  return new Rng((seed ^ 0x6465_7175) >>> 0);
}

/**
 * Held-out NLL in bits per dimension of the levels: -log2 P(levels) / d, bounded through the density
 * of the dequantized rows (docs/METHOD.md section 3.1.1):
 *   -ln P(k) <= E_u[-ln p(k + w u)] - sum_i ln w_i,  so  bits/dim = (nll - sum_i ln w_i) / (d ln 2),
 * with nll the held-out NLL in nats per row and w_i the level widths of the d columns.
 */
export function bitsPerDimension(nllNats: number, widths: readonly number[]): number {
  const logVolume = widths.reduce((s, w) => s + Math.log(w), 0);
  return (nllNats - logVolume) / (widths.length * Math.LN2);
}
