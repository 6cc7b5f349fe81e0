import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomial, cumulants, sortedTuples, tupleCount, tupleRank } from '../../src/core/cumulants';
import { Rng } from '../../src/core/util/rng';

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

test('binomial: known values', () => {
  assert.equal(binomial(5, 2), 10);
  assert.equal(binomial(10, 0), 1);
  assert.equal(binomial(10, 10), 1);
  assert.equal(binomial(3, 4), 0);
  assert.equal(binomial(35, 4), 52360);
  assert.equal(binomial(103, 4), 4421275);
});

test('sortedTuples: count C(d+k-1, k), sorted, strictly increasing lexicographically, rank = position', () => {
  for (let d = 1; d <= 6; d++) {
    for (let k = 0; k <= 4; k++) {
      const ts = sortedTuples(d, k);
      assert.equal(ts.length, binomial(d + k - 1, k), `d=${d} k=${k}`);
      assert.equal(ts.length, tupleCount(d, k));
      for (let t = 0; t < ts.length; t++) {
        const tu = ts[t];
        assert.equal(tu.length, k);
        for (let p = 0; p < k; p++) {
          assert.ok(tu[p] >= 0 && tu[p] < d);
          if (p > 0) assert.ok(tu[p - 1] <= tu[p], `unsorted ${tu}`);
        }
        if (t > 0) assert.ok(lexLess(ts[t - 1], tu), `not increasing at ${t}: ${ts[t - 1]} then ${tu}`);
        assert.equal(tupleRank(tu, d), t);
      }
    }
  }
  assert.deepEqual(sortedTuples(3, 2), [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]]);
  assert.equal(tupleCount(32, 4), 52360);
  assert.equal(tupleCount(100, 4), 4421275);
});

test('tupleRank rejects unsorted or out-of-range tuples', () => {
  assert.throws(() => tupleRank([1, 0], 3), RangeError);
  assert.throws(() => tupleRank([0, 3], 3), RangeError);
});

test('cumulants lists every sorted tuple of every order, in lexicographic order', () => {
  const rng = new Rng(11);
  const n = 30;
  const d = 4;
  const x = new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const set = cumulants(x, n, d);
  assert.equal(set.orders.length, 4);
  for (let k = 1; k <= 4; k++) {
    assert.deepEqual(
      set.orders[k - 1].map((e) => e.index),
      sortedTuples(d, k),
    );
  }
});
