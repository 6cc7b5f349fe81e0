import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lbfgs } from '../../src/core/train/lbfgs';

/** The n-dimensional Rosenbrock function, minimum 0 at (1, ..., 1): a curved valley that defeats plain gradient descent. */
function rosenbrock(x: Float64Array, g: Float64Array): number {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
}

test('lbfgs finds the minimum of the Rosenbrock function from the classic start', () => {
  for (const n of [2, 10]) {
    const x = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const res = lbfgs(rosenbrock, x, { maxIterations: 1000, maxEvaluations: 3000 });
    assert.ok(res.stoppedBecause === 'gradient' || res.stoppedBecause === 'stalled', res.stoppedBecause);
    for (const v of x) assert.ok(Math.abs(v - 1) < 1e-6, `n = ${n}: ${Array.from(x).join(', ')}`);
    assert.ok(res.value < 1e-12);
  }
});

test('lbfgs on a quadratic lands on the solution of the linear system, from any start alike', () => {
  // f = x^T A x / 2 - b^T x with an ill-conditioned A (eigenvalues 1 to 1e4): minimiser A^{-1} b.
  const n = 6;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (i === j ? 10 ** ((4 * i) / (n - 1)) : 0) + 0.3 * Math.cos(i + j) * (i === j ? 0 : 1);
  const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
  const f = (x: Float64Array, g: Float64Array): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      let ax = 0;
      for (let j = 0; j < n; j++) ax += a[i * n + j] * x[j];
      g[i] = ax - b[i];
      v += 0.5 * x[i] * ax - b[i] * x[i];
    }
    return v;
  };
  const ends = [0, 1].map((s) => {
    const x = Float64Array.from({ length: n }, (_, i) => (s === 0 ? 0 : 3 * Math.cos(5 * i)));
    const res = lbfgs(f, x, { maxIterations: 500, maxEvaluations: 1000, gradientTolerance: 1e-12, relativeTolerance: 0 });
    assert.ok(res.stoppedBecause === 'gradient' || res.stoppedBecause === 'stalled', res.stoppedBecause);
    return x;
  });
  // The residual A x - b vanishes, and both starts meet, to the precision a minimum can be located from
  // values (about the square root of the rounding error relative to the curvature).
  const g = new Float64Array(n);
  f(ends[0], g);
  for (const v of g) assert.ok(Math.abs(v) < 1e-6, `residual ${v}`);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(ends[0][i] - ends[1][i]) < 1e-6, `${ends[0][i]} vs ${ends[1][i]}`);
});

test('lbfgs stops at its budgets, on request, and never accepts a non-finite value', () => {
  const x = Float64Array.from([-1.2, 1]);
  const res = lbfgs(rosenbrock, x, { maxIterations: 5, maxEvaluations: 1000 });
  assert.equal(res.stoppedBecause, 'iterations');
  assert.equal(res.iterations, 5);
  const y = Float64Array.from([-1.2, 1]);
  assert.equal(lbfgs(rosenbrock, y, { maxIterations: 100, maxEvaluations: 3 }).stoppedBecause, 'evaluations');
  const z = Float64Array.from([-1.2, 1]);
  let calls = 0;
  assert.equal(lbfgs(rosenbrock, z, { maxIterations: 100, maxEvaluations: 100, shouldStop: () => ++calls > 2 }).stoppedBecause, 'cancelled');
  // A wall: f is infinite beyond x = 2, so the line search backs off and the iterate stays finite.
  const wall = (v: Float64Array, g: Float64Array): number => {
    g[0] = -1;
    return v[0] > 2 ? Number.POSITIVE_INFINITY : -v[0];
  };
  const w = Float64Array.from([0]);
  const r = lbfgs(wall, w, { maxIterations: 50, maxEvaluations: 500 });
  assert.ok(w[0] <= 2 && Number.isFinite(r.value));
});
