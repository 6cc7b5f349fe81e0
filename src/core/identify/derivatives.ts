/**
 * The candidate monomials of a direct fit and their derivatives at data rows (docs/METHOD.md section
 * 9). A monomial phi_m = prod_i v_i^(r_i) has d_i phi_m = r_i v_i^(r_i - 1) prod_(j != i) v_j^(r_j)
 * and d_i^2 phi_m = r_i (r_i - 1) v_i^(r_i - 2) prod_(j != i) v_j^(r_j): products of powers, computed
 * from one table of v_j^k per row. Any list of monomials (sorted index tuples of order >= 1), dense or
 * screened, in any order.
 */

import { MonomialBasis } from '../poly/basis';

export class CandidateMonomials {
  readonly d: number;
  readonly size: number;
  /** Highest order among the monomials. */
  readonly order: number;
  /** The distinct variables of monomial m: vars[start[m] .. start[m+1]), with their powers. */
  private readonly start: Int32Array;
  private readonly vars: Int32Array;
  private readonly powers: Int32Array;
  private readonly tuples: number[][];

  constructor(d: number, monomials: readonly (readonly number[])[]) {
    this.d = d;
    this.size = monomials.length;
    this.tuples = monomials.map((m) => [...m]);
    this.start = new Int32Array(this.size + 1);
    const vars: number[] = [];
    const powers: number[] = [];
    let order = 0;
    monomials.forEach((m, k) => {
      if (m.length === 0) throw new RangeError('the constant is not a candidate (score matching does not see it)');
      order = Math.max(order, m.length);
      for (let t = 0; t < m.length; t++) {
        if (m[t] < 0 || m[t] >= d || (t > 0 && m[t] < m[t - 1])) throw new RangeError(`not a sorted monomial of ${d} variables: [${m.join(',')}]`);
        if (t > 0 && m[t] === m[t - 1]) powers[powers.length - 1]++;
        else {
          vars.push(m[t]);
          powers.push(1);
        }
      }
      this.start[k + 1] = vars.length;
    });
    this.vars = Int32Array.from(vars);
    this.powers = Int32Array.from(powers);
    this.order = order;
  }

  monomial(m: number): number[] {
    return [...this.tuples[m]];
  }

  monomials(): number[][] {
    return this.tuples.map((t) => [...t]);
  }

  /** The sub-list of the monomials at `keep` (indices into this list, in that order). */
  subset(keep: ArrayLike<number>): CandidateMonomials {
    return new CandidateMonomials(this.d, Array.from(keep, (k) => this.tuples[k]));
  }

  /** v_j^k for k = 0..order, j < d, of one row: table[j * (order + 1) + k]. */
  powerTable(row: ArrayLike<number>, table: Float64Array): void {
    const w = this.order + 1;
    for (let j = 0; j < this.d; j++) {
      let p = 1;
      const v = row[j];
      for (let k = 0; k < w; k++) {
        table[j * w + k] = p;
        p *= v;
      }
    }
  }

  /**
   * The derivatives of every monomial at one row (its power table): grad[i * ldg + m] += d_i phi_m
   * (rows of the block for coordinates i = 0..d-1, stride ldg) and lap[m] += sum_i d_i^2 phi_m.
   * Entries of coordinates a monomial does not contain are left alone (the caller zeroes the block).
   */
  derivatives(table: Float64Array, grad: Float64Array, gradOffset: number, ldg: number, lap: Float64Array | null): void {
    const w = this.order + 1;
    for (let m = 0; m < this.size; m++) {
      const s = this.start[m];
      const e = this.start[m + 1];
      for (let a = s; a < e; a++) {
        const i = this.vars[a];
        const r = this.powers[a];
        let others = 1;
        for (let b = s; b < e; b++) if (b !== a) others *= table[this.vars[b] * w + this.powers[b]];
        grad[gradOffset + i * ldg + m] += r * table[i * w + r - 1] * others;
        if (lap && r >= 2) lap[m] += r * (r - 1) * table[i * w + r - 2] * others;
      }
    }
  }

  /** Number of (monomial, variable) pairs with a nonzero derivative: the sparse pattern of the gradients. */
  get pairCount(): number {
    return this.vars.length;
  }

  /**
   * The gradients in the sparse pattern: for pair a (monomial pairMonomial[a], variable pairVariable[a],
   * in the order of the monomials' distinct variables) grad[a] = d_var phi_m; lap[m] += d_var^2 phi_m.
   * At most K pairs per monomial against d entries of the dense form: the sandwich's pass uses this.
   */
  sparseDerivatives(table: Float64Array, grad: Float64Array, lap: Float64Array): void {
    const w = this.order + 1;
    for (let m = 0; m < this.size; m++) {
      const s = this.start[m];
      const e = this.start[m + 1];
      for (let a = s; a < e; a++) {
        const i = this.vars[a];
        const r = this.powers[a];
        let others = 1;
        for (let b = s; b < e; b++) if (b !== a) others *= table[this.vars[b] * w + this.powers[b]];
        grad[a] = r * table[i * w + r - 1] * others;
        if (r >= 2) lap[m] += r * (r - 1) * table[i * w + r - 2] * others;
      }
    }
  }

  /** The monomial and the variable of each pair of the sparse pattern. */
  pattern(): { monomial: Int32Array; variable: Int32Array } {
    const monomial = new Int32Array(this.vars.length);
    for (let m = 0; m < this.size; m++) monomial.fill(m, this.start[m], this.start[m + 1]);
    return { monomial, variable: Int32Array.from(this.vars) };
  }

  /** phi_m at one row (its power table), for every m. */
  values(table: Float64Array, out: Float64Array): void {
    const w = this.order + 1;
    for (let m = 0; m < this.size; m++) {
      let v = 1;
      for (let a = this.start[m]; a < this.start[m + 1]; a++) v *= table[this.vars[a] * w + this.powers[a]];
      out[m] = v;
    }
  }
}

/** Every monomial of orders 1..K in d variables, graded lexicographic (the dense candidate list). */
export function allMonomials(d: number, K: number): number[][] {
  const basis = new MonomialBasis(d, K);
  return Array.from({ length: basis.size - 1 }, (_, m) => basis.monomial(m + 1));
}
