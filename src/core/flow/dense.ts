import type { MonomialBasis } from '../poly/basis';
import type { Jet } from '../poly/jet';
import { gemmAB } from '../linalg/kernels';
import { columnSums } from '../linalg/rowwise';
import { Scratch } from '../linalg/scratch';
import type { Layer } from './layer';
import { ParamSnapshot } from './snapshot';
import type { LinearStructure } from './structured';
import { luFactor, luInverse, luSolve } from './dense-lu';
import { affineJet } from './affine';

/**
 * T with a dense matrix: y = W x + b, W any invertible d x d matrix (docs/METHOD.md section 2.2).
 * ln|det W| comes from an LU factorisation with partial pivoting, and its gradient is W^-T. Unlike
 * W = P Lo Up with a fixed permutation P and diag(Up) > 0, whose image is the matrices whose
 * row-permuted leading minors are all positive, this reaches every invertible matrix of the sign of
 * det W it starts with, continuously: no choice made at initialisation fixes which combinations
 * of the variables can become which rows of W (docs/EXPERIMENTS.md, section "Seeds").
 *
 * Parameter layout: W row by row (d^2), then b (d).
 */
export class AffineDense implements Layer, LinearStructure {
  readonly kind = 'affine' as const;
  readonly dim: number;
  readonly paramCount: number;
  params: Float64Array;
  private readonly scratch = new Scratch();
  /** The parameters the factorisation below was last computed from. */
  private readonly factored = new ParamSnapshot();
  private lu: Float64Array = new Float64Array(0);
  private pivots: Int32Array = new Int32Array(0);
  private logAbsDet = 0;
  /** W^-T, computed from lu when first wanted after a change of the parameters. */
  private invT: Float64Array | null = null;

  constructor(dim: number) {
    this.dim = dim;
    this.paramCount = dim * dim + dim;
    this.params = new Float64Array(this.paramCount);
  }

  /** W (a view of the parameters, row-major). */
  weights(): Float64Array {
    return this.params.subarray(0, this.dim * this.dim);
  }

  bias(): Float64Array {
    return this.params.subarray(this.dim * this.dim, this.paramCount);
  }

  /** W = LU with row pivoting, ln|det W|, for the current parameters (recomputed only when they changed). */
  private factorise(): void {
    if (this.factored.matches(this.params)) return;
    const d = this.dim;
    const f = luFactor(d, this.weights());
    this.lu = f.lu;
    this.pivots = f.pivots;
    this.logAbsDet = f.logAbsDet;
    this.invT = null;
    this.factored.take(this.params);
  }

  logDetConstant(): number {
    this.factorise();
    return this.logAbsDet;
  }

  /** W^-T (row-major), the gradient of ln|det W| with respect to W. */
  inverseTranspose(): Float64Array {
    this.factorise();
    if (!this.invT) {
      const d = this.dim;
      const inv = luInverse(d, this.lu, this.pivots);
      const t = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) t[j * d + i] = inv[i * d + j];
      this.invT = t;
    }
    return this.invT;
  }

  /** W^T in scratch (the forward product's right operand). */
  private transposed(): Float64Array {
    const d = this.dim;
    const w = this.weights();
    const wT = this.scratch.get('wT', d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) wT[j * d + i] = w[i * d + j];
    return wT;
  }

  forward(x: Float64Array, n: number, y: Float64Array, logDet: Float64Array): void {
    const d = this.dim;
    gemmAB(n, d, d, x, false, this.transposed(), y, { bias: this.bias() });
    const ld = this.logDetConstant();
    for (let r = 0; r < n; r++) logDet[r] += ld;
  }

  inverse(y: Float64Array, n: number, x: Float64Array): void {
    const d = this.dim;
    this.factorise();
    const b = this.bias();
    const g = new Float64Array(d);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      for (let i = 0; i < d; i++) g[i] = y[o + i] - b[i];
      luSolve(d, this.lu, this.pivots, g);
      x.set(g, o);
    }
  }

  backward(x: Float64Array, n: number, gy: Float64Array, w: number, gParams: Float64Array, gx: Float64Array): void {
    const d = this.dim;
    // gx = gy W (skipped when nobody below wants it).
    if (gx.length > 0) gemmAB(n, d, d, gy, false, this.weights(), gx);
    // gW = gy^T x + w n W^-T (the log-determinant's share, w per row); gb = column sums of gy.
    const gW = this.scratch.get('gW', d * d);
    gemmAB(d, d, n, gy, true, x, gW);
    const invT = this.inverseTranspose();
    const wn = w * n;
    for (let k = 0; k < d * d; k++) gParams[k] += gW[k] + wn * invT[k];
    const gb = this.scratch.get('gb', d);
    columnSums(n, d, gy, gb);
    for (let i = 0; i < d; i++) gParams[d * d + i] += gb[i];
  }

  linearMap(): { matrix: Float64Array; bias: Float64Array; logDet: number } {
    return { matrix: Float64Array.from(this.weights()), bias: Float64Array.from(this.bias()), logDet: this.logDetConstant() };
  }

  jet(basis: MonomialBasis, input: Jet[]): { output: Jet[]; logDet: Jet | null } {
    return affineJet(basis, input, this.weights(), this.bias(), this.logDetConstant());
  }
}
