import type { MonomialSet } from '../poly/monomial-set';
import { axpy, constantJet, type Jet } from '../poly/jet';
import { gemmAB, TRI } from '../linalg/kernels';
import { luScatter, luUnpack, permuteRows } from './lu';
import { pivotedLu, unitLowerSolve, upperSolve } from './dense-lu';
import { Scratch } from '../linalg/scratch';
import type { Layer } from './layer';
import type { LayerKind, TfModule, TfjsLayer } from './layer-kind';
import { columnSums } from '../linalg/rowwise';
import { ParamSnapshot } from './snapshot';
import type { LinearStructure } from './structured';

/**
 * T: y = W x + b with W = P Lo Up (docs/METHOD.md section 2.2). P is a fixed permutation (y_i = (Lo Up x)_{perm[i]}),
 * Lo unit lower-triangular, Up upper-triangular with diagonal exp(s), so ln|det W| = sum(s) and the
 * inverse is two triangular solves.
 *
 * Parameter layout: Lo's strict lower part row by row (i > j), Up's strict upper part row by row
 * (i < j), s (d), b (d).
 */
export class AffineLU implements Layer, LinearStructure {
  readonly kind = 'affine' as const;
  readonly dim: number;
  readonly paramCount: number;
  params: Float64Array;
  readonly permutation: Int32Array;
  private readonly nTri: number;
  private readonly scratch = new Scratch();
  /** The parameters W was last built from. */
  private readonly built = new ParamSnapshot();

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
    const lo = new Float64Array(d * d);
    const up = new Float64Array(d * d);
    this.factorsInto(lo, up, new Float64Array(d * d));
    return { lo, up };
  }

  /** Lo, Up and Up^T of the current parameters (the unpacking runs on a copy in the kernel heap). */
  private factorsInto(lo: Float64Array, up: Float64Array, upT: Float64Array): void {
    const d = this.dim;
    const off = this.blocks;
    const expS = this.scratch.get('expS', d);
    for (let i = 0; i < d; i++) expS[i] = Math.exp(this.params[off.s + i]);
    const packed = this.scratch.get('packed', off.s);
    packed.set(this.params.subarray(0, off.s));
    luUnpack(d, packed, expS, lo, up, upT);
  }

  /** The permutation's row indices (or its inverse's) as numbers in the kernel heap, for permuteRows (d writes next to d^2 work). */
  private rows(inverse: boolean): Float64Array {
    const d = this.dim;
    const out = this.scratch.get(inverse ? 'inversePermutation' : 'permutation', d);
    for (let i = 0; i < d; i++) {
      if (inverse) out[this.permutation[i]] = i;
      else out[i] = this.permutation[i];
    }
    return out;
  }

  /** W = P M, M = Lo Up dense d x d row-major. */
  matrix(): Float64Array {
    const d = this.dim;
    const w = new Float64Array(d * d);
    const lo = this.scratch.get('lo', d * d);
    const up = this.scratch.get('up', d * d);
    this.factorsInto(lo, up, this.scratch.get('upT', d * d));
    this.matrixInto(lo, up, w, null);
    return w;
  }

  /** W = P (Lo Up) (and W^T when wanted): the triangular product (a third of a dense one's work), then its rows permuted. */
  private matrixInto(lo: Float64Array, up: Float64Array, w: Float64Array, wT: Float64Array | null): void {
    const d = this.dim;
    const m = this.scratch.get('loUp', d * d);
    gemmAB(d, d, d, lo, false, up, m, { tri: TRI.aLower | TRI.bUpper });
    permuteRows(d, this.rows(false), m, w, wT);
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

  /** Lo, Up, Up^T, W and W^T of the current parameters in reused scratch buffers (no allocation per batch). */
  private current(): { lo: Float64Array; up: Float64Array; upT: Float64Array; w: Float64Array; wT: Float64Array } {
    const d = this.dim;
    const lo = this.scratch.get('lo', d * d);
    const up = this.scratch.get('up', d * d);
    const upT = this.scratch.get('upT', d * d);
    const w = this.scratch.get('w', d * d);
    const wT = this.scratch.get('wT', d * d);
    // forward and backward of one step see the same parameters: rebuild W only when they changed
    // (comparing d^2 numbers is far cheaper than the d^3 product).
    if (!this.built.matches(this.params)) {
      this.factorsInto(lo, up, upT);
      this.matrixInto(lo, up, w, wT);
      this.built.take(this.params);
    }
    return { lo, up, upT, w, wT };
  }

  forward(x: Float64Array, n: number, y: Float64Array, logDet: Float64Array): void {
    const d = this.dim;
    const { wT } = this.current();
    gemmAB(n, d, d, x, false, wT, y, { bias: this.bias() });
    const ld = this.logDetConstant();
    for (let r = 0; r < n; r++) logDet[r] += ld;
  }

  inverse(y: Float64Array, n: number, x: Float64Array): void {
    const d = this.dim;
    const { lo, up } = this.factors();
    const b = this.bias();
    const g = new Float64Array(d);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      for (let i = 0; i < d; i++) g[this.permutation[i]] = y[o + i] - b[i];
      unitLowerSolve(d, lo, g);
      upperSolve(d, up, g, x, o);
    }
  }

  backward(x: Float64Array, n: number, gy: Float64Array, w: number, gParams: Float64Array, gx: Float64Array): void {
    const d = this.dim;
    const { lo, up, upT, w: wm } = this.current();
    const off = this.blocks;
    // gx = gy W; skipped when nobody below wants it (empty gx).
    if (gx.length > 0) gemmAB(n, d, d, gy, false, wm, gx);
    // gW = gy^T x (the kernel reads gy transposed in place); gb = column sums of gy.
    const gW = this.scratch.get('gW', d * d);
    gemmAB(d, d, n, gy, true, x, gW);
    const gb = this.scratch.get('gb', d);
    columnSums(n, d, gy, gb);
    for (let i = 0; i < d; i++) gParams[off.b + i] += gb[i];
    // W = P M, M = Lo Up: gM[perm[i]] = gW[i]; gLo = gM Up^T (strict lower), gUp = Lo^T gM (upper).
    const gM = this.scratch.get('gM', d * d);
    permuteRows(d, this.rows(true), gW, gM);
    // gLo = gM Up^T, wanted strictly below the diagonal; gUp = Lo^T gM, wanted on and above it. Both
    // skip the triangular factors' zeros and the unwanted half: a third of two dense products.
    const gLo = this.scratch.get('gLo', d * d);
    gemmAB(d, d, d, gM, false, upT, gLo, { tri: TRI.bLower | TRI.outLower });
    const gUp = this.scratch.get('gUp', d * d);
    gemmAB(d, d, d, lo, true, gM, gUp, { tri: TRI.aUpper | TRI.outUpper });
    luScatter(d, gLo, gUp, up, w * n, gParams);
  }

  /** LinearStructure (structured.ts): lets extraction treat this layer as one matrix product. */
  linearMap(): { matrix: Float64Array; bias: Float64Array; logDet: number } {
    return { matrix: this.matrix(), bias: Float64Array.from(this.bias()), logDet: this.logDetConstant() };
  }

  jet(basis: MonomialSet, input: Jet[]): { output: Jet[]; logDet: Jet | null } {
    return affineJet(basis, input, this.matrix(), this.bias(), this.logDetConstant());
  }
}

/**
 * The jet rule of any affine map y = W x + b (W row-major d x d): each output is b_i + sum_j W_ij x_j
 * of the input jets, and ln|det W| is a constant vertex. Shared by every parametrization of W.
 */
export function affineJet(basis: MonomialSet, input: Jet[], w: ArrayLike<number>, b: ArrayLike<number>, logDet: number): { output: Jet[]; logDet: Jet } {
  const d = input.length;
  const output: Jet[] = [];
  for (let i = 0; i < d; i++) {
    const v = constantJet(basis, b[i]);
    for (let j = 0; j < d; j++) axpy(v, w[i * d + j], input[j]);
    output.push(v);
  }
  return { output, logDet: constantJet(basis, logDet) };
}

/**
 * The affine layer y = W x + b for a given W whose LU factorisation with partial pivoting has a
 * positive diagonal (rows order[j] of W are the rows of L U): the permutation comes from the pivoting,
 * Lo = L and Up = U. A start from the data (start.ts) flips the signs of W's rows to make the pivots
 * positive, which the layers after it absorb. Throws for a singular W or a negative pivot.
 */
export function affineFromMatrix(d: number, w: ArrayLike<number>, b?: ArrayLike<number>): AffineLU {
  const { lu, order } = pivotedLu(d, w);
  for (let j = 0; j < d; j++) {
    const pivot = lu[j * d + j];
    if (!(pivot > 0 && Number.isFinite(pivot))) throw new RangeError(`affineFromMatrix: pivot ${j} is ${pivot}, not positive`);
  }
  // y_i = (Lo Up x)_perm[i], and row j of Lo Up is row order[j] of W: perm[order[j]] = j.
  const perm = new Int32Array(d);
  for (let j = 0; j < d; j++) perm[order[j]] = j;
  const layer = new AffineLU(d, perm);
  const p = layer.params;
  let k = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) p[k++] = lu[i * d + j];
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) p[k++] = lu[i * d + j];
  for (let i = 0; i < d; i++) p[k++] = Math.log(lu[i * d + i]);
  if (b) for (let i = 0; i < d; i++) p[k++] = b[i];
  return layer;
}

/** The affine layers' record (kinds.ts): saved with their permutation. */
export const affineKind: LayerKind<AffineLU> = {
  name: 'affine',
  toStructure: (layer) => ({ kind: 'affine', permutation: Array.from(layer.permutation) }),
  fromStructure: (d, s) => new AffineLU(d, s.permutation as number[]),
  checkStructure: (d, s) => (isPermutation(s.permutation, d) ? null : `permutation: expected a permutation of 0..${d - 1}`),
  tfjs: affineOnTfjs,
};

/**
 * On tfjs (which has no triangular solve or determinant, so the LU parametrization stays: ln|det W| =
 * sum(s)): W^T = Up^T Lo^T P^T as dense tensors, because the wasm backend's fast matmul wants
 * untransposed operands.
 */
function affineOnTfjs(tf: TfModule, layer: AffineLU, d: number): TfjsLayer {
  const nTri = (d * (d - 1)) / 2;
  // (P Lo)^T = Lo^T P^T with P^T[j][i] = 1 where perm[i] = j (y_i = (Lo Up x)_perm[i]).
  const pT = new Float32Array(d * d);
  for (let i = 0; i < d; i++) pT[layer.permutation[i] * d + i] = 1;
  const permT = tf.keep(tf.tensor2d(pT, [d, d]));
  const eye = tf.keep(tf.eye(d));
  return {
    inputs: (p) => {
      // Inputs: Lo^T's strict upper part and Up^T's strict lower part as dense d x d, then s and b.
      const loT = new Float32Array(d * d);
      const upT = new Float32Array(d * d);
      let k = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) loT[j * d + i] = p[k++];
      for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) upT[j * d + i] = p[k++];
      return [tf.tensor2d(loT, [d, d]), tf.tensor2d(upT, [d, d]), tf.tensor1d(Float32Array.from(p.subarray(2 * nTri, 2 * nTri + d))), tf.tensor1d(Float32Array.from(p.subarray(2 * nTri + d)))];
    },
    apply: (x, [loT, upT, s, b]) => {
      const up = tf.add(upT, tf.mul(eye, tf.exp(s))) as typeof x;
      const lo = tf.add(loT, eye) as typeof x;
      const wT = tf.matMul(up, tf.matMul(lo, permT));
      return { y: tf.add(tf.matMul(x, wT), b) as typeof x, logDet: tf.sum(s) };
    },
    gradient: ([gLoT, gUpT, gS, gB], _p, out) => {
      let k = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) out[k++] = gLoT[j * d + i];
      for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[k++] = gUpT[j * d + i];
      out.set(gS, 2 * nTri);
      out.set(gB, 2 * nTri + d);
    },
  };
}

/** Whether x lists each of 0..d-1 exactly once. */
export function isPermutation(x: unknown, d: number): boolean {
  if (!Array.isArray(x) || x.length !== d) return false;
  const seen = new Uint8Array(d);
  for (const v of x) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= d || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}
