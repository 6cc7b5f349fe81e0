import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MonomialBasis } from '../../src/core/poly/basis';
import { randomFlow } from '../helpers/flows';
import { actionJet, genericActionJet, extractionRoute } from '../../src/core/action/extract';

// The fast extraction route (action/structured-extraction.ts: adjoint for degree K, block products) against the
// generic jet rules on full order-K jets, from every layer, for several d, L and K.
test('cubic: the structured extraction equals the generic jet propagation (1e-12 relative)', () => {
  for (const [d, L, K] of [[3, 2, 4], [5, 2, 2], [4, 3, 3], [6, 2, 5], [5, 1, 4], [12, 2, 4]]) {
    const flow = randomFlow(d, 'cubic', L, 7 + d, 0.25);
    const basis = new MonomialBasis(d, K);
    for (let from = 0; from < flow.layers.length; from++) {
      const fast = actionJet(flow, basis, from);
      const generic = genericActionJet(flow, basis, from);
      let scale = 0;
      for (const c of generic) scale = Math.max(scale, Math.abs(c));
      for (let m = 0; m < basis.size; m++) {
        assert.ok(Math.abs(fast[m] - generic[m]) <= 1e-12 * scale, `d=${d} L=${L} K=${K} from=${from} monomial ${basis.monomial(m).join(',')}: ${fast[m]} vs ${generic[m]}`);
      }
    }
  }
});

test('the generic route can be forced (extractionRoute.genericJetsOnly), and coupling flows always use it', () => {
  const flow = randomFlow(4, 'coupling', 1, 3, 0.2);
  const basis = new MonomialBasis(4, 4);
  assert.deepEqual(Array.from(actionJet(flow, basis)), Array.from(genericActionJet(flow, basis)));
  extractionRoute.genericJetsOnly = true;
  try {
    const cubic = randomFlow(3, 'cubic', 1, 3, 0.2);
    const b3 = new MonomialBasis(3, 4);
    assert.deepEqual(Array.from(actionJet(cubic, b3)), Array.from(genericActionJet(cubic, b3)));
  } finally {
    extractionRoute.genericJetsOnly = false;
  }
});
