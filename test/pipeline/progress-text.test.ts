// The words of a run's progress (src/core/pipeline/progress-text.ts), shared by the notification and the
// CLI: starts explained, progress only of its own phase, cancelling said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, isTrainingPhase, parseStartsPhase, phaseFraction, phaseText, progressCount, progressMessage, type ProgressNumbers } from '../../src/core/pipeline/progress-text';

const p = (over: Partial<ProgressNumbers> = {}): ProgressNumbers => ({ epoch: 3, step: 200, maxEpochs: 400, totalSteps: 1500, valNll: 1.234567, bestValNll: 1.2, ...over });

test('the phase strings of the comparison of starts are recognised, nothing else is', () => {
  assert.deepEqual(parseStartsPhase('start 1 of 3'), { index: 1, count: 3 });
  assert.deepEqual(parseStartsPhase('start 12 of 12'), { index: 12, count: 12 });
  for (const s of ['start 4 of 3', 'start 0 of 3', 'training', 'starting', 'start 1 of', 'a start 1 of 3']) assert.equal(parseStartsPhase(s), null, s);
  assert.ok(isTrainingPhase('training') && isTrainingPhase('start 2 of 3'));
  assert.ok(!isTrainingPhase('extracting the action') && !isTrainingPhase('starting'));
});

test('a start is explained in words, with the steps each start gets once its progress tells them', () => {
  assert.equal(phaseText('start 1 of 3'), 'comparing 3 starts (1 of 3; the best is then trained to convergence)');
  assert.equal(phaseText('start 2 of 3', p()), 'comparing 3 starts (2 of 3, 1,500 steps each; the best is then trained to convergence)');
  assert.equal(phaseText('start 1 of 3', p({ totalSteps: null })), 'comparing 3 starts (1 of 3; the best is then trained to convergence)');
  assert.equal(phaseText('cumulants', p()), 'cumulants');
  assert.equal(phaseText('training 2 of 3', p()), 'training the best 3 starts to convergence (2 of 3; the best is reported, the others measure how far the answer moves)');
  assert.equal(isTrainingPhase('training 2 of 3'), true);
  assert.equal(isTrainingPhase('training 4 of 3'), false);
});

test('the notification message: numbers only in training phases, after the explanation of a start', () => {
  assert.equal(progressMessage('start 1 of 3', p()), 'comparing 3 starts (1 of 3, 1,500 steps each; the best is then trained to convergence) · step 200/1,500 · validation NLL 1.2346 (best 1.2000)');
  // Early stopping: where training stands, its best step and where it stops unless it improves.
  const early = p({ totalSteps: null, step: 4200, maxSteps: 50000, bestStep: 3100, patience: 2000 });
  assert.equal(progressMessage('training', early), 'step 4,200 · best at 3,100, stops at 5,100 unless it improves (budget 50,000) · validation NLL 1.2346 (best 1.2000)');
  // An old worker without a step budget: epochs.
  assert.equal(progressMessage('training', p({ totalSteps: null, epoch: 12 })), 'epoch 12/400 · validation NLL 1.2346 (best 1.2000)');
  // Right after the phase change the caller has no progress of the new phase: the phase alone.
  assert.equal(progressMessage('training', undefined), 'training');
  assert.equal(progressMessage('standard errors', p()), 'standard errors');
  assert.equal(progressMessage('training', p(), true), 'cancelling: finishing the report with the best model so far · step 200/1,500 · validation NLL 1.2346 (best 1.2000)');
  assert.equal(progressMessage('diagrams', undefined, true), 'cancelling: finishing the report · diagrams');
});

test('counts and fractions: known for fixed steps and for a start, unknown (null) under early stopping', () => {
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(12), '12');
  assert.equal(progressCount(p({ step: 1500 })), 'step 1,500/1,500');
  // The stop step never exceeds the budget.
  assert.equal(progressCount(p({ totalSteps: null, step: 49000, maxSteps: 50000, bestStep: 49000, patience: 2000 })), 'step 49,000 · best at 49,000, stops at 50,000 unless it improves (budget 50,000)');
  // A start's patience is its budget: a plain count.
  assert.equal(progressCount(p({ totalSteps: null, step: 534, maxSteps: 1500, bestStep: 126, patience: 1500 })), 'step 534/1,500');
  assert.equal(phaseFraction('training', p({ step: 750 })), 0.5);
  assert.equal(phaseFraction('start 2 of 3', p({ totalSteps: null, step: 750, maxSteps: 1500, bestStep: 700, patience: 1500 })), 0.5);
  assert.equal(phaseFraction('training', p({ totalSteps: null, step: 750, maxSteps: 50000, bestStep: 700, patience: 2000 })), null);
  assert.equal(phaseFraction('training', p({ totalSteps: null, epoch: 100 })), 0.25);
  assert.equal(phaseFraction('saving', p()), null);
  assert.equal(phaseFraction('training', undefined), null);
});
