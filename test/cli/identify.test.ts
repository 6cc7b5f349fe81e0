import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/core/report/schema';
import { validateReport } from '../../src/core/report/validate';
import { runCli, tempDir } from '../helpers/cli';

const EXAMPLE = 'examples/phi4-lattice-d4.csv';

test('identify: the direct fit alone writes a version-2 report of the score-matching estimator with its theory, compared with the truth beside the CSV', () => {
  const dir = tempDir();
  const out = join(dir, 'id.json');
  const before = statSync(EXAMPLE).mtimeMs;
  const res = runCli(['identify', EXAMPLE, '--out', out, '--quiet']);
  assert.equal(res.status, 0, res.stderr);
  assert.equal(res.stdout.trim(), out);
  const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
  assert.ok(validateReport(report).ok);
  assert.equal(report.schemaVersion, 2);
  assert.equal(report.model.estimator, 'score-matching');
  assert.equal(report.training, undefined);
  assert.deepEqual(report.layers, []);
  assert.equal(report.convergence.radius, null);
  const th = report.theory;
  assert.ok(th);
  assert.equal(th.family, 69);
  assert.ok(th.dense && th.dense.length === 69, 'the dense direct fit of every candidate is the report\'s action');
  assert.equal(report.action.terms.length, 69);
  assert.ok(th.truth, 'the truth beside the CSV was read');
  assert.equal(th.truth.source, `${EXAMPLE}.truth.json`);
  assert.ok(th.truth.spurious.length <= 1 && th.truth.missed.length <= 2, `missed ${JSON.stringify(th.truth.missed)}, spurious ${JSON.stringify(th.truth.spurious)}`);
  assert.ok(report.cumulants.comparisons.length === 1 && th.normalizable.normalizable, 'samples of the normalisable theory against the held-out rows');
  assert.equal(statSync(EXAMPLE).mtimeMs, before, 'the input is only read');
  // The CLI says what it kept and how it compares with the truth.
  const loud = runCli(['identify', EXAMPLE, '--out', join(dir, 'id2.json')]);
  assert.match(loud.stderr, /identified theory: \d+ terms/);
  assert.match(loud.stderr, /against examples\/phi4-lattice-d4\.csv\.truth\.json: missed \d+/);
});

test('identify: bad input is exit 2 with the file named', () => {
  const res = runCli(['identify', 'no-such.csv']);
  assert.equal(res.status, 2);
  assert.match(res.stderr, /no-such\.csv/);
});
