/**
 * The report panels of this window (as VS Code's markdown preview manager keeps its previews): one
 * panel per report file, found again by its path; the WebviewPanelSerializer that revives panels
 * after a reload, re-reading the report from disk; and the bookkeeping revival needs (the report
 * file behind each report shown). Each panel owns its own webview's lifecycle (panel.ts).
 */

import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { layerKindNames } from '../core/flow/kinds';
import type { Report } from '../core/report/schema';
import { validateReport } from '../core/report/validate';
import { log } from './log';
import { PANEL_VIEW_TYPE, ReportPanel, type PanelStatus } from './panel';
import { readReport } from './reports';

const REVIVE_KEY = 'actionLens.panelReports';
const REVIVE_LIMIT = 100;

/** A report's identity across reloads: the webview keeps the report in its state, we keep its path. */
function identity(report: Report): string {
  return `${report.input.sha256}|${report.createdAt}|${report.input.path}`;
}

export class PanelManager implements vscode.Disposable {
  private readonly panels = new Map<string, ReportPanel>();

  constructor(private readonly context: vscode.ExtensionContext) {
    context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, new ReportPanelSerializer(this)), this);
  }

  /** Shows the panel of this report (creating it beside the active editor), with the report (re)loaded. */
  async show(reportPath: string, report?: Report, options: { focusColumn?: number; preserveFocus?: boolean } = {}): Promise<ReportPanel> {
    const key = resolve(reportPath);
    const loaded = report ?? (await readReport(key));
    const preserveFocus = options.preserveFocus ?? false;
    let panel = this.panels.get(key);
    if (panel) panel.update(loaded, preserveFocus);
    else panel = this.add(ReportPanel.create(this.context, key, loaded, preserveFocus));
    await this.rememberForRevival(panel);
    if (options.focusColumn !== undefined) panel.focusColumn(options.focusColumn);
    return panel;
  }

  /** Revives a panel after a reload: the webview's state names the report; the file is read again. */
  async revive(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = typeof state === 'object' && state !== null ? (state as { report?: unknown }).report : undefined;
    const v = saved === undefined ? null : validateReport(saved, { layerKinds: layerKindNames() });
    if (!v || !v.ok) {
      webviewPanel.dispose();
      return;
    }
    const reportPath = this.context.workspaceState.get<Record<string, string>>(REVIVE_KEY)?.[identity(v.report)];
    let report = v.report;
    if (reportPath && existsSync(reportPath)) {
      try {
        report = await readReport(reportPath);
      } catch (e) {
        log().warn(`revived panel: ${e instanceof Error ? e.message : String(e)}; showing the saved copy`);
      }
    }
    const key = resolve(reportPath ?? `${report.input.path}.report.json`);
    this.panels.get(key)?.dispose();
    this.add(ReportPanel.revive(webviewPanel, this.context, key, report));
  }

  status(reportPath: string): PanelStatus | undefined {
    return this.panels.get(resolve(reportPath))?.status;
  }

  all(): PanelStatus[] {
    return [...this.panels.values()].map((p) => p.status);
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
  }

  private add(panel: ReportPanel): ReportPanel {
    this.panels.set(panel.reportPath, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(panel.reportPath) === panel) this.panels.delete(panel.reportPath);
    });
    return panel;
  }

  private async rememberForRevival(panel: ReportPanel): Promise<void> {
    const state = this.context.workspaceState;
    const map = { ...(state.get<Record<string, string>>(REVIVE_KEY) ?? {}) };
    const id = identity(panel.report);
    delete map[id];
    map[id] = panel.reportPath;
    const keys = Object.keys(map);
    for (const k of keys.slice(0, Math.max(0, keys.length - REVIVE_LIMIT))) delete map[k];
    await state.update(REVIVE_KEY, map);
  }
}

class ReportPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly manager: PanelManager) {}

  deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    return this.manager.revive(webviewPanel, state);
  }
}
