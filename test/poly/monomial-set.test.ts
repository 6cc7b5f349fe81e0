import { test } from 'node:test';
import assert from 'node:assert/strict';
import { genericActionJet } from '../../src/core/action/extract';
import { MonomialBasis } from '../../src/core/poly/basis';
import { logJet, mul } from '../../src/core/poly/jet';
import { ClosedMonomialSet, tupleOrderings } from '../../src/core/poly/monomial-set';
import { Rng } from '../../src/core/util/rng';
import { randomFlow } from '../helpers/flows';

test('a support closed under division: every divisor, graded order, lookups, orderings', () => {
  const set = new ClosedMonomialSet(5, [[0, 0, 3], [1, 2]]);
  const all = Array.from({ length: set.size }, (_, m) => set.monomial(m).join(','));
  assert.deepEqual(all, ['', '0', '1', '2', '3', '0,0', '0,3', '1,2', '0,0,3']);
  assert.deepEqual(Array.from(set.start), [0, 1, 5, 8, 9]);
  assert.equal(set.order, 3);
  assert.equal(set.find([0, 3]), 6);
  assert.equal(set.find([3, 3]), -1);
  assert.equal(set.variable(4), -1);
  assert.throws(() => set.index([2, 2]), /not in this set/);
  assert.equal(set.orderings(set.index([0, 0, 3])), 3);
  assert.equal(tupleOrderings([0, 1, 2, 3]), 24);
  // The dense basis answers the same questions.
  const dense = new MonomialBasis(5, 3);
  assert.equal(dense.find([3, 3]), dense.index([3, 3]));
  assert.equal(dense.find([1, 0]), -1, 'not sorted');
  assert.equal(dense.find([0, 0, 0, 0]), -1, 'above the order');
  for (let m = 0; m < dense.size; m++) assert.equal(dense.orderings(m), tupleOrderings(dense.monomial(m)));
});

test('products and logarithms of jets on a closed set equal the dense ones on its monomials', () => {
  const d = 4;
  const K = 4;
  const dense = new MonomialBasis(d, K);
  const set = new ClosedMonomialSet(d, [[0, 1, 1, 3], [2, 2, 2], [0, 3]]);
  const rng = new Rng(3);
  const a = Float64Array.from({ length: dense.size }, () => rng.normal());
  const b = Float64Array.from({ length: dense.size }, () => rng.normal());
  a[0] = 1.7;
  const restrict = (j: Float64Array): Float64Array => Float64Array.from({ length: set.size }, (_, m) => j[dense.index(set.monomial(m))]);
  const prodDense = mul(dense, a, b);
  const prodSparse = mul(set, restrict(a), restrict(b));
  const logDense = logJet(dense, a);
  const logSparse = logJet(set, restrict(a));
  for (let m = 0; m < set.size; m++) {
    const k = dense.index(set.monomial(m));
    assert.ok(Math.abs(prodSparse[m] - prodDense[k]) <= 1e-12 * Math.max(1, Math.abs(prodDense[k])), `product at ${set.monomial(m)}`);
    assert.ok(Math.abs(logSparse[m] - logDense[k]) <= 1e-12 * Math.max(1, Math.abs(logDense[k])), `log at ${set.monomial(m)}`);
  }
});

for (const kind of ['cubic', 'coupling']) {
  test(`${kind}: the action extracted on a sparse set equals the dense extraction on its monomials (also at an expansion point)`, () => {
    const d = 5;
    const flow = randomFlow(d, kind, 2, 21, 0.25);
    const dense = new MonomialBasis(d, 4);
    const set = new ClosedMonomialSet(d, [[0, 0, 0, 0], [1, 2], [0, 3, 4, 4], [2, 2, 4]]);
    for (const at of [undefined, [0.4, -0.3, 0.2, 0.1, -0.5]]) {
      const full = genericActionJet(flow, dense, 0, at);
      const sparse = genericActionJet(flow, set, 0, at);
      for (let m = 0; m < set.size; m++) {
        const k = dense.index(set.monomial(m));
        assert.ok(Math.abs(sparse[m] - full[k]) <= 1e-10 * Math.max(1, Math.abs(full[k])), `${set.monomial(m)}: ${sparse[m]} vs ${full[k]}`);
      }
    }
  });
}
