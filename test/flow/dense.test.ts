import { test } from 'node:test';
import assert from 'node:assert/strict';
import { affineFromMatrix } from '../../src/core/flow/affine';
import { QuadraticCoupling } from '../../src/core/flow/coupling';
import { AffineDense } from '../../src/core/flow/dense';
import { luFactor, luInverse, luSolve, pivotedLu } from '../../src/core/flow/dense-lu';
import { Flow } from '../../src/core/flow/flow';
import { Standardize } from '../../src/core/flow/standardize';
import { Rng } from '../../src/core/util/rng';
import { randomRows } from '../helpers/flows';

/** det by cofactor expansion along the first row (brute force, small d). */
function bruteDet(d: number, w: ArrayLike<number>): number {
  if (d === 1) return w[0];
  let s = 0;
  for (let j = 0; j < d; j++) {
    const minor: number[] = [];
    for (let i = 1; i < d; i++) for (let c = 0; c < d; c++) if (c !== j) minor.push(w[i * d + c]);
    s += (j % 2 === 0 ? 1 : -1) * w[j] * bruteDet(d - 1, minor);
  }
  return s;
}

function randomMatrix(d: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: d * d }, () => rng.normal());
}

test('luFactor / pivotedLu: the permuted rows of W are L U, ln|det W| as by cofactors; luSolve and luInverse invert W', () => {
  const rng = new Rng(5);
  for (const d of [1, 2, 3, 5]) {
    for (let rep = 0; rep < 5; rep++) {
      const w = randomMatrix(d, rng);
      const { lu, order } = pivotedLu(d, w);
      for (let j = 0; j < d; j++) {
        for (let c = 0; c < d; c++) {
          let s = 0;
          for (let m = 0; m <= Math.min(j, c); m++) s += (m === j ? 1 : lu[j * d + m]) * lu[m * d + c];
          assert.ok(Math.abs(s - w[order[j] * d + c]) < 1e-12, `d=${d} (L U)[${j}][${c}] = ${s}, W[${order[j]}][${c}] = ${w[order[j] * d + c]}`);
        }
        for (let m = 0; m < j; m++) assert.ok(Math.abs(lu[j * d + m]) <= 1, 'partial pivoting keeps |L| <= 1');
      }
      const f = luFactor(d, w);
      assert.ok(Math.abs(f.logAbsDet - Math.log(Math.abs(bruteDet(d, w)))) < 1e-10, `d=${d} ln|det|`);
      const g = Float64Array.from({ length: d }, () => rng.normal());
      const x = Float64Array.from(g);
      luSolve(d, f.lu, f.pivots, x);
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += w[i * d + c] * x[c];
        assert.ok(Math.abs(s - g[i]) < 1e-10, `d=${d} W x = g, row ${i}`);
      }
      const inv = luInverse(d, f.lu, f.pivots);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += inv[i * d + c] * w[c * d + j];
          assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-10, `d=${d} W^-1 W = I at ${i},${j}`);
        }
      }
    }
  }
});

test('affineFromMatrix: the affine layer holds the given W and b exactly; a negative pivot is refused', () => {
  const rng = new Rng(6);
  for (const d of [2, 4, 6]) {
    const w = randomMatrix(d, rng);
    // Rows flipped until every pivot is positive (as the data-driven start does).
    const { lu, order } = pivotedLu(d, w);
    for (let j = 0; j < d; j++) if (lu[j * d + j] < 0) for (let c = 0; c < d; c++) w[order[j] * d + c] *= -1;
    const b = Float64Array.from({ length: d }, () => rng.normal());
    const layer = affineFromMatrix(d, w, b);
    const m = layer.matrix();
    for (let i = 0; i < d * d; i++) assert.ok(Math.abs(m[i] - w[i]) < 1e-12, `d=${d} W entry ${i}: ${m[i]} vs ${w[i]}`);
    assert.deepEqual(Array.from(layer.bias()), Array.from(b));
  }
  assert.throws(() => affineFromMatrix(2, [-1, 0, 0, 1]), /not positive/);
});

test('AffineDense: gradient equals central finite differences, inverse undoes forward, ln p by a numerical Jacobian', () => {
  const d = 4;
  const rng = new Rng(7);
  const dense = new AffineDense(d);
  const w = randomMatrix(d, rng);
  dense.params.set(w);
  dense.params.set(Float64Array.from({ length: d }, () => rng.normal()), d * d);
  const coupling = new QuadraticCoupling(d, [0, 1], [2, 3], 3);
  for (let k = 0; k < coupling.paramCount; k++) coupling.params[k] = 0.3 * rng.normal();
  const flow = new Flow([new Standardize([0.1, -0.2, 0.3, 0], [1.2, 0.8, 1, 1.5]), dense, coupling]);
  const n = 16;
  const x = randomRows(n, d, 8);
  const grad = new Float64Array(flow.paramCount);
  flow.lossAndGradient(x, n, grad);
  const h = 1e-6;
  for (let k = 0; k < flow.paramCount; k++) {
    const keep = flow.params[k];
    flow.params[k] = keep + h;
    const up = flow.meanNll(x, n);
    flow.params[k] = keep - h;
    const down = flow.meanNll(x, n);
    flow.params[k] = keep;
    const fd = (up - down) / (2 * h);
    assert.ok(Math.abs(fd - grad[k]) < 1e-6 * (1 + Math.abs(fd)), `parameter ${k}: ${grad[k]} vs ${fd}`);
  }
  const back = flow.inverse(flow.forwardAll(x, n).z, n);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(back[i] - x[i]) < 1e-9 * (1 + Math.abs(x[i])));
  // ln p = ln N(z) + ln|det dz/dx|, the Jacobian by central differences.
  const row = x.subarray(0, d);
  const jac = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const p = Float64Array.from(row);
    const m = Float64Array.from(row);
    p[j] += 1e-6;
    m[j] -= 1e-6;
    const zp = flow.forwardAll(p, 1).z;
    const zm = flow.forwardAll(m, 1).z;
    for (let i = 0; i < d; i++) jac[i * d + j] = (zp[i] - zm[i]) / 2e-6;
  }
  const z = flow.forwardAll(Float64Array.from(row), 1).z;
  let q = 0;
  for (const v of z) q += v * v;
  const expected = -0.5 * q - (d / 2) * Math.log(2 * Math.PI) + Math.log(Math.abs(bruteDet(d, jac)));
  assert.ok(Math.abs(flow.logProb(Float64Array.from(row), 1)[0] - expected) < 1e-6);
});
