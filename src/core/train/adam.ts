/** Adam (Kingma & Ba) on a flat float64 parameter vector. */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(size: number, lr: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
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
    const m = this.m;
    const v = this.v;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      const mi = b1 * m[i] + a1 * g;
      const vi = b2 * v[i] + a2 * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (step * mi) / (Math.sqrt(vi) * invRootC2 + eps);
    }
  }

  /** Forget the moment estimates (after a divergent step was undone). */
  reset(): void {
    this.m.fill(0);
    this.v.fill(0);
    this.t = 0;
  }
}

/** Scales grad in place so that its Euclidean norm is at most maxNorm; returns the norm before clipping. */
export function clipGradient(grad: Float64Array, maxNorm: number): number {
  let s = 0;
  for (let i = 0; i < grad.length; i++) s += grad[i] * grad[i];
  const norm = Math.sqrt(s);
  if (norm > maxNorm) {
    const f = maxNorm / norm;
    for (let i = 0; i < grad.length; i++) grad[i] *= f;
  }
  return norm;
}
