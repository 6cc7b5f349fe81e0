import { Rng } from '../util/rng';
import { featureCount, profileFit } from './start-fit';

/**
 * The search of the coupling start (start.ts): the rotation of the whitened rows whose first k rows
 * span the conditioning subspace with the smallest f = ln det Sigma (start-fit.ts), by gradient
 * descent on the rotations from several random starts.
 */

/**
 * The search's stages (successive halving): many random rotations descended briefly on few rows,
 * the best of them further on more rows, the best of those on the most rows; then exchanges of
 * directions between the halves from the best (swapped). The likelihood has separate minima for the
 * ways the data's directions can be split between the halves, and on some data sets the true one's
 * basin is small (docs/EXPERIMENTS.md section "Seeds"): many starts alone miss it for some seeds,
 * the exchanges reach it from a neighbouring minimum.
 */
const STAGES: ReadonlyArray<{ keep: number; rows: number; iterations: number }> = [
  { keep: 64, rows: 1000, iterations: 15 },
  { keep: 8, rows: 4000, iterations: 30 },
  { keep: 2, rows: 16000, iterations: 40 },
];
/** The rows the final fit reads (start.ts). */
export const POLISH_ROWS = 16000;
/** The fewest rows a stage may read when the budget scales them down. */
const MIN_STAGE_ROWS = 400;
/**
 * Multiply-adds the search may take (about a second on one core). Beyond it every stage reads
 * proportionally fewer rows, down to MIN_STAGE_ROWS; past that (wide tables: the features grow as
 * k^2 / 2 with k = d / 2) there is no data-driven start, and the layers start near the identity.
 */
const BUDGET = 1.5e9;

/** Multiply-adds of one evaluation of f with its gradient, per row. */
function workPerRow(d: number, k: number): number {
  const F = featureCount(k);
  const nb = d - k;
  return 2 * d * d + (F * F) / 2 + 3 * F * nb + nb * nb + 2 * F;
}

/** The rows each stage reads (a stride over the n rows), or null when no data-driven start fits the budget. */
export function stageRows(n: number, d: number, k: number): number[] | null {
  const w = workPerRow(d, k);
  let cost = 0;
  for (const st of STAGES) cost += st.keep * st.iterations * Math.min(n, st.rows) * w;
  // The exchanges: about two rounds of k (d - k) descents on the last stage's rows.
  const last = STAGES[STAGES.length - 1];
  cost += 2 * k * (d - k) * last.iterations * Math.min(n, last.rows) * w;
  const scale = Math.min(1, BUDGET / cost);
  const rows = STAGES.map((st) => Math.min(n, Math.floor(st.rows * scale)));
  return rows[0] >= Math.min(n, MIN_STAGE_ROWS) && rows[0] >= 4 * featureCount(k) ? rows : null;
}

/** Orthonormalises the rows of q (rows x d) in place (modified Gram-Schmidt, twice for accuracy). */
function orthonormalRows(q: Float64Array, rows: number, d: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += q[i * d + c] * q[j * d + c];
        for (let c = 0; c < d; c++) q[i * d + c] -= dot * q[j * d + c];
      }
      let norm = 0;
      for (let c = 0; c < d; c++) norm += q[i * d + c] ** 2;
      norm = Math.sqrt(norm);
      for (let c = 0; c < d; c++) q[i * d + c] /= norm;
    }
  }
}

function randomRotation(d: number, rng: Rng): Float64Array {
  const q = Float64Array.from({ length: d * d }, () => rng.normal());
  orthonormalRows(q, d, d);
  return q;
}

/**
 * Gradient descent of f on the rotations: Q <- orth((I - eta X / |X|) Q) with X = skew(G Q^T), the
 * step grown on success and halved on failure.
 */
function descend(y: Float64Array, m: number, d: number, k: number, q0: Float64Array, iterations: number): { q: Float64Array; f: number } | null {
  let q = Float64Array.from(q0);
  const g = new Float64Array(d * d);
  let fit = profileFit(y, m, d, q, k, g);
  if (!fit) return null;
  let f = fit.f;
  let step = 0.2;
  const x = new Float64Array(d * d);
  for (let it = 0; it < iterations && step > 1e-5; it++) {
    // X = (G Q^T - Q G^T) / 2: only its A-B block moves f.
    let norm = 0;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += g[a * d + c] * q[b * d + c] - q[a * d + c] * g[b * d + c];
        const inBlock = (a < k) === (b < k);
        x[a * d + b] = inBlock ? 0 : 0.5 * s;
        norm += x[a * d + b] ** 2;
      }
    }
    norm = Math.sqrt(norm);
    if (!(norm > 0)) break;
    const trial = new Float64Array(d * d);
    for (let a = 0; a < d; a++) {
      for (let c = 0; c < d; c++) {
        let s = q[a * d + c];
        for (let b = 0; b < d; b++) s -= (step / norm) * x[a * d + b] * q[b * d + c];
        trial[a * d + c] = s;
      }
    }
    orthonormalRows(trial, d, d);
    const tg = new Float64Array(d * d);
    const tfit = profileFit(y, m, d, trial, k, tg);
    if (tfit && tfit.f < f) {
      q = trial;
      f = tfit.f;
      g.set(tg);
      fit = tfit;
      step *= 1.3;
    } else {
      step *= 0.5;
    }
  }
  return { q, f };
}

/** Rows of x (n x d) picked at a stride, m of them. */
export function strided(x: Float64Array, n: number, d: number, m: number): Float64Array {
  if (m >= n) return x.subarray(0, n * d);
  const out = new Float64Array(m * d);
  for (let s = 0; s < m; s++) {
    const o = Math.floor((s * n) / m) * d;
    out.set(x.subarray(o, o + d), s * d);
  }
  return out;
}

/**
 * The rotation Q (d x d, rows orthonormal; its first k rows span the conditioning subspace) that
 * minimises f over whitened rows y (n x d), by the STAGES: each stage descends the rotations it is
 * given on a strided subset of the rows and passes the best `keep` of the next stage on; the first
 * stage's are random. Null when the budget does not allow it or the features are degenerate.
 */
export function conditioningRotation(y: Float64Array, n: number, d: number, k: number, rng: Rng): { q: Float64Array; f: number } | null {
  const rows = stageRows(n, d, k);
  if (rows === null) return null;
  let starts: Float64Array[] = Array.from({ length: STAGES[0].keep }, () => randomRotation(d, rng));
  let found: Array<{ q: Float64Array; f: number }> = [];
  STAGES.forEach((stage, i) => {
    const ys = strided(y, n, d, rows[i]);
    found = [];
    for (const q of starts.slice(0, stage.keep)) {
      const r = descend(ys, rows[i], d, k, q, stage.iterations);
      if (r) found.push(r);
    }
    found.sort((a, b) => a.f - b.f);
    starts = found.map((r) => r.q);
  });
  const best = found[0];
  if (!best) return null;
  const last = STAGES.length - 1;
  return swapped(strided(y, n, d, rows[last]), rows[last], d, k, best, STAGES[last].iterations);
}

/**
 * Moves between the minima the descent cannot make: the rotation with a row of the conditioning
 * block and a row of the other block exchanged (one direction of the data moved from one half to the
 * other), descended; taken when it lowers f, until no exchange does (at most d rounds).
 */
function swapped(y: Float64Array, m: number, d: number, k: number, start: { q: Float64Array; f: number }, iterations: number): { q: Float64Array; f: number } {
  let best = start;
  for (let round = 0; round < d; round++) {
    let improved = false;
    for (let a = 0; a < k && !improved; a++) {
      for (let b = k; b < d && !improved; b++) {
        const q = Float64Array.from(best.q);
        for (let c = 0; c < d; c++) [q[a * d + c], q[b * d + c]] = [q[b * d + c], q[a * d + c]];
        const r = descend(y, m, d, k, q, iterations);
        if (r && r.f < best.f - 1e-9) {
          best = r;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return best;
}
