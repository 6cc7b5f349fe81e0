import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MonomialBasis, binomial } from '../../src/core/poly/basis';
import { logJet, mul, evaluateJet, variableJet, axpy, constantJet } from '../../src/core/poly/jet';
import { Rng } from '../../src/core/util/rng';

test('basis enumerates C(d+K, K) sorted tuples in graded lexicographic order and ranks them back', () => {
  for (const [d, K] of [[1, 4], [3, 4], [5, 3], [8, 4]]) {
    const b = new MonomialBasis(d, K);
    assert.equal(b.size, binomial(d + K, K));
    let prev: number[] = [];
    for (let m = 0; m < b.size; m++) {
      const t = b.monomial(m);
      assert.equal(b.index(t), m);
      for (let i = 1; i < t.length; i++) assert.ok(t[i - 1] <= t[i]);
      if (m > 0 && t.length === prev.length) assert.ok(t.join(',') > prev.join(',') || t.some((v, i) => v > prev[i]));
      prev = t;
    }
  }
});

test('orderings counts distinct permutations of a monomial', () => {
  const b = new MonomialBasis(3, 4);
  assert.equal(b.orderings(b.index([0, 0, 1])), 3);
  assert.equal(b.orderings(b.index([0, 1, 2])), 6);
  assert.equal(b.orderings(b.index([1, 1, 1, 1])), 1);
  assert.equal(b.orderings(b.index([0, 0, 2, 2])), 6);
});

test('jet products and logs agree with direct evaluation near 0 (residual shrinks like |x|^(K+1))', () => {
  const d = 3;
  const K = 4;
  const b = new MonomialBasis(d, K);
  const rng = new Rng(5);
  // J = 1.3 + random polynomial of degree 2 without constant term.
  const j = constantJet(b, 1.3);
  for (let m = 1; m < b.start[3]; m++) j[m] = 0.4 * rng.normal();
  const lj = logJet(b, j);
  const dir = [0.3, -0.7, 0.5];
  const errs: number[] = [];
  for (const eps of [0.1, 0.05]) {
    const x = dir.map((v) => v * eps);
    const exact = Math.log(evaluateJet(b, j, x));
    errs.push(Math.abs(evaluateJet(b, lj, x) - exact));
  }
  const ratio = errs[0] / errs[1];
  assert.ok(ratio > 2 ** (K + 1) * 0.7 && ratio < 2 ** (K + 1) * 1.4, `ratio ${ratio}`);
  // Product of two low-degree polynomials is exact when the degree fits.
  const p = variableJet(b, 0, 0.5);
  axpy(p, 2, variableJet(b, 2));
  const q = variableJet(b, 1, -1);
  const pq = mul(b, p, q);
  const x = [0.7, -1.1, 0.3];
  assert.ok(Math.abs(evaluateJet(b, pq, x) - (0.5 + 0.7 + 0.6) * (-1 - 1.1)) < 1e-14);
});
