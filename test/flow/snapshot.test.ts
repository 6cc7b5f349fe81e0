import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamSnapshot } from '../../src/core/flow/snapshot';

test('ParamSnapshot: unchanged means the same bits', () => {
  const p = Float64Array.from({ length: 1056 }, (_, i) => Math.sin(i));
  const s = new ParamSnapshot();
  assert.equal(s.matches(p), false, 'nothing taken yet');
  s.take(p);
  assert.equal(s.matches(p), true);
  assert.equal(s.matches(Float64Array.from(p)), true, 'an equal copy');
  for (const k of [1, 517, 1055]) {
    const q = Float64Array.from(p);
    q[k] = q[k] + 2 ** -40 * Math.abs(q[k]);
    assert.equal(s.matches(q), false, `entry ${k} moved by one part in 2^40`);
    p[k] = q[k];
    assert.equal(s.matches(p), false, `the same view, entry ${k} changed in place`);
    s.take(p);
    assert.equal(s.matches(p), true);
  }
  // A view into a larger vector (as a layer's parameters are), and a different length.
  const flat = new Float64Array(2000);
  flat.set(p, 100);
  assert.equal(s.matches(flat.subarray(100, 1156)), true);
  assert.equal(s.matches(flat.subarray(100, 1155)), false);
  // -0 and 0 are equal numbers but not the same bits: derived values may differ (1/x), so not unchanged.
  const z = new Float64Array([0, 1]);
  s.take(z);
  assert.equal(s.matches(new Float64Array([-0, 1])), false);
  // NaN parameters with the same bits: what was derived from them is the same.
  const nan = new Float64Array([NaN, 1]);
  s.take(nan);
  assert.equal(s.matches(nan), true);
  s.invalidate();
  assert.equal(s.matches(nan), false);
});
