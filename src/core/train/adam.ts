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
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      this.m[i] = b1 * this.m[i] + (1 - b1) * g;
      this.v[i] = b2 * this.v[i] + (1 - b2) * g * g;
      params[i] -= (this.lr * (this.m[i] / c1)) / (Math.sqrt(this.v[i] / c2) + this.eps);
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
