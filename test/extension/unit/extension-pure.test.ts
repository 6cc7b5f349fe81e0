// The extension's pure pieces (no vscode): settings, output paths, a column's terms for the hover,
// Markdown escaping of untrusted names, the worker protocol; and the real worker bundle
// (dist/worker.js) through the host-side client, when it has been built. The header scanner behind
// the hover is core's (test/data/csv-header.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Report } from '../../../src/core/report/schema';
import { DEFAULT_LEARN_SETTINGS } from '../../../src/core/pipeline/learn';
import { checkOverrides, outputPaths, overridesFromConfig, resolveLearn } from '../../../src/extension/settings';
import { columnTerms, reportColumnForField } from '../../../src/extension/columnTerms';
import { escapeMarkdownText } from '../../../src/extension/markdown';
import { describeError, parseFromWorker } from '../../../src/extension/protocol';
import { WorkerJobError, WorkerJobRun } from '../../../src/extension/workerClient';
import { InputError } from '../../../src/core/util/errors';

test('settings: defaults, configuration, then run overrides; bad values are errors', () => {
  const cfg = overridesFromConfig((k) => ({ layerKind: 'coupling', layers: 3, hidden: null, order: 4, epochs: 400, seed: 7, columns: [] })[k]);
  assert.deepEqual(cfg.errors, []);
  const r = resolveLearn(cfg.overrides, { steps: 100 });
  assert.equal(r.settings.layerKind, 'coupling');
  assert.equal(r.settings.layers, 3);
  assert.equal(r.settings.hidden, undefined);
  assert.equal(r.settings.seed, 7);
  assert.equal(r.settings.steps, 100);
  assert.equal(r.settings.restarts, DEFAULT_LEARN_SETTINGS.restarts);
  assert.equal(r.columns, undefined);
  const bad = overridesFromConfig((k) => ({ layers: 'three', order: 13, layerKind: 'relu', columns: 'a,b' })[k]);
  assert.equal(bad.errors.length, 4);
  assert.match(bad.errors.join('\n'), /actionLens\.layers must be an integer from 1 to 64 \(got "three"\)/);
  assert.match(bad.errors.join('\n'), /actionLens\.order must be an integer from 0 to 12/);
  assert.match(bad.errors.join('\n'), /actionLens\.layerKind must be one of cubic, coupling/);
  assert.deepEqual(checkOverrides([1, 2]).errors, ['settings must be an object']);
  assert.deepEqual(resolveLearn({}, { columns: [' a ', 'b'] }).columns, [' a ', 'b']);
  assert.deepEqual(checkOverrides({ columns: [' a ', '', 'b'] }).overrides.columns, ['a', 'b']);
  assert.equal(resolveLearn(overridesFromConfig((k) => ({ dequantize: true })[k]).overrides).settings.dequantize, true);
  assert.equal(resolveLearn({}).settings.dequantize, false);
  assert.deepEqual(overridesFromConfig((k) => ({ dequantize: 'yes' })[k]).errors, ['actionLens.dequantize must be true or false']);
});

test('output paths: beside the CSV, or in the output folder (relative to the workspace folder)', () => {
  assert.deepEqual(outputPaths('/w/d/data.csv', '', '/w'), { reportPath: '/w/d/data.report.json', modelPath: '/w/d/data.report.model.json' });
  assert.equal(outputPaths('/w/d/data.csv', 'reports', '/w').reportPath, '/w/reports/data.report.json');
  assert.equal(outputPaths('/w/d/x.tsv', '${workspaceFolder}/out', '/w').modelPath, '/w/out/x.report.model.json');
  assert.equal(outputPaths('/w/d/data.csv', '/abs', '/w').reportPath, '/abs/data.report.json');
  assert.equal(outputPaths('rel.csv', '', undefined).reportPath, resolve('rel.report.json'));
});

function fixtureReport(): Report {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures/report.sample.json'), 'utf8')) as Report;
}

test("a column's terms: self terms by order, couplings by magnitude, names mapped by sourceColumns", () => {
  const report = fixtureReport();
  const d = report.input.columns.length;
  for (let c = 0; c < d; c++) {
    const t = columnTerms(report, c, 3);
    assert.ok(t.self.every((s) => s.monomial.every((i) => i === c)));
    assert.deepEqual(t.self.map((s) => s.monomial.length), [...t.self.map((s) => s.monomial.length)].sort((a, b) => a - b));
    assert.ok(t.couplings.every((s) => s.monomial.includes(c) && s.monomial.some((i) => i !== c)));
    for (let k = 1; k < t.couplings.length; k++) assert.ok(Math.abs(t.couplings[k - 1].coefficient) >= Math.abs(t.couplings[k].coefficient));
    assert.ok(t.couplings.length <= 3);
  }
  const name = report.input.columns[1];
  const src = report.input.sourceColumns ?? report.input.columns.map((_, i) => i);
  assert.equal(reportColumnForField(report, src[1], name), 1);
  assert.equal(reportColumnForField(report, src[1], 'another name'), -1);
});

test('untrusted names in Markdown: every punctuation character is escaped, control characters dropped, long names cut', () => {
  assert.equal(escapeMarkdownText('[x](command:quit)'), '\\[x\\]\\(command\\:quit\\)');
  assert.equal(escapeMarkdownText('<img src=x>'), '\\<img src\\=x\\>');
  assert.equal(escapeMarkdownText('a*b_c`d'), 'a\\*b\\_c\\`d');
  assert.equal(escapeMarkdownText('a\nb\u0000c'), 'a b c');
  assert.equal([...escapeMarkdownText('é'.repeat(200))].length, 80);
  assert.equal(escapeMarkdownText('plain name 3'), 'plain name 3');
});

test('worker protocol: messages are checked, errors keep file, line and column', () => {
  assert.equal(parseFromWorker({ type: 'progress', epoch: 1 }), null);
  assert.equal(parseFromWorker({ type: 'done' }), null);
  assert.equal(parseFromWorker('x'), null);
  assert.deepEqual(parseFromWorker({ type: 'phase', phase: 'training' }), { type: 'phase', phase: 'training' });
  const info = describeError(new InputError('non-numeric value "abc" in column "c" (field 3)', { file: '/d/a.csv', line: 5, column: 17, length: 3 }));
  assert.equal(info.message, '/d/a.csv:5:17: non-numeric value "abc" in column "c" (field 3)');
  assert.deepEqual([info.file, info.line, info.column, info.length, info.input], ['/d/a.csv', 5, 17, 3, true]);
  const parsed = parseFromWorker({ type: 'error', error: info });
  assert.ok(parsed && parsed.type === 'error' && parsed.error.line === 5 && parsed.error.input);
  assert.deepEqual(parsed.type === 'error' && [parsed.error.column, parsed.error.length], [17, 3], 'the column and the length cross the worker boundary');
  assert.equal(parseFromWorker({ type: 'error', error: { ...info, length: 'three' } })?.type === 'error' ? 'ok' : 'no', 'ok');
  assert.equal(describeError('plain').input, false);
});

const WORKER = resolve(__dirname, '../../../dist/worker.js');

test('the worker bundle learns off the main thread and can be cancelled (best model kept)', { skip: !existsSync(WORKER) && 'dist/worker.js not built' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-worker-unit-'));
  const csv = join(dir, 'd.csv');
  const example = readFileSync(resolve(__dirname, '../../../examples/phi4-lattice-d4.csv'), 'utf8').trim().split('\n');
  writeFileSync(csv, example.slice(0, 1001).join('\n') + '\n');
  const before = readFileSync(csv);
  const { reportPath, modelPath } = outputPaths(csv, '', dir);
  const settings = { ...resolveLearn({}, { epochs: 100000, patience: 100000, restarts: 1, modelSamples: 1000 }).settings };
  let epochs = 0;
  const run: WorkerJobRun = new WorkerJobRun(WORKER, { kind: 'learn', csvPath: csv, settings, reportPath, modelPath }, {
    onProgress: (p) => {
      epochs = p.epoch;
      if (p.epoch >= 3) run.cancel();
    },
  });
  const res = await run.result;
  assert.ok(epochs >= 3);
  assert.equal(res.report.training?.stoppedBecause, 'cancelled');
  assert.ok(existsSync(reportPath) && existsSync(modelPath));
  assert.deepEqual(readFileSync(csv), before);

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'a,b\n1,2\n3,x\n');
  await assert.rejects(
    new WorkerJobRun(WORKER, { kind: 'learn', csvPath: bad, settings, reportPath: join(dir, 'b.json'), modelPath: join(dir, 'b.model.json') }).result,
    (e: unknown) => e instanceof WorkerJobError && e.info.input && e.info.line === 3 && e.info.column === 3 && e.info.length === 1 && e.message.startsWith(`${bad}:3:3:`),
  );
});
