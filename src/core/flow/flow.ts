import type { MonomialBasis } from '../poly/basis';
import { axpy, constantJet, mulAdd, variableJet, type Jet } from '../poly/jet';
import type { Layer } from './layer';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The flow f = C_L o T_L o ... o C_1 o T_1 o N mapping data to a standard Gaussian latent
 * (METHOD.md section 2). Owns the flat parameter vector; each layer's `params` is a view into it.
 */
export class Flow {
  readonly dim: number;
  readonly layers: Layer[];
  readonly params: Float64Array;
  private readonly offsets: number[];

  constructor(layers: Layer[]) {
    if (layers.length === 0) throw new RangeError('a flow needs at least one layer');
    this.dim = layers[0].dim;
    this.layers = layers;
    let total = 0;
    this.offsets = layers.map((l) => {
      const o = total;
      total += l.paramCount;
      return o;
    });
    this.params = new Float64Array(total);
    layers.forEach((l, i) => {
      this.params.set(l.params, this.offsets[i]);
      l.params = this.params.subarray(this.offsets[i], this.offsets[i] + l.paramCount);
    });
  }

  get paramCount(): number {
    return this.params.length;
  }

  /** ln p(x) for n rows. */
  logProb(x: Float64Array, n: number): Float64Array {
    const { z, logDet } = this.forwardAll(x, n);
    const d = this.dim;
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let q = 0;
      for (let i = 0; i < d; i++) q += z[r * d + i] * z[r * d + i];
      out[r] = -0.5 * q - d * HALF_LOG_2PI + logDet[r];
    }
    return out;
  }

  /** Mean -ln p over n rows (nats per row). */
  meanNll(x: Float64Array, n: number): number {
    const lp = this.logProb(x, n);
    let s = 0;
    for (let r = 0; r < n; r++) s -= lp[r];
    return s / n;
  }

  forwardAll(x: Float64Array, n: number): { z: Float64Array; logDet: Float64Array; inputs: Float64Array[] } {
    const logDet = new Float64Array(n);
    const inputs: Float64Array[] = [];
    let cur = x;
    for (const layer of this.layers) {
      inputs.push(cur);
      const next = new Float64Array(n * this.dim);
      layer.forward(cur, n, next, logDet);
      cur = next;
    }
    return { z: cur, logDet, inputs };
  }

  /** x = f^{-1}(z), exact. */
  inverse(z: Float64Array, n: number): Float64Array {
    let cur = z;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const prev = new Float64Array(n * this.dim);
      this.layers[l].inverse(cur, n, prev);
      cur = prev;
    }
    return cur;
  }

  /**
   * Mean -ln p over the n rows of x and its gradient with respect to the flat parameters (written to
   * grad, which is overwritten). Analytic back-propagation through every layer.
   */
  lossAndGradient(x: Float64Array, n: number, grad: Float64Array): number {
    const d = this.dim;
    const { z, logDet, inputs } = this.forwardAll(x, n);
    let loss = 0;
    let g = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      let q = 0;
      for (let i = 0; i < d; i++) {
        const v = z[r * d + i];
        q += v * v;
        g[r * d + i] = v / n;
      }
      loss += 0.5 * q + d * HALF_LOG_2PI - logDet[r];
    }
    grad.fill(0);
    const w = -1 / n;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const gx = new Float64Array(n * d);
      const gp = grad.subarray(this.offsets[l], this.offsets[l] + layer.paramCount);
      layer.backward(inputs[l], n, g, w, gp, gx);
      g = gx;
    }
    return loss / n;
  }

  /**
   * The action of the coordinates that enter layer `from` (0 = the data), as a jet truncated at the
   * basis order: S_from(u) = -1/2 |z(u)|^2 - (d/2) ln 2pi + sum of ln|det| of layers from..end.
   * Exact to order K (METHOD.md section 4). Expanded around u = 0.
   */
  actionJet(basis: MonomialBasis, from = 0): Jet {
    let coords: Jet[] = [];
    for (let i = 0; i < this.dim; i++) coords.push(variableJet(basis, i));
    const action = constantJet(basis, -this.dim * HALF_LOG_2PI);
    for (let l = from; l < this.layers.length; l++) {
      const { output, logDet } = this.layers[l].jet(basis, coords);
      if (logDet) axpy(action, 1, logDet);
      coords = output;
    }
    for (const zi of coords) mulAdd(basis, action, zi, zi, -0.5);
    return action;
  }

  /** The latent action -1/2 |z|^2 - (d/2) ln 2pi as a jet: S after the last layer. */
  latentActionJet(basis: MonomialBasis): Jet {
    const action = constantJet(basis, -this.dim * HALF_LOG_2PI);
    for (let i = 0; i < this.dim; i++) {
      const zi = variableJet(basis, i);
      mulAdd(basis, action, zi, zi, -0.5);
    }
    return action;
  }
}
