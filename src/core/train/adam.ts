import { Scratch } from '../linalg/scratch';
import { norm as euclideanNorm } from '../poly/jet';
import { loadKernels } from '../linalg/wasm/kernel';

/**
 * Adam (Kingma & Ba) on a flat float64 parameter vector. The moments live in the kernel heap and the
 * step runs in WebAssembly SIMD when the kernels are available (parameters and gradient outside the
 * heap are copied in, and the parameters back), else in the JS loop; both give the same bits.
 */
export class Adam {
  private readonly size: number;
  private readonly scratch = new Scratch();
  private t = 0;
  lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(size: number, lr: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) {
    this.size = size;
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
  }

  step(params: Float64Array, grad: Float64Array): void {
    this.t++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    // The bias corrections folded into two constants: lr m^ / (sqrt(v^) + eps) with m^ = m / c1 and
    // v^ = v / c2 is (lr / c1) m / (sqrt(v) / sqrt(c2) + eps), one square root and one division per
    // parameter instead of one and three (equal up to rounding).
    const step = this.lr / (1 - b1 ** this.t);
    const invRootC2 = 1 / Math.sqrt(1 - b2 ** this.t);
    const a1 = 1 - b1;
    const a2 = 1 - b2;
    const eps = this.eps;
    const m = this.scratch.get('m', this.size);
    const v = this.scratch.get('v', this.size);
    const kernels = loadKernels();
    if (kernels) {
      const heap = kernels.heap;
      const inHeap = (a: Float64Array, name: string): Float64Array => {
        if (heap.pointerOf(a) >= 0) return a;
        const copy = this.scratch.get(name, a.length);
        copy.set(a);
        return copy;
      };
      const p = inHeap(params, 'params');
      const g = inHeap(grad, 'grad');
      kernels.unitwise.adam(params.length, p.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, b1, b2, a1, a2, step, invRootC2, eps);
      if (p !== params) params.set(p);
      return;
    }
    adamLoop(params, grad, m, v, { b1, b2, a1, a2, step, invRootC2, eps });
  }

  /** Forget the moment estimates (after a divergent step was undone). */
  reset(): void {
    this.scratch.get('m', this.size).fill(0);
    this.scratch.get('v', this.size).fill(0);
    this.t = 0;
  }
}

/** Adam's update in plain JS (the path without the kernels; the kernel's `adam` does the same operations). */
export function adamLoop(
  params: Float64Array,
  grad: Float64Array,
  m: Float64Array,
  v: Float64Array,
  c: { b1: number; b2: number; a1: number; a2: number; step: number; invRootC2: number; eps: number },
): void {
  const { b1, b2, a1, a2, step, invRootC2, eps } = c;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i];
    const mi = b1 * m[i] + a1 * g;
    const vi = b2 * v[i] + a2 * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] -= (step * mi) / (Math.sqrt(vi) * invRootC2 + eps);
  }
}

/**
 * Scales grad in place so that its Euclidean norm is at most maxNorm; returns the norm before clipping
 * (`norm`, when the caller has it already, saves a pass).
 */
export function clipGradient(grad: Float64Array, maxNorm: number, norm = euclideanNorm(grad)): number {
  if (norm > maxNorm) {
    const f = maxNorm / norm;
    for (let i = 0; i < grad.length; i++) grad[i] *= f;
  }
  return norm;
}
