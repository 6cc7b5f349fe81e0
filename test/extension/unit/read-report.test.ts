// Open Report's reading of a report file (src/extension/reports.ts, readReport): a hostile,
// truncated, enormous or wrong file ends in a ReportReadError whose message says why (the path, the
// line and column of broken JSON, the field's path), never another exception (README.md, "Bad input
// and faults").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_LIMITS } from '../../../src/core/report/validate';
import { readReport, ReportReadError } from '../../../src/extension/reports';

const SAMPLE = readFileSync('test/fixtures/report.sample.json', 'utf8');

async function refusal(text: string | null, size?: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'al-read-report-'));
  const file = join(dir, 'r.report.json');
  writeFileSync(file, text ?? '');
  if (size !== undefined) truncateSync(file, size);
  const err = await readReport(file).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ReportReadError, `expected a ReportReadError, got ${String(err)}`);
  assert.ok(err.message.includes(file), err.message);
  return err.message;
}

test('the sample report reads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-read-report-'));
  writeFileSync(join(dir, 'r.json'), SAMPLE);
  const r = await readReport(join(dir, 'r.json'));
  assert.equal(r.input.columns.length, JSON.parse(SAMPLE).input.columns.length);
});

test('truncated, empty, too large, not JSON, hostile keys, wrong fields: each refused with why', async () => {
  assert.match(await refusal(SAMPLE.slice(0, SAMPLE.length / 2)), /:\d+:\d+: the report is not valid JSON/);
  assert.match(await refusal(''), /the report is empty/);
  assert.match(await refusal('', REPORT_LIMITS.fileBytes + 1), /more than the 512 MB this tool reads; refused without reading it/);
  assert.match(await refusal(SAMPLE.replace('"input": {', '"input": {"__proto__": {"x": 1},').replace('"input":{', '"input":{"__proto__":{"x":1},')), /input\.__proto__: the key "__proto__" is not allowed/);
  assert.equal(({} as Record<string, unknown>).x, undefined);
  const nan = JSON.parse(SAMPLE) as { action: { terms: { coefficient: unknown }[] } };
  nan.action.terms[0].coefficient = '1e999';
  assert.match(await refusal(JSON.stringify(nan)), /not an Action Lens report: action\.terms\[0\]\.coefficient: expected a number or null/);
  assert.match(await refusal(SAMPLE.replace(/"schemaVersion": *\d+/, '"schemaVersion": 1e999')), /schemaVersion: expected a finite number/);
});
