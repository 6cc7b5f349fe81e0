import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_IDENTIFY, identifyTheory } from '../../src/core/identify/identify';
import { holmPasses } from '../../src/core/identify/selection';
import { Rng } from '../../src/core/util/rng';

test("Holm's step-down against its definition (brute force over small cases)", () => {
  const rng = new Rng(1);
  for (let trial = 0; trial < 300; trial++) {
    const m = 1 + rng.int(6);
    const family = m + rng.int(5);
    const p = Array.from({ length: m }, () => (rng.uniform() < 0.5 ? rng.uniform() * 0.02 : rng.uniform()));
    const alpha = 0.05;
    const pass = holmPasses(p, alpha, family);
    // Definition: sort ascending; reject H_(k) iff p_(j) <= alpha / (family - j + 1) for every j <= k.
    const order = [...p.keys()].sort((a, b) => p[a] - p[b]);
    let ok = true;
    order.forEach((idx, j) => {
      ok = ok && p[idx] <= alpha / (family - j);
      assert.equal(pass[idx], ok, `p = ${p}, family ${family}`);
    });
  }
});

test('Gaussian rows: the identified theory at K = 4 is the precision matrix, nothing above order 2, no linear terms for centred rows', () => {
  const n = 20000;
  const rng = new Rng(12);
  const rows = new Float64Array(n * 3);
  for (let r = 0; r < n; r++) {
    const z = [rng.normal(), rng.normal(), rng.normal()];
    rows.set([z[0], 0.6 * z[0] + 0.8 * z[1], z[2]], r * 3);
  }
  const res = identifyTheory(rows, n, 3, [0, 0, 0], [1, 1, 1], { ...DEFAULT_IDENTIFY, order: 4, seed: 1 });
  // Precision of (x0, x1) with cov [[1, .6], [.6, 1]]: 1/0.64 [[1, -.6], [-.6, 1]]; x2 independent.
  const kept = new Map(res.section.terms.map((t) => [t.monomial.join(), t]));
  assert.deepEqual([...kept.keys()].sort(), ['0,0', '0,1', '1,1', '2,2']);
  const expected: Record<string, number> = { '0,0': -0.5 / 0.64, '1,1': -0.5 / 0.64, '0,1': 0.6 / 0.64, '2,2': -0.5 };
  for (const [m, c] of Object.entries(expected)) {
    const t = kept.get(m);
    assert.ok(t && Math.abs(t.coefficient - c) < 4 * (t.stdErr ?? 0), `${m}: ${t?.coefficient} ± ${t?.stdErr} vs ${c}`);
    assert.equal(t.selectionFrequency, 1);
  }
  assert.equal(res.section.family, 34);
  assert.ok(res.section.dense && res.section.dense.length === 34, 'the dense fit of every candidate');
  assert.ok(res.section.nearMisses.every((x) => Math.abs(x.z) < res.section.cut));
});

test('scaled and shifted coordinates: coefficients come back in raw units around x0', () => {
  const n = 8000;
  const rng = new Rng(4);
  const rows = new Float64Array(n * 2);
  for (let r = 0; r < n; r++) rows.set([300 + 2 * rng.normal(), 0.05 + 0.01 * rng.normal()], r * 2);
  const res = identifyTheory(rows, n, 2, [300, 0.05], [2, 0.01], { ...DEFAULT_IDENTIFY, order: 2, seed: 1, stabilityPairs: 0 });
  const kept = new Map(res.section.terms.map((t) => [t.monomial.join(), t.coefficient]));
  assert.deepEqual([...kept.keys()].sort(), ['0,0', '1,1']);
  assert.ok(Math.abs((kept.get('0,0') ?? 0) - -0.5 / 4) < 0.01);
  assert.ok(Math.abs((kept.get('1,1') ?? 0) - -0.5 / 1e-4) < 200);
  assert.deepEqual(res.section.expansionPoint, [300, 0.05]);
});
