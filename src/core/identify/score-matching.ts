import { gemmAB, TRI } from '../linalg/kernels';
import { kernelHeap } from '../linalg/wasm/kernel';
import { choleskyInverse, choleskyOrPivot, choleskySolve } from '../linalg/cholesky';
import { CandidateMonomials } from './derivatives';

/**
 * The direct fit of a polynomial action by score matching (Hyvärinen 2005; docs/METHOD.md section 9).
 * For S(v) = sum_p c_p phi_p(v) the objective J(c) = E[sum_i 1/2 (d_i S)^2 + d_i^2 S] needs no
 * normalisation and is quadratic in c:
 *
 *   J(c) = 1/2 c^T A c + b^T c,  A_pq = E[sum_i d_i phi_p d_i phi_q],  b_p = E[sum_i d_i^2 phi_p],
 *
 * so the fit is one linear solve, c = -A^-1 b. A and b are accumulated once over the rows for every
 * candidate; a fit on a subset S of the candidates is the sub-block solve, A_SS c_S = -b_S. The
 * rows are kept in chunks (a seeded partition) so that fits on subsamples (unions of chunks) need no
 * second pass for A and b.
 */
export interface ScoreMatchingGram {
  candidates: CandidateMonomials;
  /** Rows in the fit (all chunks). */
  n: number;
  /** P x P, row-major: the mean over rows of sum_i grad_i grad_i^T. */
  a: Float64Array;
  /** P: the mean over rows of sum_i d_i^2 phi. */
  b: Float64Array;
  /** The same sums per chunk (not divided by the rows), and each chunk's rows. */
  chunks: { rows: Int32Array; aSum: Float64Array; bSum: Float64Array }[];
}

/** Rows of the data whose derivative blocks go through one product (about 1,024 block rows of d each). */
function rowsPerProduct(d: number): number {
  return Math.max(1, Math.floor(1024 / d));
}

/**
 * A and b of every candidate over the rows (row-major n x d, in the fit's coordinates), per chunk:
 * `chunkOf[r]` names row r's chunk (0..chunks-1).
 */
export function scoreMatchingGram(rows: Float64Array, n: number, candidates: CandidateMonomials, chunkOf: Int32Array, chunks: number): ScoreMatchingGram {
  const d = candidates.d;
  const p = candidates.size;
  const per = rowsPerProduct(d);
  const heap = kernelHeap();
  const block = heap ? heap.alloc(per * d * p) : new Float64Array(per * d * p);
  const table = new Float64Array(d * (candidates.order + 1));
  const out: ScoreMatchingGram['chunks'] = [];
  try {
    for (let c = 0; c < chunks; c++) {
      const members: number[] = [];
      for (let r = 0; r < n; r++) if (chunkOf[r] === c) members.push(r);
      const sum = heap ? heap.alloc(p * p) : new Float64Array(p * p);
      const bSum = new Float64Array(p);
      for (let s = 0; s < members.length; s += per) {
        const count = Math.min(per, members.length - s);
        block.fill(0, 0, count * d * p);
        for (let k = 0; k < count; k++) {
          const r = members[s + k];
          candidates.powerTable(rows.subarray(r * d, r * d + d), table);
          candidates.derivatives(table, block, k * d * p, p, bSum);
        }
        gemmAB(p, p, count * d, block, true, block, sum, { accumulate: true, tri: TRI.outLower });
      }
      const aSum = new Float64Array(p * p);
      mirrorLower(sum, p, aSum);
      if (heap) heap.release(sum);
      out.push({ rows: Int32Array.from(members), aSum, bSum });
    }
  } finally {
    if (heap) heap.release(block);
  }
  const { a, b } = combineChunks(out, out.map((_, c) => c), p);
  return { candidates, n, a, b, chunks: out };
}

/** The mean A and b over the rows of the given chunks. */
export function combineChunks(chunks: ScoreMatchingGram['chunks'], which: readonly number[], p: number): { a: Float64Array; b: Float64Array; n: number } {
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  let n = 0;
  for (const c of which) {
    const ch = chunks[c];
    n += ch.rows.length;
    for (let k = 0; k < p * p; k++) a[k] += ch.aSum[k];
    for (let k = 0; k < p; k++) b[k] += ch.bSum[k];
  }
  for (let k = 0; k < p * p; k++) a[k] /= n;
  for (let k = 0; k < p; k++) b[k] /= n;
  return { a, b, n };
}

function mirrorLower(src: Float64Array, p: number, dst: Float64Array): void {
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      const v = src[i * p + j];
      dst[i * p + j] = v;
      dst[j * p + i] = v;
    }
  }
}

export interface SubsetFit {
  /** Indices into the gram's candidates. */
  support: Int32Array;
  coefficients: Float64Array;
  /** The sandwich covariance (support x support), and its diagonal's square roots. */
  covariance: Float64Array;
  stdErr: Float64Array;
  /** The objective J at the fit (lower is better, same rows only). */
  objective: number;
}

/** The sub-block of A (and b) on the support. */
function subBlock(a: Float64Array, b: Float64Array, p: number, support: Int32Array): { aS: Float64Array; bS: Float64Array } {
  const q = support.length;
  const aS = new Float64Array(q * q);
  const bS = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    bS[i] = b[support[i]];
    for (let j = 0; j < q; j++) aS[i * q + j] = a[support[i] * p + support[j]];
  }
  return { aS, bS };
}

/**
 * The fit on a support: c_S = -A_SS^-1 b_S, and its sandwich (Godambe) covariance
 * A_SS^-1 B A_SS^-1 / N with B = mean over rows of psi psi^T, psi = A_n c + b_n the row's gradient of
 * J (one more pass over the rows). When A_SS is singular on these rows, `dependent` names the first
 * support position that is a combination of those before it (e.g. a monomial of a column with two
 * values), and nothing is fitted.
 */
export function fitSupport(
  rows: Float64Array,
  rowIndex: Int32Array,
  candidates: CandidateMonomials,
  a: Float64Array,
  b: Float64Array,
  support: Int32Array,
  block = 1,
): SubsetFit | { dependent: number } {
  const p = candidates.size;
  const q = support.length;
  const { aS, bS } = subBlock(a, b, p, support);
  const l = choleskyOrPivot(aS, q);
  if (typeof l === 'number') return { dependent: l };
  const neg = choleskySolve(l, q, bS);
  const c = Float64Array.from(neg, (v) => -v);
  let objective = 0;
  for (let i = 0; i < q; i++) objective += 0.5 * c[i] * bS[i];
  const bMatrix = sandwichMeat(rows, rowIndex, candidates.subset(support), c, block);
  const inv = choleskyInverse(l, q);
  const covariance = sandwich(inv, bMatrix, q, rowIndex.length);
  const stdErr = new Float64Array(q);
  for (let i = 0; i < q; i++) stdErr[i] = Math.sqrt(Math.max(0, covariance[i * q + i]));
  return { support: Int32Array.from(support), coefficients: c, covariance, stdErr, objective };
}

/**
 * B = mean over the rows of psi psi^T with psi = sum_i grad_i (grad_i . c) + lap: one pass, products
 * in blocks. With `block` > 1, psi is summed over runs of that many consecutive entries of rowIndex
 * first (batch means): serially correlated rows (a time series, MCMC output) then get the variance
 * of their sums, which per-row products miss; for independent rows both estimate the same B.
 */
function sandwichMeat(rows: Float64Array, rowIndex: Int32Array, set: CandidateMonomials, c: Float64Array, block: number): Float64Array {
  const d = set.d;
  const q = set.size;
  const per = 256;
  const heap = kernelHeap();
  const psi = heap ? heap.alloc(per * q) : new Float64Array(per * q);
  const sum = heap ? heap.alloc(q * q) : new Float64Array(q * q);
  // The gradients in their sparse pattern (at most K variables per monomial, not d).
  const { monomial: pairM, variable: pairI } = set.pattern();
  const pairs = pairM.length;
  const grad = new Float64Array(pairs);
  const score = new Float64Array(d);
  const table = new Float64Array(d * (set.order + 1));
  try {
    const span = per * block;
    for (let s = 0; s < rowIndex.length; s += span) {
      const entries = Math.min(span, rowIndex.length - s);
      const count = Math.ceil(entries / block);
      psi.fill(0, 0, count * q);
      for (let e = 0; e < entries; e++) {
        const r = rowIndex[s + e];
        const row = psi.subarray(Math.floor(e / block) * q, (Math.floor(e / block) + 1) * q);
        set.powerTable(rows.subarray(r * d, r * d + d), table);
        set.sparseDerivatives(table, grad, row);
        // psi = sum_i grad_i (grad_i . c) + lap, with d_i S = grad_i . c the fitted score.
        score.fill(0);
        for (let a = 0; a < pairs; a++) score[pairI[a]] += grad[a] * c[pairM[a]];
        for (let a = 0; a < pairs; a++) row[pairM[a]] += score[pairI[a]] * grad[a];
      }
      gemmAB(q, q, count, psi, true, psi, sum, { accumulate: true, tri: TRI.outLower });
    }
    const out = new Float64Array(q * q);
    mirrorLower(sum, q, out);
    for (let k = 0; k < q * q; k++) out[k] /= rowIndex.length;
    return out;
  } finally {
    if (heap) {
      heap.release(psi);
      heap.release(sum);
    }
  }
}

/** A^-1 B A^-1 / n for symmetric A^-1 and B (q x q). */
function sandwich(inv: Float64Array, bMatrix: Float64Array, q: number, n: number): Float64Array {
  const t = new Float64Array(q * q);
  const out = new Float64Array(q * q);
  if (q === 0) return out;
  gemmAB(q, q, q, inv, false, bMatrix, t);
  gemmAB(q, q, q, t, false, inv, out);
  for (let k = 0; k < q * q; k++) out[k] /= n;
  return out;
}
