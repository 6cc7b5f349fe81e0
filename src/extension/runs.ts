/**
 * Learn Action and Run Experiment: a job in a worker thread (dist/worker.js) under a cancellable
 * progress notification that shows the epoch and the validation NLL. The result opens in the panel;
 * every error is shown (an InputError names file, line and column and offers to go there).
 */

import * as vscode from 'vscode';
import { isAbsolute, resolve } from 'node:path';
import type { Report } from '../core/report/schema';
import { EXPERIMENTS } from '../core/experiments';
import { log } from './log';
import { pickCsv } from './pickCsv';
import type { PanelManager } from './panelManager';
import type { WorkerJob, WorkerProgress } from './protocol';
import { phaseFraction, progressMessage } from '../core/pipeline/progress-text';
import type { ReportIndex } from './reports';
import { cancelNotice, errorSpan } from './runMessages';
import { checkOverrides, outputPaths, outputFolderFor, overridesFromConfig, resolveLearn, type LearnOverrides } from './settings';
import { chooseSettings } from './settingsPick';
import { WorkerJobError, WorkerJobRun } from './workerClient';

export interface RunError {
  message: string;
  file?: string;
  line?: number;
  /** 1-based character column and length of the fault on the line (a CSV cell). */
  column?: number;
  length?: number;
  input: boolean;
}

export type RunOutcome =
  | { ok: true; reportPath: string; modelPath?: string; report: Report; cancelled: boolean }
  | { ok: false; error: RunError; cancelled: boolean }
  | { ok: false; dismissed: true };

export interface ActiveRun {
  id: number;
  label: string;
  /** The CSV (learn) or the experiment id. */
  target: string;
  cancel(): void;
}

export interface RunProgressEvent {
  runId: number;
  label: string;
  progress?: WorkerProgress;
  phase?: string;
}

export interface RunOptions {
  /** Pick settings in quick picks before starting. */
  choose?: boolean;
  /** Programmatic overrides (command arguments, tests). */
  overrides?: unknown;
  /** Do not open the panel (tests that only need the files). */
  noPanel?: boolean;
}

function configOutputFolder(uri: vscode.Uri | undefined): { folder: string; base: string | undefined } {
  const cfg = vscode.workspace.getConfiguration('actionLens', uri);
  const folder = cfg.get<unknown>('outputFolder');
  const wf = uri ? vscode.workspace.getWorkspaceFolder(uri) : vscode.workspace.workspaceFolders?.[0];
  return { folder: typeof folder === 'string' ? folder : '', base: wf?.uri.scheme === 'file' ? wf.uri.fsPath : undefined };
}

export { configOutputFolder };

export class Runs {
  private readonly active = new Map<number, ActiveRun & { job: WorkerJobRun; work: WorkerJob }>();
  private nextId = 1;
  private readonly progressEmitter = new vscode.EventEmitter<RunProgressEvent>();
  readonly onDidProgress = this.progressEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly index: ReportIndex,
    private readonly panels: PanelManager,
  ) {
    context.subscriptions.push(this.progressEmitter, { dispose: () => this.killAll() });
  }

  private get workerScript(): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'worker.js').fsPath;
  }

  activeRuns(): ActiveRun[] {
    return [...this.active.values()].map(({ id, label, target, cancel }) => ({ id, label, target, cancel }));
  }

  cancelAll(): number {
    const runs = [...this.active.values()];
    for (const r of runs) r.cancel();
    return runs.length;
  }

  private killAll(): void {
    for (const r of this.active.values()) void r.job.kill();
    this.active.clear();
  }

  /** "Learn Action" on a CSV. */
  async learn(uri: vscode.Uri | undefined, options: RunOptions = {}): Promise<RunOutcome> {
    const csv = uri ?? (await pickCsv());
    if (!csv) return { ok: false, dismissed: true };
    if (csv.scheme !== 'file') {
      return this.fail({ message: `Learn Action works on files on disk; ${csv.toString()} is not one`, input: true }, false);
    }
    const csvPath = csv.fsPath;
    const cfg = vscode.workspace.getConfiguration('actionLens', csv);
    const fromConfig = overridesFromConfig((k) => cfg.get<unknown>(k));
    const fromArgs = checkOverrides(options.overrides, 'argument ');
    const errors = [...fromConfig.errors, ...fromArgs.errors];
    if (errors.length > 0) return this.fail({ message: `invalid settings: ${errors.join('; ')}`, input: true }, false);
    let overrides: LearnOverrides = { ...fromConfig.overrides, ...fromArgs.overrides };
    if (options.choose) {
      const chosen = await chooseSettings(csvPath, overrides);
      if (!chosen) return { ok: false, dismissed: true };
      overrides = chosen;
    }
    const resolved = resolveLearn(overrides);
    const { folder, base } = configOutputFolder(csv);
    const { reportPath, modelPath } = outputPaths(csvPath, folder, base);
    if (resolve(reportPath) === resolve(csvPath) || resolve(modelPath) === resolve(csvPath)) {
      return this.fail({ message: 'the report would overwrite the CSV; choose another actionLens.outputFolder', file: csvPath, input: true }, false);
    }
    // One run per CSV, and one writer per output file: two CSVs of the same name sent to one
    // actionLens.outputFolder would otherwise write over each other's report.
    const outputs = [resolve(reportPath), resolve(modelPath)];
    const busy = [...this.active.values()].find((r) => r.target === resolve(csvPath) || (r.work.kind === 'learn' && outputs.includes(resolve(r.work.reportPath))));
    if (busy) {
      void vscode.window.showInformationMessage(`Action Lens: ${busy.label} is already running; cancel it first.`);
      return { ok: false, dismissed: true };
    }
    const job: WorkerJob = {
      kind: 'learn',
      csvPath: resolve(csvPath),
      columns: resolved.columns,
      skipInvalid: resolved.skipInvalid,
      settings: resolved.settings,
      reportPath,
      modelPath,
    };
    const name = vscode.workspace.asRelativePath(csv, false);
    if (vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'file' && resolve(d.uri.fsPath) === resolve(csvPath) && d.isDirty)) {
      void vscode.window.showWarningMessage(`Action Lens: ${name} has unsaved changes; learning from the file as saved on disk.`);
    }
    log().info(`learning ${csvPath} -> ${reportPath} with ${JSON.stringify(resolved.settings)}${resolved.columns ? ` columns ${resolved.columns.join(',')}` : ''}`);
    const outcome = await this.run(job, `Learning the action of ${name}`, resolve(csvPath), options);
    if (outcome.ok) this.index.remember(csvPath, outcome.reportPath);
    return outcome;
  }

  /** "Run Experiment…": id and quick/full from quick picks unless given. */
  async experiment(id: string | undefined, quick: boolean | undefined, options: RunOptions = {}): Promise<RunOutcome> {
    let expId = id;
    if (expId === undefined) {
      const picked = await vscode.window.showQuickPick(
        EXPERIMENTS.map((e) => ({ label: e.title, description: e.id, detail: e.description, id: e.id })),
        { title: 'Action Lens: Run Experiment', placeHolder: 'Which of the paper\'s experiments?' },
      );
      if (!picked) return { ok: false, dismissed: true };
      expId = picked.id;
    }
    if (!EXPERIMENTS.some((e) => e.id === expId)) {
      return this.fail({ message: `unknown experiment "${expId}"; choose one of ${EXPERIMENTS.map((e) => e.id).join(', ')}`, input: true }, false);
    }
    let isQuick = quick;
    if (isQuick === undefined) {
      const size = await vscode.window.showQuickPick(
        [
          { label: 'Quick', description: 'seconds: fewer rows and epochs', quick: true },
          { label: 'Full', description: 'minutes: the paper\'s sizes', quick: false },
        ],
        { title: `Action Lens: Run Experiment ${expId}`, placeHolder: 'Quick or full?' },
      );
      if (!size) return { ok: false, dismissed: true };
      isQuick = size.quick;
    }
    const { folder, base } = configOutputFolder(undefined);
    const sub = `${expId}${isQuick ? '-quick' : ''}`;
    // <outputFolder>/<id>[-quick] when set, else experiments/ in the workspace, else the extension's storage.
    const storage = vscode.Uri.joinPath(this.context.globalStorageUri, 'experiments').fsPath;
    const root =
      folder.trim() !== '' && (base !== undefined || isAbsolute(folder.trim()))
        ? outputFolderFor(resolve(base ?? storage, 'experiment.csv'), folder, base)
        : base !== undefined
          ? resolve(base, 'experiments')
          : storage;
    const outDir = resolve(root, sub);
    const cfg = vscode.workspace.getConfiguration('actionLens');
    const seedRaw = cfg.get<unknown>('seed');
    // Checked like a learn run's seed (SETTING_LIMITS); a bad value falls back to 1.
    const seed = checkOverrides({ seed: seedRaw }).overrides.seed ?? 1;
    const job: WorkerJob = { kind: 'experiment', id: expId, quick: isQuick, seed, outDir };
    log().info(`experiment ${expId} (${isQuick ? 'quick' : 'full'}) -> ${outDir}`);
    return this.run(job, `Experiment ${expId} (${isQuick ? 'quick' : 'full'})`, `experiment:${sub}`, options);
  }

  private async run(job: WorkerJob, label: string, target: string, options: RunOptions): Promise<RunOutcome> {
    const id = this.nextId++;
    let last: WorkerProgress | undefined;
    let phase = 'starting';
    const outcome = await vscode.window.withProgress<RunOutcome>(
      { location: vscode.ProgressLocation.Notification, title: `Action Lens: ${label}`, cancellable: true },
      async (progress, token) => {
        let shownPercent = 0;
        let lastReport = 0;
        const show = (force = false): void => {
          const now = Date.now();
          if (!force && now - lastReport < 150) return;
          lastReport = now;
          let increment: number | undefined;
          // The bar measures the final training only, and only where its length is known (--steps).
          const fraction = phase === 'training' ? phaseFraction(phase, last) : null;
          if (fraction !== null && fraction * 100 > shownPercent) {
            increment = fraction * 100 - shownPercent;
            shownPercent = fraction * 100;
          }
          progress.report({ message: progressMessage(phase, last, jobRun.isCancelled), increment });
        };
        const jobRun = new WorkerJobRun(this.workerScript, job, {
          onProgress: (p) => {
            last = p;
            this.progressEmitter.fire({ runId: id, label, progress: p });
            show();
          },
          onPhase: (p) => {
            phase = p;
            // Progress belongs to its phase: the last numbers of the comparison of starts must not show under 'training'.
            last = undefined;
            this.progressEmitter.fire({ runId: id, label, phase: p });
            show(true);
          },
        });
        const entry = { id, label, target, job: jobRun, work: job, cancel: () => { jobRun.cancel(); show(true); } };
        this.active.set(id, entry);
        const sub = token.onCancellationRequested(() => entry.cancel());
        try {
          const res = await jobRun.result;
          const cancelled = res.report.training?.stoppedBecause === 'cancelled' || jobRun.isCancelled;
          return { ok: true, reportPath: res.reportPath, modelPath: res.modelPath, report: res.report, cancelled };
        } catch (e) {
          const info = e instanceof WorkerJobError ? e.info : { message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined, input: false };
          if (!(e instanceof WorkerJobError) || !e.info.input) log().error(`${label}: ${info.message}${info.stack ? `\n${info.stack}` : ''}`);
          const { message, file, line, column, length, input } = { file: undefined, line: undefined, column: undefined, length: undefined, ...info };
          return { ok: false, error: { message, file, line, column, length, input }, cancelled: jobRun.isCancelled };
        } finally {
          sub.dispose();
          this.active.delete(id);
        }
      },
    );
    if (!outcome.ok) {
      if ('error' in outcome) void this.showRunError(outcome.error);
      return outcome;
    }
    log().info(`${label}: wrote ${outcome.reportPath}${outcome.modelPath ? ` and ${outcome.modelPath}` : ''} (${outcome.report.training?.stoppedBecause ?? outcome.report.model.estimator})`);
    if (!options.noPanel) {
      try {
        await this.panels.show(outcome.reportPath, outcome.report);
      } catch (e) {
        void this.showRunError({ message: `the report was written to ${outcome.reportPath} but could not be shown: ${e instanceof Error ? e.message : String(e)}`, input: false });
      }
    }
    if (outcome.cancelled) {
      void vscode.window.showInformationMessage(`Action Lens: ${cancelNotice(outcome.report, vscode.workspace.asRelativePath(outcome.reportPath, false))}`);
    }
    return outcome;
  }

  private fail(error: RunError, cancelled: boolean): RunOutcome {
    void this.showRunError(error);
    return { ok: false, error, cancelled };
  }

  private async showRunError(error: RunError): Promise<void> {
    const actions: string[] = [];
    if (error.file !== undefined && error.line !== undefined) actions.push('Go to Line');
    actions.push('Show Log');
    log().error(error.message);
    const choice = await vscode.window.showErrorMessage(`Action Lens: ${error.message}`, ...actions);
    if (choice === 'Show Log') log().show(true);
    if (choice === 'Go to Line' && error.file !== undefined && error.line !== undefined) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(error.file));
      const editor = await vscode.window.showTextDocument(doc);
      // The cell itself when the error has a column (CSV errors do), else the whole line. The cursor
      // (the selection's active end) goes to the cell's start, so the status bar shows the message's column.
      const span = errorSpan({ line: error.line, column: error.column, length: error.length }, { lineCount: doc.lineCount, lineLength: (i) => doc.lineAt(i).text.length });
      const range = new vscode.Range(span.line, span.start, span.line, span.end);
      editor.selection = new vscode.Selection(range.end, range.start);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
    }
  }
}
