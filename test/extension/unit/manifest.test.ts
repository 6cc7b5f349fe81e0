// package.json's settings (the extension's manifest) against the one record of each thing they
// repeat: the layer kinds (src/core/flow/kinds.ts) and the numeric limits of the learn settings
// (src/core/pipeline/limits.ts). The manifest is static JSON, so these tests are what keeps it in step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layerKindNames, nonlinearKinds } from '../../../src/core/flow/kinds';
import { DEFAULT_LEARN_SETTINGS } from '../../../src/core/pipeline/learn';
import { SETTING_LIMITS } from '../../../src/core/pipeline/limits';

interface Property {
  type: string | string[];
  enum?: string[];
  enumDescriptions?: string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } };
};
const properties = manifest.contributes.configuration.properties;

test("actionLens.layerKind's enum and enumDescriptions are the registry's kinds, in order", () => {
  const p = properties['actionLens.layerKind'];
  assert.deepEqual(p.enum, layerKindNames());
  assert.deepEqual(p.enumDescriptions, nonlinearKinds().map((k) => k.description));
  assert.equal(p.default, DEFAULT_LEARN_SETTINGS.layerKind);
});

test("every integer setting's minimum and maximum are SETTING_LIMITS'", () => {
  const integers = Object.entries(properties).filter(([, p]) => (Array.isArray(p.type) ? p.type : [p.type]).includes('integer'));
  assert.ok(integers.length >= 5, 'the integer settings were not found');
  for (const [key, p] of integers) {
    const name = key.replace(/^actionLens\./, '');
    assert.ok(name in SETTING_LIMITS, `${key} has no entry in SETTING_LIMITS`);
    const limit = SETTING_LIMITS[name as keyof typeof SETTING_LIMITS];
    assert.deepEqual({ minimum: p.minimum, maximum: p.maximum }, { minimum: limit.min, maximum: limit.max }, key);
  }
});
