import { gemmAB, TRI } from '../flow/kernels';
import { kernelHeap } from '../flow/wasm/kernel';
import { choleskyInverse, choleskyOrPivot, choleskySolve } from '../linalg/cholesky';
import { MonomialBasis } from '../poly/basis';

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
  readonly rowsPerBlock: number;
  private readonly v: Float64Array;
  /** phi_m = phi_parent[m] * v_last[m] for m in 1..lowCount-1. */
  private readonly parent: Int32Array;
  private readonly last: Int32Array;
  /** Monomial p's distinct variables: entries entStart[p] .. entStart[p+1]) with power, p - e_i and p - 2 e_i (-1 if r_i < 2). */
  private readonly entStart: Int32Array;
  private readonly entVar: Int32Array;
  private readonly entPow: Int32Array;
  private readonly entLow: Int32Array;
  private readonly entLow2: Int32Array;

  constructor(v: Float64Array, n: number, d: number, K: number, rowsPerBlock = 128) {
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
    this.parent = new Int32Array(low);
    this.last = new Int32Array(low);
    for (let m = 1; m < low; m++) {
      const t = basis.monomial(m);
      this.last[m] = t[t.length - 1];
      this.parent[m] = basis.index(t.slice(0, -1));
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
    const row = new Float64Array(low);
    for (let r = 0; r < n; r++) {
      this.fillRow(r, row, 0);
      for (let m = 0; m < low; m++) {
        const x = row[m];
        mean[m] += x;
        meanSq[m] += x * x;
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

  /** Phi at row r (every monomial of orders 0..K-1) into out[offset ..]. */
  private fillRow(r: number, out: Float64Array, offset: number): void {
    const v = this.v;
    const base = r * this.d;
    const parent = this.parent;
    const last = this.last;
    out[offset] = 1;
    for (let m = 1; m < this.lowCount; m++) out[offset + m] = out[offset + parent[m]] * v[base + last[m]];
  }

  /** The distinct variables of monomial p (basis index) with their powers. */
  variables(p: number): { i: number; r: number }[] {
    const out: { i: number; r: number }[] = [];
    for (let e = this.entStart[p]; e < this.entStart[p + 1]; e++) out.push({ i: this.entVar[e], r: this.entPow[e] });
    return out;
  }

  /**
   * A and b on a support (basis indices of order >= 1): A_SS (q x q, row-major) as the mean over
   * the rows, one small Gram matrix per variable over the support's monomials that contain it.
   */
  gram(support: ArrayLike<number>): { a: Float64Array; b: Float64Array } {
    const q = support.length;
    const d = this.d;
    const per = this.rowsPerBlock * 4;
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
    const blocks = widths.map((w) => alloc(Math.max(1, per * w)));
    const sums = widths.map((w) => alloc(Math.max(1, w * w)));
    const row = new Float64Array(this.lowCount);
    try {
      for (let s0 = 0; s0 < this.n; s0 += per) {
        const count = Math.min(per, this.n - s0);
        for (let k = 0; k < count; k++) {
          this.fillRow(s0 + k, row, 0);
          for (let i = 0; i < d; i++) {
            const lo = lowOf[i];
            const blk = blocks[i];
            const o = k * widths[i];
            for (let a = 0; a < lo.length; a++) blk[o + a] = row[lo[a]];
          }
        }
        for (let i = 0; i < d; i++) {
          const w = widths[i];
          if (w > 0) gemmAB(w, w, count, blocks[i], true, blocks[i], sums[i], { accumulate: true, tri: TRI.outLower });
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
    const lowP = pad4(low);
    const dP = pad4(d);
    const qP = pad4(q);
    const per = this.rowsPerBlock;
    // The score s_i = sum over (low, i, coef) of coef * phi_low.
    const sLow: number[] = [];
    const sVar: number[] = [];
    const sCoef: number[] = [];
    for (let s = 0; s < q; s++) {
      const p = support[s];
      for (let e = this.entStart[p]; e < this.entStart[p + 1]; e++) {
        sLow.push(this.entLow[e]);
        sVar.push(this.entVar[e]);
        sCoef.push(coefficients[s] * this.entPow[e]);
      }
    }
    const heap = kernelHeap();
    const alloc = (k: number): Float64Array => (heap ? heap.alloc(k) : new Float64Array(k));
    const phi = alloc(per * lowP);
    const sc = alloc(per * dP);
    const t = alloc(lowP * dP);
    const psi = meat ? alloc(per * qP) : null;
    const bSum = meat ? alloc(qP * qP) : null;
    try {
      for (let s0 = 0; s0 < this.n; s0 += per) {
        const count = Math.min(per, this.n - s0);
        for (let k = 0; k < count; k++) {
          const o = k * lowP;
          this.fillRow(s0 + k, phi, o);
          const so = k * dP;
          sc.fill(0, so, so + d);
          for (let e = 0; e < sLow.length; e++) sc[so + sVar[e]] += sCoef[e] * phi[o + sLow[e]];
          if (psi) {
            const po = k * qP;
            for (let s = 0; s < q; s++) {
              const p = support[s];
              let x = 0;
              for (let e = this.entStart[p]; e < this.entStart[p + 1]; e++) {
                const r = this.entPow[e];
                x += r * phi[o + this.entLow[e]] * sc[so + this.entVar[e]];
                if (r >= 2) x += r * (r - 1) * phi[o + this.entLow2[e]];
              }
              psi[po + s] = x;
            }
          }
        }
        gemmAB(lowP, dP, count, phi, true, sc, t, { accumulate: true });
        if (psi && bSum) gemmAB(qP, qP, count, psi, true, psi, bSum, { accumulate: true, tri: TRI.outLower });
      }
      const size = this.basis.size;
      const g = new Float64Array(size);
      for (let p = 1; p < size; p++) {
        let x = 0;
        for (let e = this.entStart[p]; e < this.entStart[p + 1]; e++) x += this.entPow[e] * t[this.entLow[e] * dP + this.entVar[e]];
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
      if (heap) for (const x of [phi, sc, t, psi, bSum]) if (x) heap.release(x);
    }
  }
}

export interface ForwardScreenOptions {
  /** Most candidates returned (the screened support plus near-passers). */
  maxCandidates: number;
  /** A monomial outside the support enters when its score statistic sqrt(N) |g_p| / sqrt(a_p) reaches this. */
  threshold: number;
  /** At most max(minBatch, batchFraction * |S|) monomials enter per round (the strongest first). */
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
   * (0: never). They may come back if their score statistic passes again.
   */
  dropBelow: number;
  /** Near-passers (the strongest monomials left out) added to the result, as a fraction of the support, if there is room. */
  extraFraction: number;
  /** Rows per product block. */
  rowsPerBlock: number;
}

export const DEFAULT_FORWARD_SCREEN: ForwardScreenOptions = {
  maxCandidates: 600,
  threshold: 3,
  batchFraction: 0.25,
  minBatch: 20,
  maxRounds: 30,
  fullQuadraticUpTo: 300,
  dropBelow: 1,
  extraFraction: 0.1,
  rowsPerBlock: 128,
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

/**
 * Screens every monomial of orders 1..K in d variables on the rows v (n x d, row-major, in the fit's
 * standardized coordinates) by forward rounds on the score-matching objective: fit the support,
 * rank every monomial outside it by g_p^2 / (2 a_p) (equivalently by its score statistic
 * sqrt(N) |g_p| / sqrt(a_p)), add the strongest that pass the threshold (a batch per round), drop
 * terms whose sandwich |z| is small, refit; until nothing passes or the cap is reached. Returns the
 * final support plus the strongest near-passers, for backward elimination to decide.
 */
export function forwardScreen(v: Float64Array, n: number, d: number, K: number, options: Partial<ForwardScreenOptions> = {}): ForwardScreenResult {
  const t0 = performance.now();
  const o = { ...DEFAULT_FORWARD_SCREEN, ...options };
  const screen = new ScoreScreen(v, n, d, K, o.rowsPerBlock);
  const basis = screen.basis;
  const size = basis.size;
  const inS = new Uint8Array(size);
  const blocked = new Uint8Array(size);
  const fullQuadratic = (d * (d + 3)) / 2 <= o.fullQuadraticUpTo || K < 2;
  let support: number[] = [];
  for (let p = 1; p < basis.start[Math.min(K, 2) + 1]; p++) {
    const t = basis.monomial(p);
    if (t.length === 1 || fullQuadratic || t[0] === t[1]) support.push(p);
  }
  const startSize = support.length;
  for (const p of support) inS[p] = 1;
  const history: ScreenRound[] = [];
  const sqrtN = Math.sqrt(n);
  let statistic = new Float64Array(size);
  let dependentCount = 0;
  let droppedTotal = 0;
  let capped = false;
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
    const wantMeat = o.dropBelow > 0;
    const { g, meat } = screen.gradient(support, fit.coefficients, wantMeat);
    statistic = new Float64Array(size);
    const passing: number[] = [];
    let maxStatistic = 0;
    for (let p = 1; p < size; p++) {
      if (inS[p] || blocked[p]) continue;
      const a = screen.curvature[p];
      if (!(a > 0)) continue;
      const t = (sqrtN * Math.abs(g[p])) / Math.sqrt(a);
      statistic[p] = t;
      if (t > maxStatistic) maxStatistic = t;
      if (t >= o.threshold) passing.push(p);
    }
    passing.sort((x, y) => statistic[y] - statistic[x]);
    const drop: number[] = [];
    if (meat) {
      const z = sandwichZ(fit, meat, n);
      support.forEach((p, s) => {
        if (Math.abs(z[s]) < o.dropBelow) drop.push(p);
      });
    }
    const kept = support.length - drop.length;
    const batch = Math.max(o.minBatch, Math.ceil(o.batchFraction * support.length));
    const room = o.maxCandidates - kept;
    const add = passing.slice(0, Math.max(0, Math.min(batch, room)));
    capped = room < batch && passing.length > add.length;
    history.push({ support: support.length, passing: passing.length, added: add.length, dropped: drop.length, maxStatistic, seconds: (performance.now() - r0) / 1000 });
    if (add.length === 0 && drop.length === 0) break;
    for (const p of drop) inS[p] = 0;
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
  const description =
    `forward screening on the score-matching objective over all ${total} monomials of orders 1..${K} in ${d} variables, ${n} rows: ` +
    `from ${fullQuadratic ? 'every monomial of orders 1 and 2' : 'the linear terms and the squares'} (${startSize}), ` +
    `${rounds} round${rounds === 1 ? '' : 's'} each adding the monomials whose score statistic sqrt(N)|g|/sqrt(a) is at least ${o.threshold} ` +
    `(at most max(${o.minBatch}, ${Math.round(o.batchFraction * 100)}% of the support) per round, the strongest first)` +
    (o.dropBelow > 0 ? ` and dropping terms whose sandwich |z| fell below ${o.dropBelow} (${droppedTotal} drops)` : '') +
    `; ${support.length} terms kept${capped ? ` (stopped at the cap of ${o.maxCandidates} with monomials still passing)` : ''}` +
    (extras.length > 0 ? ` plus the ${extras.length} strongest near-passers` : '') +
    (dependentCount > 0 ? `; ${dependentCount} monomials were combinations of others on these rows and left out` : '');
  return { monomials: chosen.map((p) => basis.monomial(p)), rounds, description, seconds, support: support.length, history };
}
