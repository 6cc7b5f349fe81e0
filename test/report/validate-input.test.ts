// The report's notes on the input's columns (input.omittedColumns, discreteColumns, dequantized;
// training.valBitsPerDim): accepted when well formed, refused with the path to the fault otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateReport } from '../../src/core/report/validate';

type Rec = Record<string, unknown>;
const sample = (): Rec => JSON.parse(readFileSync('test/fixtures/report.sample.json', 'utf8')) as Rec;
const input = (r: Rec): Rec => r.input as Rec;

test('a report with columns left out, discrete and dequantized is valid', () => {
  const r = sample();
  input(r).omittedColumns = [{ name: 'edge', sourceColumn: 4, value: 0, reason: 'constant: every row has the value 0' }];
  input(r).discreteColumns = [{ name: 'x0', sourceColumn: 0, levels: 5, width: 1 }];
  input(r).dequantized = [{ name: 'x0', sourceColumn: 0, width: 1 }];
  const v = validateReport(r);
  assert.ok(v.ok, v.ok ? '' : v.errors.join('\n'));
});

test('malformed column notes are refused with their path', () => {
  const cases: Array<[(r: Rec) => void, RegExp]> = [
    [(r) => (input(r).omittedColumns = 'edge'), /input\.omittedColumns/],
    [(r) => (input(r).omittedColumns = [{ name: 'edge', sourceColumn: -1, value: 0, reason: 'constant' }]), /input\.omittedColumns\[0\]\.sourceColumn/],
    [(r) => (input(r).omittedColumns = [{ name: 'edge', sourceColumn: 1, value: 0 }]), /input\.omittedColumns\[0\]\.reason/],
    [(r) => (input(r).discreteColumns = [{ name: 'a', sourceColumn: 0, levels: 2.5, width: 1 }]), /input\.discreteColumns\[0\]\.levels/],
    [(r) => (input(r).dequantized = [{ name: 'a', sourceColumn: 0, width: -1 }]), /input\.dequantized\[0\]\.width/],
    [(r) => (input(r).dequantized = [{ sourceColumn: 0, width: 1 }]), /input\.dequantized\[0\]\.name/],
    [(r) => ((r.training as Rec).valBitsPerDim = 'many'), /training\.valBitsPerDim/],
  ];
  for (const [spoil, expected] of cases) {
    const r = sample();
    spoil(r);
    const v = validateReport(r);
    assert.ok(!v.ok, `accepted: ${expected}`);
    assert.ok(v.errors.some((e) => expected.test(e)), `${expected} not in ${v.errors.join('; ')}`);
  }
});
