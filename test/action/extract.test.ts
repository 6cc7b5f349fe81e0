import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MonomialBasis } from '../../src/core/poly/basis';
import { evaluateJet } from '../../src/core/poly/jet';
import { Rng } from '../../src/core/util/rng';
import { randomFlow } from '../helpers/flows';
import { actionJet } from '../../src/core/action/extract';
import { layerKindNames } from '../../src/core/flow/kinds';

test('coupling flows: the order-2^(L+1) polynomial equals ln p at random points to 1e-9 relative', () => {
  for (const [d, L] of [[4, 1], [3, 2]]) {
    const flow = randomFlow(d, 'coupling', L, 40 + L, 0.2);
    const K = 2 ** (L + 1);
    const basis = new MonomialBasis(d, K);
    const action = actionJet(flow, basis);
    const rng = new Rng(3);
    const n = 25;
    const x = Float64Array.from({ length: n * d }, () => 1.5 * rng.normal());
    const lp = flow.logProb(x, n);
    for (let r = 0; r < n; r++) {
      const poly = evaluateJet(basis, action, x.subarray(r * d, r * d + d));
      assert.ok(Math.abs(poly - lp[r]) <= 1e-9 * Math.max(1, Math.abs(lp[r])), `d=${d} L=${L} row ${r}: ${poly} vs ${lp[r]}`);
    }
  }
});

test('coupling flows: degree is exactly 2^(L+1) (higher orders vanish)', () => {
  const flow = randomFlow(3, 'coupling', 1, 7, 0.2);
  const basis = new MonomialBasis(3, 6);
  const action = actionJet(flow, basis);
  for (let m = basis.start[5]; m < basis.size; m++) assert.ok(Math.abs(action[m]) < 1e-12, `order ${basis.deg[m]} term ${action[m]}`);
  let order4 = 0;
  for (let m = basis.start[4]; m < basis.start[5]; m++) order4 += Math.abs(action[m]);
  assert.ok(order4 > 1e-6);
});

for (const kind of layerKindNames()) {
  test(`${kind}: the truncated series is the Taylor series of ln p at 0 (residual shrinks like |x|^(K+1))`, () => {
    const d = 3;
    const K = kind === 'cubic' ? 4 : 3;
    const flow = randomFlow(d, kind, 2, 101, 0.25);
    const basis = new MonomialBasis(d, K);
    const action = actionJet(flow, basis);
    const rng = new Rng(8);
    for (let trial = 0; trial < 5; trial++) {
      const dir = Array.from({ length: d }, () => rng.normal());
      const residual = (eps: number): number => {
        const x = Float64Array.from(dir, (v) => v * eps);
        return Math.abs(flow.logProb(x, 1)[0] - evaluateJet(basis, action, x));
      };
      const r1 = residual(0.02);
      const r2 = residual(0.01);
      const ratio = r1 / r2;
      assert.ok(ratio > 2 ** (K + 1) * 0.75 && ratio < 2 ** (K + 1) * 1.3, `direction ${trial}: ratio ${ratio} (residuals ${r1}, ${r2})`);
    }
  });

  test(`${kind}: orders 0-2 equal finite-difference derivatives of ln p at 0`, () => {
    const d = 3;
    const flow = randomFlow(d, kind, 2, 55, 0.25);
    const basis = new MonomialBasis(d, 4);
    const action = actionJet(flow, basis);
    const f = (x: number[]): number => flow.logProb(Float64Array.from(x), 1)[0];
    const h = 1e-4;
    const zero = [0, 0, 0];
    assert.ok(Math.abs(action[0] - f(zero)) < 1e-12);
    for (let i = 0; i < d; i++) {
      const e = (s: number): number[] => zero.map((_, k) => (k === i ? s : 0));
      const g = (f(e(h)) - f(e(-h))) / (2 * h);
      assert.ok(Math.abs(action[basis.index([i])] - g) < 1e-6, `gradient ${i}`);
      for (let j = i; j < d; j++) {
        const p = (si: number, sj: number): number[] => zero.map((_, k) => (k === i ? si : 0) + (k === j ? sj : 0));
        const hij = (f(p(h, h)) - f(p(h, -h)) - f(p(-h, h)) + f(p(-h, -h))) / (4 * h * h);
        // c_(i,i) = H_ii / 2; c_(i,j) = H_ij for i < j (monomial form).
        const expected = i === j ? hij / 2 : hij;
        assert.ok(Math.abs(action[basis.index([i, j])] - expected) < 2e-5, `hessian ${i},${j}: ${action[basis.index([i, j])]} vs ${expected}`);
      }
    }
  });
}
