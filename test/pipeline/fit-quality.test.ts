import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessFit, CUMULANT_ALPHA } from '../../src/core/pipeline/fit-quality';
import type { CumulantComparison } from '../../src/core/report/schema';
import { bonferroniZ } from '../../src/core/util/normal';

const trained = { stoppedBecause: 'early-stopping' as const, steps: 5000, maxSteps: 50000, valNll: 1.5, gaussianValNll: 2 };

function comparison(zsByOrder: number[][]): CumulantComparison {
  return {
    a: 'data',
    b: 'model',
    orders: zsByOrder.map((zs, k) => ({
      order: k + 1,
      maxAbsZ: Math.max(...zs.map(Math.abs)),
      rmsZ: 0,
      entries: zs.map((z, t) => ({ index: Array.from({ length: k + 1 }, (_, i) => (t + i) % 2), a: 0, b: 0, z })),
    })),
  };
}

test('a fit within sampling error at every order and early-stopped is good', () => {
  const fit = assessFit(trained, comparison([[0.5, -1.2], [2.1, 0.3, -1], [2.5, -2.4, 0.1, 1]]), ['temp', 'flow']);
  assert.equal(fit.verdict, 'good');
  assert.equal(fit.advice.length, 0);
  assert.match(fit.findings[0], /orders 1, 2, 3 within sampling error/);
});

test('an entry beyond the Bonferroni cut of its order makes the fit poor, names the entry with column names, and says what to try', () => {
  const cut3 = bonferroniZ(CUMULANT_ALPHA, 4);
  const fit = assessFit(trained, comparison([[0.5, -1.2], [0.1, 0.3, -1], [cut3 + 0.5, -2, 0.1, -(cut3 + 3)]]), ['temp', 'flow']);
  assert.equal(fit.verdict, 'poor');
  assert.equal(fit.findings.length, 1);
  assert.match(fit.findings[0], /order-3 cumulants .* 2 of 4 entries beyond \|z\| = /);
  // Largest first, by column name.
  assert.match(fit.findings[0], /the largest κ3\(flow, temp, flow\) at \|z\| = /);
  assert.ok(fit.advice.some((a) => /layers/.test(a)));
  // Just below the cut is not flagged: the cut is the stated family-wise one, not |z| > 3.
  assert.equal(assessFit(trained, comparison([[cut3 - 0.01, 0, 0, 0]]), ['a', 'b']).verdict, 'good');
});

test('a budget that ran out before early stopping is said (unconverged), with a larger budget as advice; a fit worse than a Gaussian is poor', () => {
  const fit = assessFit({ ...trained, stoppedBecause: 'step-limit', steps: 50000 }, comparison([[0.1]]), ['a']);
  assert.equal(fit.verdict, 'unconverged');
  assert.match(fit.findings[0], /still improving .* budget of 50,000 steps/);
  assert.ok(fit.advice.some((a) => /--max-steps 100000/.test(a)));
  const worse = assessFit({ ...trained, valNll: 3 }, undefined, ['a']);
  assert.equal(worse.verdict, 'poor');
  assert.match(worse.findings[0], /worse than a Gaussian fit's/);
});

test('a NaN z-score (a broken entry) is never taken for agreement', () => {
  assert.equal(assessFit(trained, comparison([[Number.NaN]]), ['a']).verdict, 'poor');
});
