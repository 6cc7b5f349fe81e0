import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Batches } from '../../src/core/train/batches';
import { Rng } from '../../src/core/util/rng';

test('batches gathered ahead (while an engine waits) are the batches gathered when taken: the same rows, shuffles and epoch starts', () => {
  const d = 3;
  const n = 23;
  const data = Float64Array.from({ length: n * d }, (_, i) => i);
  const plain = new Batches(data, n, d, 5, new Rng(9));
  const ahead = new Batches(data, n, d, 5, new Rng(9));
  const rowsOf = (x: Float64Array, rows: number): number[] => Array.from({ length: rows }, (_, r) => x[r * d] / d);
  const seen = new Set<number>();
  for (let step = 0; step < 40; step++) {
    const a = plain.take();
    const b = ahead.take();
    // The next batch goes to the other buffer: the current one stays as it was while the step runs.
    const before = Float64Array.from(b.x.subarray(0, b.rows * d));
    if (step % 3 !== 2) ahead.prefetch();
    if (step % 5 === 1) ahead.prefetch();
    assert.deepEqual(Array.from(b.x.subarray(0, b.rows * d)), Array.from(before), `step ${step}: the batch in use was not overwritten`);
    assert.equal(b.rows, a.rows, `step ${step}`);
    assert.equal(b.newEpoch, a.newEpoch, `step ${step}`);
    assert.deepEqual(rowsOf(b.x, b.rows), rowsOf(a.x, a.rows), `step ${step}`);
    // Epochs: 5 batches of 5, 5, 5, 5, 3 rows, every row once.
    assert.equal(a.newEpoch, step % 5 === 0, `step ${step}`);
    assert.equal(a.rows, step % 5 === 4 ? 3 : 5, `step ${step}`);
    if (a.newEpoch) seen.clear();
    for (const r of rowsOf(a.x, a.rows)) seen.add(r);
    if (step % 5 === 4) assert.equal(seen.size, n, `epoch ending at step ${step} saw every row`);
  }
});
