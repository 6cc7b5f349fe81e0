import { MonomialBasis } from '../poly/basis';

/**
 * The forward screen's tables and row blocks (the algorithm and its notation: the comment at the top
 * of src/core/identify/forward-screen.ts, and docs/METHOD.md section 9.3): which monomials of orders
 * 0..K-1 each monomial's derivatives reduce to, the means of Phi and of its squares (a_p, b_p), and
 * the per-block products (the base monomials, the scores s_i, the rows' gradients psi_p) that the
 * passes over the rows (ScoreScreen, src/core/identify/score-screen-passes.ts) are built from.
 */

/** Fit-independent tables and moments of every monomial of orders 1..K on the rows. */
export class ScoreScreenTables {
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
  // From here on the screen's internals (with the block methods below): protected and readonly, read
  // by the passes over the rows (the subclass ScoreScreen, score-screen-passes.ts) and nothing else.
  protected readonly v: Float64Array;
  /**
   * A block holds the monomials of orders 0..K-2 (the base, baseCount of them) monomial-major,
   * base[m * B + k], and the rows transposed with a row of ones, vt[i * B + k] (i = d: 1). Every
   * column of Phi is then a product base[lowA[m]] * vt[lowB[m]]: a base monomial times 1, or an
   * order K-1 monomial as its parent times its last variable, formed where it is read (at d = 32,
   * K = 4 the base is 561 columns of the 6,545, and a block of them stays in cache).
   */
  protected readonly baseCount: number;
  protected readonly lowA: Int32Array;
  protected readonly lowB: Int32Array;
  /** Base monomial m (order >= 1) = parent[m] times variable last[m]. */
  protected readonly parent: Int32Array;
  protected readonly last: Int32Array;
  /** Monomial p's distinct variables: entries entStart[p] .. entStart[p+1]) with power, p - e_i and p - 2 e_i (-1 if r_i < 2). */
  protected readonly entStart: Int32Array;
  protected readonly entVar: Int32Array;
  protected readonly entPow: Int32Array;
  protected readonly entLow: Int32Array;
  protected readonly entLow2: Int32Array;

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
  protected fillBlock(rows: Int32Array | null, s0: number, count: number, base: Float64Array, vt: Float64Array): void {
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
  protected scoreEntries(support: ArrayLike<number>, coefficients: ArrayLike<number>): { low: Int32Array; variable: Int32Array; coef: Float64Array } {
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
  protected blockScores(entries: { low: Int32Array; variable: Int32Array; coef: Float64Array }, count: number, base: Float64Array, vt: Float64Array, sct: Float64Array): void {
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
  protected blockPsi(monomials: ArrayLike<number>, from: number, to: number, count: number, base: Float64Array, vt: Float64Array, sct: Float64Array, out: Float64Array): void {
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
}
