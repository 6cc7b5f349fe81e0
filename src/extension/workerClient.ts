/**
 * Runs one job in a worker thread and turns its messages into a promise (host side, no vscode).
 * Every way a worker can end is an outcome: a result, an error it reported (InputError with file,
 * line and column kept), an uncaught exception, an exit without a result, or a message that does
 * not parse. Nothing is swallowed.
 */

import { Worker } from 'node:worker_threads';
import type { Report } from '../core/report/schema';
import { parseFromWorker, type WorkerErrorInfo, type WorkerJob, type WorkerProgress } from './protocol';

export interface JobResult {
  report: Report;
  reportPath: string;
  modelPath?: string;
  dataFiles: string[];
}

/** An error from the worker, shown to the user as `message` (InputError: `file:line:column: what`). */
export class WorkerJobError extends Error {
  readonly info: WorkerErrorInfo;
  constructor(info: WorkerErrorInfo) {
    super(info.message);
    this.name = info.input ? 'InputError' : 'WorkerJobError';
    this.info = info;
  }
}

export interface JobHooks {
  onProgress?: (p: WorkerProgress) => void;
  onPhase?: (phase: string) => void;
}

export class WorkerJobRun {
  readonly result: Promise<JobResult>;
  private readonly worker: Worker;
  private cancelled = false;
  /** Set to 1 by cancel(); the worker reads it whenever the run checks its signal. */
  private readonly cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  private finished = false;

  constructor(workerScript: string, job: WorkerJob, hooks: JobHooks = {}) {
    // The cancel message waits for the worker's event loop, which a long synchronous step (the
    // extraction, the cumulants) holds; the shared flag is seen the next time the run looks.
    this.worker = new Worker(workerScript, { workerData: { ...job, cancelFlag: this.cancelFlag.buffer }, stdout: false, stderr: false });
    this.result = new Promise<JobResult>((resolve, reject) => {
      const fail = (info: WorkerErrorInfo): void => {
        if (this.finished) return;
        this.finished = true;
        reject(new WorkerJobError(info));
        void this.worker.terminate();
      };
      this.worker.on('message', (raw: unknown) => {
        const msg = parseFromWorker(raw);
        if (!msg) {
          fail({ name: 'WorkerProtocolError', message: 'the training worker sent a message that could not be read', input: false });
          return;
        }
        switch (msg.type) {
          case 'progress':
            hooks.onProgress?.(msg);
            break;
          case 'phase':
            hooks.onPhase?.(msg.phase);
            break;
          case 'error':
            fail(msg.error);
            break;
          case 'done':
            if (this.finished) return;
            this.finished = true;
            resolve({ report: msg.report, reportPath: msg.reportPath, modelPath: msg.modelPath, dataFiles: msg.dataFiles });
            break;
        }
      });
      this.worker.on('error', (err: Error) => {
        fail({ name: err.name, message: `the training worker crashed: ${err.message}`, stack: err.stack, input: false });
      });
      this.worker.on('messageerror', (err: Error) => {
        fail({ name: 'WorkerProtocolError', message: `a message from the training worker could not be decoded: ${err.message}`, input: false });
      });
      this.worker.on('exit', (code: number) => {
        fail({
          name: 'WorkerExit',
          message: this.cancelled && code === 1
            ? 'the training worker was stopped before it finished'
            : `the training worker stopped unexpectedly (exit code ${code}) before it finished`,
          input: false,
        });
      });
    });
  }

  /** Asks the worker to stop training; it finishes the report with the best model so far. */
  cancel(): void {
    if (this.finished || this.cancelled) return;
    this.cancelled = true;
    Atomics.store(this.cancelFlag, 0, 1);
    this.worker.postMessage({ type: 'cancel' });
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Stops the worker at once (extension deactivation); the result rejects. */
  async kill(): Promise<void> {
    this.cancelled = true;
    await this.worker.terminate();
  }
}
