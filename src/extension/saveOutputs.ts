/**
 * Writing a finished run's weights and report so that the trained model is never lost: each file
 * atomically (no partial file is left behind, src/core/util/atomic.ts), the weights first; when a
 * write fails (a full disk, a folder that is not writable, the folder deleted meanwhile) what could
 * not be written goes to a fallback folder (the system's temporary folder) and the error says where
 * everything is (README.md, "Bad input and faults"). No vscode: the worker runs it.
 */

import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { writeFileAtomic } from '../core/util/atomic';

export interface SaveTarget {
  csvPath: string;
  reportPath: string;
  modelPath: string;
}

export interface SaveDeps {
  /** Writes a whole file or nothing (writeFileAtomic; tests inject faults here). */
  write(path: string, data: string, protect: string[]): Promise<void>;
  mkdir(path: string): Promise<void>;
  /** Where what could not be written where asked goes. */
  fallbackDir: string;
}

export const DEFAULT_SAVE_DEPS: SaveDeps = {
  write: writeFileAtomic,
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  fallbackDir: tmpdir(),
};

/** A run whose outputs could not all be written where asked: the message says why and where they are. */
export class SaveError extends Error {
  constructor(
    message: string,
    readonly modelPath: string | undefined,
  ) {
    super(message);
    this.name = 'SaveError';
  }
}

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Writes the weights to target.modelPath, then the report (whose `model.weightsFile` names them) to
 * target.reportPath. Returns the paths written; throws a SaveError naming where the weights (and the
 * report) landed when something could not be written where asked.
 */
export async function saveLearnOutputs(
  target: SaveTarget,
  model: unknown,
  report: { model: { weightsFile?: string } },
  deps: SaveDeps = DEFAULT_SAVE_DEPS,
): Promise<{ reportPath: string; modelPath: string }> {
  const protect = [target.csvPath];
  const modelText = JSON.stringify(model);
  let modelPath = target.modelPath;
  let modelFault: string | undefined;
  try {
    await deps.mkdir(dirname(target.reportPath));
    await deps.write(target.modelPath, modelText, protect);
  } catch (e) {
    modelFault = why(e);
    modelPath = await fallback(deps, target.modelPath, modelText, protect);
  }
  report.model.weightsFile = modelPath === target.modelPath ? relative(dirname(target.reportPath), modelPath) || basename(modelPath) : modelPath;
  const reportText = JSON.stringify(report, null, 1);
  try {
    if (modelFault !== undefined) throw new Error(modelFault);
    await deps.write(target.reportPath, reportText, protect);
    return { reportPath: target.reportPath, modelPath };
  } catch (e) {
    const reportFault = why(e);
    const reportPath = await fallback(deps, target.reportPath, reportText, protect).catch(() => undefined);
    const weights = modelPath === '' ? 'the trained weights could not be written anywhere' : `the trained weights are in ${modelPath}`;
    const lead = modelFault !== undefined ? `the weights could not be written to ${target.modelPath} (${modelFault})` : `the report could not be written to ${target.reportPath} (${reportFault})`;
    const rest = reportPath ? `; the report was saved to ${reportPath}` : '; the report could not be saved anywhere';
    throw new SaveError(`${lead}; ${weights}${rest}`, modelPath || undefined);
  }
}

/** Writes a file into the fallback folder under a name of its own; '' when that fails too. */
async function fallback(deps: SaveDeps, path: string, text: string, protect: string[]): Promise<string> {
  const stamp = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const file = join(deps.fallbackDir, `action-lens-${stamp}-${basename(path)}`);
  try {
    await deps.write(file, text, protect);
    return file;
  } catch {
    return '';
  }
}
