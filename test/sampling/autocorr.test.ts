import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autocorrelation, splitRhat } from '../../src/core/sampling/autocorr';
import { Rng } from '../../src/core/util/rng';

function ar1(rng: Rng, phi: number, n: number, mean = 0): Float64Array {
  const out = new Float64Array(n);
  // Start in the stationary distribution so the chain has no burn-in transient.
  let x = rng.normal() / Math.sqrt(1 - phi * phi);
  for (let t = 0; t < n; t++) {
    out[t] = mean + x;
    x = phi * x + rng.normal();
  }
  return out;
}

test('independent draws: tau near 1, ESS near the number of draws, R-hat near 1', () => {
  const rng = new Rng(1);
  const chains = Array.from({ length: 8 }, () => ar1(rng, 0, 2000));
  const { tau, ess } = autocorrelation(chains);
  assert.ok(Math.abs(tau - 1) < 0.1, `tau ${tau}`);
  assert.ok(ess > 0.9 * 16000 && ess < 1.12 * 16000, `ess ${ess}`);
  assert.ok(Math.abs(splitRhat(chains) - 1) < 0.01);
});

test('AR(1): tau matches (1 + phi) / (1 - phi)', () => {
  const rng = new Rng(2);
  for (const phi of [0.5, 0.9]) {
    const chains = Array.from({ length: 8 }, () => ar1(rng, phi, 8000));
    const want = (1 + phi) / (1 - phi);
    const { tau } = autocorrelation(chains);
    assert.ok(Math.abs(tau / want - 1) < 0.15, `phi ${phi}: tau ${tau} vs ${want}`);
  }
});

test('antithetic draws: tau below 1 but capped, as Stan caps it', () => {
  const rng = new Rng(3);
  const chains = Array.from({ length: 4 }, () => ar1(rng, -0.5, 4000));
  const { tau, ess } = autocorrelation(chains);
  assert.ok(tau < 0.5 && tau >= 1 / Math.log10(16000), `tau ${tau}`);
  assert.ok(ess > 16000);
});

test('chains stuck apart: the between-chain spread shows as a long tau and a large R-hat', () => {
  const rng = new Rng(4);
  const chains = Array.from({ length: 8 }, (_, c) => ar1(rng, 0, 1000, c % 2 === 0 ? -2 : 2));
  const { tau } = autocorrelation(chains);
  assert.ok(tau > 50, `tau ${tau}`);
  assert.ok(splitRhat(chains) > 1.5);
});

test('too short to estimate: NaN, not a made-up number', () => {
  assert.ok(Number.isNaN(autocorrelation([[1, 2, 3]]).ess));
  assert.ok(Number.isNaN(splitRhat([[1, 2, 3]])));
  assert.ok(Number.isNaN(autocorrelation([]).tau));
});
