import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerDiagrams } from '../../src/core/action/diagrams';
import type { Flow } from '../../src/core/flow/flow';
import { MonomialBasis } from '../../src/core/poly/basis';
import { norm, variableJet, type Jet } from '../../src/core/poly/jet';
import { AffineLU } from '../../src/core/flow/affine';
import { randomFlow } from '../helpers/flows';
import { compose } from '../helpers/compose';
import { actionJet, latentActionJet } from '../../src/core/action/extract';

function exactIn(flow: Flow, basis: MonomialBasis, l: number): Jet {
  return actionJet(flow, basis, l);
}
function exactOut(flow: Flow, basis: MonomialBasis, l: number): Jet {
  return l + 1 < flow.layers.length ? actionJet(flow, basis, l + 1) : latentActionJet(flow, basis);
}

test('without constants (zero biases) the classes and the log-det vertices add up to the exact S_in: no remainder', () => {
  const flow = randomFlow(3, 'cubic', 2, 5, 0.3);
  for (const layer of flow.layers) if (layer instanceof AffineLU) layer.bias().fill(0);
  // The standardization shifts by the mean: make it a pure scaling too.
  const std = flow.layers[0] as unknown as { mean: Float64Array };
  std.mean.fill(0);
  const basis = new MonomialBasis(3, 4);
  for (let l = 0; l < flow.layers.length; l++) {
    const dg = layerDiagrams(flow, basis, l, exactOut(flow, basis, l), exactIn(flow, basis, l));
    assert.ok(norm(dg.remainder) < 1e-10 * Math.max(1, norm(exactIn(flow, basis, l))), `layer ${l}: remainder ${norm(dg.remainder)}`);
    for (const c of dg.classes) assert.equal(c.legs[0], 0, 'no terminating legs without constants');
  }
});

test('the remainder equals the pull-back of the vertices above K terminating down (independent higher-order computation)', () => {
  // Coupling flow, L = 1: every S_l is an exact polynomial of degree <= 4, so K' = 4 holds all of it.
  const d = 3;
  const flow = randomFlow(d, 'coupling', 1, 9, 0.3);
  const K = 2;
  const small = new MonomialBasis(d, K);
  const big = new MonomialBasis(d, 4);
  for (let l = 0; l < flow.layers.length; l++) {
    const dg = layerDiagrams(flow, small, l, exactOut(flow, small, l), exactIn(flow, small, l));
    const outBig = exactOut(flow, big, l);
    // Keep only the vertices above K, pull them back through the layer map exactly, truncate at K.
    const high = Float64Array.from(outBig, (v, m) => (big.deg[m] > K ? v : 0));
    const identity = Array.from({ length: d }, (_, i) => variableJet(big, i));
    const g = flow.layers[l].jet(big, identity).output;
    const pulled = compose(big, high, g);
    for (let m = 0; m < small.size; m++) {
      const expected = pulled[big.index(small.monomial(m))];
      assert.ok(Math.abs(dg.remainder[m] - expected) < 1e-10 * Math.max(1, Math.abs(expected)), `layer ${l} monomial ${small.monomial(m)}: ${dg.remainder[m]} vs ${expected}`);
    }
  }
});

test('a pairwise vertex through a quadratic coupling layer grows cubic and quartic vertices (split legs)', () => {
  const d = 4;
  const flow = randomFlow(d, 'coupling', 1, 13, 0.3);
  const basis = new MonomialBasis(d, 4);
  const last = flow.layers.length - 1;
  const dg = layerDiagrams(flow, basis, last, latentActionJet(flow, basis), exactIn(flow, basis, last));
  const find = (k: number, legs: number[]): number => {
    const c = dg.classes.find((x) => x.vertexOrder === k && legs.every((v, j) => (x.legs[j] ?? 0) === v));
    return c ? norm(c.contribution) : 0;
  };
  assert.ok(find(2, [0, 2, 0]) > 0, 'pass-pass');
  assert.ok(find(2, [0, 1, 1]) > 0, 'pass-split feeds order 3');
  assert.ok(find(2, [0, 0, 2]) > 0, 'split-split feeds order 4');
  for (const c of dg.classes) assert.equal(c.resultOrder, c.legs.reduce((s, n, j) => s + n * j, 0));
});
