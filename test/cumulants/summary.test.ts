import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cumulants, sortedTuples } from '../../src/core/cumulants';
import { summaryComparison, summaryTuples, tupleCumulants } from '../../src/core/cumulants/summary';
import { Rng } from '../../src/core/util/rng';

function rows(n: number, d: number, seed: number, twist: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    let prev = 0;
    for (let i = 0; i < d; i++) {
      const e = rng.normal();
      prev = 0.6 * prev + e + twist * (e * e - 1);
      x[r * d + i] = prev;
    }
  }
  return x;
}

// The summary's per-tuple estimator against the full-table estimator (cumulants/estimate.ts), an
// independent implementation: the same values and jackknife errors on every tuple of a small table.
test('tupleCumulants equals the full-table estimator on every tuple of orders 1-4 (values and jackknife errors)', () => {
  const n = 600;
  const d = 3;
  const x = rows(n, d, 3, 0.3);
  const full = cumulants(x, n, d, { maxOrder: 4, blocks: 10 });
  for (let k = 1; k <= 4; k++) {
    const tuples = sortedTuples(d, k);
    const mine = tupleCumulants(x, n, d, tuples, 10);
    full.orders[k - 1].forEach((e, q) => {
      assert.deepEqual(e.index, tuples[q]);
      assert.ok(Math.abs(mine.value[q] - e.value) <= 1e-9 * (1 + Math.abs(e.value)), `k=${k} [${e.index}] value ${mine.value[q]} vs ${e.value}`);
      assert.ok(Math.abs(mine.stdErr[q] - e.stdErr) <= 0.05 * e.stdErr + 1e-12, `k=${k} [${e.index}] stdErr ${mine.stdErr[q]} vs ${e.stdErr}`);
    });
  }
});

test('summary tuples: every diagonal one and a seeded sample, all of them when few; |z| summarised with the worst entries', () => {
  const few = summaryTuples(4, 2, 1);
  assert.equal(few.tuples.length, 10);
  assert.match(few.how, /^all 10 index tuples/);
  const many = summaryTuples(200, 3, 1);
  assert.equal(many.tuples.length, 200 + 1000);
  for (let i = 0; i < 200; i++) assert.ok(many.tuples.some((t) => t.every((v) => v === i)));
  assert.deepEqual(summaryTuples(200, 3, 1).tuples, many.tuples, 'seeded');
  assert.match(many.how, /the others were not compared/);
  // Data against a model with a different twist: order 3 differs, and the summary shows it.
  const d = 70;
  const data = rows(2000, d, 5, 0.3);
  const model = rows(2000, d, 6, 0);
  const { summaries, entries } = summaryComparison(data, 2000, model, 2000, d, [2, 3], 9, { data: 20, model: 20 });
  const s3 = summaries[1];
  assert.equal(s3.order, 3);
  assert.equal(s3.compared, entries[1].length);
  assert.equal(s3.histogram.counts.reduce((a, b) => a + b, 0), s3.compared);
  assert.ok(s3.absZQuantiles[3].z > 5, `the largest |z| of order 3 is ${s3.absZQuantiles[3].z}`);
  assert.equal(s3.worst.length, 50);
  assert.equal(Math.abs(s3.worst[0].z), s3.absZQuantiles[3].z);
});
