import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hmc } from '../../src/core/sampling/hmc';
import { createTheory } from '../../src/core/theories/registry';
import { InputError } from '../../src/core/util/errors';

test('the same seed gives identical samples; another seed does not', () => {
  const th = createTheory('phi4', { d: 3 });
  const a = hmc(th, { n: 500, seed: 42, chains: 8, warmup: 100, pilot: 50 });
  const b = hmc(th, { n: 500, seed: 42, chains: 8, warmup: 100, pilot: 50 });
  const c = hmc(th, { n: 500, seed: 43, chains: 8, warmup: 100, pilot: 50 });
  assert.deepEqual(a.samples, b.samples);
  assert.equal(a.stepSize, b.stepSize);
  assert.deepEqual(a.ess, b.ess);
  assert.notDeepEqual(a.samples, c.samples);
});

test('shape: n rows in contiguous chain blocks, diagnostics per coordinate', () => {
  const th = createTheory('phi4', { d: 3 });
  const r = hmc(th, { n: 1001, seed: 1, chains: 10 });
  assert.equal(r.samples.length, 1001 * 3);
  assert.equal(r.layout, 'chain-blocks');
  assert.equal(r.chains, 10);
  assert.deepEqual(r.chainLengths, [101, 100, 100, 100, 100, 100, 100, 100, 100, 100]);
  for (const arr of [r.ess, r.integratedAutocorrTime, r.rhat]) assert.equal(arr.length, 3);
  assert.ok(r.samples.every(Number.isFinite));
  assert.ok(r.acceptance > 0.7 && r.acceptance < 0.95, `acceptance ${r.acceptance}`);
  assert.ok(r.thinning >= 1 && Number.isInteger(r.thinning));
  assert.ok(r.ess.every((e) => e > 500), `ess ${r.ess}`);
  assert.ok(r.rhat.every((v) => v < 1.05), `rhat ${r.rhat}`);
  assert.equal(r.wells, undefined);
  // Fewer rows than chains: one row per chain.
  const small = hmc(th, { n: 5, seed: 1 });
  assert.equal(small.chains, 5);
  assert.deepEqual(small.chainLengths, [1, 1, 1, 1, 1]);
});

test('the default theories sample with good acceptance and effective sample size', (t) => {
  for (const name of ['phi4', 'doublewell']) {
    const th = createTheory(name);
    const r = hmc(th, { n: 8000, seed: 5 });
    const minEss = Math.min(...r.ess);
    t.diagnostic(
      `${name}: acceptance ${r.acceptance.toFixed(3)}, step ${r.stepSize.toFixed(3)}, leapfrog ${r.leapfrogSteps.toFixed(1)}, ` +
        `thinning ${r.thinning}, min ESS ${minEss.toFixed(0)}/8000, max R-hat ${Math.max(...r.rhat).toFixed(3)}, divergences ${r.divergences}`,
    );
    assert.ok(r.acceptance > 0.75 && r.acceptance < 0.95);
    assert.ok(minEss > 0.5 * 8000, `min ESS ${minEss}`);
    assert.ok(r.divergences < 0.001 * r.n * r.thinning, `divergences ${r.divergences}`);
  }
});

test('a fixed thinning skips the pilot', () => {
  const th = createTheory('phi4', { d: 2 });
  const r = hmc(th, { n: 200, seed: 3, chains: 4, thinning: 5 });
  assert.equal(r.thinning, 5);
  assert.ok(Number.isNaN(r.pilotAutocorrTime));
});

test('bad sampler options are InputErrors naming the option', () => {
  const th = createTheory('phi4', { d: 2 });
  assert.throws(() => hmc(th, { n: 0, seed: 1 }), (e: unknown) => e instanceof InputError && /^n must be/.test(e.message));
  assert.throws(() => hmc(th, { n: 10, seed: 1.5 }), (e: unknown) => e instanceof InputError && /^seed/.test(e.message));
  assert.throws(() => hmc(th, { n: 10, seed: 1, chains: 0 }), (e: unknown) => e instanceof InputError && /^chains/.test(e.message));
});
