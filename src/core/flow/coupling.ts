import type { MonomialBasis } from '../poly/basis';
import { axpy, constantJet, mul, type Jet } from '../poly/jet';
import { gemmAB, Scratch, transpose } from './kernels';
import type { Layer, LayerStructure } from './layer';

/**
 * C (kind "coupling"): y_A = x_A, y_B = x_B + t(x_A), t(x_A) = V (U x_A + c)^2 (elementwise square, hidden
 * width h). The Jacobian is unit triangular (ln|det| = 0) and the inverse is exact and polynomial:
 * x_B = y_B - t(y_A). Parameters: U (h x |A|, row-major), c (h), V (|B| x h, row-major).
 */
export class QuadraticCoupling implements Layer {
  readonly kind = 'coupling' as const;
  readonly dim: number;
  readonly paramCount: number;
  params: Float64Array;
  /** Indices of the conditioning half A and of the transformed half B. */
  readonly conditioner: Int32Array;
  readonly transformed: Int32Array;
  readonly hidden: number;
  private readonly scratch = new Scratch();

  constructor(dim: number, conditioner: ArrayLike<number>, transformed: ArrayLike<number>, hidden: number) {
    if (dim < 2) throw new RangeError('a coupling layer needs at least two variables (two halves)');
    this.dim = dim;
    this.conditioner = Int32Array.from(conditioner);
    this.transformed = Int32Array.from(transformed);
    this.hidden = hidden;
    this.paramCount = hidden * this.conditioner.length + hidden + this.transformed.length * hidden;
    this.params = new Float64Array(this.paramCount);
  }

  private get blocks(): { u: number; c: number; v: number } {
    const uSize = this.hidden * this.conditioner.length;
    return { u: 0, c: uSize, v: uSize + this.hidden };
  }

  /**
   * The hidden layer for n rows as batched products: xa = x's A columns (n x |A|), s = xa U^T + c,
   * s2 = s^2 (n x h), all in reused scratch buffers.
   */
  private hidden_(x: Float64Array, n: number): { xa: Float64Array; s: Float64Array; s2: Float64Array } {
    const d = this.dim;
    const h = this.hidden;
    const nA = this.conditioner.length;
    const p = this.params;
    const off = this.blocks;
    const xa = this.scratch.get('xa', n * nA);
    for (let r = 0; r < n; r++) for (let j = 0; j < nA; j++) xa[r * nA + j] = x[r * d + this.conditioner[j]];
    const s = this.scratch.get('s', n * h);
    // U^T and V^T are small (h x |A|, |B| x h): transposing them lets every product take the kernel's
    // A B form, in place on the heap buffers.
    const uT = this.scratch.get('uT', nA * h);
    transpose(h, nA, p.subarray(off.u, off.c), uT);
    gemmAB(n, h, nA, xa, false, uT, s, { bias: p.subarray(off.c, off.v) });
    const s2 = this.scratch.get('s2', n * h);
    for (let i = 0; i < n * h; i++) s2[i] = s[i] * s[i];
    return { xa, s, s2 };
  }

  /** dst = src + sign * t(src_A) on the B columns, t = s^2 V^T (n x |B|). */
  private shift(src: Float64Array, n: number, dst: Float64Array, sign: number): void {
    const d = this.dim;
    const nB = this.transformed.length;
    const off = this.blocks;
    const { s2 } = this.hidden_(src, n);
    const t = this.scratch.get('t', n * nB);
    const vT = this.scratch.get('vT', this.hidden * nB);
    transpose(nB, this.hidden, this.params.subarray(off.v, off.v + nB * this.hidden), vT);
    gemmAB(n, nB, this.hidden, s2, false, vT, t);
    dst.set(src.subarray(0, n * d));
    for (let r = 0; r < n; r++) for (let b = 0; b < nB; b++) dst[r * d + this.transformed[b]] += sign * t[r * nB + b];
  }

  forward(x: Float64Array, n: number, y: Float64Array): void {
    this.shift(x, n, y, 1);
  }

  inverse(y: Float64Array, n: number, x: Float64Array): void {
    // y_A = x_A, so t can be evaluated on y's A half.
    this.shift(y, n, x, -1);
  }

  backward(x: Float64Array, n: number, gy: Float64Array, _w: number, gParams: Float64Array, gx: Float64Array): void {
    const d = this.dim;
    const h = this.hidden;
    const nA = this.conditioner.length;
    const nB = this.transformed.length;
    const p = this.params;
    const off = this.blocks;
    const { xa, s, s2 } = this.hidden_(x, n);
    const gt = this.scratch.get('gt', n * nB);
    for (let r = 0; r < n; r++) for (let b = 0; b < nB; b++) gt[r * nB + b] = gy[r * d + this.transformed[b]];
    // gV += gt^T s^2; gs = 2 s (gt V).
    gemmAB(nB, h, n, gt, true, s2, gParams.subarray(off.v, off.v + nB * h), { accumulate: true });
    const gs = this.scratch.get('gs', n * h);
    gemmAB(n, h, nB, gt, false, p.subarray(off.v, off.v + nB * h), gs);
    for (let i = 0; i < n * h; i++) gs[i] *= 2 * s[i];
    // gU += gs^T xa; gc += column sums of gs.
    gemmAB(h, nA, n, gs, true, xa, gParams.subarray(off.u, off.u + h * nA), { accumulate: true });
    for (let r = 0; r < n; r++) for (let k = 0; k < h; k++) gParams[off.c + k] += gs[r * h + k];
    // gx = gy, plus gs U on the A columns (skipped when nobody below wants dL/dx: empty gx).
    if (gx.length === 0) return;
    gx.set(gy.subarray(0, n * d));
    const gxa = this.scratch.get('gxa', n * nA);
    gemmAB(n, nA, h, gs, false, p.subarray(off.u, off.c), gxa);
    for (let r = 0; r < n; r++) for (let j = 0; j < nA; j++) gx[r * d + this.conditioner[j]] += gxa[r * nA + j];
  }

  jet(basis: MonomialBasis, input: Jet[]): { output: Jet[]; logDet: Jet | null } {
    const p = this.params;
    const off = this.blocks;
    const nA = this.conditioner.length;
    const squares: Jet[] = [];
    for (let k = 0; k < this.hidden; k++) {
      const s = constantJet(basis, p[off.c + k]);
      for (let j = 0; j < nA; j++) axpy(s, p[off.u + k * nA + j], input[this.conditioner[j]]);
      squares.push(mul(basis, s, s));
    }
    const output = input.map((u) => Float64Array.from(u));
    for (let b = 0; b < this.transformed.length; b++) {
      const v = output[this.transformed[b]];
      for (let k = 0; k < this.hidden; k++) axpy(v, p[off.v + b * this.hidden + k], squares[k]);
    }
    return { output, logDet: null };
  }

  structure(): LayerStructure {
    return { kind: 'coupling', conditioner: Array.from(this.conditioner), transformed: Array.from(this.transformed), hidden: this.hidden };
  }
}
