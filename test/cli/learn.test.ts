import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowReport, Report } from '../../src/core/report/schema';
import { ROOT, ensureBuilt, runCli, tempDir } from '../helpers/cli';

const EXAMPLE = join(ROOT, 'examples', 'phi4-lattice-d4.csv');

function parseCsv(path: string): number[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
}

function evaluate(report: Report, x: number[]): number {
  let s = 0;
  for (const t of report.action.terms) s += t.coefficient * t.monomial.reduce((p, i) => p * x[i], 1);
  return s;
}

before(() => ensureBuilt());

test('coupling, L = 1, K = 4: the report polynomial equals `logp` at every row to 1e-8 relative', () => {
  const dir = tempDir();
  const out = join(dir, 'r.json');
  const res = runCli(['learn', EXAMPLE, '--layer-kind', 'coupling', '--layers', '1', '--order', '4', '--steps', '400', '--out', out, '--quiet']);
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as FlowReport;
  const modelPath = join(dir, 'r.model.json');
  assert.equal(report.model.weightsFile, 'r.model.json');
  const lp = runCli(['logp', modelPath, EXAMPLE]);
  assert.equal(lp.status, 0, lp.stderr);
  const values = lp.stdout.trim().split('\n').map(Number);
  const rows = parseCsv(EXAMPLE);
  assert.equal(values.length, rows.length);
  let worst = 0;
  for (let r = 0; r < rows.length; r++) worst = Math.max(worst, Math.abs(evaluate(report, rows[r]) - values[r]) / Math.abs(values[r]));
  assert.ok(worst < 1e-8, `worst relative difference ${worst}`);
  assert.equal(report.training.steps, 400);
  assert.equal(report.training.stoppedBecause, 'steps');
  assert.ok(report.training.trainSeconds > 0);
  assert.equal(report.input.rows, rows.length);
  assert.match(report.input.sha256, /^[0-9a-f]{64}$/);
});

test('cubic (default): the report coefficients are the Taylor coefficients of `logp` at 0', () => {
  const dir = tempDir();
  const out = join(dir, 'r.json');
  const res = runCli(['learn', EXAMPLE, '--steps', '300', '--out', out, '--quiet']);
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as FlowReport;
  assert.equal(report.model.layerKind, 'cubic');
  assert.ok(report.convergence.radius !== null && report.convergence.radius > 0);
  // Points t * v along random directions, and the finite-difference stencil for the Hessian.
  const d = 4;
  const dirs = [
    [0.3, -0.5, 0.8, 0.1],
    [-0.7, 0.2, 0.1, 0.6],
    [0.5, 0.5, -0.5, 0.5],
  ];
  const eps = [0.04, 0.02];
  const points: number[][] = [];
  for (const v of dirs) for (const e of eps) points.push(v.map((c) => c * e));
  const h = 1e-3;
  const unit = (i: number, s: number): number[] => Array.from({ length: d }, (_, k) => (k === i ? s : 0));
  const add = (a: number[], b: number[]): number[] => a.map((v, k) => v + b[k]);
  const stencil: number[][] = [];
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) for (const [si, sj] of [[1, 1], [1, -1], [-1, 1], [-1, -1]]) stencil.push(add(unit(i, si * h), unit(j, sj * h)));
  const all = [...points, ...stencil];
  const csv = join(dir, 'points.csv');
  writeFileSync(csv, 'x0,x1,x2,x3\n' + all.map((p) => p.join(',')).join('\n') + '\n');
  const lp = runCli(['logp', join(dir, 'r.model.json'), csv]);
  assert.equal(lp.status, 0, lp.stderr);
  const values = lp.stdout.trim().split('\n').map(Number);
  // Residual of the order-4 series shrinks like |x|^5.
  for (let k = 0; k < dirs.length; k++) {
    const r1 = Math.abs(values[2 * k] - evaluate(report, points[2 * k]));
    const r2 = Math.abs(values[2 * k + 1] - evaluate(report, points[2 * k + 1]));
    assert.ok(r1 / r2 > 32 * 0.7 && r1 / r2 < 32 * 1.4, `direction ${k}: residual ratio ${r1 / r2} (${r1}, ${r2})`);
  }
  // Order-2 coefficients against central second differences of logp.
  const coef = new Map(report.action.terms.map((t) => [t.monomial.join(','), t.coefficient]));
  let s = points.length;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const hij = (values[s] - values[s + 1] - values[s + 2] + values[s + 3]) / (4 * h * h);
      s += 4;
      const expected = i === j ? hij / 2 : hij;
      const got = coef.get(`${i},${j}`) ?? 0;
      assert.ok(Math.abs(got - expected) < 1e-5 * Math.max(1, Math.abs(expected)), `c_(${i},${j}) = ${got}, finite differences ${expected}`);
    }
  }
});

test('the report has what the README promises (its section "The report"), and the input is untouched', () => {
  const dir = tempDir();
  const out = join(dir, 'r.json');
  const before = statSync(EXAMPLE).mtimeMs;
  const html = join(dir, 'sub', 'r.html');
  const res = runCli(['learn', EXAMPLE, '--steps', '100', '--out', out, '--html', html, '--quiet']);
  assert.equal(res.status, 0, res.stderr);
  assert.equal(statSync(EXAMPLE).mtimeMs, before);
  const page = readFileSync(html, 'utf8');
  assert.match(page.slice(0, 2000), /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
  assert.match(page, /<script type="application\/json" id="action-lens-report">/);
  assert.ok(!/<script src=|<link /.test(page), 'self-contained: no external scripts or styles');
  const r = JSON.parse(readFileSync(out, 'utf8')) as FlowReport;
  assert.equal(r.schemaVersion, 2);
  assert.equal(r.model.estimator, 'flow');
  assert.equal(r.tool.name, 'action-lens');
  assert.deepEqual(r.input.columns, ['x0', 'x1', 'x2', 'x3']);
  assert.equal(r.action.convention, 'ln p');
  assert.equal(r.action.units, 'raw');
  assert.equal(r.action.terms.length, 70);
  assert.equal(r.layers.length, 5);
  assert.ok(r.layers.every((l) => l.diagrams.length > 0));
  assert.ok(r.cumulants.comparisons[0].orders.length === 4);
  assert.match(r.about, /Phys\. Rev\. X 13, 041033/);
});

test('bad input: exit 2 with file, line and column; nothing written', () => {
  const dir = tempDir();
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'a,b\n1,2\n3,oops\n' + Array.from({ length: 20 }, (_, i) => `${i},${i * i}`).join('\n') + '\n');
  const res = runCli(['learn', bad, '--out', join(dir, 'r.json')]);
  assert.equal(res.status, 2);
  assert.match(res.stderr, /bad\.csv:3:3: non-numeric value "oops" in column "b" \(field 2\)/);
  const single = join(dir, 'one.csv');
  writeFileSync(single, 'a\n' + Array.from({ length: 30 }, (_, i) => String(Math.sin(i))).join('\n') + '\n');
  const coupling = runCli(['learn', single, '--layer-kind', 'coupling', '--out', join(dir, 'r.json')]);
  assert.equal(coupling.status, 2);
  assert.match(coupling.stderr, /needs at least 2 columns/);
  const order = runCli(['learn', EXAMPLE, '--order', 'four']);
  assert.equal(order.status, 2);
  assert.match(order.stderr, /--order must be an integer/);
  // Refused at the header, before the rows are read: even the pair couplings of 1,100 columns exceed what a
  // report holds (orders above 2 would be computed on demand, but orders 0-2 are always stored).
  const wide = join(dir, 'wide.csv');
  const header = Array.from({ length: 1100 }, (_, j) => `x${j}`).join(',');
  writeFileSync(wide, `${header}\n` + Array.from({ length: 30 }, (_, i) => Array.from({ length: 1100 }, (_, j) => Math.sin(i * 1100 + j)).join(',')).join('\n') + '\n');
  const big = runCli(['learn', wide, '--out', join(dir, 'wide.json')]);
  assert.equal(big.status, 2);
  assert.match(big.stderr, /wide\.csv:1:\d+: 1100 columns selected, more than the 1093 the run can take: on more columns even the pair couplings of an order-4 action exceed what a report can hold/);
  assert.throws(() => statSync(join(dir, 'wide.json')));
  const over = runCli(['learn', EXAMPLE, '--out', EXAMPLE]);
  assert.equal(over.status, 2);
  assert.match(over.stderr, /refusing to write over the input/);
  const missing = runCli(['logp', join(dir, 'nope.model.json'), EXAMPLE]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.model\.json: cannot read the model/);
});

test('with no CSV, learn runs on the bundled example and writes the report in the current folder', () => {
  const dir = tempDir();
  const res = runCli(['learn', '--steps', '50', '--quiet'], { cwd: dir });
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /no CSV given; learning the bundled example/);
  const report = JSON.parse(readFileSync(join(dir, 'phi4-lattice-d4.report.json'), 'utf8')) as FlowReport;
  assert.equal(report.input.rows, 4000);
  assert.ok(statSync(join(dir, 'phi4-lattice-d4.report.model.json')).size > 0);
});
