/**
 * Messages between the extension host and the training worker (dist/worker.js), and their checks.
 * Pure: no vscode, so the worker bundle and the unit tests use it too.
 */

import type { LearnSettings } from '../core/pipeline/learn';
import type { Report } from '../core/report/schema';

/** What the worker is asked to do (passed as `workerData`). */
export type WorkerJob =
  | {
      kind: 'learn';
      /** Absolute path of the CSV (only ever read). */
      csvPath: string;
      columns?: string[];
      skipInvalid?: boolean;
      settings: LearnSettings;
      /** Where the report and the weights go (both written atomically, never over the CSV). */
      reportPath: string;
      modelPath: string;
    }
  | {
      kind: 'experiment';
      id: string;
      quick: boolean;
      seed: number;
      /** Folder for report.json and the experiment's data files. */
      outDir: string;
    };

/** Host -> worker. */
export type ToWorker = { type: 'cancel' };

export interface WorkerProgress {
  type: 'progress';
  epoch: number;
  step: number;
  maxEpochs: number;
  totalSteps: number | null;
  trainNll: number;
  valNll: number;
  bestValNll: number;
  maxSteps: number;
  bestStep: number;
  patience: number | null;
}

export interface WorkerErrorInfo {
  name: string;
  message: string;
  file?: string;
  line?: number;
  /** 1-based character column where the fault starts (a CSV cell: where the cell starts). */
  column?: number;
  /** Characters of the fault on that line (a CSV cell's text), for selecting exactly it. */
  length?: number;
  stack?: string;
  /** True for an InputError (bad input: the message is for the user as is). */
  input: boolean;
}

/** Worker -> host. */
export type FromWorker =
  | { type: 'phase'; phase: string }
  | WorkerProgress
  | { type: 'done'; report: Report; reportPath: string; modelPath?: string; dataFiles: string[] }
  | { type: 'error'; error: WorkerErrorInfo };

type Rec = Record<string, unknown>;
const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number';
const isStr = (x: unknown): x is string => typeof x === 'string';

/** Checks a message from the worker (it is our own code, but a crash can leave anything). */
export function parseFromWorker(x: unknown): FromWorker | null {
  if (!isRecord(x)) return null;
  switch (x.type) {
    case 'phase':
      return isStr(x.phase) ? { type: 'phase', phase: x.phase } : null;
    case 'progress': {
      const { epoch, step, maxEpochs, totalSteps, trainNll, valNll, bestValNll, maxSteps, bestStep, patience } = x;
      if (!isNum(epoch) || !isNum(step) || !isNum(maxEpochs) || !isNum(trainNll) || !isNum(valNll) || !isNum(bestValNll)) return null;
      if (!isNum(maxSteps) || !isNum(bestStep)) return null;
      if (totalSteps !== null && !isNum(totalSteps)) return null;
      if (patience !== null && !isNum(patience)) return null;
      return { type: 'progress', epoch, step, maxEpochs, totalSteps, trainNll, valNll, bestValNll, maxSteps, bestStep, patience };
    }
    case 'done': {
      if (!isRecord(x.report) || !isStr(x.reportPath)) return null;
      if (x.modelPath !== undefined && !isStr(x.modelPath)) return null;
      const dataFiles = Array.isArray(x.dataFiles) ? x.dataFiles.filter(isStr) : [];
      return { type: 'done', report: x.report as unknown as Report, reportPath: x.reportPath, modelPath: x.modelPath, dataFiles };
    }
    case 'error': {
      const e = x.error;
      if (!isRecord(e) || !isStr(e.message)) return null;
      return {
        type: 'error',
        error: {
          name: isStr(e.name) ? e.name : 'Error',
          message: e.message,
          file: isStr(e.file) ? e.file : undefined,
          line: isNum(e.line) ? e.line : undefined,
          column: isNum(e.column) ? e.column : undefined,
          length: isNum(e.length) ? e.length : undefined,
          stack: isStr(e.stack) ? e.stack : undefined,
          input: e.input === true,
        },
      };
    }
    default:
      return null;
  }
}

export function isCancelMessage(x: unknown): x is ToWorker {
  return isRecord(x) && x.type === 'cancel';
}

/** Describes any thrown value for the host (keeps InputError's file, line, column and length). */
export function describeError(err: unknown): WorkerErrorInfo {
  if (err instanceof Error) {
    const e = err as Error & { file?: unknown; line?: unknown; column?: unknown; length?: unknown };
    return {
      name: err.name,
      message: err.message,
      file: isStr(e.file) ? e.file : undefined,
      line: isNum(e.line) ? e.line : undefined,
      column: isNum(e.column) ? e.column : undefined,
      length: isNum(e.length) ? e.length : undefined,
      stack: err.stack,
      input: err.name === 'InputError',
    };
  }
  return { name: 'Error', message: String(err), input: false };
}
