import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseExpansionPoint } from '../../src/core/action/expansion';
import { MonomialBasis } from '../../src/core/poly/basis';
import { evaluateJet, variableJet } from '../../src/core/poly/jet';
import { compose } from '../helpers/compose';
import { shiftPolynomial } from '../../src/core/poly/shift';
import { jetToTerms, termsToJet } from '../../src/core/action/terms';
import { convergenceRadius } from '../../src/core/action/convergence';
import { layerDiagrams } from '../../src/core/action/diagrams';
import { Flow } from '../../src/core/flow/flow';
import { Rng } from '../../src/core/util/rng';
import { randomFlow } from '../helpers/flows';
import { actionJet, genericActionJet } from '../../src/core/action/extract';
import { layerKindNames } from '../../src/core/flow/kinds';

test('auto: x = 0 when every mean is within one standard deviation of 0, else the mean (with the column that decided it)', () => {
  const centred = chooseExpansionPoint([0.2, -0.5], [1, 0.6], 'auto', ['a', 'b']);
  assert.equal(centred.rule, 'zero');
  assert.deepEqual(Array.from(centred.point), [0, 0]);
  const offset = chooseExpansionPoint([300, 0.1], [2, 1], 'auto', ['temp', 'noise']);
  assert.equal(offset.rule, 'mean');
  assert.deepEqual(Array.from(offset.point), [300, 0.1]);
  assert.match(offset.reason, /"temp".*150 standard deviations/);
  assert.equal(chooseExpansionPoint([0.2], [1], 'mean').rule, 'mean');
  assert.equal(chooseExpansionPoint([300], [1], 'zero').rule, 'zero');
  assert.deepEqual(Array.from(chooseExpansionPoint([3, 4], [1, 1], [1, 2]).point), [1, 2]);
  assert.throws(() => chooseExpansionPoint([3, 4], [1, 1], [1]), /2 columns/);
  assert.throws(() => chooseExpansionPoint([3], [1], [Number.NaN]), /not a finite number/);
});

test('shiftPolynomial: p(y + s) term by term equals p evaluated at y + s (random polynomials, brute force)', () => {
  const rng = new Rng(4);
  for (const [d, K] of [[1, 5], [3, 4], [5, 3]]) {
    const basis = new MonomialBasis(d, K);
    const p = Float64Array.from({ length: basis.size }, () => rng.normal());
    const s = Array.from({ length: d }, () => 2 * rng.normal());
    const shifted = termsToJet(basis, shiftPolynomial(jetToTerms(basis, p), s));
    for (let trial = 0; trial < 10; trial++) {
      const y = Array.from({ length: d }, () => rng.normal());
      const direct = evaluateJet(basis, p, y.map((v, i) => v + s[i]));
      const viaShift = evaluateJet(basis, shifted, y);
      assert.ok(Math.abs(direct - viaShift) <= 1e-10 * Math.max(1, Math.abs(direct)), `d=${d} K=${K}: ${direct} vs ${viaShift}`);
    }
    // Shifting back recovers the coefficients.
    const back = termsToJet(basis, shiftPolynomial(jetToTerms(basis, shifted), s.map((v) => -v)));
    for (let m = 0; m < basis.size; m++) assert.ok(Math.abs(back[m] - p[m]) < 1e-9 * Math.max(1, Math.abs(p[m])));
  }
});

test('coupling flows: the action expanded at x0 is the action at 0 re-expanded about x0 (exact polynomial, both routes)', () => {
  const d = 3;
  const flow = randomFlow(d, 'coupling', 1, 12, 0.25);
  const basis = new MonomialBasis(d, 4);
  const x0 = [1.3, -0.7, 2.1];
  const atX0 = actionJet(flow, basis, 0, x0);
  const reexpanded = termsToJet(basis, shiftPolynomial(jetToTerms(basis, actionJet(flow, basis)), x0));
  for (let m = 0; m < basis.size; m++) assert.ok(Math.abs(atX0[m] - reexpanded[m]) <= 1e-9 * Math.max(1, Math.abs(reexpanded[m])), `monomial ${basis.monomial(m)}`);
});

for (const kind of layerKindNames()) {
  test(`${kind}: the series at x0 is the Taylor series of ln p at x0 (residual ~ |x - x0|^(K+1); orders 1-2 by finite differences)`, () => {
    const d = 3;
    // A coupling flow of L = 2 is a polynomial of degree 8: K = 3 leaves a residual well above rounding.
    const K = kind === 'cubic' ? 4 : 3;
    const flow = randomFlow(d, kind, 2, 77, 0.25);
    const basis = new MonomialBasis(d, K);
    const x0 = [0.9, -1.1, 0.4];
    const action = actionJet(flow, basis, 0, x0);
    const f = (x: number[]): number => flow.logProb(Float64Array.from(x), 1)[0];
    assert.ok(Math.abs(action[0] - f(x0)) < 1e-12 * Math.max(1, Math.abs(f(x0))));
    const h = 1e-4;
    for (let i = 0; i < d; i++) {
      const at = (s: number): number[] => x0.map((v, k) => v + (k === i ? s : 0));
      assert.ok(Math.abs(action[basis.index([i])] - (f(at(h)) - f(at(-h))) / (2 * h)) < 1e-6, `gradient ${i}`);
    }
    const rng = new Rng(9);
    for (let trial = 0; trial < 4; trial++) {
      const dir = Array.from({ length: d }, () => rng.normal());
      const residual = (eps: number): number => {
        const delta = dir.map((v) => v * eps);
        return Math.abs(f(delta.map((v, k) => v + x0[k])) - evaluateJet(basis, action, delta));
      };
      const ratio = residual(0.02) / residual(0.01);
      assert.ok(ratio > 2 ** (K + 1) * 0.7 && ratio < 2 ** (K + 1) * 1.35, `direction ${trial}: ratio ${ratio}`);
    }
    // The structured and generic routes agree at x0 too.
    const generic = genericActionJet(flow, basis, 0, x0);
    for (let m = 0; m < basis.size; m++) assert.ok(Math.abs(generic[m] - action[m]) <= 1e-9 * Math.max(1, Math.abs(action[m])));
  });
}

test('diagrams of layer 0 at x0: no remainder at the mean; elsewhere the remainder is the pull-back of the vertices above K (independent computation)', () => {
  // Coupling flow, L = 1: S_1 is an exact polynomial of degree <= 4, so the order-4 basis holds all of it.
  const d = 3;
  const flow: Flow = randomFlow(d, 'coupling', 1, 31, 0.3);
  const K = 2;
  const small = new MonomialBasis(d, K);
  const big = new MonomialBasis(d, 4);
  const mean = Array.from((flow.layers[0] as unknown as { mean: Float64Array }).mean);
  const atMean = layerDiagrams(flow, small, 0, actionJet(flow, small, 1), actionJet(flow, small, 0, mean), mean);
  assert.ok(Math.max(...atMean.remainder.map(Math.abs)) < 1e-12, 'no remainder at the mean');
  for (const c of atMean.classes) assert.equal(c.legs[0], 0, 'no terminating legs at the mean');
  const x0 = [mean[0] + 1, mean[1] - 2, mean[2] + 0.5];
  const dg = layerDiagrams(flow, small, 0, actionJet(flow, small, 1), actionJet(flow, small, 0, x0), x0);
  const outBig = actionJet(flow, big, 1);
  const high = Float64Array.from(outBig, (v, m) => (big.deg[m] > K ? v : 0));
  const g = flow.layers[0].jet(big, Array.from({ length: d }, (_, i) => variableJet(big, i, x0[i]))).output;
  const pulled = compose(big, high, g);
  let size = 0;
  for (let m = 0; m < small.size; m++) {
    const expected = pulled[big.index(small.monomial(m))];
    size = Math.max(size, Math.abs(expected));
    assert.ok(Math.abs(dg.remainder[m] - expected) < 1e-9 * Math.max(1, Math.abs(expected)), `monomial ${small.monomial(m)}: ${dg.remainder[m]} vs ${expected}`);
  }
  assert.ok(size > 1e-6, 'a constant leaks higher vertices down');
});

test('convergence radius at x0: the series of ln p diverges just beyond it along the worst direction and the standardized radius scales by the std', () => {
  const d = 2;
  const flow = randomFlow(d, 'cubic', 1, 5, 0.3);
  const x0 = [0.5, -0.4];
  const info = convergenceRadius(flow, x0);
  assert.ok(info.radius !== null && info.radius > 0);
  assert.ok(info.radiusStandardized !== null && info.radiusStandardized !== undefined && info.radiusStandardized > 0);
  // For one variable direction the two radii differ by that column's std; in general they bracket it.
  const std = (flow.layers[0] as unknown as { std: Float64Array }).std;
  const lo = Math.min(...std);
  const hi = Math.max(...std);
  assert.ok(info.radius >= info.radiusStandardized * lo * (1 - 1e-12) && info.radius <= info.radiusStandardized * hi * (1 + 1e-12));
  // Moving x0 changes the radius (the singularity is fixed in data space).
  const other = convergenceRadius(flow, [x0[0] + 0.3, x0[1]]);
  assert.notEqual(other.radius, info.radius);
});
