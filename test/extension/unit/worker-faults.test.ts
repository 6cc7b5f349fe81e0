// Faults while the real training worker (dist/worker.js) runs, through the host-side client: the
// worker killed, an output folder that cannot be created, the CSV deleted during training. Each ends
// in a clear outcome, no partial file, and the trained model is never lost (README.md, "Bad input and
// faults").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadModel } from '../../../src/core/flow/serialize';
import { cancelNotice } from '../../../src/extension/runMessages';
import { resolveLearn } from '../../../src/extension/settings';
import { WorkerJobError, WorkerJobRun } from '../../../src/extension/workerClient';

const WORKER = resolve(__dirname, '../../../dist/worker.js');
const skip = !existsSync(WORKER) && 'dist/worker.js not built';
const settings = resolveLearn({}, { epochs: 100000, patience: 100000, restarts: 1, modelSamples: 1000 }).settings;

function csvIn(dir: string): string {
  const csv = join(dir, 'd.csv');
  const example = readFileSync(resolve(__dirname, '../../../examples/phi4-lattice-d4.csv'), 'utf8').trim().split('\n');
  writeFileSync(csv, example.slice(0, 801).join('\n') + '\n');
  return csv;
}

test('the worker killed during training: the run fails with a message, and no file (nor part of one) is written', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-kill-'));
  const csv = csvIn(dir);
  const reportPath = join(dir, 'd.report.json');
  const run: WorkerJobRun = new WorkerJobRun(WORKER, { kind: 'learn', csvPath: csv, settings, reportPath, modelPath: join(dir, 'd.report.model.json') }, {
    onProgress: (p) => {
      if (p.epoch >= 2) void run.kill();
    },
  });
  await assert.rejects(run.result, (e: unknown) => e instanceof WorkerJobError && /the training worker (was stopped|stopped unexpectedly)/.test(e.message));
  assert.deepEqual(readdirSync(dir), ['d.csv']);
});

test('an output folder that cannot be created: the weights and the report land in the temporary folder and the error says where', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-unwritable-'));
  const csv = csvIn(dir);
  // A file where the folder should be: no mkdir can make it, not even as root.
  writeFileSync(join(dir, 'out'), 'not a folder');
  const reportPath = join(dir, 'out', 'd.report.json');
  const run: WorkerJobRun = new WorkerJobRun(WORKER, { kind: 'learn', csvPath: csv, settings, reportPath, modelPath: join(dir, 'out', 'd.report.model.json') }, {
    onProgress: (p) => {
      if (p.epoch >= 2) run.cancel();
    },
  });
  const err = await run.result.then(() => null, (e: unknown) => e);
  assert.ok(err instanceof WorkerJobError, String(err));
  const m = /^the weights could not be written to .*d\.report\.model\.json \((?:ENOTDIR|EEXIST)[^)]*\); the trained weights are in (\S+); the report was saved to (\S+)$/.exec(err.message);
  assert.ok(m, err.message);
  try {
    const { flow } = loadModel(JSON.parse(readFileSync(m[1], 'utf8')), m[1]);
    assert.equal(flow.layers.length, 1 + 2 * settings.layers);
    const report = JSON.parse(readFileSync(m[2], 'utf8')) as { model: { weightsFile: string }; training: { stoppedBecause: string } };
    assert.equal(report.model.weightsFile, m[1]);
    assert.equal(report.training.stoppedBecause, 'cancelled');
  } finally {
    rmSync(m[1], { force: true });
    rmSync(m[2], { force: true });
  }
  assert.deepEqual(readdirSync(dir).sort(), ['d.csv', 'out']);
});

test('the CSV deleted during training: the run finishes on the table as read, its hash that of the bytes read', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-deleted-'));
  const csv = csvIn(dir);
  const sha = createHash('sha256').update(readFileSync(csv)).digest('hex');
  const reportPath = join(dir, 'd.report.json');
  const modelPath = join(dir, 'd.report.model.json');
  const run: WorkerJobRun = new WorkerJobRun(WORKER, { kind: 'learn', csvPath: csv, settings, reportPath, modelPath }, {
    onProgress: (p) => {
      if (p.epoch >= 1 && existsSync(csv)) unlinkSync(csv);
      if (p.epoch >= 3) run.cancel();
    },
  });
  const res = await run.result;
  assert.equal(res.report.input.sha256, sha);
  assert.equal(res.report.input.rows, 800);
  assert.ok(existsSync(reportPath) && existsSync(modelPath));
  assert.deepEqual(readdirSync(dir).sort(), ['d.report.json', 'd.report.model.json']);
});

// The steps a cancel skips once training is over: the standard errors (after the extraction) and the identification (after the cumulants).
for (const [phase, skipped] of [['extracting the action', ['standard errors', 'identifying the theory']], ['cumulants', ['identifying the theory']]] as const) {
  test(`cancel during "${phase}": the run ends with the trained model and a whole report, and says what was skipped`, { skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'al-cancel-late-'));
    const csv = csvIn(dir);
    const reportPath = join(dir, 'd.report.json');
    const modelPath = join(dir, 'd.report.model.json');
    const short = resolveLearn({}, { steps: 150, restarts: 1, modelSamples: 1000 }).settings;
    const phases: string[] = [];
    const run: WorkerJobRun = new WorkerJobRun(WORKER, { kind: 'learn', csvPath: csv, settings: short, reportPath, modelPath }, {
      onPhase: (p) => {
        phases.push(p);
        if (p === phase) run.cancel();
      },
    });
    const res = await run.result;
    assert.ok(phases.includes(phase), phases.join(', '));
    assert.notEqual(res.report.training?.stoppedBecause, 'cancelled', 'training had finished');
    assert.ok(skipped.every((p) => !phases.includes(p)), `${skipped.join(' and ')} skipped after the cancel: ${phases.join(', ')}`);
    const notice = cancelNotice(res.report, 'd.report.json');
    assert.match(notice, /^cancelled after training had finished/);
    const { flow } = loadModel(JSON.parse(readFileSync(modelPath, 'utf8')), modelPath);
    assert.equal(flow.layers.length, 1 + 2 * short.layers);
    assert.deepEqual(JSON.parse(readFileSync(reportPath, 'utf8')).action, res.report.action);
    assert.deepEqual(readdirSync(dir).sort(), ['d.csv', 'd.report.json', 'd.report.model.json']);
  });
}
