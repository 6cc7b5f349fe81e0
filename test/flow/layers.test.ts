import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomFlow, randomRows } from '../helpers/flows';
import { AffineLU } from '../../src/core/flow/affine';
import { QuadraticCoupling } from '../../src/core/flow/coupling';
import { Flow } from '../../src/core/flow/flow';
import { Standardize } from '../../src/core/flow/standardize';
import { Rng } from '../../src/core/util/rng';
import { layerKindNames } from '../../src/core/flow/kinds';

/**
 * The largest relative difference between flow.lossAndGradient's gradient and central finite
 * differences of meanNll (step h), over every `every`-th parameter; |fd| below `floor` counts as floor.
 */
function worstGradientError(flow: Flow, x: Float64Array, n: number, o: { h: number; every: number; floor: number }): number {
  const grad = new Float64Array(flow.paramCount);
  flow.lossAndGradient(x, n, grad);
  let worst = 0;
  for (let k = 0; k < flow.paramCount; k += o.every) {
    const keep = flow.params[k];
    flow.params[k] = keep + o.h;
    const up = flow.meanNll(x, n);
    flow.params[k] = keep - o.h;
    const down = flow.meanNll(x, n);
    flow.params[k] = keep;
    const fd = (up - down) / (2 * o.h);
    worst = Math.max(worst, Math.abs(fd - grad[k]) / (o.floor + Math.abs(fd)));
  }
  return worst;
}

for (const kind of layerKindNames()) {
  test(`${kind}: inverse undoes forward to float64 precision`, () => {
    const flow = randomFlow(5, kind, 3, 11);
    const x = randomRows(50, 5, 3, 2);
    const { z } = flow.forwardAll(x, 50);
    const back = flow.inverse(z, 50);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(back[i] - x[i]) < 1e-9 * (1 + Math.abs(x[i])), `row entry ${i}: ${back[i]} vs ${x[i]}`);
  });

  test(`${kind}: analytic gradient equals central finite differences`, () => {
    const flow = randomFlow(4, kind, 2, 21);
    const worst = worstGradientError(flow, randomRows(20, 4, 9), 20, { h: 1e-6, every: 1, floor: 1e-6 });
    assert.ok(worst < 1e-5, `worst relative gradient error ${worst}`);
  });

  // At these sizes the products run in the WebAssembly kernel: d = 20 with its buffers used in place
  // on the kernel heap, d = 18 copied through staging (not a multiple of 4). Sampled parameters.
  for (const d of [20, 18]) {
    test(`${kind}, d = ${d} (kernel products): analytic gradient equals central finite differences`, () => {
      const flow = randomFlow(d, kind, 2, 23, 0.1);
      const every = Math.max(1, Math.floor(flow.paramCount / 60));
      const worst = worstGradientError(flow, randomRows(64, d, 19), 64, { h: 1e-5, every, floor: 1e-3 });
      assert.ok(worst < 1e-5, `worst relative gradient error ${worst}`);
    });
  }

  test(`${kind}: ln p integrates the change of variables correctly (log-det against a numerical Jacobian)`, () => {
    const flow = randomFlow(3, kind, 2, 31);
    const x = randomRows(4, 3, 17);
    const lp = flow.logProb(x, 4);
    const h = 1e-6;
    for (let r = 0; r < 4; r++) {
      const row = x.subarray(r * 3, r * 3 + 3);
      const jac: number[][] = [];
      const z0 = flow.forwardAll(Float64Array.from(row), 1).z;
      for (let j = 0; j < 3; j++) {
        const p = Float64Array.from(row);
        const m = Float64Array.from(row);
        p[j] += h;
        m[j] -= h;
        const zp = flow.forwardAll(p, 1).z;
        const zm = flow.forwardAll(m, 1).z;
        jac.push([0, 1, 2].map((i) => (zp[i] - zm[i]) / (2 * h)));
      }
      const det = jac[0][0] * (jac[1][1] * jac[2][2] - jac[1][2] * jac[2][1]) - jac[0][1] * (jac[1][0] * jac[2][2] - jac[1][2] * jac[2][0]) + jac[0][2] * (jac[1][0] * jac[2][1] - jac[1][1] * jac[2][0]);
      let q = 0;
      for (const v of z0) q += v * v;
      const expected = -0.5 * q - 1.5 * Math.log(2 * Math.PI) + Math.log(Math.abs(det));
      assert.ok(Math.abs(expected - lp[r]) < 1e-6, `row ${r}: ${lp[r]} vs ${expected}`);
    }
  });
}

test('coupling with interleaved halves (gathered, not read in place): gradient equals finite differences, inverse undoes forward', () => {
  const d = 20;
  const rng = new Rng(41);
  const even = Array.from({ length: d / 2 }, (_, i) => 2 * i);
  const odd = Array.from({ length: d / 2 }, (_, i) => 2 * i + 1);
  const affine = new AffineLU(d, rng.permutation(d));
  const coupling = new QuadraticCoupling(d, even, odd, 24);
  const flow = new Flow([new Standardize(new Array(d).fill(0.1), new Array(d).fill(1.3)), affine, coupling]);
  for (let k = 0; k < flow.paramCount; k++) flow.params[k] = 0.1 * rng.normal();
  const n = 64;
  const x = randomRows(n, d, 43);
  const back = flow.inverse(flow.forwardAll(x, n).z, n);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(back[i] - x[i]) < 1e-9 * (1 + Math.abs(x[i])));
  const worst = worstGradientError(flow, x, n, { h: 1e-5, every: 7, floor: 1e-3 });
  assert.ok(worst < 1e-5, `worst relative gradient error ${worst}`);
});

test('Flow.bindParams moves the parameters into the given storage: same values, layers bound to it', () => {
  for (const kind of layerKindNames()) {
    const flow = randomFlow(6, kind, 2, 21);
    const x = randomRows(40, 6, 22);
    const before = new Float64Array(flow.paramCount);
    const lossBefore = flow.lossAndGradient(x, 40, before);
    const storage = new Float64Array(new SharedArrayBuffer(8 * flow.paramCount));
    const values = Float64Array.from(flow.params);
    flow.bindParams(storage);
    assert.equal(flow.params, storage);
    assert.deepEqual(Array.from(storage), Array.from(values));
    const after = new Float64Array(flow.paramCount);
    assert.equal(flow.lossAndGradient(x, 40, after), lossBefore, kind);
    assert.deepEqual(Array.from(after), Array.from(before), kind);
    // Writing the storage is writing the layers' parameters (as the trainer's thread does).
    storage[storage.length - 1] += 0.25;
    const last = flow.layers[flow.layers.length - 1];
    assert.equal(last.params[last.paramCount - 1], storage[storage.length - 1]);
    assert.notEqual(flow.lossAndGradient(x, 40, after), lossBefore, kind);
    assert.throws(() => flow.bindParams(new Float64Array(3)), /3 numbers/);
  }
});

test('Flow.logProb and meanNll (chunked, on reused buffers) agree with one unchunked pass through the layers, across chunk boundaries', () => {
  const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
  for (const kind of layerKindNames()) {
    const flow = randomFlow(6, kind, 2, 31);
    for (const n of [1, 37, 4096 + 37]) {
      const x = randomRows(n, 6, 32 + n);
      // The reference: forwardAll (fresh arrays, all rows at once), then ln p row by row.
      const { z, logDet } = flow.forwardAll(x, n);
      const lp = flow.logProb(x, n);
      let want = 0;
      for (let r = 0; r < n; r++) {
        let q = 0;
        for (let i = 0; i < 6; i++) q += z[r * 6 + i] ** 2;
        const ref = -0.5 * q - 6 * HALF_LOG_2PI + logDet[r];
        assert.ok(Math.abs(lp[r] - ref) <= 1e-13 * Math.abs(ref), `${kind}, n = ${n}, row ${r}: ${lp[r]} vs ${ref}`);
        want -= ref;
      }
      want /= n;
      const got = flow.meanNll(x, n);
      assert.ok(Math.abs(got - want) <= 1e-13 * Math.abs(want), `${kind}, n = ${n}: ${got} vs ${want}`);
      // Reused buffers: a second call gives the same number.
      assert.equal(flow.meanNll(x, n), got);
    }
  }
});
