/**
 * Identification at large d: forward screening of every monomial of orders 1..4 on the
 * score-matching objective, then backward elimination with Holm (identifyTheory) on the screened
 * candidates, on HMC samples of the phi^3 + phi^4 lattice (m2 = 1, kappa = 0.3, g3 = 0.8, g4 = 1.6).
 *
 *   node --import tsx bench/identify-wide.ts [--d 16,32] [--n 20000] [--pairs 3] [--seed 1]
 *        [--threshold auto|3] [--statistic robust|curvature] [--rank gain|statistic] [--drop auto|1] [--batch 0.5]
 *        [--max 600] [--extra 0.1] [--full-quadratic 600] [--phases]
 *
 * Prints, per d: seconds of sampling, screening (and its rounds) and identification; the screened
 * candidates and whether they hold every true monomial; missed and spurious terms of the identified
 * theory against the truth; and per order the relative error |c - c_true| / |c_true| (Euclidean over
 * the order's monomials, raw units around 0). With --phases, identifyTheory's phases are timed
 * again one by one on the same candidates (the Gram matrix A, the elimination on all rows, the
 * eliminations on the half-samples), the way identifyTheory runs them.
 */
import { CandidateMonomials } from '../src/core/identify/derivatives';
import { DEFAULT_FORWARD_SCREEN, forwardScreen, type ForwardScreenOptions } from '../src/core/identify/forward-screen';
import { DEFAULT_IDENTIFY, fitCoordinates, identifyTheory } from '../src/core/identify/identify';
import { scoreMatchingGram } from '../src/core/identify/score-matching';
import { backwardElimination, DEFAULT_SELECTION } from '../src/core/identify/selection';
import { selectionFrequencies } from '../src/core/identify/stability';
import { kernelsInUse } from '../src/core/linalg/wasm/kernel';
import { binomial } from '../src/core/poly/basis';
import { Rng } from '../src/core/util/rng';
import { hmc } from '../src/core/sampling';
import { phi4Lattice } from '../src/core/theories/phi4';

function arg(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

const dims = arg('d', '16,32').split(',').map(Number);
const n = Number(arg('n', '20000'));
const pairs = Number(arg('pairs', '3'));
const seed = Number(arg('seed', '1'));
const phases = process.argv.includes('--phases');
const K = 4;
const screenOptions: Partial<ForwardScreenOptions> = {
  threshold: arg('threshold', String(DEFAULT_FORWARD_SCREEN.threshold)) === 'auto' ? 'auto' : Number(arg('threshold', '')),
  statistic: arg('statistic', DEFAULT_FORWARD_SCREEN.statistic) as ForwardScreenOptions['statistic'],
  rank: arg('rank', DEFAULT_FORWARD_SCREEN.rank) as ForwardScreenOptions['rank'],
  dropBelow: arg('drop', String(DEFAULT_FORWARD_SCREEN.dropBelow)) === 'auto' ? 'auto' : Number(arg('drop', '')),
  maxCandidates: Number(arg('max', String(DEFAULT_FORWARD_SCREEN.maxCandidates))),
  extraFraction: Number(arg('extra', String(DEFAULT_FORWARD_SCREEN.extraFraction))),
  fullQuadraticUpTo: Number(arg('full-quadratic', String(DEFAULT_FORWARD_SCREEN.fullQuadraticUpTo))),
  batchFraction: Number(arg('batch', String(DEFAULT_FORWARD_SCREEN.batchFraction))),
};

const key = (m: readonly number[]): string => m.join(',');
const fmt = (x: number, digits = 2): string => x.toFixed(digits);

console.log(`identify-wide: phi4 lattice m2 = 1, kappa = 0.3, g3 = 0.8, g4 = 1.6, K = ${K}, N = ${n}, stabilityPairs = ${pairs}, kernels ${kernelsInUse()}`);
console.log(`screen options: ${JSON.stringify(screenOptions)}`);
for (const d of dims) {
  const theory = phi4Lattice({ d, m2: 1, kappa: 0.3, g3: 0.8, g4: 1.6 });
  let t = performance.now();
  const sample = hmc(theory, { n, seed });
  const sampleSeconds = (performance.now() - t) / 1000;
  const x = sample.samples;
  const x0 = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    let s = 0;
    let s2 = 0;
    for (let r = 0; r < n; r++) {
      s += x[r * d + i];
      s2 += x[r * d + i] ** 2;
    }
    scale[i] = Math.sqrt(s2 / n - (s / n) ** 2);
  }
  const truth = new Map(theory.trueAction().terms.map((term) => [key(term.monomial), term]));

  t = performance.now();
  const v = fitCoordinates(x, n, d, x0, scale);
  const screened = forwardScreen(v, n, d, K, screenOptions);
  const screenSeconds = (performance.now() - t) / 1000;
  const inScreen = new Set(screened.monomials.map(key));
  const missedByScreen = [...truth.keys()].filter((m) => !inScreen.has(m));

  t = performance.now();
  const res = identifyTheory(x, n, d, x0, scale, { ...DEFAULT_IDENTIFY, order: K, seed, stabilityPairs: pairs, denseLimit: Math.max(DEFAULT_IDENTIFY.denseLimit, screened.monomials.length) }, screened);
  const identifySeconds = (performance.now() - t) / 1000;

  const found = new Map(res.section.terms.map((term) => [key(term.monomial), term]));
  const missed = [...truth.keys()].filter((m) => !found.has(m));
  const spurious = [...found.keys()].filter((m) => !truth.has(m));
  console.log(`\nd = ${d}: ${truth.size} true terms, ${screened.rounds} screening rounds`);
  console.log(`  seconds: sample ${fmt(sampleSeconds, 1)}, screen ${fmt(screenSeconds, 1)}, identify ${fmt(identifySeconds, 1)}; screen + identify ${fmt(screenSeconds + identifySeconds, 1)}`);
  for (const [k, h] of screened.history.entries()) {
    console.log(`    round ${k + 1}: support ${h.support}, passing ${h.passing}, added ${h.added}, dropped ${h.dropped}, max statistic ${fmt(h.maxStatistic, 1)}, ${fmt(h.seconds)} s`);
  }
  console.log(`  screened candidates ${screened.monomials.length} (support ${screened.support}); true monomials missing from the screen: ${missedByScreen.length ? missedByScreen.map((m) => `[${m}]`).join(' ') : 'none'}`);
  console.log(`  identified ${found.size} terms (cut |z| >= ${fmt(res.section.cut)}), missed ${missed.length}${missed.length ? ` ${missed.map((m) => `[${m}]`).join(' ')}` : ''}, spurious ${spurious.length}${spurious.length ? ` ${spurious.map((m) => `[${m}] z ${fmt(found.get(m)?.z ?? 0, 1)}`).join(' ')}` : ''}, unstable ${res.section.unstable?.length ?? 0}`);
  const orders: string[] = [];
  for (let k = 1; k <= K; k++) {
    const keys = new Set([...truth.keys(), ...found.keys()].filter((m) => m.split(',').length === k));
    let err = 0;
    let norm = 0;
    for (const m of keys) {
      const c = found.get(m)?.coefficient ?? 0;
      const c0 = truth.get(m)?.coefficient ?? 0;
      err += (c - c0) ** 2;
      norm += c0 * c0;
    }
    if (keys.size > 0) orders.push(`order ${k}: ${norm > 0 ? fmt(Math.sqrt(err / norm), 4) : `|c| ${fmt(Math.sqrt(err), 4)} (truth 0)`}`);
  }
  console.log(`  relative errors ${orders.join(', ')}`);

  if (phases) {
    // identifyTheory's steps, timed one by one (same chunks, same options).
    const candidates = new CandidateMonomials(d, screened.monomials);
    const chunks = pairs > 0 ? 10 : 1;
    const chunkOf = new Int32Array(n);
    const perm = new Rng(seed ^ 0x5e1ec7).permutation(n);
    for (let k = 0; k < n; k++) chunkOf[perm[k]] = k % chunks;
    const all = Int32Array.from({ length: candidates.size }, (_, k) => k);
    const rowIndex = Int32Array.from({ length: n }, (_, r) => r);
    const options = { ...DEFAULT_SELECTION, alpha: DEFAULT_IDENTIFY.alpha, family: binomial(d + K, K) - 1, block: 1 };
    t = performance.now();
    const gram = scoreMatchingGram(v, n, candidates, chunkOf, chunks);
    const gramSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const selected = backwardElimination(v, rowIndex, candidates, gram.a, gram.b, all, options);
    const eliminationSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    if (pairs > 0) selectionFrequencies(v, candidates, gram, all, options, pairs, seed);
    const stabilitySeconds = (performance.now() - t) / 1000;
    console.log(
      `  identify phases: gram ${fmt(gramSeconds, 1)} s, elimination on all rows ${fmt(eliminationSeconds, 1)} s (${selected?.rounds ?? 0} fits), ` +
        `${2 * pairs} half-sample eliminations ${fmt(stabilitySeconds, 1)} s`,
    );
  }
}
