import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNormalizable, polynomialTheory } from '../../src/core/theories/polynomial';
import { logPartition, theoryNll } from '../../src/core/experiments/normalization';
import { phi4Lattice } from '../../src/core/theories';
import { buildFlow } from '../../src/core/flow/build';
import type { Action } from '../../src/core/report/schema';

test('a polynomial theory reproduces its action and its gradient (finite differences)', () => {
  const theory = phi4Lattice({ d: 3, m2: 1, kappa: 0.3, g3: 0.5, g4: 1 });
  const poly = polynomialTheory(theory.trueAction(), 3);
  const x = Float64Array.from([0.3, -0.7, 1.1]);
  const y = Float64Array.from([0, 0, 0]);
  // Both are E up to the same constant: differences between points agree.
  assert.ok(Math.abs(poly.energy(x) - poly.energy(y) - (theory.energy(x) - theory.energy(y))) < 1e-12);
  const g = new Float64Array(3);
  poly.energyAndGradient(x, g);
  for (let i = 0; i < 3; i++) {
    const p = Float64Array.from(x);
    const m = Float64Array.from(x);
    p[i] += 1e-6;
    m[i] -= 1e-6;
    assert.ok(Math.abs((poly.energy(p) - poly.energy(m)) / 2e-6 - g[i]) < 1e-6);
  }
});

test('normalisability: negative-definite quartic yes; odd order, indefinite quartic no', () => {
  const good = phi4Lattice({ d: 3, m2: 1, kappa: 0.3, g3: 0.5, g4: 1 }).trueAction();
  assert.equal(checkNormalizable(good, 3).normalizable, true);
  const cubic: Action = { convention: 'ln p', units: 'raw', order: 3, terms: [{ monomial: [0, 0, 0], coefficient: -1 }] };
  assert.match(checkNormalizable(cubic, 1).reason, /odd/);
  const saddle: Action = { convention: 'ln p', units: 'raw', order: 4, terms: [{ monomial: [0, 0, 0, 0], coefficient: -1 }, { monomial: [1, 1, 1, 1], coefficient: -1 }, { monomial: [0, 0, 1, 1], coefficient: 5 }] };
  assert.equal(checkNormalizable(saddle, 2).normalizable, false);
});

test('ln Z by importance sampling matches the exact Gaussian normalisation', () => {
  // E = 1/2 x^T Delta x (g3 = g4 = 0): ln Z = (d/2) ln 2pi - 1/2 ln det Delta.
  const theory = phi4Lattice({ d: 2, m2: 1, kappa: 0.25, g3: 0, g4: 0 });
  const delta = [[1.5, -0.5], [-0.5, 1.5]];
  const exact = Math.log(2 * Math.PI) - 0.5 * Math.log(delta[0][0] * delta[1][1] - delta[0][1] * delta[1][0]);
  const flow = buildFlow([0.1, -0.1], [1.1, 0.9], { layerKind: 'cubic', layers: 1, hidden: 2, seed: 4 });
  const { logZ, stdErr } = logPartition(theory, flow, 40000, 7);
  assert.ok(Math.abs(logZ - exact) < 4 * stdErr + 1e-3, `${logZ} +- ${stdErr} vs ${exact}`);
  const rows = Float64Array.from([0, 0]);
  assert.ok(Math.abs(theoryNll(theory, rows, 1, exact) - exact) < 1e-12);
});
