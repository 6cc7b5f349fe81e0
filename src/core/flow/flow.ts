import { Scratch } from '../linalg/scratch';
import { kernelHeap } from '../linalg/wasm/kernel';
import { gaussianHead } from '../linalg/rowwise';
import type { Layer } from './layer';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const NO_GRADIENT = new Float64Array(0);
/** Rows per chunk of logProb's forward pass (bounds its buffers: 4,096 x d numbers, twice). */
const NLL_CHUNK_ROWS = 4096;

/**
 * The flow f = C_L o T_L o ... o C_1 o T_1 o N mapping data to a standard Gaussian latent
 * (docs/METHOD.md section 2). Owns the flat parameter vector; each layer's `params` is a view into it.
 */
export class Flow {
  readonly dim: number;
  readonly layers: Layer[];
  private storage: Float64Array;
  private readonly offsets: number[];
  private readonly scratch = new Scratch();
  private readonly heap = kernelHeap();

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
    this.storage = new Float64Array(total);
    layers.forEach((l, i) => {
      this.storage.set(l.params, this.offsets[i]);
      l.params = this.storage.subarray(this.offsets[i], this.offsets[i] + l.paramCount);
    });
  }

  /** The flat parameter vector; each layer's `params` is a view into it. */
  get params(): Float64Array {
    return this.storage;
  }

  /**
   * Moves the parameters into `storage` (paramCount numbers, copied there) and rebinds every layer to
   * its slice. The two-thread engine's helper binds its replica to the shared buffer that the trainer's
   * thread writes, instead of copying the parameters over for every batch.
   */
  bindParams(storage: Float64Array): void {
    if (storage.length !== this.paramCount) throw new RangeError(`bindParams: ${storage.length} numbers for ${this.paramCount} parameters`);
    storage.set(this.storage);
    this.storage = storage;
    this.layers.forEach((l, i) => {
      l.params = storage.subarray(this.offsets[i], this.offsets[i] + l.paramCount);
    });
  }

  get paramCount(): number {
    return this.params.length;
  }

  /**
   * ln p(x) for n rows. The rows go through the layers in chunks on reused buffers in the kernel heap,
   * not on arrays allocated per layer and call: the trainer asks for the held-out NLL every epoch.
   */
  logProb(x: Float64Array, n: number): Float64Array {
    const d = this.dim;
    const out = new Float64Array(n);
    const chunk = Math.max(1, Math.min(n, NLL_CHUNK_ROWS));
    const bufA = this.scratch.get('nllA', chunk * d);
    const bufB = this.scratch.get('nllB', chunk * d);
    const logDet = this.scratch.get('nllLogDet', chunk);
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      let cur = bufA.subarray(0, m * d);
      let next = bufB.subarray(0, m * d);
      cur.set(x.subarray(start * d, (start + m) * d));
      logDet.fill(0, 0, m);
      for (const layer of this.layers) {
        layer.forward(cur, m, next, logDet);
        const t = cur;
        cur = next;
        next = t;
      }
      for (let r = 0; r < m; r++) {
        let q = 0;
        for (let i = 0; i < d; i++) q += cur[r * d + i] * cur[r * d + i];
        out[start + r] = -0.5 * q - d * HALF_LOG_2PI + logDet[r];
      }
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
   * out's first paramCount entries, which are overwritten). Analytic back-propagation through every
   * layer. Activations and gradients live in buffers reused across calls: the trainer calls this
   * thousands of times with the same batch size, and allocating per call costs more than the
   * arithmetic at small d.
   */
  lossAndGradient(x: Float64Array, n: number, out: Float64Array): number {
    const d = this.dim;
    // The layers accumulate into a gradient in the kernel heap, where products write in place; a
    // caller's array elsewhere gets a copy at the end.
    const grad = this.heap && this.heap.pointerOf(out) < 0 ? this.scratch.get('grad', this.paramCount) : out;
    const size = n * d;
    const nl = this.layers.length;
    const acts = this.scratch.get('acts', size * nl);
    const logDet = this.scratch.get('logDet', n);
    logDet.fill(0);
    // acts holds the rows entering each layer (block l = input of layer l); z is the last output.
    const z = this.scratch.get('z', size);
    // The batch is copied into the heap once, so that every pass below runs on heap buffers.
    acts.set(x.subarray(0, size), 0);
    let cur = acts.subarray(0, size);
    for (let l = 0; l < nl; l++) {
      const next = l + 1 < nl ? acts.subarray((l + 1) * size, (l + 2) * size) : z;
      this.layers[l].forward(cur, n, next, logDet);
      cur = next;
    }
    let g = this.scratch.get('gA', size);
    let gx = this.scratch.get('gB', size);
    const loss = gaussianHead(n, d, z, g, logDet, 1 / n, d * HALF_LOG_2PI);
    grad.fill(0);
    const w = -1 / n;
    // Layers below the first one with parameters need no gradient at all (the data's is not wanted).
    let lowest = 0;
    while (lowest < nl && this.layers[lowest].paramCount === 0) lowest++;
    for (let l = nl - 1; l >= lowest; l--) {
      const layer = this.layers[l];
      const gp = grad.subarray(this.offsets[l], this.offsets[l] + layer.paramCount);
      // The lowest trainable layer's dL/dx is wanted by nobody: an empty gx lets it skip that product.
      layer.backward(acts.subarray(l * size, (l + 1) * size), n, g, w, gp, l === lowest ? NO_GRADIENT : gx);
      const t = g;
      g = gx;
      gx = t;
    }
    if (grad !== out) out.set(grad);
    return loss / n;
  }
}
