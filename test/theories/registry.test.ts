import { test } from 'node:test';
import assert from 'node:assert/strict';
import { THEORIES, createTheory, findTheory } from '../../src/core/theories/registry';
import { ParameterError } from '../../src/core/theories/theory';
import { InputError } from '../../src/core/util/errors';

test('every registered theory builds from its defaults and reports them as its params', () => {
  for (const def of THEORIES) {
    const th = createTheory(def.name);
    assert.equal(th.name, def.name);
    for (const p of def.parameters) {
      if (p.omittedAtDefault === true) assert.equal(th.params[p.name], undefined, `${def.name}.${p.name} is left out at its default`);
      else assert.equal(th.params[p.name], p.defaultValue, `${def.name}.${p.name}`);
    }
    assert.ok(th.trueAction().terms.length > 0);
  }
  assert.equal(createTheory('phi4').unimodal, true);
  assert.equal(createTheory('doublewell').unimodal, false);
});

test('a field h appears in the params (and the truth) only when given', () => {
  assert.deepEqual({ ...createTheory('phi4', { h: 0.3 }).params }, { d: 4, m2: 1, kappa: 0.3, g3: 0.5, g4: 1, h: 0.3 });
});

test('given parameters override defaults; unknown theories and foreign parameters are refused', () => {
  const th = createTheory('phi4', { d: 2, g3: 0 });
  assert.deepEqual({ ...th.params }, { d: 2, m2: 1, kappa: 0.3, g3: 0, g4: 1 });
  assert.throws(() => findTheory('phi6'), (err: unknown) => err instanceof InputError && /unknown theory 'phi6'.*phi4, doublewell/.test(err.message));
  assert.throws(
    () => createTheory('doublewell', { g3: 0.5 }),
    (err: unknown) => err instanceof ParameterError && err.param === 'g3' && /not a parameter of doublewell.*tilted double well/.test(err.message),
  );
});
