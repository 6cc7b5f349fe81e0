/**
 * Dequantization and bits per dimension (docs/METHOD.md section 3.1.1), against independent
 * computations: the exact probabilities of Gaussian levels (integrated with the error function) and
 * a uniform density whose levels are equally likely.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDequantizationNoise, bitsPerDimension, dequantizationRng } from '../../src/core/pipeline/dequantize';
import { normalUpperTail } from '../../src/core/util/normal';
import { Rng } from '../../src/core/util/rng';

test('256 equally likely levels of width 1/256 under a uniform density are exactly 8 bits per dimension', () => {
  assert.equal(bitsPerDimension(0, [1 / 256, 1 / 256, 1 / 256]), 8);
  // Integer levels (w = 1): bits/dim is the NLL in bits.
  assert.ok(Math.abs(bitsPerDimension(3 * Math.LN2, [1, 1, 1]) - 1) < 1e-15);
});

test('the noise lies within half a level of each value, only in the columns asked, and is seeded', () => {
  const n = 500;
  const d = 3;
  const rows = new Float64Array(n * d).map((_, i) => Math.floor(i / d) % 7);
  const a = rows.slice();
  const b = rows.slice();
  const widths = new Map([
    [0, 1],
    [2, 0.25],
  ]);
  addDequantizationNoise(a, n, d, widths, dequantizationRng(9));
  addDequantizationNoise(b, n, d, widths, dequantizationRng(9));
  assert.deepEqual(a, b);
  for (let r = 0; r < n; r++) {
    assert.equal(a[r * d + 1], rows[r * d + 1]);
    for (const [c, w] of widths) {
      const e = a[r * d + c] - rows[r * d + c];
      assert.ok(e >= -w / 2 && e < w / 2, `column ${c}: ${e}`);
    }
  }
  // Uniform: the noise's variance is w^2 / 12.
  let s2 = 0;
  for (let r = 0; r < n; r++) s2 += (a[r * d] - rows[r * d]) ** 2;
  assert.ok(Math.abs(s2 / n - 1 / 12) < 0.015, `variance ${s2 / n}`);
});

test('bits per dimension of dequantized Gaussian levels bounds their exact discrete NLL, by the Jensen gap w^2 / (24 s^2)', () => {
  const s = 1.3;
  const w = 0.5;
  const n = 200_000;
  const rng = new Rng(4);
  const levels = new Float64Array(n);
  for (let r = 0; r < n; r++) levels[r] = w * Math.round((s * rng.normal()) / w);
  const y = levels.slice();
  addDequantizationNoise(y, n, 1, new Map([[0, w]]), dequantizationRng(4));
  let nll = 0;
  let exact = 0;
  const cdf = (x: number): number => 1 - normalUpperTail(x / s);
  for (let r = 0; r < n; r++) {
    nll += 0.5 * (y[r] / s) ** 2 + Math.log(s * Math.sqrt(2 * Math.PI));
    exact -= Math.log(cdf(levels[r] + w / 2) - cdf(levels[r] - w / 2));
  }
  nll /= n;
  exact /= n;
  const bound = bitsPerDimension(nll, [w]);
  const exactBits = exact / Math.LN2;
  const gap = w ** 2 / (24 * s ** 2) / Math.LN2;
  assert.ok(bound >= exactBits, `${bound} < ${exactBits}`);
  assert.ok(Math.abs(bound - exactBits - gap) < 0.25 * gap, `gap ${bound - exactBits}, expected about ${gap}`);
});
