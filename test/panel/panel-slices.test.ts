import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/core/report/schema';
import { PanelSlices } from '../../src/extension/panelSlices';
import { parseHostMessage } from '../../src/panel/messages';
import { ROOT, ensureBuilt, runCli, tempDir } from '../helpers/cli';

before(() => ensureBuilt());

// The host's answers to requestSlice at small d, where every order is also stored: the slices the
// panel gets equal the report's dense coefficients, and pass the webview's validation of host messages.
test('requestSlice: slices of a small report equal its stored coefficients; errors come back as sliceError', async () => {
  const dir = tempDir();
  const out = join(dir, 'r.json');
  const res = runCli(['learn', join(ROOT, 'examples', 'phi4-lattice-d4.csv'), '--steps', '30', '--identify', 'off', '--out', out, '--quiet']);
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
  const d = report.input.columns.length;
  const stored = new Map(report.action.terms.map((t) => [t.monomial.join(','), t.coefficient]));
  const scale = Math.max(...report.action.terms.map((t) => Math.abs(t.coefficient)));
  const slices = new PanelSlices(out);
  for (const [fixed, order] of [[[1], 3], [[0, 2], 4], [[3], 2]] as Array<[number[], number]>) {
    const answer = await slices.answer({ type: 'requestSlice', requestId: 7, order, fixed });
    assert.equal(answer.type, 'slice', JSON.stringify(answer));
    assert.ok(parseHostMessage(answer), 'the webview accepts the answer');
    if (answer.type !== 'slice') return;
    assert.equal(answer.requestId, 7);
    assert.equal(answer.values.length, d ** (order - fixed.length));
    answer.values.forEach((v, e) => {
      const free = order - fixed.length === 2 ? [Math.floor(e / d), e % d] : [e];
      const m = [...fixed, ...free].sort((a, b) => a - b).join(',');
      assert.ok(Math.abs(v - (stored.get(m) ?? 0)) <= 1e-10 * scale, `[${m}]: ${v} vs ${stored.get(m)}`);
    });
  }
  const bad = await slices.answer({ type: 'requestSlice', requestId: 8, order: 3, fixed: [d] });
  assert.equal(bad.type, 'sliceError');
  assert.match(bad.type === 'sliceError' ? bad.message : '', /column index/);
  // Without its model file the report cannot be sliced; the answer says so.
  renameSync(join(dir, 'r.model.json'), join(dir, 'moved.json'));
  const lost = new PanelSlices(out);
  const none = await lost.answer({ type: 'requestSlice', requestId: 9, order: 3, fixed: [0] });
  assert.equal(none.type, 'sliceError');
  assert.match(none.type === 'sliceError' ? none.message : '', /cannot read/);
});
