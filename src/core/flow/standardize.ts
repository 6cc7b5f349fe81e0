import type { MonomialSet } from '../poly/monomial-set';
import { constantJet, type Jet } from '../poly/jet';
import { Scratch } from '../linalg/scratch';
import type { Layer } from './layer';
import type { LayerKind } from './layer-kind';
import { standardizeRows } from '../linalg/rowwise';
import type { LinearStructure } from './structured';

/** N: x~_i = (x_i - mu_i) / sigma_i, fixed from the training rows; part of the model so coefficients come out in raw units. */
export class Standardize implements Layer, LinearStructure {
  readonly kind = 'standardize' as const;
  readonly dim: number;
  readonly paramCount = 0;
  params = new Float64Array(0);
  readonly mean: Float64Array;
  readonly std: Float64Array;
  private readonly logDetConstant: number;
  /**
   * 1/sigma, and room for the mean, in the kernel heap (when there is one) for the SIMD pass. The mean
   * is copied there on each call: `mean` is public and may be changed in place.
   */
  private readonly scratch = new Scratch();
  private readonly invStd: Float64Array;
  private readonly meanForKernel: Float64Array;

  constructor(mean: ArrayLike<number>, std: ArrayLike<number>) {
    this.dim = mean.length;
    this.mean = Float64Array.from(mean);
    this.std = Float64Array.from(std);
    let s = 0;
    for (let i = 0; i < this.dim; i++) {
      if (!(this.std[i] > 0) || !Number.isFinite(this.std[i])) throw new RangeError(`standard deviation of column ${i} must be positive and finite, got ${this.std[i]}`);
      s -= Math.log(this.std[i]);
    }
    this.logDetConstant = s;
    this.invStd = this.scratch.get('inv', this.dim);
    for (let i = 0; i < this.dim; i++) this.invStd[i] = 1 / this.std[i];
    this.meanForKernel = this.scratch.get('mean', this.dim);
  }

  forward(x: Float64Array, n: number, y: Float64Array, logDet: Float64Array): void {
    const d = this.dim;
    // Multiplying by 1/sigma (within an ulp of dividing) keeps divisions out of the training loop.
    this.meanForKernel.set(this.mean);
    standardizeRows(n, d, x, y, this.meanForKernel, this.invStd);
    for (let r = 0; r < n; r++) logDet[r] += this.logDetConstant;
  }

  inverse(y: Float64Array, n: number, x: Float64Array): void {
    const d = this.dim;
    for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) x[r * d + i] = y[r * d + i] * this.std[i] + this.mean[i];
  }

  backward(_x: Float64Array, n: number, gy: Float64Array, _w: number, _gParams: Float64Array, gx: Float64Array): void {
    const d = this.dim;
    const inv = this.invStd;
    for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) gx[r * d + i] = gy[r * d + i] * inv[i];
  }

  /** LinearStructure (structured.ts): x~ = diag(1/sigma) x - mu/sigma. */
  linearMap(): { matrix: Float64Array; bias: Float64Array; logDet: number } {
    const d = this.dim;
    const matrix = new Float64Array(d * d);
    for (let i = 0; i < d; i++) matrix[i * d + i] = 1 / this.std[i];
    return { matrix, bias: Float64Array.from(this.mean, (m, i) => -m / this.std[i]), logDet: this.logDetConstant };
  }

  jet(basis: MonomialSet, input: Jet[]): { output: Jet[]; logDet: Jet | null } {
    const output = input.map((u, i) => {
      const v = Float64Array.from(u, (c) => c / this.std[i]);
      v[0] -= this.mean[i] / this.std[i];
      return v;
    });
    return { output, logDet: constantJet(basis, this.logDetConstant) };
  }
}

/** The standardization's record (kinds.ts): saved with its mean and standard deviations. */
export const standardizeKind: LayerKind<Standardize> = {
  name: 'standardize',
  toStructure: (layer) => ({ kind: 'standardize', mean: Array.from(layer.mean), std: Array.from(layer.std) }),
  fromStructure: (_d, s) => new Standardize(s.mean as number[], s.std as number[]),
  checkStructure(d, s) {
    for (const field of ['mean', 'std'] as const) {
      const v = s[field];
      if (!Array.isArray(v) || v.length !== d) return `${field}: expected ${d} numbers`;
      const bad = v.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x) || (field === 'std' && !(x > 0)));
      if (bad >= 0) return `${field}[${bad}]: expected a finite number${field === 'std' ? ' above 0' : ''}`;
    }
    return null;
  },
  tfjs(tf, layer) {
    const mean = tf.keep(tf.tensor1d(Float32Array.from(layer.mean)));
    const std = tf.keep(tf.tensor1d(Float32Array.from(layer.std)));
    let ld = 0;
    for (const s of layer.std) ld -= Math.log(s);
    return { inputs: () => [], apply: (x) => ({ y: tf.div(tf.sub(x, mean), std) as typeof x, logDet: tf.scalar(ld) }), gradient: () => undefined };
  },
};
