/**
 * The report panel: one webview panel per report, beside the editor, owning its lifecycle (like VS
 * Code's markdown preview). HTML from buildPanelHtml with a fresh nonce and the webview's cspSource;
 * the report is posted once the webview says it is ready. Messages from the webview are validated
 * before use. A WebviewPanelSerializer revives panels after a reload, re-reading the report from disk.
 */

import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Report } from '../core/report/schema';
import { buildPanelHtml, makeNonce, PANEL_MEDIA } from '../panel/html';
import { layerKindNames } from '../core/flow/kinds';
import { validateReport } from '../core/report/validate';
import { parseWebviewMessage, type HostMessage, type ThemeKind, type WebviewMessage } from '../panel/messages';
import type { Delimiter } from '../core/data/csv-cells';
import { headerLineIndex, sniffHeaderDelimiter, splitHeader } from '../core/data/csv-header';
import { exportReport } from './exporters';
import { log, showError } from './log';
import { readReport } from './reports';

export const PANEL_VIEW_TYPE = 'actionLens.panel';
const REVIVE_KEY = 'actionLens.panelReports';
const REVIVE_LIMIT = 100;

export interface PanelStatus {
  reportPath: string;
  /** The webview's script ran and said so. */
  ready: boolean;
  /** Reports posted to the webview. */
  reportsPosted: number;
  visible: boolean;
}

/**
 * The CSP source of our assets. VS Code's `webview.cspSource` is `'self' https://*.vscode-cdn.net`
 * (plus the extension's origin when it is served over http[s]); asWebviewUri gives
 * https://<scheme>+<authority>.vscode-resource.vscode-cdn.net/... URLs, which the host-source tokens
 * cover. Quoted keywords ('self') are dropped: buildPanelHtml accepts host sources only, and the
 * panel loads nothing from the webview's own origin.
 */
export function panelCspSource(cspSource: string): string {
  const hosts = cspSource.split(/\s+/).filter((t) => t !== '' && !/[;'"<>]/.test(t));
  return hosts.length > 0 ? hosts.join(' ') : 'https://*.vscode-cdn.net';
}

/** A report's identity across reloads: the webview keeps the report in its state, we keep its path. */
function identity(report: Report): string {
  return `${report.input.sha256}|${report.createdAt}|${report.input.path}`;
}

function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.Dark:
      return 'dark';
    case vscode.ColorThemeKind.HighContrast:
      return 'high-contrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'high-contrast-light';
    default:
      return 'dark';
  }
}

export class ReportPanel {
  private static readonly panels = new Map<string, ReportPanel>();
  private static context: vscode.ExtensionContext | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private posted = 0;
  private pendingFocus: number | undefined;

  static init(context: vscode.ExtensionContext): void {
    ReportPanel.context = context;
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, new ReportPanelSerializer(context)),
      { dispose: () => ReportPanel.disposeAll() },
    );
  }

  /** Shows the panel of this report (creating it beside the active editor), with the report (re)loaded. */
  static async show(reportPath: string, report?: Report, options: { focusColumn?: number; preserveFocus?: boolean } = {}): Promise<ReportPanel> {
    const context = ReportPanel.ctx();
    const key = resolve(reportPath);
    const loaded = report ?? (await readReport(key));
    let panel = ReportPanel.panels.get(key);
    if (panel) {
      panel.report = loaded;
      panel.webviewPanel.reveal(undefined, options.preserveFocus ?? false);
      panel.postReport();
    } else {
      const webviewPanel = vscode.window.createWebviewPanel(
        PANEL_VIEW_TYPE,
        ReportPanel.title(key, loaded),
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus ?? false },
        ReportPanel.webviewOptions(context.extensionUri),
      );
      panel = new ReportPanel(webviewPanel, context, key, loaded);
    }
    await panel.rememberForRevival();
    if (options.focusColumn !== undefined) panel.focusColumn(options.focusColumn);
    return panel;
  }

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')],
    };
  }

  static revive(webviewPanel: vscode.WebviewPanel, context: vscode.ExtensionContext, reportPath: string, report: Report): ReportPanel {
    const key = resolve(reportPath);
    ReportPanel.panels.get(key)?.webviewPanel.dispose();
    webviewPanel.webview.options = ReportPanel.webviewOptions(context.extensionUri);
    return new ReportPanel(webviewPanel, context, key, report);
  }

  static status(reportPath: string): PanelStatus | undefined {
    const p = ReportPanel.panels.get(resolve(reportPath));
    return p ? { reportPath: p.reportPath, ready: p.ready, reportsPosted: p.posted, visible: p.webviewPanel.visible } : undefined;
  }

  static all(): PanelStatus[] {
    return [...ReportPanel.panels.values()].map((p) => ({ reportPath: p.reportPath, ready: p.ready, reportsPosted: p.posted, visible: p.webviewPanel.visible }));
  }

  static disposeAll(): void {
    for (const p of [...ReportPanel.panels.values()]) p.webviewPanel.dispose();
  }

  private static ctx(): vscode.ExtensionContext {
    if (!ReportPanel.context) throw new Error('ReportPanel.init was not called');
    return ReportPanel.context;
  }

  private static title(reportPath: string, report: Report): string {
    const name = report.experiment ? `experiment ${report.experiment.id}` : basename(report.input.path);
    return `Action Lens · ${name || basename(reportPath)}`;
  }

  private constructor(
    private readonly webviewPanel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    readonly reportPath: string,
    private report: Report,
  ) {
    ReportPanel.panels.set(reportPath, this);
    webviewPanel.title = ReportPanel.title(reportPath, report);
    webviewPanel.webview.html = this.html();
    webviewPanel.onDidDispose(() => this.dispose(), null, this.disposables);
    webviewPanel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), null, this.disposables);
    // Without retainContextWhenHidden a hidden webview is destroyed and loads again when shown:
    // messages posted in between are lost. Until it says 'ready' again, posts wait (a column to show
    // is kept in pendingFocus) and go out with the report.
    webviewPanel.onDidChangeViewState(() => {
      if (!webviewPanel.visible) this.ready = false;
    }, null, this.disposables);
    vscode.window.onDidChangeActiveColorTheme((t) => this.post({ type: 'theme', kind: themeKind(t.kind) }), null, this.disposables);
  }

  private html(): string {
    const webview = this.webviewPanel.webview;
    const media = (rel: string): string => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', ...rel.split('/'))).toString();
    return buildPanelHtml({
      cspSource: panelCspSource(webview.cspSource),
      nonce: makeNonce(),
      scriptUri: media(PANEL_MEDIA.script),
      styleUris: PANEL_MEDIA.styles.map(media),
      title: this.webviewPanel.title,
    });
  }

  private post(msg: HostMessage): void {
    if (!this.ready) return;
    void this.webviewPanel.webview.postMessage(msg).then(undefined, (e: unknown) => log().warn(`posting to the panel failed: ${String(e)}`));
  }

  private postReport(): void {
    if (!this.ready) return;
    this.posted++;
    this.post({ type: 'report', report: this.report });
    if (this.pendingFocus !== undefined) {
      this.post({ type: 'focusColumn', column: this.pendingFocus });
      this.pendingFocus = undefined;
    }
  }

  /** Shows the column's terms on the Action tab: now if the webview is live, else once it is ready. */
  focusColumn(column: number): void {
    if (this.ready && this.webviewPanel.visible) this.post({ type: 'focusColumn', column });
    else this.pendingFocus = column;
  }

  private onMessage(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      log().warn(`ignored an invalid message from the panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    void this.handle(msg).catch((e: unknown) => showError(e instanceof Error ? e.message : String(e), e instanceof Error ? e.stack : undefined));
  }

  private async handle(msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'theme', kind: themeKind(vscode.window.activeColorTheme.kind) });
        this.postReport();
        return;
      case 'export': {
        const media = vscode.Uri.joinPath(this.context.extensionUri, 'media').fsPath;
        const written = await exportReport(this.report, this.reportPath, msg.format, media, { view: msg.view });
        if (written) {
          log().info(`exported ${msg.format} to ${written}`);
          const open = await vscode.window.showInformationMessage(`Action Lens: exported to ${written}`, 'Open');
          if (open === 'Open') await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(written));
        }
        return;
      }
      case 'revealColumn':
        await revealColumn(this.report, msg.column);
        return;
    }
  }

  private async rememberForRevival(): Promise<void> {
    const state = this.context.workspaceState;
    const map = { ...(state.get<Record<string, string>>(REVIVE_KEY) ?? {}) };
    const id = identity(this.report);
    delete map[id];
    map[id] = this.reportPath;
    const keys = Object.keys(map);
    for (const k of keys.slice(0, Math.max(0, keys.length - REVIVE_LIMIT))) delete map[k];
    await state.update(REVIVE_KEY, map);
  }

  static reportPathForRevival(context: vscode.ExtensionContext, report: Report): string | undefined {
    return context.workspaceState.get<Record<string, string>>(REVIVE_KEY)?.[identity(report)];
  }

  private dispose(): void {
    if (ReportPanel.panels.get(this.reportPath) === this) ReportPanel.panels.delete(this.reportPath);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Revives panels after a reload: the webview's state names the report; the file is read again. */
class ReportPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly context: vscode.ExtensionContext) {}

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = typeof state === 'object' && state !== null ? (state as { report?: unknown }).report : undefined;
    const v = saved === undefined ? null : validateReport(saved, { layerKinds: layerKindNames() });
    if (!v || !v.ok) {
      webviewPanel.dispose();
      return;
    }
    const reportPath = ReportPanel.reportPathForRevival(this.context, v.report);
    let report = v.report;
    if (reportPath && existsSync(reportPath)) {
      try {
        report = await readReport(reportPath);
      } catch (e) {
        log().warn(`revived panel: ${e instanceof Error ? e.message : String(e)}; showing the saved copy`);
      }
    }
    ReportPanel.revive(webviewPanel, this.context, reportPath ?? `${report.input.path}.report.json`, report);
  }
}

/** Opens the report's CSV and selects the column's name in its header. */
export async function revealColumn(report: Report, column: number): Promise<void> {
  const name = report.input.columns[column];
  if (name === undefined) return;
  const path = report.input.path;
  if (!existsSync(path)) {
    void vscode.window.showInformationMessage(`Action Lens: the data of this report (${path}) are not on disk.`);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  if (report.input.header === false) return;
  const line = headerLineIndex((i) => doc.lineAt(i).text, doc.lineCount);
  if (line < 0) return;
  const text = doc.lineAt(line).text;
  const delim = (report.input.delimiter as Delimiter | undefined) ?? sniffHeaderDelimiter(text);
  const fieldIndex = report.input.sourceColumns?.[column] ?? column;
  const field = splitHeader(text, delim)[fieldIndex];
  if (!field) return;
  const range = new vscode.Range(line, field.start, line, field.end);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
