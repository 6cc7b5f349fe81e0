// The CLI's progress lines (src/cli/progress.ts) on a non-terminal stream: starts explained with the
// steps each gets, each phase's progress under its own phase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressReporter } from '../../src/cli/progress';
import type { TrainingProgress } from '../../src/core/train/trainer';

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  const out: string[] = [];
  const stream = { isTTY: false, write: (s: string) => out.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out.join('') };
}

// A start gets a budget of 1,500 steps (no fixed steps); the final training 50,000 with early stopping.
const progress = (step: number, maxSteps: number, patience: number | null): TrainingProgress => ({
  epoch: 1,
  step,
  totalSteps: null,
  maxSteps,
  maxEpochs: 400,
  trainNll: 1.5,
  valNll: 1.25,
  bestValNll: 1.25,
  bestStep: step,
  patience,
});

test('starts are explained, with the steps each start gets; the training phase starts with its own progress', () => {
  const { stream, text } = sink();
  const r = new ProgressReporter(stream);
  r.phase('start 1 of 2');
  r.update(progress(1500, 1500, 1500));
  r.phase('start 2 of 2');
  r.update(progress(1500, 1500, 1500));
  r.phase('training');
  r.update(progress(10, 50000, 2000));
  r.phase('cumulants');
  r.done();
  const lines = text().split('\n');
  assert.deepEqual(lines.filter((l) => l.startsWith('action-lens: ')), [
    'action-lens: comparing 2 starts (1 of 2, 1,500 steps each; the best is then trained to convergence)',
    'action-lens: comparing 2 starts (2 of 2, 1,500 steps each; the best is then trained to convergence)',
    'action-lens: training',
    'action-lens: cumulants',
  ]);
  const afterTraining = lines.slice(lines.indexOf('action-lens: training') + 1);
  assert.match(afterTraining[0], /^ {2}step 10 · best at 10, stops at 2,010 unless it improves \(budget 50,000\): train NLL 1\.5000, val NLL 1\.2500/);
  assert.ok(!afterTraining.slice(0, afterTraining.indexOf('action-lens: cumulants')).some((l) => l.includes('1,500')), 'no step count of the starts under training');
});

test('a start without progress is still announced; quiet prints nothing', () => {
  const { stream, text } = sink();
  const r = new ProgressReporter(stream);
  r.phase('start 1 of 3');
  r.phase('training');
  assert.equal(text(), 'action-lens: comparing 3 starts (1 of 3; the best is then trained to convergence)\naction-lens: training\n');
  const q = sink();
  const quiet = new ProgressReporter(q.stream, true);
  quiet.phase('start 1 of 3');
  quiet.update(progress(1, 10, 10));
  quiet.done();
  assert.equal(q.text(), '');
});
