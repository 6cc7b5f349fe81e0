import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findExperiment } from '../../src/core/experiments';
import { prepareDigits } from '../../src/core/experiments/digits-data';
import { bitsPerDim, couplingsByDistance, shareOutside, vertexSpread } from '../../src/core/experiments/digits-findings';
import { mnistTable } from '../../src/core/data/mnist';
import type { Report, ReportGrid } from '../../src/core/report/schema';

test('bits per pixel: a density uniform on the levels\' cells gives log2 of the number of levels', () => {
  // Uniform over 256 levels of width 1: p = 1/256 per unit cell, NLL = d ln 256 -> 8 bits per pixel.
  assert.ok(Math.abs(bitsPerDim(10 * Math.log(256), 10, 1) - 8) < 1e-12);
  // One level of width 1/4 holding all the mass: p = 4^d, NLL = -d ln 4 -> 0 bits.
  assert.ok(Math.abs(bitsPerDim(-7 * Math.log(4), 7, 0.25)) < 1e-12);
  assert.equal(shareOutside(Float64Array.from([-1, 0, 5, 10, 11]), 0, 10), 0.4);
});

/** A 2 x 3 grid report with hand-set terms and spreads, enough for the findings' geometry. */
function tiny(): Report & { grid: ReportGrid } {
  const terms = [
    { monomial: [0, 1], coefficient: 2 }, // neighbours (distance 1)
    { monomial: [0, 4], coefficient: -1 }, // diagonal
    { monomial: [0, 2], coefficient: 0.5 }, // distance 2
    { monomial: [1, 1], coefficient: -3 }, // a self term: not a pair
    { monomial: [0, 1, 2], coefficient: 4 }, // span 2
    { monomial: [3, 4, 4], coefficient: -1 }, // span 1
  ];
  return {
    grid: { height: 2, width: 3, cells: [0, 1, 2, 3, 4, 5], source: 'names' },
    model: { standardization: { mean: [0, 0, 0, 0, 0, 0], std: [1, 2, 1, 1, 1, 1] } },
    action: { order: 3, terms },
  } as unknown as Report & { grid: ReportGrid };
}

test('pair couplings by distance and vertex spans, against the hand-set grid', () => {
  const bands = couplingsByDistance(tiny());
  assert.deepEqual(bands.map((b) => [b.pairs, b.meanAbs, b.positive]), [[1, 4, 1], [1, 1, 0], [1, 0.5, 1], [0, Number.NaN, Number.NaN]]);
  const r = tiny();
  const v3 = vertexSpread(r, r.action.terms, 3, 2);
  assert.equal(v3.terms, 2);
  assert.deepEqual(v3.strongest, { monomial: [0, 1, 2], scaled: 8 });
  assert.equal(v3.local, 0.5);
  assert.equal(v3.medianSpan, 2);
});

test('the digits are prepared as the run needs them: constant pixels out with their value, the rest dequantized within a level', () => {
  const prep = prepareDigits({ digits: [1], size: 7, n: 60 }, 3);
  const raw = mnistTable({ digits: [1], size: 7, n: 60, seed: 3 });
  assert.equal(prep.columns.length + prep.omitted.length, 49);
  for (const o of prep.omitted) for (let r = 0; r < 60; r++) assert.equal(raw.data[r * 49 + o.sourceColumn], o.value);
  const d = prep.columns.length;
  prep.columns.forEach((name, k) => {
    const i = raw.columns.indexOf(name);
    for (let r = 0; r < 60; r++) {
      const u = (prep.data[r * d + k] - raw.data[r * 49 + i]) / prep.levelWidth;
      assert.ok(u >= 0 && u < 1, `${name} row ${r}`);
    }
  });
  assert.equal(prep.levelWidth, 1 / 16);
});

test('digits --quick: a grid report with images, findings from the numbers, under a minute', async () => {
  const t0 = Date.now();
  const { report, data } = await findExperiment('digits').run({ quick: true, seed: 1 });
  const seconds = (Date.now() - t0) / 1000;
  const e = report.experiment;
  assert.ok(e && report.grid && report.images);
  assert.equal(report.grid.height * report.grid.width, 196);
  assert.equal(report.grid.cells.length, report.input.columns.length);
  assert.equal(report.images.modelSamples.length, 8);
  const extra = e.extra as { bitsPerDim: { model: number; gaussian: number }; modelledPixels: number; levelWidth: number };
  assert.ok(report.training);
  assert.equal(extra.bitsPerDim.gaussian, bitsPerDim(report.training.gaussianValNll, extra.modelledPixels, extra.levelWidth));
  assert.ok(e.findings.some((f) => f.includes(extra.bitsPerDim.gaussian.toFixed(3))));
  assert.ok(Object.keys(data).includes('digits-data.csv'));
  assert.ok(seconds < 120, `${seconds} s (a minute on an idle machine; this bound allows for a shared one)`);
});
