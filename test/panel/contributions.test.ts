import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromRows } from '../../src/core/data/memory';
import { DEFAULT_LEARN_SETTINGS, learn } from '../../src/core/pipeline/learn';
import { classWords, termContributions } from '../../src/panel/contributions';
import type { Report } from '../../src/core/report/schema';
import { realisticTable } from '../helpers/realistic-tables';

async function report(expansion: 'mean' | 'zero'): Promise<Report> {
  const t = realisticTable(8, 1200, 3);
  const { report: r } = await learn(tableFromRows(t.name, t.columns, t.data, t.rows), { ...DEFAULT_LEARN_SETTINGS, seed: 4, steps: 300, restarts: 1, modelSamples: 2000, expansion });
  return r;
}

for (const expansion of ['mean', 'zero'] as const) {
  test(`a tooltip's parts add up to every coefficient shown, raw and standardized (expansion ${expansion})`, async () => {
    const r = await report(expansion);
    for (const standardized of [false, true]) {
      const action = standardized ? r.actionStandardized : r.action;
      assert.ok(action);
      let checked = 0;
      for (const term of action.terms) {
        const parts = termContributions(r, term.monomial, standardized);
        assert.ok(parts, 'diagrams are stored at d = 3');
        assert.ok(parts.complete);
        assert.ok(Math.abs(parts.sum - term.coefficient) <= 1e-9 * Math.max(1, Math.abs(term.coefficient)), `${standardized ? 'standardized' : 'raw'} ${term.monomial}: ${parts.sum} vs ${term.coefficient}`);
        checked++;
      }
      assert.equal(checked, 35);
    }
    // Around the mean the raw parts are layer 1's rescaled; around 0 (far from the data here) layer 0's own.
    const raw = termContributions(r, [0, 1], false);
    assert.match(raw?.source ?? '', expansion === 'mean' ? /layer 1 .* in raw units/ : /layer 0/);
  });
}

test('diagram classes in words', () => {
  assert.equal(classWords({ vertexOrder: 4, legs: [2, 2] }), 'order-4 vertex: 2 end on a constant, 2 pass');
  assert.equal(classWords({ vertexOrder: 2, legs: [0, 1, 1] }), 'order-2 vertex: 1 pass, 1 split in two');
  assert.equal(classWords({ vertexOrder: 0, legs: [0, 0] }), 'order-0 vertex: no legs');
});
