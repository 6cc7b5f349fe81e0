/**
 * Action Lens, the VS Code face: commands (Learn Action, Run Experiment, Open Report), the report
 * panel and its serializer, the hover on CSV headers. Training runs in a worker thread.
 * `activate` returns a small API (used by the in-host tests; also usable by other extensions).
 */

import * as vscode from 'vscode';
import { dirname, resolve } from 'node:path';
import type { Report } from '../core/report/schema';
import type { ExportFormat } from '../panel/messages';
import { exportReport } from './exporters';
import { CsvHeaderHoverProvider, SHOW_COLUMN_COMMAND } from './hover';
import { disposeLog, log, showError } from './log';
import type { PanelStatus } from './panel';
import { PanelManager } from './panelManager';
import { readReport, ReportIndex } from './reports';
import { configOutputFolder, Runs, type ActiveRun, type RunOutcome, type RunOptions, type RunProgressEvent } from './runs';

export interface ActionLensApi {
  learn(uri: vscode.Uri, options?: RunOptions): Promise<RunOutcome>;
  runExperiment(id: string, quick: boolean, options?: RunOptions): Promise<RunOutcome>;
  openReport(reportPath: string): Promise<void>;
  exportReport(reportPath: string, format: ExportFormat, target: string): Promise<string | undefined>;
  activeRuns(): ActiveRun[];
  cancelAll(): number;
  onDidProgress: vscode.Event<RunProgressEvent>;
  panel(reportPath: string): PanelStatus | undefined;
  panels(): PanelStatus[];
}

export const CSV_SELECTOR: vscode.DocumentSelector = [
  { language: 'csv', scheme: 'file' },
  { pattern: '**/*.{csv,tsv,CSV,TSV}', scheme: 'file' },
];

function isUri(x: unknown): x is vscode.Uri {
  return x instanceof vscode.Uri;
}

/** Command arguments: (uri?, options?) from menus, the palette or executeCommand. */
function learnArgs(args: unknown[]): { uri?: vscode.Uri; options: RunOptions } {
  const [a, b] = args;
  const uri = isUri(a) ? a : undefined;
  // From the explorer the second argument is the list of selected URIs, not options.
  const raw = !isUri(a) && typeof a === 'object' && a !== null && !Array.isArray(a) ? a : typeof b === 'object' && b !== null && !Array.isArray(b) ? b : undefined;
  const o = (raw ?? {}) as Record<string, unknown>;
  return { uri, options: { overrides: o.settings, noPanel: o.noPanel === true } };
}

function guard<T>(label: string, fn: (...args: unknown[]) => Promise<T>): (...args: unknown[]) => Promise<T | undefined> {
  return async (...args: unknown[]) => {
    try {
      return await fn(...args);
    } catch (e) {
      // Not awaited: the notification stays until the user closes it; the command returns now.
      void showError(`${label}: ${e instanceof Error ? e.message : String(e)}`, e instanceof Error ? e.stack : undefined);
      return undefined;
    }
  };
}

export function activate(context: vscode.ExtensionContext): ActionLensApi {
  const index = new ReportIndex();
  const panels = new PanelManager(context);
  const runs = new Runs(context, index, panels);
  const mediaFolder = vscode.Uri.joinPath(context.extensionUri, 'media').fsPath;

  const openReport = async (reportPath: string, report?: Report, focusColumn?: number): Promise<void> => {
    const r = report ?? (await readReport(reportPath));
    if (!r.experiment) index.remember(resolve(dirname(reportPath), r.input.path), reportPath);
    await panels.show(reportPath, r, { focusColumn });
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(
      'actionLens.learnAction',
      guard('Learn Action', async (...args) => {
        const { uri, options } = learnArgs(args);
        return runs.learn(uri, options);
      }),
    ),
    vscode.commands.registerCommand(
      'actionLens.learnActionWithSettings',
      guard('Learn Action', async (...args) => {
        const { uri, options } = learnArgs(args);
        return runs.learn(uri, { ...options, choose: true });
      }),
    ),
    vscode.commands.registerCommand(
      'actionLens.runExperiment',
      guard('Run Experiment', async (...args) => {
        const [id, quick] = args;
        return runs.experiment(typeof id === 'string' ? id : undefined, typeof quick === 'boolean' ? quick : undefined);
      }),
    ),
    vscode.commands.registerCommand(
      'actionLens.openReport',
      guard('Open Report', async (...args) => {
        let uri = isUri(args[0]) ? args[0] : typeof args[0] === 'string' ? vscode.Uri.file(args[0]) : undefined;
        if (!uri) {
          const picked = await vscode.window.showOpenDialog({
            canSelectMany: false,
            filters: { 'Action Lens report': ['json'] },
            title: 'Action Lens: Open Report',
            defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
          });
          uri = picked?.[0];
        }
        if (!uri) return undefined;
        if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a file on disk`);
        await openReport(uri.fsPath);
        return uri.fsPath;
      }),
    ),
    vscode.commands.registerCommand(
      'actionLens.cancelRuns',
      guard('Cancel', async () => runs.cancelAll()),
    ),
    vscode.commands.registerCommand(
      SHOW_COLUMN_COMMAND,
      guard('Show column', async (...args) => {
        // From the hover's command link: [reportPath, column], both checked (the link is ours, the values came through a URI).
        const [reportPath, column] = args;
        if (typeof reportPath !== 'string' || !(typeof column === 'number' && Number.isInteger(column) && column >= 0)) return undefined;
        await openReport(reportPath, undefined, column);
        return reportPath;
      }),
    ),
    vscode.languages.registerHoverProvider(CSV_SELECTOR, new CsvHeaderHoverProvider(index, configOutputFolder)),
    { dispose: disposeLog },
  );
  log().info(`Action Lens activated (${context.extension.packageJSON.version as string})`);

  return {
    learn: (uri, options) => runs.learn(uri, options),
    runExperiment: (id, quick, options) => runs.experiment(id, quick, options),
    openReport: (reportPath) => openReport(reportPath),
    exportReport: async (reportPath, format, target) => exportReport(await readReport(reportPath), reportPath, format, mediaFolder, { target }),
    activeRuns: () => runs.activeRuns(),
    cancelAll: () => runs.cancelAll(),
    onDidProgress: runs.onDidProgress,
    panel: (reportPath) => panels.status(reportPath),
    panels: () => panels.all(),
  };
}

export function deactivate(): void {
  // Workers and panels are disposed through context.subscriptions.
}
