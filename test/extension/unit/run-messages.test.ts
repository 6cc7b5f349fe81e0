// What a run tells the user (src/extension/runMessages.ts): the span "Go to Line" selects, and the
// notice after a cancel, which must follow the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowReport, Report, ReportTraining } from '../../../src/core/report/schema';
import { cancelNotice, errorSpan } from '../../../src/extension/runMessages';

/** A document of these lines, as errorSpan sees one. */
function doc(lines: string[]): { lineCount: number; lineLength: (i: number) => number } {
  return { lineCount: lines.length, lineLength: (i) => lines[i].length };
}

test('Go to Line selects exactly the cell: 1-based column and length to a 0-based span', () => {
  const d = doc(['a,b,c', '0.72950,1.12685,abc']);
  // bad.csv:2:17 "abc": the status bar then shows Col 17 (3 selected).
  const span = errorSpan({ line: 2, column: 17, length: 3 }, d);
  assert.deepEqual(span, { line: 1, start: 16, end: 19 });
  assert.equal('0.72950,1.12685,abc'.slice(span.start, span.end), 'abc');
  // A missing field at the end of a line: an empty selection there.
  assert.deepEqual(errorSpan({ line: 2, column: 20, length: 0 }, d), { line: 1, start: 19, end: 19 });
});

test('Go to Line falls back to the whole line without a column, and clamps to a document that changed', () => {
  const d = doc(['a,b,c', '1,2,3']);
  assert.deepEqual(errorSpan({ line: 2 }, d), { line: 1, start: 0, end: 5 });
  assert.deepEqual(errorSpan({ line: 9, column: 3, length: 1 }, d), { line: 1, start: 2, end: 3 });
  assert.deepEqual(errorSpan({ line: 1, column: 4, length: 50 }, d), { line: 0, start: 3, end: 5 });
  assert.deepEqual(errorSpan({ line: 1, column: 40, length: 2 }, d), { line: 0, start: 5, end: 5 });
  assert.deepEqual(errorSpan({ line: 0, column: 1 }, d), { line: 0, start: 0, end: 0 });
});

function report(training: Partial<ReportTraining>, warnings: string[] = []): Report {
  const r = JSON.parse(readFileSync(join(__dirname, '../../fixtures/report.sample.json'), 'utf8')) as FlowReport;
  return { ...r, training: { ...r.training, ...training }, warnings };
}

test('the cancel notice follows the report: a cancel that stopped the training says where, and what is kept', () => {
  const r = report({ stoppedBecause: 'cancelled', epochs: 37, bestEpoch: 31, valNll: 1.23456 }, ['Training was cancelled at epoch 37; the best model so far (epoch 31) is kept.']);
  assert.equal(cancelNotice(r, 'data.report.json'), 'training was cancelled at epoch 37; the best model so far (epoch 31, validation NLL 1.2346) is kept in data.report.json.');
  const starts = report({ stoppedBecause: 'cancelled', epochs: 0, bestEpoch: 0, valNll: 2.5 });
  assert.match(cancelNotice(starts, 'r.json'), /^training was cancelled while comparing starts; the best start so far \(validation NLL 2\.5000\), only briefly trained, is kept in r\.json\.$/);
});

test('a cancel after training had finished says so, why it stopped, the kept epoch and what was skipped (from the warnings)', () => {
  const r = report({ stoppedBecause: 'early-stopping', epochs: 4465, bestEpoch: 4165 }, [
    'The held-out NLL (1.2) is worse than a Gaussian fit\'s (1.1).',
    'Standard errors were skipped: the run was cancelled.',
  ]);
  const text = cancelNotice(r, 'data.report.json');
  assert.equal(text, 'cancelled after training had finished (early stopping, epoch 4165 kept); standard errors were skipped: the run was cancelled. The report is in data.report.json.');
  assert.ok(!text.includes('4465'), 'not the epoch the cancel arrived at');
  const steps = report({ stoppedBecause: 'steps', bestEpoch: 12 }, ['Standard errors were skipped: the run was cancelled', 'Cumulants were skipped: the run was cancelled.']);
  assert.equal(cancelNotice(steps, 'x.json'), 'cancelled after training had finished (its fixed number of steps done, epoch 12 kept); standard errors were skipped: the run was cancelled; cumulants were skipped: the run was cancelled. The report is in x.json.');
  const nothing = report({ stoppedBecause: 'max-epochs', bestEpoch: 400 });
  assert.match(cancelNotice(nothing, 'x.json'), /\(epoch limit reached, epoch 400 kept\); nothing was skipped\. /);
  // An acronym at the start of a warning keeps its case.
  const nll = report({ stoppedBecause: 'diverged', bestEpoch: 3 }, ['NLL history was cut: the run was cancelled']);
  assert.match(cancelNotice(nll, 'x.json'), /\(stopped after diverging, epoch 3 kept\); NLL history was cut/);
});
