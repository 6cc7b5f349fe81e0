import { axpy, norm } from '../poly/jet';

/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, algorithms 7.4 and 7.5) with a
 * backtracking line search on the Armijo condition. Deterministic: the same start and function give
 * the same iterates, so a polish that uses it reproduces from the seed like the rest of training.
 */
export interface LbfgsOptions {
  /** Iterations at most (each costs one gradient, and more evaluations when the line search backtracks). */
  maxIterations: number;
  /** Function evaluations at most, line searches included. */
  maxEvaluations: number;
  /** Pairs (s, y) kept. */
  memory?: number;
  /** Stop when the largest gradient entry is below this. */
  gradientTolerance?: number;
  /**
   * Stop when the Newton decrement g^T H^-1 g / 2 (H the quasi-Newton Hessian), the predicted distance
   * of f above its minimum, is below this (counted as 'gradient': the gradient in the Hessian's metric).
   */
  decrementTolerance?: number;
  /** Stop when an iteration lowers f by less than this times (1 + |f|). */
  relativeTolerance?: number;
  /** Checked before every iteration: true ends the run ('cancelled') at the best point so far. */
  shouldStop?: () => boolean;
  /** Told every iteration's Newton decrement (once curvature pairs exist), to follow the progress. */
  onDecrement?: (decrement: number) => void;
}

export interface LbfgsResult {
  value: number;
  iterations: number;
  evaluations: number;
  stoppedBecause: 'gradient' | 'stalled' | 'iterations' | 'evaluations' | 'line-search' | 'not-finite' | 'cancelled';
}

const ARMIJO = 1e-4;
const SHRINK = 0.5;
const MAX_BACKTRACKS = 30;

/**
 * Minimises f from x (updated in place to the best point found). f(x, g) returns the value at x and
 * writes the gradient to g; a non-finite value counts as "too far" and makes the line search step back.
 */
export function lbfgs(f: (x: Float64Array, g: Float64Array) => number, x: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x.length;
  const m = options.memory ?? 10;
  const gtol = options.gradientTolerance ?? 1e-9;
  const ftol = options.relativeTolerance ?? 1e-12;
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const g = new Float64Array(n);
  const gNew = new Float64Array(n);
  const xNew = new Float64Array(n);
  const dir = new Float64Array(n);
  const alpha = new Float64Array(m);
  let value = f(x, g);
  let evaluations = 1;
  if (!Number.isFinite(value)) return { value, iterations: 0, evaluations, stoppedBecause: 'not-finite' };
  let iterations = 0;
  while (true) {
    if (maxAbs(g) < gtol) return { value, iterations, evaluations, stoppedBecause: 'gradient' };
    if (iterations >= options.maxIterations) return { value, iterations, evaluations, stoppedBecause: 'iterations' };
    if (options.shouldStop?.()) return { value, iterations, evaluations, stoppedBecause: 'cancelled' };
    // Two-loop recursion: dir = -H g.
    dir.set(g);
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(s[k], dir);
      axpy(dir, -alpha[k], y[k]);
    }
    // The initial Hessian: scaled by the last pair's curvature, or a first step of unit length.
    const gamma = s.length > 0 ? dot(s[s.length - 1], y[y.length - 1]) / dot(y[y.length - 1], y[y.length - 1]) : 1 / Math.max(norm(g), 1e-300);
    for (let i = 0; i < n; i++) dir[i] *= gamma;
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k] * dot(y[k], dir);
      axpy(dir, alpha[k] - beta, s[k]);
    }
    for (let i = 0; i < n; i++) dir[i] = -dir[i];
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (curvature pairs gone stale): start again from steepest descent.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      const scale = 1 / Math.max(norm(g), 1e-300);
      for (let i = 0; i < n; i++) dir[i] = -g[i] * scale;
      slope = dot(g, dir);
    }
    if (s.length > 0) options.onDecrement?.(-slope / 2);
    if (s.length > 0 && -slope / 2 < (options.decrementTolerance ?? 0)) return { value, iterations, evaluations, stoppedBecause: 'gradient' };
    let step = 1;
    let next = Number.NaN;
    let backtracks = 0;
    while (true) {
      if (evaluations >= options.maxEvaluations) return { value, iterations, evaluations, stoppedBecause: 'evaluations' };
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * dir[i];
      next = f(xNew, gNew);
      evaluations++;
      if (Number.isFinite(next) && next <= value + ARMIJO * step * slope) break;
      if (++backtracks > MAX_BACKTRACKS) return { value, iterations, evaluations, stoppedBecause: 'line-search' };
      step *= SHRINK;
    }
    iterations++;
    const sNew = new Float64Array(n);
    const yNew = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sNew[i] = xNew[i] - x[i];
      yNew[i] = gNew[i] - g[i];
    }
    const sy = dot(sNew, yNew);
    // Only pairs with positive curvature keep the inverse Hessian positive definite.
    if (sy > 1e-12 * Math.sqrt(dot(sNew, sNew) * dot(yNew, yNew))) {
      if (s.length === m) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sNew);
      y.push(yNew);
      rho.push(1 / sy);
    }
    const decrease = value - next;
    x.set(xNew);
    g.set(gNew);
    value = next;
    if (decrease <= ftol * (1 + Math.abs(value))) return { value, iterations, evaluations, stoppedBecause: 'stalled' };
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
