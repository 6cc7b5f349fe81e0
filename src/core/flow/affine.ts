import type { MonomialBasis } from '../poly/basis';
import { axpy, constantJet, type Jet } from '../poly/jet';
import type { Layer, LayerStructure } from './layer';

/**
 * T: y = W x + b with W = P Lo Up (METHOD.md section 2). P is a fixed permutation (y_i = (Lo Up x)_{perm[i]}),
 * Lo unit lower-triangular, Up upper-triangular with diagonal exp(s), so ln|det W| = sum(s) and the
 * inverse is two triangular solves.
 *
 * Parameter layout: Lo's strict lower part row by row (i > j), Up's strict upper part row by row
 * (i < j), s (d), b (d).
 */
export class AffineLU implements Layer {
  readonly kind = 'affine' as const;
  readonly dim: number;
  readonly paramCount: number;
  params: Float64Array;
  readonly permutation: Int32Array;
  private readonly nTri: number;

  constructor(dim: number, permutation: ArrayLike<number>) {
    this.dim = dim;
    this.permutation = Int32Array.from(permutation);
    this.nTri = (dim * (dim - 1)) / 2;
    this.paramCount = 2 * this.nTri + 2 * dim;
    this.params = new Float64Array(this.paramCount);
  }

  /** Offsets of the parameter blocks. */
  private get blocks(): { lo: number; up: number; s: number; b: number } {
    return { lo: 0, up: this.nTri, s: 2 * this.nTri, b: 2 * this.nTri + this.dim };
  }

  /** Dense Lo and Up (d x d, row-major). */
  factors(): { lo: Float64Array; up: Float64Array } {
    const d = this.dim;
    const p = this.params;
    const off = this.blocks;
    const lo = new Float64Array(d * d);
    const up = new Float64Array(d * d);
    let k = off.lo;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) lo[i * d + j] = p[k++];
      lo[i * d + i] = 1;
    }
    k = off.up;
    for (let i = 0; i < d; i++) {
      up[i * d + i] = Math.exp(p[off.s + i]);
      for (let j = i + 1; j < d; j++) up[i * d + j] = p[k++];
    }
    return { lo, up };
  }

  /** W = P Lo Up, dense d x d row-major. */
  matrix(): Float64Array {
    const d = this.dim;
    const { lo, up } = this.factors();
    const w = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      const src = this.permutation[i];
      for (let k = 0; k <= src; k++) {
        const l = lo[src * d + k];
        if (l === 0) continue;
        for (let j = k; j < d; j++) w[i * d + j] += l * up[k * d + j];
      }
    }
    return w;
  }

  bias(): Float64Array {
    return this.params.subarray(this.blocks.b, this.blocks.b + this.dim);
  }

  logDetConstant(): number {
    let s = 0;
    const off = this.blocks.s;
    for (let i = 0; i < this.dim; i++) s += this.params[off + i];
    return s;
  }

  forward(x: Float64Array, n: number, y: Float64Array, logDet: Float64Array): void {
    const d = this.dim;
    const w = this.matrix();
    const b = this.bias();
    const ld = this.logDetConstant();
    for (let r = 0; r < n; r++) {
      const xo = r * d;
      for (let i = 0; i < d; i++) {
        let s = b[i];
        const wo = i * d;
        for (let j = 0; j < d; j++) s += w[wo + j] * x[xo + j];
        y[xo + i] = s;
      }
      logDet[r] += ld;
    }
  }

  inverse(y: Float64Array, n: number, x: Float64Array): void {
    const d = this.dim;
    const { lo, up } = this.factors();
    const b = this.bias();
    const g = new Float64Array(d);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      for (let i = 0; i < d; i++) g[this.permutation[i]] = y[o + i] - b[i];
      // Lo h = g (forward substitution, unit diagonal), in place.
      for (let i = 0; i < d; i++) {
        let s = g[i];
        for (let j = 0; j < i; j++) s -= lo[i * d + j] * g[j];
        g[i] = s;
      }
      // Up x = h (back substitution).
      for (let i = d - 1; i >= 0; i--) {
        let s = g[i];
        for (let j = i + 1; j < d; j++) s -= up[i * d + j] * x[o + j];
        x[o + i] = s / up[i * d + i];
      }
    }
  }

  backward(x: Float64Array, n: number, gy: Float64Array, w: number, gParams: Float64Array, gx: Float64Array): void {
    const d = this.dim;
    const wm = this.matrix();
    const { lo, up } = this.factors();
    const off = this.blocks;
    const gW = new Float64Array(d * d);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      for (let i = 0; i < d; i++) {
        const g = gy[o + i];
        gParams[off.b + i] += g;
        if (g === 0) continue;
        const wo = i * d;
        for (let j = 0; j < d; j++) gW[wo + j] += g * x[o + j];
      }
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += wm[i * d + j] * gy[o + i];
        gx[o + j] = s;
      }
    }
    // W = P M, M = Lo Up: gM[perm[i]] = gW[i]; gLo = gM Up^T (strict lower), gUp = Lo^T gM (upper).
    const gM = new Float64Array(d * d);
    for (let i = 0; i < d; i++) gM.set(gW.subarray(i * d, i * d + d), this.permutation[i] * d);
    let k = off.lo;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        let s = 0;
        for (let c = j; c < d; c++) s += gM[i * d + c] * up[j * d + c];
        gParams[k++] += s;
      }
    }
    k = off.up;
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        let s = 0;
        for (let rI = i; rI < d; rI++) s += lo[rI * d + i] * gM[rI * d + j];
        if (j === i) gParams[off.s + i] += s * up[i * d + i] + w * n;
        else gParams[k++] += s;
      }
    }
  }

  jet(basis: MonomialBasis, input: Jet[]): { output: Jet[]; logDet: Jet | null } {
    const d = this.dim;
    const w = this.matrix();
    const b = this.bias();
    const output: Jet[] = [];
    for (let i = 0; i < d; i++) {
      const v = constantJet(basis, b[i]);
      for (let j = 0; j < d; j++) axpy(v, w[i * d + j], input[j]);
      output.push(v);
    }
    return { output, logDet: constantJet(basis, this.logDetConstant()) };
  }

  structure(): LayerStructure {
    return { kind: 'affine', permutation: Array.from(this.permutation) };
  }
}
