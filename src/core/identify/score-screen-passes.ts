import { gemmAB, TRI } from '../linalg/kernels';
import { kernelHeap } from '../linalg/wasm/kernel';
import { ScoreScreenTables } from './score-screen';

/**
 * The passes over the rows of the forward screen (the algorithm and its notation: the comment at the
 * top of src/core/identify/forward-screen.ts, and docs/METHOD.md section 9.3), on the tables and row
 * blocks of ScoreScreenTables: A and b on a support (gram), the gradient g_p of J at a fit for every
 * monomial with the sandwich's middle (gradient), and the rows' spread of psi_p (scoreVariance).
 */

const pad4 = (v: number): number => Math.ceil(v / 4) * 4;

/** Fit-independent tables and moments of every monomial of orders 1..K on the rows, and the passes over them. */
export class ScoreScreen extends ScoreScreenTables {
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
