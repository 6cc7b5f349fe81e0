// Faults while a run's outputs are written (src/extension/saveOutputs.ts, which the training worker
// calls): a full disk (injected, and for real on a tiny tmpfs when the tests run as root), a folder
// that cannot be written, everything failing. Each ends in a message saying where the weights are,
// no partial file is left, and the trained model is never lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFlow, perturbParameters } from '../../../src/core/flow/build';
import { loadModel, saveModel } from '../../../src/core/flow/serialize';
import { writeFileAtomic } from '../../../src/core/util/atomic';
import { DEFAULT_SAVE_DEPS, SaveError, saveLearnOutputs, type SaveDeps } from '../../../src/extension/saveOutputs';

/** A real model file (d columns): its JSON is about 1.6 d^2 x 20 bytes. */
function realModel(d: number): ReturnType<typeof saveModel> {
  const mean = Array.from({ length: d }, (_, i) => i);
  const std = Array.from({ length: d }, () => 1);
  const flow = perturbParameters(buildFlow(mean, std, { layerKind: 'cubic', layers: 2, hidden: 1, seed: 3 }), 0.1, 4);
  return saveModel(flow, { layerKind: 'cubic', layers: 2, hidden: 1, seed: 3, columns: mean.map((i) => `x${i}`) });
}

function setup(): { dir: string; fallbackDir: string; target: { csvPath: string; reportPath: string; modelPath: string } } {
  const dir = mkdtempSync(join(tmpdir(), 'al-save-'));
  const fallbackDir = join(dir, 'fallback');
  mkdirSync(fallbackDir);
  const out = join(dir, 'out');
  return { dir, fallbackDir, target: { csvPath: join(dir, 'data.csv'), reportPath: join(out, 'data.report.json'), modelPath: join(out, 'data.report.model.json') } };
}

/** The real writer, failing like a full disk (ENOSPC) for paths `fails` picks. */
function faulty(fallbackDir: string, fails: (path: string) => boolean): SaveDeps {
  return {
    ...DEFAULT_SAVE_DEPS,
    fallbackDir,
    write: async (path, data, protect) => {
      if (fails(path)) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC' });
      await writeFileAtomic(path, data, protect);
    },
  };
}

/** The model a path holds reloads to the one saved. */
function assertModelAt(path: string, model: ReturnType<typeof saveModel>): void {
  const { flow } = loadModel(JSON.parse(readFileSync(path, 'utf8')), path);
  assert.deepEqual(saveModel(flow, model), model);
}

test('both files land where asked; the report names its weights relative to itself; no temporary file is left', async () => {
  const { fallbackDir, target } = setup();
  const model = realModel(3);
  const report = { model: {} as { weightsFile?: string } };
  const saved = await saveLearnOutputs(target, model, report, { ...DEFAULT_SAVE_DEPS, fallbackDir });
  assert.deepEqual(saved, { reportPath: target.reportPath, modelPath: target.modelPath });
  assert.equal(JSON.parse(readFileSync(target.reportPath, 'utf8')).model.weightsFile, 'data.report.model.json');
  assertModelAt(target.modelPath, model);
  assert.deepEqual(readdirSync(join(target.reportPath, '..')).sort(), ['data.report.json', 'data.report.model.json']);
  assert.deepEqual(readdirSync(fallbackDir), []);
});

test('the disk fills before the report: the weights stay, the report goes to the fallback folder, the message says where', async () => {
  const { fallbackDir, target } = setup();
  const model = realModel(3);
  const err = await saveLearnOutputs(target, model, { model: {} }, faulty(fallbackDir, (p) => p === target.reportPath)).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SaveError, String(err));
  assert.equal(err.modelPath, target.modelPath);
  assert.match(err.message, new RegExp(`the report could not be written to .*data\\.report\\.json \\(ENOSPC.*\\); the trained weights are in .*data\\.report\\.model\\.json; the report was saved to `));
  assertModelAt(target.modelPath, model);
  assert.ok(!existsSync(target.reportPath), 'no report (nor part of one) where it failed');
  const [fallbackReport] = readdirSync(fallbackDir);
  assert.ok(err.message.endsWith(join(fallbackDir, fallbackReport)));
  assert.equal(JSON.parse(readFileSync(join(fallbackDir, fallbackReport), 'utf8')).model.weightsFile, 'data.report.model.json');
});

test('the output folder cannot be written at all: the weights and the report land in the fallback folder, the report naming the weights absolutely', async () => {
  const { fallbackDir, target } = setup();
  const model = realModel(3);
  const err = await saveLearnOutputs(target, model, { model: {} }, faulty(fallbackDir, (p) => !p.startsWith(fallbackDir))).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SaveError);
  assert.ok(err.modelPath?.startsWith(fallbackDir), err.modelPath);
  assert.match(err.message, /^the weights could not be written to .*\(ENOSPC[^)]*\); the trained weights are in .*; the report was saved to /);
  assertModelAt(err.modelPath as string, model);
  const reportFile = readdirSync(fallbackDir).find((f) => f.endsWith('data.report.json')) as string;
  assert.equal(JSON.parse(readFileSync(join(fallbackDir, reportFile), 'utf8')).model.weightsFile, err.modelPath);
  assert.ok(!existsSync(target.modelPath) && !existsSync(target.reportPath));
});

test('nothing can be written anywhere: the message says so, it does not claim a file', async () => {
  const { fallbackDir, target } = setup();
  const err = await saveLearnOutputs(target, realModel(2), { model: {} }, faulty(fallbackDir, () => true)).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SaveError);
  assert.equal(err.modelPath, undefined);
  assert.match(err.message, /the trained weights could not be written anywhere; the report could not be saved anywhere$/);
});

const root = process.getuid?.() === 0;
test('a real full disk (a 16 kB tmpfs): refused with ENOSPC, no partial file on it, the weights in the fallback folder', { skip: root ? false : 'mounting a tmpfs needs root' }, async (t) => {
  const { fallbackDir, target, dir } = setup();
  const disk = join(dir, 'disk');
  mkdirSync(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', disk]);
  } catch (e) {
    t.skip(`cannot mount a tmpfs here: ${String(e)}`);
    return;
  }
  try {
    const onDisk = { ...target, reportPath: join(disk, 'data.report.json'), modelPath: join(disk, 'data.report.model.json') };
    const model = realModel(30);
    assert.ok(JSON.stringify(model).length > 16_384, 'the weights are larger than the disk');
    const err = await saveLearnOutputs(onDisk, model, { model: {} }, { ...DEFAULT_SAVE_DEPS, fallbackDir }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof SaveError, String(err));
    assert.match(err.message, /ENOSPC/);
    assert.deepEqual(readdirSync(disk), [], 'no partial or temporary file left on the full disk');
    assertModelAt(err.modelPath as string, model);
  } finally {
    execFileSync('umount', [disk]);
  }
});
