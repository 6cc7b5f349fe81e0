// Property-based tests of the model loader (src/core/flow/serialize.ts, loadModel, and the CLI's
// readModel) on mutations of real model files, one per layer kind: every mutation that breaks the
// format is refused with an InputError naming the file and the field's path, nothing else is thrown,
// no prototype is polluted, and a file above MODEL_LIMITS.fileBytes is refused before it is read
// (README.md, "Bad input and faults").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildFlow, perturbParameters } from '../../src/core/flow/build';
import { loadModel, MODEL_LIMITS, saveModel, type SavedModel } from '../../src/core/flow/serialize';
import { readModel } from '../../src/cli/commands/logp';
import { InputError } from '../../src/core/util/errors';
import { clone, fieldClass, fields, formatPath, namesField, oneOfEachClass, prototypeKeys, withValue, wrongValues, type Path } from './mutations';

const SEED = 20240611;
const D = 4;
const protoBefore = prototypeKeys();

/** A real model file of each kind: a flow as `learn` builds it, its parameters moved off the identity. */
function model(layerKind: string): SavedModel {
  const flow = perturbParameters(buildFlow([1, -2, 0.5, 3], [0.5, 2, 1, 0.1], { layerKind, layers: 2, hidden: 3, seed: 5 }), 0.05, 7);
  return JSON.parse(JSON.stringify(saveModel(flow, { layerKind, layers: 2, hidden: 3, seed: 5, columns: ['a', 'b', 'c', 'd'] }))) as SavedModel;
}
const MODELS: Record<string, SavedModel> = { cubic: model('cubic'), coupling: model('coupling') };
const POINTS = Float64Array.from({ length: 5 * D }, (_, i) => Math.sin(1.3 * i));

/** loadModel's refusal as `path: why` (the form the mutations' check reads), asserting it is an InputError naming the file. */
function refusal(data: unknown, what: string): string | null {
  try {
    loadModel(data, 'm.json');
    return null;
  } catch (e) {
    assert.ok(e instanceof InputError, `${what}: threw ${e instanceof Error ? e.stack : String(e)}`);
    assert.equal(e.file, 'm.json');
    const prefix = 'm.json: not an Action Lens model file: ';
    assert.ok(e.message.startsWith(prefix), `${what}: ${e.message}`);
    return e.message.slice(prefix.length);
  }
}

function assertRefused(data: unknown, path: Path, what: string): void {
  const why = refusal(data, what);
  assert.notEqual(why, null, `${what} at ${formatPath(path)} was accepted`);
  assert.ok(namesField([why as string], path), `${what} at ${formatPath(path)}: the message does not name it: ${why}`);
}

test('the real models load to the flow they were saved from', () => {
  for (const [kind, m] of Object.entries(MODELS)) {
    const { flow } = loadModel(clone(m), 'm.json');
    assert.deepEqual(saveModel(flow, m), m, kind);
    assert.ok(Array.from(flow.logProb(POINTS, 5)).every(Number.isFinite));
  }
});

test('every field class of real models, given a value of another type (NaN and Infinity for numbers), is refused at its path', () => {
  for (const [kind, m] of Object.entries(MODELS)) {
    const classes = oneOfEachClass(fields(m));
    assert.ok(classes.length > 15, `${kind}: ${classes.length} field classes`);
    for (const f of classes) for (const bad of wrongValues(f.value)) assertRefused(withValue(m, f.path, bad), f.path, `${kind}: ${JSON.stringify(bad) ?? String(bad)} for ${fieldClass(f.path)}`);
  }
});

test('NaN, Infinity or a text in place of any one weight is refused at its index (property)', () => {
  for (const m of Object.values(MODELS)) {
    const weights = fields(m).filter((f) => f.path.includes('params') && typeof f.value === 'number');
    fc.assert(
      fc.property(fc.nat(weights.length - 1), fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1', null), (i, bad) => {
        assertRefused(withValue(m, weights[i].path, bad), weights[i].path, String(bad));
      }),
      { seed: SEED, numRuns: 200 },
    );
  }
});

test('dimension mismatches between the columns, the standardization, the layers and their weights are refused at their path', () => {
  const m = MODELS.coupling;
  const cases: [Path, unknown][] = [
    [['columns', 3], 'a'],
    [['columns'], []],
    [['flow', 0, 'structure', 'mean'], [0, 0, 0]],
    [['flow', 0, 'structure', 'std', 2], 0],
    [['flow', 0, 'structure', 'std', 1], -1],
    [['flow', 1, 'structure', 'permutation'], [0, 1, 2, 4]],
    [['flow', 1, 'structure', 'permutation'], [0, 1, 1, 2]],
    [['flow', 1, 'params'], [0, 1]],
    [['flow', 2, 'structure', 'conditioner'], [0, 1, 2, 3]],
    [['flow', 2, 'structure', 'transformed'], [...m.flow[2].structure.conditioner as number[]]],
    [['flow', 2, 'structure', 'hidden'], 1_000_000],
    [['flow', 2, 'structure', 'hidden'], 2],
    [['flow', 2, 'params'], new Array<number>(m.flow[2].params.length + 1).fill(0)],
    [['flow', 3, 'structure', 'kind'], 'coupling'],
    [['flow'], m.flow.slice(0, 3)],
    [['version'], 2],
    [['format'], 'action-lens-report'],
  ];
  for (const [path, value] of cases) assertRefused(withValue(m, path, value), path, JSON.stringify(value).slice(0, 40));
  // Other names than the weights have: the message says how many of each (either may be the fault).
  for (const names of [['a', 'b', 'c'], ['a', 'b', 'c', 'd', 'e']]) {
    assert.equal(refusal(withValue(m, ['columns'], names), 'columns'), `flow[0].structure.mean: has 4 numbers for the ${names.length} columns`);
  }
  assert.match(refusal(withValue(m, ['layers'], 3), 'layers') ?? '', /^flow: has 5 layers; 3 blocks need 7/);
  assert.match(refusal(withValue(m, ['layerKind'], 'cubic'), 'layerKind') ?? '', /^flow\[2\]\.structure\.kind: expected "cubic", got "coupling"/);
  // Huge arrays are refused by their count, before any is walked or allocated for.
  const many = Array.from({ length: MODEL_LIMITS.columns + 1 }, (_, i) => `c${i}`);
  assertRefused(withValue(m, ['columns'], many), ['columns'], 'too many columns');
  assertRefused(withValue(m, ['flow', 2, 'params'], new Array<number>(3_000_000).fill(0)), ['flow', 2, 'params'], 'three million weights');
});

test('__proto__, constructor and prototype keys anywhere are refused, and nothing is polluted (property)', () => {
  const m = MODELS.coupling;
  const objects = fields(m).filter((f) => typeof f.value === 'object' && f.value !== null && !Array.isArray(f.value));
  fc.assert(
    fc.property(fc.nat(objects.length), fc.constantFrom('__proto__', 'constructor', 'prototype'), (i, key) => {
      const copy = clone(m) as unknown as Record<string, unknown>;
      const target = (i === objects.length ? copy : objects[i].path.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], copy)) as object;
      Object.defineProperty(target, key, { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
      assertRefused(copy, i === objects.length ? [key] : [...objects[i].path, key], `the key ${key}`);
      assert.equal(prototypeKeys(), protoBefore);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }),
    { seed: SEED, numRuns: 100 },
  );
});

test('a model file truncated at every length class, empty, or too large is refused by readModel with its place, never thrown otherwise', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-model-'));
  const file = join(dir, 'm.model.json');
  const text = JSON.stringify(MODELS.cubic, null, 1);
  const lengths = new Set<number>([0, 1, 2, 10, text.length - 1, text.length - 2, Math.floor(text.length / 2)]);
  for (let k = 3; k < text.length; k *= 3) lengths.add(k);
  for (const n of lengths) {
    writeFileSync(file, text.slice(0, n));
    await assert.rejects(readModel(file), (e: unknown) => {
      assert.ok(e instanceof InputError, `truncated at ${n}: ${String(e)}`);
      assert.equal(e.file, file);
      if (n === 0 || text.slice(0, n).trim() === '') assert.match(e.message, /is empty/);
      else {
        assert.match(e.message, /not valid JSON/, `truncated at ${n}: ${e.message}`);
        assert.ok(e.line !== undefined && e.column !== undefined, `truncated at ${n}: no place`);
      }
      return true;
    });
  }
  writeFileSync(file, text);
  assert.deepEqual(saveModel((await readModel(file)).flow, MODELS.cubic), MODELS.cubic);
  // One byte above the limit (a sparse file: no disk is used): refused from its size, unread.
  truncateSync(file, MODEL_LIMITS.fileBytes + 1);
  await assert.rejects(readModel(file), /more than the 400 MB this tool reads; refused without reading it/);
  await assert.rejects(readModel(dir), /is not a regular file/);
  await assert.rejects(readModel(join(dir, 'absent.json')), (e: unknown) => e instanceof InputError && /cannot read the model/.test(e.message));
  assert.equal(prototypeKeys(), protoBefore);
});
