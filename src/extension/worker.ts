/**
 * The training worker (bundled to dist/worker.js): runs `learn` or an experiment off the extension
 * host's main thread. Reads the CSV, trains, writes the weights and the report atomically (never over
 * the CSV) and posts progress, phases and the result. A {type:'cancel'} message aborts training; the
 * trainer then keeps the best model so far and the report says 'cancelled'.
 */

import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { readCsv } from '../core/data/csv';
import { findExperiment } from '../core/experiments';
import { learn } from '../core/pipeline/learn';
import type { TrainingProgress } from '../core/train/trainer';
import { writeFileAtomic } from '../core/util/atomic';
import { saveLearnOutputs } from './saveOutputs';
import { describeError, isCancelMessage, type FromWorker, type WorkerJob } from './protocol';

/** Progress messages per second at most (the last one before a phase change is always sent). */
const PROGRESS_INTERVAL_MS = 100;

const port = parentPort;
if (!port) throw new Error('worker.js must run in a worker thread');

const controller = new AbortController();
const shared = (workerData as { cancelFlag?: unknown }).cancelFlag;
const cancelFlag = shared instanceof SharedArrayBuffer ? new Int32Array(shared) : null;
/**
 * The run's signal: the controller's, which also aborts when the host's shared cancel flag is set and
 * the run looks at `aborted` (a cancel message cannot arrive while a synchronous step holds the loop).
 */
const signal: AbortSignal = new Proxy(controller.signal, {
  get(target, prop) {
    if (prop === 'aborted' && !target.aborted && cancelFlag && Atomics.load(cancelFlag, 0) === 1) controller.abort();
    const value: unknown = Reflect.get(target, prop, target);
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
  },
});
port.on('message', (m: unknown) => {
  if (isCancelMessage(m)) controller.abort();
});

function post(msg: FromWorker): void {
  port?.postMessage(msg);
}

let lastSent = 0;
let pending: TrainingProgress | null = null;
function flushProgress(): void {
  if (pending) {
    const p = pending;
    pending = null;
    lastSent = Date.now();
    post({
      type: 'progress',
      epoch: p.epoch,
      step: p.step,
      maxEpochs: p.maxEpochs,
      totalSteps: p.totalSteps,
      trainNll: p.trainNll,
      valNll: p.valNll,
      bestValNll: p.bestValNll,
      maxSteps: p.maxSteps,
      bestStep: p.bestStep,
      patience: p.patience,
    });
  }
}
function onProgress(p: TrainingProgress): void {
  pending = p;
  if (Date.now() - lastSent >= PROGRESS_INTERVAL_MS) flushProgress();
}
function onPhase(phase: string): void {
  flushProgress();
  post({ type: 'phase', phase });
}

async function runJob(job: WorkerJob): Promise<void> {
  if (job.kind === 'learn') {
    onPhase('reading the CSV');
    const table = await readCsv(job.csvPath, { columns: job.columns, skipInvalid: job.skipInvalid, signal });
    const { report, model } = await learn(table, job.settings, { signal, onProgress, onPhase });
    flushProgress();
    onPhase('saving');
    // The weights first, each file whole or not at all; what cannot be written lands in the
    // temporary folder and the error says where (the trained model is never lost).
    const saved = await saveLearnOutputs(job, model, report);
    post({ type: 'done', report, reportPath: saved.reportPath, modelPath: saved.modelPath, dataFiles: [] });
    return;
  }
  const experiment = findExperiment(job.id);
  const { report, data } = await experiment.run({ quick: job.quick, seed: job.seed, signal, onPhase, onProgress });
  flushProgress();
  onPhase('saving');
  await mkdir(job.outDir, { recursive: true });
  const dataFiles: string[] = [];
  for (const [name, text] of Object.entries(data)) {
    const file = join(job.outDir, basename(name));
    await writeFileAtomic(file, text);
    dataFiles.push(file);
  }
  const reportPath = join(job.outDir, 'report.json');
  await writeFileAtomic(reportPath, JSON.stringify(report, null, 1));
  post({ type: 'done', report, reportPath, dataFiles });
}

runJob(workerData as WorkerJob).then(
  () => port.close(),
  (err: unknown) => {
    post({ type: 'error', error: describeError(err) });
    port.close();
  },
);
