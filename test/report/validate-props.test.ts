// Property-based tests of the report's validators (src/core/report/validate*.ts) on mutations of real
// reports: the bundled example's report (a network with its identified theory) and the panel's
// hand-written sample. Every mutation that breaks the schema must be refused with a message naming
// the field, nothing may throw, and no prototype may be polluted (README.md, "Bad input and faults").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { REPORT_LIMITS, validateReport } from '../../src/core/report/validate';
import { parseReportText } from '../../src/core/report/validate-text';
import { SETTING_LIMITS } from '../../src/core/pipeline/limits';
import { MAX_REPORT_COEFFICIENTS } from '../../src/core/pipeline/learn';
import { clone, fieldClass, fields, formatPath, namesField, oneOfEachClass, prototypeKeys, withValue, wrongValues, type Field } from './mutations';

const REPORTS: Record<string, unknown> = {
  example: JSON.parse(readFileSync('test/fixtures/example.report.snapshot.json', 'utf8')),
  sample: JSON.parse(readFileSync('test/fixtures/report.sample.json', 'utf8')),
};
const SEED = 20240611;
const protoBefore = prototypeKeys();

/**
 * Fields whose every value of another type the schema refuses: all of them but the insides of an
 * experiment's `source` and `extra`, free-form records of what generated its data (their keys are still
 * checked for __proto__ and the like, their nesting for depth).
 */
function checkedFields(report: unknown): Field[] {
  return fields(report).filter((f) => !/^experiment\.(source|extra)[.[]/.test(formatPath(f.path)));
}

/** Values of another type that a field nevertheless takes: `experiment` and its `truth` may be null (no experiment, no truth). */
function wrongFor(f: Field): unknown[] {
  const p = fieldClass(f.path);
  return wrongValues(f.value).filter((v) => !(v === null && (p === 'experiment' || p === 'experiment.truth')));
}

/** Validates, asserting that validation returns (never throws) and refuses, naming the field. */
function assertRefused(mutated: unknown, path: (string | number)[], what: string): void {
  let v: ReturnType<typeof validateReport>;
  try {
    v = validateReport(mutated);
  } catch (e) {
    assert.fail(`${what} at ${formatPath(path)}: validateReport threw ${e instanceof Error ? e.stack : String(e)}`);
  }
  assert.equal(v.ok, false, `${what} at ${formatPath(path)} was accepted`);
  if (!v.ok) assert.ok(namesField(v.errors, path), `${what} at ${formatPath(path)}: the errors do not name it: ${v.errors.slice(0, 5).join('; ')}`);
}

test('the limits agree with the pipeline: orders, and the coefficients a report holds', () => {
  assert.equal(REPORT_LIMITS.order, SETTING_LIMITS.order.max);
  assert.equal(REPORT_LIMITS.terms, MAX_REPORT_COEFFICIENTS);
});

test('every field class of real reports, given a value of another type (NaN and Infinity for numbers), is refused at its path', () => {
  for (const [name, report] of Object.entries(REPORTS)) {
    const classes = oneOfEachClass(checkedFields(report));
    assert.ok(classes.length > (name === 'example' ? 120 : 60), `${name}: ${classes.length} field classes`);
    for (const f of classes) {
      for (const bad of wrongFor(f)) assertRefused(withValue(report, f.path, bad), f.path, `${name}: ${JSON.stringify(bad) ?? String(bad)} for ${fieldClass(f.path)}`);
    }
  }
});

test('random fields of real reports, given random values of another type, are refused at their path (property)', () => {
  for (const report of Object.values(REPORTS)) {
    const all = checkedFields(report);
    const byClass = new Map<string, Field[]>();
    for (const f of all) byClass.set(fieldClass(f.path), [...(byClass.get(fieldClass(f.path)) ?? []), f]);
    const classes = [...byClass.values()];
    fc.assert(
      fc.property(fc.nat(classes.length - 1), fc.nat(), fc.nat(), (c, m, w) => {
        const members = classes[c];
        const f = members[m % members.length];
        const bad = wrongFor(f);
        assertRefused(withValue(report, f.path, bad[w % bad.length]), f.path, `${String(bad[w % bad.length])}`);
      }),
      { seed: SEED, numRuns: 400 },
    );
  }
});

test('huge arrays and strings are refused at their path before they are walked', () => {
  const report = REPORTS.example;
  const arrays = oneOfEachClass(fields(report)).filter((f) => Array.isArray(f.value) && formatPath(f.path) !== 'input.skippedRows');
  assert.ok(arrays.length > 30);
  for (const f of arrays) {
    // Numbers, not copies of the entries: the count alone must refuse it (an object per entry would only slow the test).
    const huge = new Array<unknown>(REPORT_LIMITS.terms + 1).fill(0);
    assertRefused(withValue(report, f.path, huge), f.path, `${huge.length} entries`);
  }
  const strings = oneOfEachClass(fields(report)).filter((f) => typeof f.value === 'string');
  for (const f of strings) assertRefused(withValue(report, f.path, 'x'.repeat(REPORT_LIMITS.string + 1)), f.path, 'a long string');
  const columns = new Array<string>(REPORT_LIMITS.columns + 1).fill('c').map((c, i) => `${c}${i}`);
  assertRefused(withValue(report, ['input', 'columns'], columns), ['input', 'columns'], 'too many columns');
});

test('dimension mismatches between the columns, the standardization, the expansion points and the monomials are refused', () => {
  const report = REPORTS.example as { input: { columns: string[] } };
  const d = report.input.columns.length;
  const cases: [(string | number)[], unknown][] = [
    [['model', 'standardization', 'mean'], new Array<number>(d - 1).fill(0)],
    [['model', 'standardization', 'std'], new Array<number>(d + 1).fill(1)],
    [['model', 'standardization', 'std', 0], 0],
    [['model', 'standardization', 'std', 1], -1],
    [['action', 'expansionPoint'], new Array<number>(d + 2).fill(0)],
    [['theory', 'expansionPoint'], [0]],
    [['actionStandardized', 'expansionPoint'], []],
    [['input', 'sourceColumns'], [0]],
    [['action', 'terms', 3, 'monomial'], [0, d]],
    [['action', 'terms', 3, 'monomial'], [0, 0, 0, 0, 0]],
    [['action', 'order'], 13],
    [['theory', 'terms', 0, 'monomial'], [0, 1, 2, 3, 0, 1, 2]],
    [['layers', 2, 'diagrams', 0, 'entries', 0, 'monomial'], [d + 5]],
    [['cumulants', 'comparisons', 0, 'orders', 1, 'entries', 0, 'index'], [0, 99]],
  ];
  for (const [path, value] of cases) assertRefused(withValue(report, path, value), path, JSON.stringify(value).slice(0, 40));
  // Fewer columns than the rest of the report describes: refused where the rest no longer fits.
  const fewer = withValue(report, ['input', 'columns'], report.input.columns.slice(0, d - 1));
  const v = validateReport(fewer);
  assert.ok(!v.ok && v.errors.some((e) => e.startsWith('model.standardization.mean')), v.ok ? '' : v.errors.join('; '));
});

test('__proto__, constructor and prototype keys anywhere are refused, and nothing is polluted (property)', () => {
  const report = REPORTS.example;
  const objects = fields(report).filter((f) => typeof f.value === 'object' && f.value !== null && !Array.isArray(f.value));
  fc.assert(
    fc.property(fc.nat(objects.length), fc.constantFrom('__proto__', 'constructor', 'prototype'), (i, key) => {
      const copy = clone(report) as Record<string, unknown>;
      const target = (i === objects.length ? copy : objects[i].path.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], copy)) as object;
      // An own property of that name, as JSON.parse makes it (an assignment would set the prototype instead).
      Object.defineProperty(target, key, { value: { polluted: true, toString: 'x' }, enumerable: true, configurable: true, writable: true });
      const path = i === objects.length ? [key] : [...objects[i].path, key];
      assertRefused(copy, path, `the key ${key}`);
      assert.equal(prototypeKeys(), protoBefore);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }),
    { seed: SEED, numRuns: 200 },
  );
  // The same through the text, as a hostile file would bring it.
  const text = JSON.stringify(report).replace('"input":{', '"input":{"__proto__":{"polluted":true},');
  const v = parseReportText(text);
  assert.ok(!v.ok && v.errors[0].startsWith('input.__proto__: '), v.ok ? '' : v.errors[0]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const deep = JSON.stringify(report).replace('"warnings":[]', `"warnings":[],"extra":${'['.repeat(200)}${']'.repeat(200)}`);
  const dv = parseReportText(deep);
  assert.ok(!dv.ok && /nested deeper than 64 levels/.test(dv.errors[0]), dv.ok ? '' : dv.errors[0]);
});

test('a report\'s text truncated at every length class is refused with its line and column, never thrown', () => {
  for (const report of Object.values(REPORTS)) {
    const text = JSON.stringify(report, null, 1);
    const lengths = new Set<number>([0, 1, 2, 3, 10, 100, 1000, text.length - 1, text.length - 2, text.length - 10, Math.floor(text.length / 2)]);
    for (let k = 1; k < text.length; k *= 3) lengths.add(k);
    const check = (n: number): void => {
      const cut = text.slice(0, n);
      let v: ReturnType<typeof parseReportText>;
      try {
        v = parseReportText(cut);
      } catch (e) {
        assert.fail(`truncated at ${n}: threw ${String(e)}`);
      }
      assert.equal(v.ok, false, `truncated at ${n} of ${text.length} was accepted`);
      if (!v.ok) assert.match(v.errors[0], /^line \d+, column \d+: (the file is empty|not valid JSON: )/, `truncated at ${n}: ${v.errors[0]}`);
    };
    for (const n of lengths) check(n);
    fc.assert(fc.property(fc.nat(text.length - 1), check), { seed: SEED, numRuns: 150 });
    assert.ok(parseReportText(text).ok);
  }
});

test('garbage, other JSON values and a report inside something else are refused without throwing (property)', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.jsonValue().map((j) => JSON.stringify(j))), (text) => {
      const v = parseReportText(text);
      assert.equal(v.ok, false);
    }),
    { seed: SEED, numRuns: 300 },
  );
  assert.deepEqual(validateReport([REPORTS.sample]), { ok: false, errors: ['report: expected an object'] });
});

test('the real reports still validate, and the prototypes are as they were', () => {
  for (const report of Object.values(REPORTS)) {
    const v = validateReport(clone(report));
    assert.ok(v.ok, v.ok ? '' : v.errors.join('\n'));
  }
  assert.equal(prototypeKeys(), protoBefore);
});
