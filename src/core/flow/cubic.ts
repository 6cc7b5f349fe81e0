import type { MonomialBasis } from '../poly/basis';
import { axpy, constantJet, logJet, mul, type Jet } from '../poly/jet';
import type { Layer, LayerStructure } from './layer';

/** c = softplus(gamma) + C_FLOOR keeps c > 0; a = sqrt(3c) tanh(beta) A_SHRINK keeps a^2 < 3c strictly. */
const C_FLOOR = 1e-4;
const A_SHRINK = 0.999;

/**
 * C (kind "cubic"): y_i = u_i + a_i u_i^2 + c_i u_i^3 per unit. y' = 1 + 2 a u + 3 c u^2 > 0 for all u
 * because a^2 < 3c, so it is a bijection of R. One block can express a site-local phi^3 + phi^4 term.
 * Parameters: gamma (d), beta (d).
 */
export class MonotoneCubic implements Layer {
  readonly kind = 'cubic' as const;
  readonly dim: number;
  readonly paramCount: number;
  params: Float64Array;

  constructor(dim: number) {
    this.dim = dim;
    this.paramCount = 2 * dim;
    this.params = new Float64Array(this.paramCount);
  }

  /** The unit's coefficients (a, c) and their derivatives with respect to (gamma, beta). */
  coefficients(i: number): { a: number; c: number; dcDgamma: number; daDc: number; daDbeta: number } {
    const gamma = this.params[i];
    const beta = this.params[this.dim + i];
    const c = softplus(gamma) + C_FLOOR;
    const th = Math.tanh(beta);
    const root = Math.sqrt(3 * c);
    return {
      a: root * th * A_SHRINK,
      c,
      dcDgamma: sigmoid(gamma),
      daDc: (A_SHRINK * th * 3) / (2 * root),
      daDbeta: root * A_SHRINK * (1 - th * th),
    };
  }

  forward(x: Float64Array, n: number, y: Float64Array, logDet: Float64Array): void {
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      const { a, c } = this.coefficients(i);
      for (let r = 0; r < n; r++) {
        const u = x[r * d + i];
        y[r * d + i] = u + u * u * (a + c * u);
        logDet[r] += Math.log(1 + u * (2 * a + 3 * c * u));
      }
    }
  }

  inverse(y: Float64Array, n: number, x: Float64Array): void {
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      const { a, c } = this.coefficients(i);
      for (let r = 0; r < n; r++) x[r * d + i] = solveMonotoneCubic(a, c, y[r * d + i]);
    }
  }

  backward(x: Float64Array, n: number, gy: Float64Array, w: number, gParams: Float64Array, gx: Float64Array): void {
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      const k = this.coefficients(i);
      let ga = 0;
      let gc = 0;
      for (let r = 0; r < n; r++) {
        const o = r * d + i;
        const u = x[o];
        const g = gy[o];
        const jac = 1 + u * (2 * k.a + 3 * k.c * u);
        const wj = w / jac;
        gx[o] = g * jac + wj * (2 * k.a + 6 * k.c * u);
        ga += g * u * u + wj * 2 * u;
        gc += g * u * u * u + wj * 3 * u * u;
      }
      gParams[i] += (gc + ga * k.daDc) * k.dcDgamma;
      gParams[d + i] += ga * k.daDbeta;
    }
  }

  jet(basis: MonomialBasis, input: Jet[]): { output: Jet[]; logDet: Jet | null } {
    const output: Jet[] = [];
    const logDet = constantJet(basis, 0);
    for (let i = 0; i < this.dim; i++) {
      const { a, c } = this.coefficients(i);
      const u = input[i];
      const u2 = mul(basis, u, u);
      const u3 = mul(basis, u2, u);
      const v = Float64Array.from(u);
      axpy(v, a, u2);
      axpy(v, c, u3);
      output.push(v);
      // ln(1 + 2 a u + 3 c u^2) as a jet: exact to order K (log series around the constant term).
      const jac = constantJet(basis, 1);
      axpy(jac, 2 * a, u);
      axpy(jac, 3 * c, u2);
      axpy(logDet, 1, logJet(basis, jac));
    }
    return { output, logDet };
  }

  structure(): LayerStructure {
    return { kind: 'cubic' };
  }
}

/** The unique real root u of u + a u^2 + c u^3 = y (monotone): bracketed Newton, to full precision. */
export function solveMonotoneCubic(a: number, c: number, y: number): number {
  const f = (u: number): number => u + u * u * (a + c * u) - y;
  let lo = -1;
  let hi = 1;
  while (f(lo) > 0) lo *= 2;
  while (f(hi) < 0) hi *= 2;
  // Start from the cube-root asymptote or y itself, whichever lies in the bracket and is closer.
  let u = Math.abs(y) > 1 ? Math.cbrt(y / c) : y;
  if (!(u > lo && u < hi)) u = 0.5 * (lo + hi);
  for (let it = 0; it < 200; it++) {
    const fu = f(u);
    if (fu === 0) return u;
    if (fu < 0) lo = u;
    else hi = u;
    const df = 1 + u * (2 * a + 3 * c * u);
    let next = u - fu / df;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - u) <= 1e-16 * Math.max(1, Math.abs(u))) return next;
    u = next;
  }
  return u;
}

export function softplus(x: number): number {
  return x > 30 ? x : Math.log1p(Math.exp(x));
}

export function inverseSoftplus(y: number): number {
  return y > 30 ? y : Math.log(Math.expm1(y));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export const CUBIC_C_FLOOR = C_FLOOR;
