import type { MonomialSet } from '../poly/monomial-set';
import { axpy, constantJet, mul, type Jet } from '../poly/jet';
import { gemmAB, transpose } from '../linalg/kernels';
import { Scratch } from '../linalg/scratch';
import { columnSums } from '../linalg/rowwise';
import { ParamSnapshot } from './snapshot';
import type { Layer } from './layer';
import type { NonlinearKind, TfModule, TfjsLayer } from './layer-kind';
import { SETTING_LIMITS } from '../pipeline/limits';
import { couplingStartFromData } from './start';

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
  /** First index of each half when it is a contiguous range (products then read it in place), else -1. */
  private readonly conditionerStart: number;
  private readonly transformedStart: number;
  private readonly scratch = new Scratch();
  /** The rows whose hidden layer (s, s2 in scratch) the last forward computed, and its parameters. */
  private hiddenOf: { buffer: ArrayBufferLike; offset: number; n: number } | null = null;
  private readonly hiddenParams = new ParamSnapshot();

  constructor(dim: number, conditioner: ArrayLike<number>, transformed: ArrayLike<number>, hidden: number) {
    if (dim < 2) throw new RangeError('a coupling layer needs at least two variables (two halves)');
    this.dim = dim;
    this.conditioner = Int32Array.from(conditioner);
    this.transformed = Int32Array.from(transformed);
    this.hidden = hidden;
    this.paramCount = hidden * this.conditioner.length + hidden + this.transformed.length * hidden;
    this.params = new Float64Array(this.paramCount);
    this.conditionerStart = contiguousStart(this.conditioner);
    this.transformedStart = contiguousStart(this.transformed);
  }

  private get blocks(): { u: number; c: number; v: number } {
    const uSize = this.hidden * this.conditioner.length;
    return { u: 0, c: uSize, v: uSize + this.hidden };
  }

  /**
   * A half's columns of an n x d batch as a product operand with row stride ld: when the half is a
   * contiguous range (as couplingKind builds them), a column block of the batch itself, read in place;
   * otherwise gathered into scratch.
   */
  private columns(x: Float64Array, n: number, half: Int32Array, start: number, name: string): { data: Float64Array; ld: number } {
    const d = this.dim;
    if (start >= 0) return { data: x.subarray(start), ld: d };
    const m = half.length;
    const out = this.scratch.get(name, n * m);
    for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) out[r * m + j] = x[r * d + half[j]];
    return { data: out, ld: m };
  }

  /** dst's columns `half` += the n x |half| product (op(A) B), in place when the half is contiguous. */
  private addToColumns(dst: Float64Array, n: number, half: Int32Array, start: number, k: number, a: Float64Array, b: Float64Array, name: string): void {
    const d = this.dim;
    const m = half.length;
    if (start >= 0) {
      gemmAB(n, m, k, a, false, b, dst.subarray(start), { accumulate: true, ldo: d });
      return;
    }
    const t = this.scratch.get(name, n * m);
    gemmAB(n, m, k, a, false, b, t);
    for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) dst[r * d + half[j]] += t[r * m + j];
  }

  /** s = x_A U^T + c and s2 = s^2 (n x h) in scratch. */
  private hiddenLayer(x: Float64Array, n: number): { s: Float64Array; s2: Float64Array } {
    const h = this.hidden;
    const nA = this.conditioner.length;
    const p = this.params;
    const off = this.blocks;
    const xa = this.columns(x, n, this.conditioner, this.conditionerStart, 'xa');
    // U^T (|A| x h) is small: transposing it lets the product take the kernel's A B form.
    const uT = this.scratch.get('uT', nA * h);
    transpose(h, nA, p.subarray(off.u, off.c), uT);
    const s = this.scratch.get('s', n * h);
    const s2 = this.scratch.get('s2', n * h);
    gemmAB(n, h, nA, xa.data, false, uT, s, { bias: p.subarray(off.c, off.v), lda: xa.ld, squares: s2 });
    return { s, s2 };
  }

  /** dst = src + sign * t(src_A) on the B columns, t = s^2 V^T. */
  private shift(src: Float64Array, n: number, dst: Float64Array, sign: number, s2: Float64Array): void {
    const d = this.dim;
    const h = this.hidden;
    const nB = this.transformed.length;
    const off = this.blocks;
    const vT = this.scratch.get('vT', h * nB);
    transpose(nB, h, this.params.subarray(off.v, off.v + nB * h), vT);
    if (sign !== 1) for (let i = 0; i < h * nB; i++) vT[i] *= sign;
    dst.set(src.subarray(0, n * d));
    this.addToColumns(dst, n, this.transformed, this.transformedStart, h, s2, vT, 't');
  }

  forward(x: Float64Array, n: number, y: Float64Array): void {
    const { s2 } = this.hiddenLayer(x, n);
    // backward through these rows (Flow.lossAndGradient's next call here) reuses s and s2.
    this.hiddenOf = { buffer: x.buffer, offset: x.byteOffset, n };
    this.hiddenParams.take(this.params);
    this.shift(x, n, y, 1, s2);
  }

  inverse(y: Float64Array, n: number, x: Float64Array): void {
    // y_A = x_A, so t can be evaluated on y's A half.
    this.hiddenOf = null;
    const { s2 } = this.hiddenLayer(y, n);
    this.shift(y, n, x, -1, s2);
  }

  backward(x: Float64Array, n: number, gy: Float64Array, _w: number, gParams: Float64Array, gx: Float64Array): void {
    const d = this.dim;
    const h = this.hidden;
    const nA = this.conditioner.length;
    const nB = this.transformed.length;
    const p = this.params;
    const off = this.blocks;
    const cached = this.hiddenOf;
    const reuse = cached !== null && cached.buffer === x.buffer && cached.offset === x.byteOffset && cached.n === n && this.hiddenParams.matches(p);
    const { s, s2 } = reuse ? { s: this.scratch.get('s', n * h), s2: this.scratch.get('s2', n * h) } : this.hiddenLayer(x, n);
    const gt = this.columns(gy, n, this.transformed, this.transformedStart, 'gt');
    // gV += gt^T s^2; gs = 2 s (gt V).
    gemmAB(nB, h, n, gt.data, true, s2, gParams.subarray(off.v, off.v + nB * h), { accumulate: true, lda: gt.ld });
    const gs = this.scratch.get('gs', n * h);
    gemmAB(n, h, nB, gt.data, false, p.subarray(off.v, off.v + nB * h), gs, { lda: gt.ld, timesTwice: s });
    // gU += gs^T x_A; gc += column sums of gs.
    const xa = this.columns(x, n, this.conditioner, this.conditionerStart, 'xa');
    gemmAB(h, nA, n, gs, true, xa.data, gParams.subarray(off.u, off.u + h * nA), { accumulate: true, ldb: xa.ld });
    const gc = this.scratch.get('gc', h);
    columnSums(n, h, gs, gc);
    for (let k = 0; k < h; k++) gParams[off.c + k] += gc[k];
    // gx = gy, plus gs U on the A columns (skipped when nobody below wants dL/dx: empty gx).
    if (gx.length === 0) return;
    gx.set(gy.subarray(0, n * d));
    this.addToColumns(gx, n, this.conditioner, this.conditionerStart, h, gs, p.subarray(off.u, off.c), 'gxa');
  }

  jet(basis: MonomialSet, input: Jet[]): { output: Jet[]; logDet: Jet | null } {
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
}

/** The coupling kind (kinds.ts). */
export const couplingKind: NonlinearKind<QuadraticCoupling> = {
  name: 'coupling',
  description: 'Quadratic coupling layer: ln p is an exact polynomial of degree 2^(L+1); unimodal.',
  summary: 'quadratic coupling',
  pickDescription: 'quadratic coupling: ln p is an exact polynomial',
  minDim: 2,
  minDimReason: 'it splits the variables into two halves',
  create(d, index, hidden, rng) {
    // Alternate which half conditions, so that every unit is transformed.
    const half = Math.floor(d / 2);
    const first = Array.from({ length: half }, (_, i) => i);
    const second = Array.from({ length: d - half }, (_, i) => half + i);
    const [conditioner, transformed] = index % 2 === 0 ? [first, second] : [second, first];
    const layer = new QuadraticCoupling(d, conditioner, transformed, hidden);
    // U, V near 0.1: the output is third order in the weights, so ~0.01 sits on the Gaussian saddle.
    for (let k = 0; k < layer.paramCount; k++) layer.params[k] = 0.1 * rng.normal();
    return layer;
  },
  // The first block from the data: the conditioning half on the subspace that best predicts the rest
  // quadratically (start.ts); without it the answer depended on the seed (docs/EXPERIMENTS.md, "Seeds").
  startFromData: (rows, n, layer, seed) => couplingStartFromData(rows, n, layer.dim, layer, seed),
  toStructure: (layer) => ({ kind: 'coupling', conditioner: Array.from(layer.conditioner), transformed: Array.from(layer.transformed), hidden: layer.hidden }),
  fromStructure: (d, s) => new QuadraticCoupling(d, s.conditioner as number[], s.transformed as number[], s.hidden as number),
  checkStructure(d, s) {
    const { min, max } = SETTING_LIMITS.hidden;
    if (typeof s.hidden !== 'number' || !Number.isInteger(s.hidden) || s.hidden < min || s.hidden > max) return `hidden: expected an integer from ${min} to ${max}`;
    // The two halves: distinct units, disjoint, neither empty.
    const seen = new Uint8Array(d);
    for (const field of ['conditioner', 'transformed'] as const) {
      const units = s[field];
      if (!Array.isArray(units) || units.length === 0 || units.length >= d) return `${field}: expected a list of 1 to ${d - 1} units`;
      for (const u of units) {
        if (typeof u !== 'number' || !Number.isInteger(u) || u < 0 || u >= d) return `${field}: expected units from 0 to ${d - 1}`;
        if (seen[u]) return `${field}: unit ${u} is listed twice (the halves must be disjoint)`;
        seen[u] = 1;
      }
    }
    return null;
  },
  tfjs: couplingOnTfjs,
};

/** On tfjs: selection matrices (constants) instead of gathers and scatters along the feature axis. */
function couplingOnTfjs(tf: TfModule, layer: QuadraticCoupling, d: number): TfjsLayer {
  const h = layer.hidden;
  const nA = layer.conditioner.length;
  const nB = layer.transformed.length;
  const selA = new Float32Array(d * nA);
  layer.conditioner.forEach((c, j) => (selA[c * nA + j] = 1));
  const putB = new Float32Array(nB * d);
  layer.transformed.forEach((t, j) => (putB[j * d + t] = 1));
  const selAT = tf.keep(tf.tensor2d(selA, [d, nA]));
  const putBT = tf.keep(tf.tensor2d(putB, [nB, d]));
  // Inputs: U^T (nA x h), c (h), V^T (h x nB), transposed in JS so every matmul is untransposed.
  return {
    inputs: (p) => {
      const uT = new Float32Array(nA * h);
      const vT = new Float32Array(h * nB);
      for (let k = 0; k < h; k++) for (let j = 0; j < nA; j++) uT[j * h + k] = p[k * nA + j];
      for (let b = 0; b < nB; b++) for (let k = 0; k < h; k++) vT[k * nB + b] = p[h * nA + h + b * h + k];
      return [tf.tensor2d(uT, [nA, h]), tf.tensor1d(Float32Array.from(p.subarray(h * nA, h * nA + h))), tf.tensor2d(vT, [h, nB])];
    },
    apply: (x, [uT, c, vT]) => {
      const s = tf.add(tf.matMul(tf.matMul(x, selAT), uT as typeof x), c) as typeof x;
      const t = tf.matMul(tf.square(s), vT as typeof x);
      return { y: tf.add(x, tf.matMul(t, putBT)) as typeof x, logDet: tf.scalar(0) };
    },
    gradient: ([gUT, gC, gVT], _p, out) => {
      for (let k = 0; k < h; k++) for (let j = 0; j < nA; j++) out[k * nA + j] = gUT[j * h + k];
      out.set(gC, h * nA);
      for (let b = 0; b < nB; b++) for (let k = 0; k < h; k++) out[h * nA + h + b * h + k] = gVT[k * nB + b];
    },
  };
}

/** idx[0] when idx is idx[0], idx[0] + 1, ..., else -1. */
function contiguousStart(idx: Int32Array): number {
  for (let j = 1; j < idx.length; j++) if (idx[j] !== idx[0] + j) return -1;
  return idx.length > 0 ? idx[0] : -1;
}
