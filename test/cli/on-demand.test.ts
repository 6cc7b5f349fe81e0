import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSlicer } from '../../src/core/action/on-demand';
import { layerKindNames } from '../../src/core/flow/kinds';
import { validateReport } from '../../src/core/report/validate';
import { Rng } from '../../src/core/util/rng';
import { ensureBuilt, runCli, tempDir } from '../helpers/cli';

before(() => ensureBuilt());

/** d columns of a seeded chain with a quadratic distortion: correlated, non-Gaussian. */
function generatedCsv(path: string, d: number, n: number, seed: number): void {
  const rng = new Rng(seed);
  const lines = [Array.from({ length: d }, (_, j) => `p${j}`).join(',')];
  for (let r = 0; r < n; r++) {
    let prev = 0;
    const row: string[] = [];
    for (let j = 0; j < d; j++) {
      const e = rng.normal();
      prev = 0.5 * prev + e + 0.2 * e * e;
      row.push(prev.toFixed(6));
    }
    lines.push(row.join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

// Issue 14: learn at d = 196 end to end. Orders 0-2 are stored, 3-4 computed on demand; the report
// validates, and a slice through the CLI equals the slicer's coefficient() from the same files.
test('learn at d = 196 stores orders 0-2, computes 3-4 on demand, and `slice` reads them from the weights', () => {
  const dir = tempDir();
  const csv = join(dir, 'wide196.csv');
  generatedCsv(csv, 196, 600, 14);
  const out = join(dir, 'wide196.report.json');
  const t0 = Date.now();
  const res = runCli(['learn', csv, '--steps', '20', '--on-demand-seconds', '0.5', '--model-samples', '2000', '--out', out, '--quiet']);
  const learnSeconds = (Date.now() - t0) / 1000;
  assert.equal(res.status, 0, res.stderr);
  const v = validateReport(JSON.parse(readFileSync(out, 'utf8')), { layerKinds: layerKindNames() });
  assert.ok(v.ok, v.ok ? '' : v.errors.join('; '));
  const report = v.report;
  assert.equal(report.action.order, 4);
  assert.equal(report.action.storedOrders, 2);
  assert.ok(report.action.terms.every((t) => t.monomial.length <= 2));
  assert.equal(report.action.terms.filter((t) => t.monomial.length === 2).length, (196 * 197) / 2);
  assert.deepEqual(report.action.onDemand?.orders, [3, 4]);
  for (const o of ['3', '4']) {
    const top = report.action.onDemand?.topTerms?.[o];
    assert.ok(top && top.terms.length > 0 && top.terms.every((t) => t.monomial.length === Number(o)), `order ${o} top terms`);
    assert.match(top.guarantee, /exact/);
  }
  assert.equal(report.actionStandardized?.storedOrders, 2);
  assert.ok(report.warnings.some((w) => /theory was not identified/.test(w)));
  assert.ok(report.cumulants.notes.some((n) => /Orders 2-4 on 196 columns are compared in summary form/.test(n)));
  assert.deepEqual(report.cumulants.summaries?.map((s) => [s.order, s.compared]), [[2, 1196], [3, 1196], [4, 1196]]);
  assert.equal(report.cumulants.comparisons[0].orders.length, 1);

  // The CLI's slice against the slicer loaded from the same report and model files.
  const sliceCsv = join(dir, 'slice.csv');
  const sl = runCli(['slice', out, '--fixed', '3,5', '--order', '4', '--out', sliceCsv]);
  assert.equal(sl.status, 0, sl.stderr);
  const rows = readFileSync(sliceCsv, 'utf8').trim().split('\n');
  assert.equal(rows[0], 'free1,free2,monomial,coefficient');
  assert.equal(rows.length - 1, (196 * 197) / 2);
  return loadSlicer(out).then(({ slicer }) => {
    for (const line of [rows[1], rows[200], rows[rows.length - 1]]) {
      const [, , mono, value] = line.split(',');
      const monomial = mono.split(' ').map(Number);
      const want = slicer.coefficient(monomial);
      assert.ok(Math.abs(Number(value) - want) <= 1e-9 * Math.max(1e-12, Math.abs(want)) + 1e-15, `[${mono}]: ${value} vs ${want}`);
    }
    // The CLI refuses bad input with exit code 2 and writes nothing.
    const bad = runCli(['slice', out, '--fixed', '196', '--out', join(dir, 'bad.csv')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--fixed: "196" is not a column index from 0 to 195/);
    assert.throws(() => statSync(join(dir, 'bad.csv')));
    const top = runCli(['slice', out, '--top', '5', '--order', '3', '--seconds', '0']);
    assert.equal(top.status, 0, top.stderr);
    assert.equal(top.stdout.trim().split('\n').length, 6);
    assert.match(top.stderr, /not searched/);
    process.stderr.write(`# learn at d = 196 (20 steps): ${learnSeconds.toFixed(1)} s, report ${(statSync(out).size / 1e6).toFixed(1)} MB\n`);
  });
});

test('orders on demand need the cubic kind: a wide coupling run is refused before training', () => {
  const dir = tempDir();
  const csv = join(dir, 'wide-coupling.csv');
  generatedCsv(csv, 160, 250, 3);
  const res = runCli(['learn', csv, '--layer-kind', 'coupling', '--steps', '5', '--out', join(dir, 'r.json')]);
  assert.equal(res.status, 2, res.stderr);
  assert.match(res.stderr, /wide-coupling\.csv.*on 160 columns orders above 2 are computed on demand, which needs the cubic layer kind/);
  assert.doesNotMatch(res.stderr, /training/);
  assert.throws(() => statSync(join(dir, 'r.json')));
});
