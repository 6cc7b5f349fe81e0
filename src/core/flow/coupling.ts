import type { MonomialBasis } from '../poly/basis';
import { axpy, constantJet, mul, type Jet } from '../poly/jet';
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

  /** s = U x_A + c for one row at offset o of x; written to s. */
  private hiddenPre(x: Float64Array, o: number, s: Float64Array): void {
    const p = this.params;
    const off = this.blocks;
    const nA = this.conditioner.length;
    for (let k = 0; k < this.hidden; k++) {
      let acc = p[off.c + k];
      for (let j = 0; j < nA; j++) acc += p[off.u + k * nA + j] * x[o + this.conditioner[j]];
      s[k] = acc;
    }
  }

  /** Adds sign * t(x_A) of the row at offset o (read from src) to the B half of dst. */
  private applyShift(src: Float64Array, dst: Float64Array, o: number, sign: number, s: Float64Array): void {
    const p = this.params;
    const off = this.blocks;
    this.hiddenPre(src, o, s);
    for (let b = 0; b < this.transformed.length; b++) {
      let t = 0;
      for (let k = 0; k < this.hidden; k++) t += p[off.v + b * this.hidden + k] * s[k] * s[k];
      dst[o + this.transformed[b]] += sign * t;
    }
  }

  forward(x: Float64Array, n: number, y: Float64Array): void {
    const s = new Float64Array(this.hidden);
    y.set(x.subarray(0, n * this.dim));
    for (let r = 0; r < n; r++) this.applyShift(x, y, r * this.dim, 1, s);
  }

  inverse(y: Float64Array, n: number, x: Float64Array): void {
    const s = new Float64Array(this.hidden);
    x.set(y.subarray(0, n * this.dim));
    // y_A = x_A, so t can be evaluated on y's A half.
    for (let r = 0; r < n; r++) this.applyShift(y, x, r * this.dim, -1, s);
  }

  backward(x: Float64Array, n: number, gy: Float64Array, _w: number, gParams: Float64Array, gx: Float64Array): void {
    const d = this.dim;
    const h = this.hidden;
    const nA = this.conditioner.length;
    const p = this.params;
    const off = this.blocks;
    const s = new Float64Array(h);
    const gs = new Float64Array(h);
    gx.set(gy.subarray(0, n * d));
    for (let r = 0; r < n; r++) {
      const o = r * d;
      this.hiddenPre(x, o, s);
      gs.fill(0);
      for (let b = 0; b < this.transformed.length; b++) {
        const gt = gy[o + this.transformed[b]];
        if (gt === 0) continue;
        for (let k = 0; k < h; k++) {
          gParams[off.v + b * h + k] += gt * s[k] * s[k];
          gs[k] += gt * p[off.v + b * h + k];
        }
      }
      for (let k = 0; k < h; k++) {
        const g = 2 * s[k] * gs[k];
        gParams[off.c + k] += g;
        for (let j = 0; j < nA; j++) {
          const a = this.conditioner[j];
          gParams[off.u + k * nA + j] += g * x[o + a];
          gx[o + a] += g * p[off.u + k * nA + j];
        }
      }
    }
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
