import type { MonomialSet } from '../poly/monomial-set';
import { axpy, constantJet, logJet, mul, type Jet } from '../poly/jet';
import { Scratch } from '../linalg/scratch';
import type { Layer } from './layer';
import type { NonlinearKind, TfModule, TfjsLayer } from './layer-kind';
import { unitwiseOn } from '../linalg/rowwise';
import { seriesLog, type UnitStructure } from './structured';

/** c = softplus(gamma) + C_FLOOR keeps c > 0; a = sqrt(3c) tanh(beta) A_SHRINK keeps a^2 < 3c strictly. */
const C_FLOOR = 1e-4;
const A_SHRINK = 0.999;

/**
 * C (kind "cubic"): y_i = u_i + a_i u_i^2 + c_i u_i^3 per unit. y' = 1 + 2 a u + 3 c u^2 > 0 for all u
 * because a^2 < 3c, so it is a bijection of R. One block can express a site-local phi^3 + phi^4 term.
 * Parameters: gamma (d), beta (d).
 */
export class MonotoneCubic implements Layer, UnitStructure {
  readonly kind = 'cubic' as const;
  readonly dim: number;
  readonly paramCount: number;
  params: Float64Array;
  private readonly scratch = new Scratch();

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

  /** (a_i, c_i) of every unit in reused arrays, so the row loops below stay free of calls. */
  private unitCoefficients(): { a: Float64Array; c: Float64Array } {
    const d = this.dim;
    const a = this.scratch.get('a', d);
    const c = this.scratch.get('c', d);
    for (let i = 0; i < d; i++) {
      const k = this.coefficients(i);
      a[i] = k.a;
      c[i] = k.c;
    }
    return { a, c };
  }

  forward(x: Float64Array, n: number, y: Float64Array, logDet: Float64Array): void {
    const d = this.dim;
    const { a, c } = this.unitCoefficients();
    const prod = this.scratch.get('prod', 2 * n);
    const expo = this.scratch.get('expo', 2 * n);
    const fast = unitwiseOn([x, y, a, c, prod, expo], d);
    if (fast) {
      // The same pass in WebAssembly SIMD; the row's product comes back as mantissa and exponent.
      const [px, py, pa, pc, pprod, pexpo] = fast.at;
      fast.unitwise.cubicForward(n, d, px, py, pa, pc, pprod, pexpo);
      for (let r = 0; r < n; r++) logDet[r] += Math.log(prod[2 * r]) + expo[2 * r] * Math.LN2;
      return;
    }
    // Each row's Jacobian diagonal is multiplied into prod[r] and logged once: d logs per row become
    // one. Unit by unit, so that consecutive multiplications belong to different rows (no serial
    // dependency chain).
    prod.fill(1, 0, n);
    for (let i = 0; i < d; i++) {
      const ai = a[i];
      const ci = c[i];
      const a2 = 2 * ai;
      const c3 = 3 * ci;
      for (let r = 0, o = i; r < n; r++, o += d) {
        const u = x[o];
        y[o] = u + u * u * (ai + ci * u);
        const p = prod[r] * (1 + u * (a2 + c3 * u));
        // Flush before the product can leave float64's range (each factor is positive).
        if (p > 1e250 || p < 1e-250) {
          logDet[r] += Math.log(p);
          prod[r] = 1;
        } else prod[r] = p;
      }
    }
    for (let r = 0; r < n; r++) logDet[r] += Math.log(prod[r]);
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
    const { a, c } = this.unitCoefficients();
    const gaAll = this.scratch.get('ga', d);
    const gcAll = this.scratch.get('gc', d);
    const fast = unitwiseOn([x, gy, gx, a, c, gaAll, gcAll], d);
    if (fast) {
      const [px, pgy, pgx, pa, pc, pga, pgc] = fast.at;
      fast.unitwise.cubicBackward(n, d, px, pgy, pgx, pa, pc, w, pga, pgc);
    } else this.backwardJs(x, n, gy, w, gx, a, c, gaAll, gcAll);
    for (let i = 0; i < d; i++) {
      const k = this.coefficients(i);
      gParams[i] += (gcAll[i] + gaAll[i] * k.daDc) * k.dcDgamma;
      gParams[d + i] += gaAll[i] * k.daDbeta;
    }
  }

  /** The elementwise part of backward in plain JS: gx, and the per-unit sums ga, gc. */
  private backwardJs(x: Float64Array, n: number, gy: Float64Array, w: number, gx: Float64Array, a: Float64Array, c: Float64Array, gaAll: Float64Array, gcAll: Float64Array): void {
    const d = this.dim;
    const wantGx = gx.length > 0;
    // Unit by unit (strided over the rows) with the sums in registers: no store-to-load chains
    // through the accumulator arrays; one unit's column of a batch stays in cache.
    const end = n * d;
    for (let i = 0; i < d; i++) {
      const a2 = 2 * a[i];
      const c3 = 3 * c[i];
      const c6 = 6 * c[i];
      let ga = 0;
      let gc = 0;
      for (let o = i; o < end; o += d) {
        const u = x[o];
        const g = gy[o];
        const jac = 1 + u * (a2 + c3 * u);
        const wj = w / jac;
        const u2 = u * u;
        if (wantGx) gx[o] = g * jac + wj * (a2 + c6 * u);
        ga += g * u2 + wj * 2 * u;
        gc += g * u2 * u + wj * 3 * u2;
      }
      gaAll[i] = ga;
      gcAll[i] = gc;
    }
  }

  /** UnitStructure (structured.ts): g(u0 + t) = g0 + g1 t + g2 t^2 + g3 t^3 and ln g'(u0 + t), as series in t. */
  unitSeries(i: number, u0: number, order: number): { value: Float64Array; logDet: Float64Array } {
    const { a, c } = this.coefficients(i);
    const value = new Float64Array(order + 1);
    const g = [u0 + u0 * u0 * (a + c * u0), 1 + u0 * (2 * a + 3 * c * u0), a + 3 * c * u0, c];
    for (let k = 0; k <= Math.min(order, 3); k++) value[k] = g[k];
    // g'(u0 + t) = g1 + 2 g2 t + 3 g3 t^2.
    return { value, logDet: seriesLog([g[1], 2 * g[2], 3 * g[3]], order) };
  }

  jet(basis: MonomialSet, input: Jet[]): { output: Jet[]; logDet: Jet | null } {
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
}

/** The cubic kind (kinds.ts). */
export const cubicKind: NonlinearKind<MonotoneCubic> = {
  name: 'cubic',
  description: 'Monotone cubic u + a u^2 + c u^3 per unit after an affine layer: can express site-local phi^3 + phi^4 terms.',
  summary: 'monotone cubic activation',
  pickDescription: 'monotone cubic per unit after an affine layer',
  minDim: 1,
  create(d, _index, _hidden, rng) {
    const layer = new MonotoneCubic(d);
    // c near 0.01 (smaller values stall, docs/METHOD.md section 3.3); a starts near zero with a small random tilt.
    const gamma = inverseSoftplus(0.01 - C_FLOOR);
    for (let i = 0; i < d; i++) {
      layer.params[i] = gamma;
      layer.params[d + i] = 0.01 * rng.normal();
    }
    return layer;
  },
  toStructure: () => ({ kind: 'cubic' }),
  fromStructure: (d) => new MonotoneCubic(d),
  singularities: {
    term: 'ln(1 + 2au + 3cu^2)',
    // The complex roots u* = (-a +- i sqrt(3c - a^2)) / (3c) of 1 + 2au + 3cu^2, both at this distance.
    distance(layer, i, u0) {
      const { a, c } = layer.coefficients(i);
      const re = -a / (3 * c) - u0;
      const im2 = (3 * c - a * a) / (9 * c * c);
      return Math.sqrt(re * re + im2);
    },
  },
  tfjs: cubicOnTfjs,
};

function cubicOnTfjs(tf: TfModule, _layer: MonotoneCubic, d: number): TfjsLayer {
  return {
    inputs: (p) => [tf.tensor1d(Float32Array.from(p.subarray(0, d))), tf.tensor1d(Float32Array.from(p.subarray(d, 2 * d)))],
    apply: (x, [gamma, beta]) => {
      const c = tf.add(tf.softplus(gamma), C_FLOOR);
      const a = tf.mul(tf.mul(tf.sqrt(tf.mul(3, c)), tf.tanh(beta)), A_SHRINK);
      const y = tf.add(x, tf.mul(tf.square(x), tf.add(a, tf.mul(c, x))));
      const jac = tf.add(1, tf.mul(x, tf.add(tf.mul(2, a), tf.mul(tf.mul(3, c), x))));
      return { y: y as typeof x, logDet: tf.sum(tf.log(jac), 1) };
    },
    gradient: ([gGamma, gBeta], _p, out) => {
      out.set(gGamma, 0);
      out.set(gBeta, d);
    },
  };
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
