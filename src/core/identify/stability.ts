import { Rng } from '../util/rng';
import type { CandidateMonomials } from './derivatives';
import { combineChunks, type ScoreMatchingGram } from './score-matching';
import { backwardElimination, type SelectionOptions } from './selection';

/**
 * How stable is each kept term? The same selection rerun on half-samples of the rows (complementary
 * pairs of halves, as in Shah and Samworth's stability selection; each half a union of the gram's
 * chunks, so A and b need no second pass): a term's frequency is the fraction of halves that kept
 * it. A term the full data keep but few halves do rests on few rows. Half the rows halve every z by
 * about sqrt(2), so true terms near the cut are kept less often too: the frequencies inform, they
 * do not decide.
 */
export function selectionFrequencies(
  v: Float64Array,
  candidates: CandidateMonomials,
  gram: ScoreMatchingGram,
  start: Int32Array,
  options: SelectionOptions,
  pairs: number,
  seed: number,
): Map<number, number> {
  const chunks = gram.chunks.length;
  const counts = new Map<number, number>();
  const rng = new Rng(seed ^ 0x57ab1e);
  let halves = 0;
  for (let s = 0; s < pairs; s++) {
    const perm = rng.permutation(chunks);
    const first = Array.from(perm.subarray(0, Math.floor(chunks / 2)));
    const second = Array.from(perm.subarray(Math.floor(chunks / 2)));
    for (const half of [first, second]) {
      const { a, b } = combineChunks(gram.chunks, half, candidates.size);
      const rows = Int32Array.from(half.flatMap((c) => Array.from(gram.chunks[c].rows)));
      const res = backwardElimination(v, rows, candidates, a, b, start, { ...options, zScale: Math.SQRT2 * (options.zScale ?? 1) });
      halves++;
      if (!res) continue;
      for (const k of res.fit.support) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  const out = new Map<number, number>();
  for (const [k, c] of counts) out.set(k, c / halves);
  return out;
}
