import { gemmAB, TRI } from '../linalg/kernels';
import { kernelHeap } from '../linalg/wasm/kernel';
import { choleskyInverse, choleskyOrPivot, choleskySolve } from '../linalg/cholesky';
import { MonomialBasis } from '../poly/basis';
import { upperQuantile } from '../util/normal';

/**
 * Forward screening of the candidate monomials on the score-matching objective (docs/METHOD.md
 * section 9), for d and K where the dense P x P matrix A of every candidate cannot be formed
 * (d = 32, K = 4: 58,904 monomials).
 *
 * For S(v) = sum_p c_p phi_p on a support, J(c) = 1/2 c^T A c + b^T c and its gradient in the
 * direction of any monomial p, in or out of the support, is
 *
 *   g_p = (A c + b)_p = E[sum_i d_i phi_p s_i] + b_p,   s_i = d_i S (the fitted score),
 *
 * and adding p alone (the others held) lowers J by g_p^2 / (2 a_p), a_p = A_pp. With multiplicities
 * r_i of p, d_i phi_p = r_i phi_(p - e_i), so every quantity reduces to monomials of order <= K - 1:
 *
 *   g_p - b_p = sum_(i in p) r_i T[p - e_i, i],         T[q, i] = E[phi_q s_i]
 *   a_p       = sum_(i in p) r_i^2 E[phi_(p - e_i)^2]
 *   b_p       = sum_(i in p) r_i (r_i - 1) E[phi_(p - 2 e_i)]
 *
 * T is one product Phi^T Sc over row blocks (Phi: rows x the C(d+K-1, K-1) monomials of orders
 * 0..K-1, Sc: rows x d scores); a_p and b_p need the means of Phi and of its squares, once. The
 * score s_i itself is a combination of Phi's columns (s_i = sum_(p in S) c_p r_i phi_(p - e_i)), and
 * so are A on the support (A_pq = sum_i r_i(p) r_i(q) E[phi_(p - e_i) phi_(q - e_i)], a small Gram
 * matrix per variable i over the support's monomials that contain i) and each row's gradient of J
 * (psi_p = sum_i r_i phi_(p - e_i) s_i + sum_i r_i (r_i - 1) phi_(p - 2 e_i), for the sandwich).
 *
 * Which statistic decides entry. g_p is a mean of psi_p over the rows, so its own scale is
 * sd(psi_p) / sqrt(N), not sqrt(a_p / N): for score matching Var(psi_p) is not A_pp. Measured on a
 * phi^4 lattice (d = 16 and 32, N = 20,000) fitted on its true support, sqrt(N) |g_p| / sqrt(a_p)
 * of the null monomials has an rms of 1.0 (order 1) to 2.0 (order 4), and 7,125 of the 52,328 null
 * quartics at d = 32 pass 3: a screen on it fills any cap with noise. sqrt(N) |g_p| / sd(psi_p)
 * has an rms of 0.9-1.1 at every order (sd(psi_p) without the projection on the support's own
 * gradients: conservative, about 0.8 for null quartics of Gaussian rows). It needs a pass over
 * the rows per monomial, so it is computed for the strongest by the curvature statistic (those at
 * >= 0.8 x threshold, at most `evaluateAtMost`), on an evenly spaced subset of the rows.
 *
 * The threshold. Even standardised, 0.27% of the null monomials pass 3 by chance: 160 at d = 32,
 * K = 4, which the elimination afterwards must fit and drop (its cost grows with the candidates
 * squared) for nothing, since it keeps only terms with |z| above Holm's cut over every monomial
 * (5.2 at d = 32, alpha = 0.01). The default 'auto' threshold lets about one null pass (4.3 at
 * d = 32, 3.7 at d = 16, 3.1 at d = 8), and terms whose sandwich |z| falls below the threshold minus 1
 * are dropped between rounds (the starting quadratics never passed a test; entered terms can be
 * explained away by later ones). The strongest near-passers are added at the end.
 */

const pad4 = (v: number): number => Math.ceil(v / 4) * 4;

/** Fit-independent tables and moments of every monomial of orders 1..K on the rows. */
export class ScoreScreen {
  readonly d: number;
  readonly order: number;
  readonly n: number;
  /** Every monomial of orders 0..K, graded lexicographic; index 0 is the constant (never a candidate). */
  readonly basis: MonomialBasis;
  /** Monomials of orders 0..K-1: the columns of Phi (a prefix of the basis). */
  readonly lowCount: number;
  /** a_p = A_pp for every basis index p (0 for the constant). */
  readonly curvature: Float64Array;
  /** b_p for every basis index p. */
  readonly lap: Float64Array;
  /** Rows per block. */
  readonly rowsPerBlock: number;
  private readonly v: Float64Array;
  /**
   * A block holds the monomials of orders 0..K-2 (the base, baseCount of them) monomial-major,
   * base[m * B + k], and the rows transposed with a row of ones, vt[i * B + k] (i = d: 1). Every
   * column of Phi is then a product base[lowA[m]] * vt[lowB[m]]: a base monomial times 1, or an
   * order K-1 monomial as its parent times its last variable, formed where it is read (at d = 32,
   * K = 4 the base is 561 columns of the 6,545, and a block of them stays in cache).
   */
  private readonly baseCount: number;
  private readonly lowA: Int32Array;
  private readonly lowB: Int32Array;
  /** Base monomial m (order >= 1) = parent[m] times variable last[m]. */
  private readonly parent: Int32Array;
  private readonly last: Int32Array;
  /** Monomial p's distinct variables: entries entStart[p] .. entStart[p+1]) with power, p - e_i and p - 2 e_i (-1 if r_i < 2). */
  private readonly entStart: Int32Array;
  private readonly entVar: Int32Array;
  private readonly entPow: Int32Array;
  private readonly entLow: Int32Array;
  private readonly entLow2: Int32Array;

  constructor(v: Float64Array, n: number, d: number, K: number, rowsPerBlock = 256) {
    if (!(K >= 1)) throw new RangeError(`order must be at least 1, got ${K}`);
    if (v.length < n * d) throw new RangeError(`${v.length} values cannot hold ${n} rows of ${d}`);
    this.v = v;
    this.n = n;
    this.d = d;
    this.order = K;
    this.rowsPerBlock = rowsPerBlock;
    const basis = new MonomialBasis(d, K);
    this.basis = basis;
    const size = basis.size;
    const low = basis.start[K];
    this.lowCount = low;
    this.baseCount = K >= 2 ? basis.start[K - 1] : low;
    this.lowA = new Int32Array(low);
    this.lowB = new Int32Array(low);
    this.parent = new Int32Array(low);
    this.last = new Int32Array(low);
    for (let m = 1; m < low; m++) {
      const t = basis.monomial(m);
      this.parent[m] = basis.index(t.slice(0, -1));
      this.last[m] = t[t.length - 1];
    }
    for (let m = 0; m < low; m++) {
      const isBase = m < this.baseCount;
      this.lowA[m] = isBase ? m : this.parent[m];
      this.lowB[m] = isBase ? d : this.last[m];
    }
    this.entStart = new Int32Array(size + 1);
    const vars: number[] = [];
    const pows: number[] = [];
    const lows: number[] = [];
    const lows2: number[] = [];
    for (let p = 1; p < size; p++) {
      const t = basis.monomial(p);
      for (let s = 0; s < t.length; ) {
        let e = s;
        while (e < t.length && t[e] === t[s]) e++;
        const r = e - s;
        vars.push(t[s]);
        pows.push(r);
        lows.push(basis.index([...t.slice(0, s), ...t.slice(s + 1)]));
        lows2.push(r >= 2 ? basis.index([...t.slice(0, s), ...t.slice(s + 2)]) : -1);
        s = e;
      }
      this.entStart[p + 1] = vars.length;
    }
    this.entVar = Int32Array.from(vars);
    this.entPow = Int32Array.from(pows);
    this.entLow = Int32Array.from(lows);
    this.entLow2 = Int32Array.from(lows2);

    // Means of Phi and of its squares over the rows.
    const mean = new Float64Array(low);
    const meanSq = new Float64Array(low);
    const B = rowsPerBlock;
    const base = new Float64Array(this.baseCount * B);
    const vt = new Float64Array((d + 1) * B);
    for (let r0 = 0; r0 < n; r0 += B) {
      const count = Math.min(B, n - r0);
      this.fillBlock(null, r0, count, base, vt);
      for (let m = 0; m < low; m++) {
        const ao = this.lowA[m] * B;
        const bo = this.lowB[m] * B;
        let s1 = 0;
        let s2 = 0;
        for (let k = 0; k < count; k++) {
          const x = base[ao + k] * vt[bo + k];
          s1 += x;
          s2 += x * x;
        }
        mean[m] += s1;
        meanSq[m] += s2;
      }
    }
    for (let m = 0; m < low; m++) {
      mean[m] /= n;
      meanSq[m] /= n;
    }
    this.curvature = new Float64Array(size);
    this.lap = new Float64Array(size);
    for (let p = 1; p < size; p++) {
      let a = 0;
      let b = 0;
      for (let e = this.entStart[p]; e < this.entStart[p + 1]; e++) {
        const r = this.entPow[e];
        a += r * r * meanSq[this.entLow[e]];
        if (r >= 2) b += r * (r - 1) * mean[this.entLow2[e]];
      }
      this.curvature[p] = a;
      this.lap[p] = b;
    }
  }

  /**
   * The base of `count` rows (rows[s0 ..], or s0.. when rows is null): base[m * B + k] for the
   * monomials of orders 0..K-2, column by column (each the product of two contiguous runs), and the
   * rows transposed into vt with a last row of ones.
   */
  private fillBlock(rows: Int32Array | null, s0: number, count: number, base: Float64Array, vt: Float64Array): void {
    const B = this.rowsPerBlock;
    const d = this.d;
    const v = this.v;
    for (let k = 0; k < count; k++) {
      const at = (rows ? rows[s0 + k] : s0 + k) * d;
      for (let i = 0; i < d; i++) vt[i * B + k] = v[at + i];
    }
    vt.fill(1, d * B, d * B + count);
    base.fill(1, 0, count);
    const { parent, last } = this;
    for (let m = 1; m < this.baseCount; m++) {
      const o = m * B;
      const po = parent[m] * B;
      const vo = last[m] * B;
      for (let k = 0; k < count; k++) base[o + k] = base[po + k] * vt[vo + k];
    }
  }

  /** The distinct variables of monomial p (basis index) with their powers. */
  variables(p: number): { i: number; r: number }[] {
    const out: { i: number; r: number }[] = [];
    for (let e = this.entStart[p]; e < this.entStart[p + 1]; e++) out.push({ i: this.entVar[e], r: this.entPow[e] });
    return out;
  }

  /** The score s_i = sum over entries (low, i, coef) of coef * phi_low, for the action sum_s c_s phi_(support[s]). */
  private scoreEntries(support: ArrayLike<number>, coefficients: ArrayLike<number>): { low: Int32Array; variable: Int32Array; coef: Float64Array } {
    const low: number[] = [];
    const variable: number[] = [];
    const coef: number[] = [];
    for (let s = 0; s < support.length; s++) {
      const p = support[s];
      if (!(p >= 1 && p < this.basis.size)) throw new RangeError(`not a candidate monomial index: ${p}`);
      for (let e = this.entStart[p]; e < this.entStart[p + 1]; e++) {
        low.push(this.entLow[e]);
        variable.push(this.entVar[e]);
        coef.push(coefficients[s] * this.entPow[e]);
      }
    }
    return { low: Int32Array.from(low), variable: Int32Array.from(variable), coef: Float64Array.from(coef) };
  }

  /** The scores of a block, variable-major: sct[i * B + k] = s_i at row k. */
  private blockScores(entries: { low: Int32Array; variable: Int32Array; coef: Float64Array }, count: number, base: Float64Array, vt: Float64Array, sct: Float64Array): void {
    const B = this.rowsPerBlock;
    sct.fill(0, 0, this.d * B);
    const { low, variable, coef } = entries;
    for (let e = 0; e < low.length; e++) {
      const o = variable[e] * B;
      const ao = this.lowA[low[e]] * B;
      const bo = this.lowB[low[e]] * B;
      const c = coef[e];
      for (let k = 0; k < count; k++) sct[o + k] += c * base[ao + k] * vt[bo + k];
    }
  }

  /**
   * psi_p at the rows of a block (p = monomials[j]) into out[j * B + k]: sum_i r_i phi_(p - e_i) s_i
   * + sum_i r_i (r_i - 1) phi_(p - 2 e_i).
   */
  private blockPsi(monomials: ArrayLike<number>, from: number, to: number, count: number, base: Float64Array, vt: Float64Array, sct: Float64Array, out: Float64Array): void {
    const B = this.rowsPerBlock;
    const { lowA, lowB } = this;
    for (let j = from; j < to; j++) {
      const p = monomials[j];
      const o = (j - from) * B;
      out.fill(0, o, o + count);
      for (let e = this.entStart[p]; e < this.entStart[p + 1]; e++) {
        const r = this.entPow[e];
        const m = this.entLow[e];
        const ao = lowA[m] * B;
        const bo = lowB[m] * B;
        const so = this.entVar[e] * B;
        for (let k = 0; k < count; k++) out[o + k] += r * base[ao + k] * vt[bo + k] * sct[so + k];
        if (r >= 2) {
          const m2 = this.entLow2[e];
          const a2 = lowA[m2] * B;
          const b2 = lowB[m2] * B;
          const c = r * (r - 1);
          for (let k = 0; k < count; k++) out[o + k] += c * base[a2 + k] * vt[b2 + k];
        }
      }
    }
  }

  /**
   * A and b on a support (basis indices of order >= 1): A_SS (q x q, row-major) as the mean over
   * the rows, one small Gram matrix per variable over the support's monomials that contain it.
   */
  gram(support: ArrayLike<number>): { a: Float64Array; b: Float64Array } {
    const q = support.length;
    const d = this.d;
    const B = this.rowsPerBlock;
    // Per variable i: the support positions whose monomial contains i, their p - e_i and r_i.
    const pos: number[][] = Array.from({ length: d }, () => []);
    const lowOf: number[][] = Array.from({ length: d }, () => []);
    const powOf: number[][] = Array.from({ length: d }, () => []);
    for (let s = 0; s < q; s++) {
      const p = support[s];
      if (!(p >= 1 && p < this.basis.size)) throw new RangeError(`not a candidate monomial index: ${p}`);
      for (let e = this.entStart[p]; e < this.entStart[p + 1]; e++) {
        const i = this.entVar[e];
        pos[i].push(s);
        lowOf[i].push(this.entLow[e]);
        powOf[i].push(this.entPow[e]);
      }
    }
    const heap = kernelHeap();
    const alloc = (k: number): Float64Array => (heap ? heap.alloc(k) : new Float64Array(k));
    const widths = pos.map((x) => pad4(x.length));
    // Row-major blocks (rows x width) per variable: the product's A^T B form.
    const blocks = widths.map((w) => alloc(Math.max(1, B * w)));
    const sums = widths.map((w) => alloc(Math.max(1, w * w)));
    const base = new Float64Array(this.baseCount * B);
    const vt = new Float64Array((d + 1) * B);
    const { lowA, lowB } = this;
    try {
      for (let r0 = 0; r0 < this.n; r0 += B) {
        const count = Math.min(B, this.n - r0);
        this.fillBlock(null, r0, count, base, vt);
        for (let i = 0; i < d; i++) {
          const lo = lowOf[i];
          const blk = blocks[i];
          const w = widths[i];
          for (let a = 0; a < lo.length; a++) {
            const ao = lowA[lo[a]] * B;
            const bo = lowB[lo[a]] * B;
            for (let k = 0; k < count; k++) blk[k * w + a] = base[ao + k] * vt[bo + k];
          }
          if (w > 0) gemmAB(w, w, count, blk, true, blk, sums[i], { accumulate: true, tri: TRI.outLower });
        }
      }
      const a = new Float64Array(q * q);
      for (let i = 0; i < d; i++) {
        const w = widths[i];
        const ps = pos[i];
        const rs = powOf[i];
        const g = sums[i];
        for (let x = 0; x < ps.length; x++) {
          for (let y = 0; y <= x; y++) {
            const val = (rs[x] * rs[y] * g[x * w + y]) / this.n;
            a[ps[x] * q + ps[y]] += val;
            if (x !== y) a[ps[y] * q + ps[x]] += val;
          }
        }
      }
      const b = Float64Array.from({ length: q }, (_, s) => this.lap[support[s]]);
      return { a, b };
    } finally {
      if (heap) for (const x of [...blocks, ...sums]) heap.release(x);
    }
  }

  /**
   * The gradient g_p = (A c + b)_p of J at the action sum_(s) c_s phi_(support[s]), for every basis
   * index p (g[0] = 0), from T = E[Phi^T Sc]. With `meat`, also B = mean over the rows of psi psi^T
   * on the support (psi the row's gradient of J; the sandwich's middle), q x q.
   */
  gradient(support: ArrayLike<number>, coefficients: ArrayLike<number>, meat = false): { g: Float64Array; meat: Float64Array | null } {
    const d = this.d;
    const q = support.length;
    const low = this.lowCount;
    const baseP = pad4(this.baseCount);
    const dP = pad4(d);
    const qP = pad4(q);
    const B = this.rowsPerBlock;
    const entries = this.scoreEntries(support, coefficients);
    const heap = kernelHeap();
    const alloc = (k: number): Float64Array => (heap ? heap.alloc(k) : new Float64Array(k));
    // The products' A operands monomial-major (base, then slices of the order K-1 monomials formed
    // from it), the scores row-major (B x dP) as their B; T has baseP + the slices' padded rows.
    const slice = 256;
    const top = low - this.baseCount;
    const tRows = baseP + Math.ceil(top / slice) * slice;
    const base = alloc(baseP * B);
    const part = alloc(slice * B);
    const vt = new Float64Array((d + 1) * B);
    const sct = new Float64Array(d * B);
    const sc = alloc(B * dP);
    const t = alloc(tRows * dP);
    const psiT = meat ? new Float64Array(q * B) : null;
    const psi = meat ? alloc(B * qP) : null;
    const bSum = meat ? alloc(qP * qP) : null;
    const all = Int32Array.from(support);
    const { lowA, lowB } = this;
    try {
      for (let r0 = 0; r0 < this.n; r0 += B) {
        const count = Math.min(B, this.n - r0);
        this.fillBlock(null, r0, count, base, vt);
        this.blockScores(entries, count, base, vt, sct);
        for (let k = 0; k < count; k++) for (let i = 0; i < d; i++) sc[k * dP + i] = sct[i * B + k];
        gemmAB(baseP, dP, count, base, false, sc, t, { accumulate: true, lda: B });
        for (let m0 = this.baseCount; m0 < low; m0 += slice) {
          const m1 = Math.min(low, m0 + slice);
          for (let m = m0; m < m1; m++) {
            const o = (m - m0) * B;
            const ao = lowA[m] * B;
            const bo = lowB[m] * B;
            for (let k = 0; k < count; k++) part[o + k] = base[ao + k] * vt[bo + k];
          }
          if (m1 - m0 < slice) part.fill(0, (m1 - m0) * B);
          const row = baseP + (m0 - this.baseCount);
          gemmAB(slice, dP, count, part, false, sc, t.subarray(row * dP, (row + slice) * dP), { accumulate: true, lda: B });
        }
        if (psiT && psi && bSum) {
          this.blockPsi(all, 0, q, count, base, vt, sct, psiT);
          for (let s = 0; s < q; s++) for (let k = 0; k < count; k++) psi[k * qP + s] = psiT[s * B + k];
          gemmAB(qP, qP, count, psi, true, psi, bSum, { accumulate: true, tri: TRI.outLower });
        }
      }
      // T's row of monomial m (the base, then the order K-1 monomials after baseP).
      const tRow = (m: number): number => (m < this.baseCount ? m : baseP + m - this.baseCount);
      const size = this.basis.size;
      const g = new Float64Array(size);
      for (let p = 1; p < size; p++) {
        let x = 0;
        for (let e = this.entStart[p]; e < this.entStart[p + 1]; e++) x += this.entPow[e] * t[tRow(this.entLow[e]) * dP + this.entVar[e]];
        g[p] = x / this.n + this.lap[p];
      }
      let m: Float64Array | null = null;
      if (bSum) {
        m = new Float64Array(q * q);
        for (let x = 0; x < q; x++) {
          for (let y = 0; y <= x; y++) {
            const val = bSum[x * qP + y] / this.n;
            m[x * q + y] = val;
            m[y * q + x] = val;
          }
        }
      }
      return { g, meat: m };
    } finally {
      if (heap) for (const x of [base, part, sc, t, psi, bSum]) if (x) heap.release(x);
    }
  }

  /**
   * The spread of each row's gradient of J along the given monomials (basis indices), at the action
   * sum_s c_s phi_(support[s]): Var over the rows of psi_p = sum_i d_i phi_p s_i + sum_i d_i^2 phi_p,
   * over all rows or, with `maxRows`, an evenly spaced subset of that many. sqrt(N) g_p / sd(psi_p)
   * is the score statistic standardised by the rows' own spread, which a_p is not: for score
   * matching Var(psi_p) differs from A_pp (null quartics of a phi^4 lattice: 3-5 times larger).
   */
  scoreVariance(support: ArrayLike<number>, coefficients: ArrayLike<number>, monomials: ArrayLike<number>, maxRows = Infinity): Float64Array {
    const d = this.d;
    const B = this.rowsPerBlock;
    const m = monomials.length;
    const entries = this.scoreEntries(support, coefficients);
    const used = Math.min(this.n, maxRows);
    const rows = used < this.n ? Int32Array.from({ length: used }, (_, j) => Math.floor((j * this.n) / used)) : null;
    const base = new Float64Array(this.baseCount * B);
    const vt = new Float64Array((d + 1) * B);
    const sct = new Float64Array(d * B);
    const chunk = 64;
    const psi = new Float64Array(chunk * B);
    const sum = new Float64Array(m);
    const sum2 = new Float64Array(m);
    for (let r0 = 0; r0 < used; r0 += B) {
      const count = Math.min(B, used - r0);
      this.fillBlock(rows, r0, count, base, vt);
      this.blockScores(entries, count, base, vt, sct);
      for (let j0 = 0; j0 < m; j0 += chunk) {
        const j1 = Math.min(m, j0 + chunk);
        this.blockPsi(monomials, j0, j1, count, base, vt, sct, psi);
        for (let j = j0; j < j1; j++) {
          let s1 = 0;
          let s2 = 0;
          for (let k = (j - j0) * B, e = k + count; k < e; k++) {
            const x = psi[k];
            s1 += x;
            s2 += x * x;
          }
          sum[j] += s1;
          sum2[j] += s2;
        }
      }
    }
    return Float64Array.from(sum2, (s2, k) => Math.max(0, s2 / used - (sum[k] / used) ** 2));
  }
}

export interface ForwardScreenOptions {
  /** Most candidates returned (the screened support plus near-passers). */
  maxCandidates: number;
  /**
   * A monomial outside the support may enter when its score statistic reaches this. 'auto': the
   * level that about one of all the monomials of orders 1..K passes by chance if none is in the
   * theory (two-sided normal tail 1 / total), but at least 3: 3.1 at d = 8, 3.7 at d = 16, 4.3 at
   * d = 32 (K = 4).
   */
  threshold: number | 'auto';
  /**
   * The statistic's denominator: 'robust', the rows' own spread of psi_p (sqrt(N) |g_p| / sd(psi_p),
   * computed for the monomials whose curvature statistic reaches 0.8 x threshold, the strongest
   * `evaluateAtMost`), or 'curvature', sqrt(a_p) (sqrt(N) |g_p| / sqrt(a_p), for every monomial).
   */
  statistic: 'robust' | 'curvature';
  evaluateAtMost: number;
  /** Rows (evenly spaced) over which sd(psi_p) is estimated at most; the gradient g_p always uses every row. */
  varianceRows: number;
  /** Which passing monomials enter first: the largest decrease of J, g_p^2 / (2 a_p), or the largest statistic. */
  rank: 'gain' | 'statistic';
  /** At most max(minBatch, batchFraction * |S|) monomials enter per round. */
  batchFraction: number;
  minBatch: number;
  /** Fits (rounds) at most. */
  maxRounds: number;
  /**
   * The starting support: every monomial of orders 1 and 2 when there are at most this many of them
   * (d(d+3)/2), else the linear terms and the squares v_i^2.
   */
  fullQuadraticUpTo: number;
  /**
   * Between rounds, terms of the support whose sandwich |z| = |c| / se is below this are dropped
   * (0: never); they come back if their score statistic passes again (once: a term dropped twice
   * stays out). 'auto': the threshold minus 1 (at least 1), well below the cut a term must pass in
   * the elimination afterwards (Holm over every monomial: |z| >= 5.2 at d = 32, K = 4, alpha = 0.01). The starting terms never passed a test, and
   * entered terms can be explained away by later ones: this keeps the screen near the theory's size.
   */
  dropBelow: number | 'auto';
  /** Near-passers (the strongest monomials left out) added to the result, as a fraction of the support, if there is room. */
  extraFraction: number;
  /** Rows per product block. */
  rowsPerBlock: number;
}

export const DEFAULT_FORWARD_SCREEN: ForwardScreenOptions = {
  maxCandidates: 600,
  threshold: 'auto',
  statistic: 'robust',
  evaluateAtMost: 2000,
  varianceRows: 8000,
  rank: 'gain',
  batchFraction: 0.5,
  minBatch: 20,
  maxRounds: 30,
  fullQuadraticUpTo: 600,
  dropBelow: 'auto',
  extraFraction: 0.1,
  rowsPerBlock: 256,
};

export interface ScreenRound {
  support: number;
  /** Monomials outside the support whose statistic passed the threshold. */
  passing: number;
  added: number;
  dropped: number;
  /** The largest statistic outside the support. */
  maxStatistic: number;
  seconds: number;
}

export interface ForwardScreenResult {
  /** Sorted index tuples, graded lexicographic order. */
  monomials: number[][];
  rounds: number;
  description: string;
  seconds: number;
  /** How many of `monomials` are the final support (the rest are near-passers). */
  support: number;
  history: ScreenRound[];
}

interface SupportFit {
  support: number[];
  coefficients: Float64Array;
  factor: Float64Array;
  /** Support members that were combinations of others on these rows (removed). */
  dependent: number[];
}

/** c = -A_SS^-1 b_S; a monomial that is a combination of the others on these rows is removed (and named). */
function fitOn(screen: ScoreScreen, support: number[]): SupportFit {
  const { a, b } = screen.gram(support);
  let keep = support.map((_, k) => k);
  const dependent: number[] = [];
  const q0 = support.length;
  for (;;) {
    const q = keep.length;
    const aS = new Float64Array(q * q);
    const bS = new Float64Array(q);
    for (let x = 0; x < q; x++) {
      bS[x] = b[keep[x]];
      for (let y = 0; y < q; y++) aS[x * q + y] = a[keep[x] * q0 + keep[y]];
    }
    const l = choleskyOrPivot(aS, q);
    if (typeof l === 'number') {
      dependent.push(support[keep[l]]);
      keep = keep.filter((_, k) => k !== l);
      continue;
    }
    const c = choleskySolve(l, q, bS).map((x) => -x);
    return { support: keep.map((k) => support[k]), coefficients: c, factor: l, dependent };
  }
}

/** Sandwich z = c / se on the support: se^2 = (A^-1 B A^-1)_ss / N. */
function sandwichZ(fit: SupportFit, meat: Float64Array, n: number): Float64Array {
  const q = fit.support.length;
  const inv = choleskyInverse(fit.factor, q);
  const w = new Float64Array(q * q);
  gemmAB(q, q, q, inv, false, meat, w);
  const z = new Float64Array(q);
  for (let s = 0; s < q; s++) {
    let v = 0;
    for (let k = 0; k < q; k++) v += w[s * q + k] * inv[k * q + s];
    z[s] = fit.coefficients[s] / Math.sqrt(Math.max(v / n, 1e-300));
  }
  return z;
}

/** The entry threshold: a number as given, or 'auto' (about one chance pass among `total` monomials, at least 3). */
export function screenThreshold(threshold: number | 'auto', total: number): number {
  if (threshold !== 'auto') return threshold;
  return Math.max(3, upperQuantile(1 / (2 * Math.max(1, total))));
}

/**
 * Screens every monomial of orders 1..K in d variables on the rows v (n x d, row-major, in the fit's
 * standardized coordinates) by forward rounds on the score-matching objective: fit the support;
 * compute g_p and a_p of every monomial outside it, and for the strongest the score statistic
 * sqrt(N) |g_p| / sd(psi_p); add those that pass the threshold, the largest decrease of J
 * g_p^2 / (2 a_p) first (a batch per round); drop terms whose sandwich |z| fell below dropBelow;
 * refit; until nothing changes, or the cap is reached. Returns the final support plus the strongest
 * near-passers (sorted index tuples, graded lexicographic), for backward elimination to decide.
 */
export function forwardScreen(v: Float64Array, n: number, d: number, K: number, options: Partial<ForwardScreenOptions> = {}): ForwardScreenResult {
  const t0 = performance.now();
  const o = { ...DEFAULT_FORWARD_SCREEN, ...options };
  const screen = new ScoreScreen(v, n, d, K, o.rowsPerBlock);
  const basis = screen.basis;
  const size = basis.size;
  const threshold = screenThreshold(o.threshold, size - 1);
  const dropBelow = o.dropBelow === 'auto' ? Math.max(1, threshold - 1) : o.dropBelow;
  const inS = new Uint8Array(size);
  // Combinations of other terms on these rows never enter; a term dropped twice does not enter again.
  const blocked = new Uint8Array(size);
  const drops = new Uint8Array(size);
  const fullQuadratic = (d * (d + 3)) / 2 <= Math.min(o.fullQuadraticUpTo, o.maxCandidates) || K < 2;
  let support: number[] = [];
  for (let p = 1; p < basis.start[Math.min(K, 2) + 1]; p++) {
    const t = basis.monomial(p);
    if (t.length === 1 || fullQuadratic || t[0] === t[1]) support.push(p);
  }
  const startSize = support.length;
  for (const p of support) inS[p] = 1;
  const history: ScreenRound[] = [];
  const sqrtN = Math.sqrt(n);
  const robust = o.statistic === 'robust';
  let statistic = new Float64Array(size);
  let dependentCount = 0;
  let droppedTotal = 0;
  let capped = false;
  let settled = false;
  let rounds = 0;
  for (; rounds < o.maxRounds; ) {
    const r0 = performance.now();
    rounds++;
    const fit = fitOn(screen, support);
    for (const p of fit.dependent) {
      blocked[p] = 1;
      inS[p] = 0;
      dependentCount++;
    }
    support = fit.support;
    const { g, meat } = screen.gradient(support, fit.coefficients, dropBelow > 0 && support.length > 0);
    // The curvature statistic of every monomial outside the support; for 'robust', the strongest are re-standardised.
    statistic = new Float64Array(size);
    const gain = new Float64Array(size);
    let passing: number[] = [];
    const gate = robust ? 0.8 * threshold : threshold;
    for (let p = 1; p < size; p++) {
      if (inS[p] || blocked[p] || drops[p] >= 2) continue;
      const a = screen.curvature[p];
      if (!(a > 0)) continue;
      const t = (sqrtN * Math.abs(g[p])) / Math.sqrt(a);
      gain[p] = (g[p] * g[p]) / (2 * a);
      statistic[p] = t;
      if (t >= gate) passing.push(p);
    }
    if (robust) {
      passing.sort((x, y) => statistic[y] - statistic[x]);
      const evaluated = passing.slice(0, o.evaluateAtMost);
      const variance = screen.scoreVariance(support, fit.coefficients, evaluated, o.varianceRows);
      // Monomials not evaluated keep no statistic (they rank below every evaluated one).
      statistic = new Float64Array(size);
      evaluated.forEach((p, k) => (statistic[p] = variance[k] > 0 ? (sqrtN * Math.abs(g[p])) / Math.sqrt(variance[k]) : 0));
      passing = evaluated.filter((p) => statistic[p] >= threshold);
    }
    let maxStatistic = 0;
    for (let p = 1; p < size; p++) if (statistic[p] > maxStatistic) maxStatistic = statistic[p];
    const key = o.rank === 'gain' ? gain : statistic;
    passing.sort((x, y) => key[y] - key[x]);
    const drop: number[] = [];
    if (meat) {
      const z = sandwichZ(fit, meat, n);
      support.forEach((p, s) => {
        if (Math.abs(z[s]) < dropBelow) drop.push(p);
      });
    }
    const kept = support.length - drop.length;
    const batch = Math.max(o.minBatch, Math.ceil(o.batchFraction * support.length));
    const room = o.maxCandidates - kept;
    const add = passing.slice(0, Math.max(0, Math.min(batch, room)));
    capped = room < batch && passing.length > add.length;
    history.push({ support: support.length, passing: passing.length, added: add.length, dropped: drop.length, maxStatistic, seconds: (performance.now() - r0) / 1000 });
    if (add.length === 0 && drop.length === 0) {
      settled = true;
      break;
    }
    for (const p of drop) {
      inS[p] = 0;
      drops[p]++;
    }
    for (const p of add) inS[p] = 1;
    droppedTotal += drop.length;
    support = support.filter((p) => inS[p]).concat(add);
  }
  // Near-passers: the strongest monomials left out, by the last statistics.
  const extrasWanted = Math.min(o.maxCandidates - support.length, Math.ceil(o.extraFraction * support.length));
  const rest: number[] = [];
  for (let p = 1; p < size; p++) if (!inS[p] && !blocked[p] && statistic[p] > 0) rest.push(p);
  rest.sort((x, y) => statistic[y] - statistic[x]);
  const extras = rest.slice(0, Math.max(0, extrasWanted));
  const chosen = support.concat(extras).sort((x, y) => x - y);
  const total = size - 1;
  const seconds = (performance.now() - t0) / 1000;
  const statisticWords = robust ? 'sqrt(N)|g|/sd(psi), the gradient of J against its spread over the rows,' : 'sqrt(N)|g|/sqrt(a)';
  const description =
    `forward screening on the score-matching objective over all ${total} monomials of orders 1..${K} in ${d} variables, ${n} rows: ` +
    `from ${fullQuadratic ? 'every monomial of orders 1 and 2' : 'the linear terms and the squares'} (${startSize}), ` +
    `${rounds} round${rounds === 1 ? '' : 's'} each adding the monomials whose score statistic ${statisticWords} is at least ${Number(threshold.toFixed(2))}` +
    `${o.threshold === 'auto' ? ' (auto: about one chance pass among them all)' : ''}, ` +
    `at most max(${o.minBatch}, ${Math.round(o.batchFraction * 100)}% of the support) per round, ${o.rank === 'gain' ? 'the largest decrease of J' : 'the largest statistic'} first` +
    (dropBelow > 0 ? `, and dropping terms whose sandwich |z| fell below ${Number(dropBelow.toFixed(2))}${o.dropBelow === 'auto' ? ' (the threshold minus 1)' : ''} (${droppedTotal} drops)` : '') +
    `; ${support.length} terms kept${capped ? ` (stopped at the cap of ${o.maxCandidates} with monomials still passing)` : ''}${settled ? '' : ` (stopped after ${o.maxRounds} rounds, still changing)`}` +
    (extras.length > 0 ? ` plus the ${extras.length} strongest near-passers` : '') +
    (dependentCount > 0 ? `; ${dependentCount} monomials were combinations of others on these rows and left out` : '');
  return { monomials: chosen.map((p) => basis.monomial(p)), rounds, description, seconds, support: support.length, history };
}
