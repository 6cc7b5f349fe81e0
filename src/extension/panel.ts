/**
 * One report panel: a webview panel beside the editor showing one report, owning that webview's
 * lifecycle. HTML from buildPanelHtml with a fresh nonce and the webview's cspSource; the report is
 * posted once the webview says it is ready. Messages from the webview are validated before use. Which
 * panels exist, and their revival after a reload, is the manager's (panelManager.ts), as in VS Code's
 * markdown preview.
 */

import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { Report } from '../core/report/schema';
import { buildPanelHtml, makeNonce, PANEL_MEDIA } from '../panel/html';
import { parseWebviewMessage, type HostMessage, type ThemeKind, type WebviewMessage } from '../panel/messages';
import { exportReport } from './exporters';
import { log, showError } from './log';
import { PanelSlices } from './panelSlices';
import { revealColumn } from './revealColumn';

export const PANEL_VIEW_TYPE = 'actionLens.panel';

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

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')],
  };
}

function panelTitle(reportPath: string, report: Report): string {
  const name = report.experiment ? `experiment ${report.experiment.id}` : basename(report.input.path);
  return `Action Lens · ${name || basename(reportPath)}`;
}

export class ReportPanel {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  /** Fires once, when the webview panel is closed or disposed. */
  readonly onDidDispose = this.disposed.event;
  private ready = false;
  private posted = 0;
  private pendingFocus: number | undefined;
  /** Slices of the on-demand orders, from the report's weights (loaded on the first request). */
  private readonly slices: PanelSlices;

  /** A new panel beside the active editor. */
  static create(context: vscode.ExtensionContext, reportPath: string, report: Report, preserveFocus: boolean): ReportPanel {
    const webviewPanel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      panelTitle(reportPath, report),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      webviewOptions(context.extensionUri),
    );
    return new ReportPanel(webviewPanel, context, reportPath, report);
  }

  /** A panel that VS Code restored after a reload (its webview is new; its state named the report). */
  static revive(webviewPanel: vscode.WebviewPanel, context: vscode.ExtensionContext, reportPath: string, report: Report): ReportPanel {
    webviewPanel.webview.options = webviewOptions(context.extensionUri);
    return new ReportPanel(webviewPanel, context, reportPath, report);
  }

  private constructor(
    private readonly webviewPanel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    readonly reportPath: string,
    private currentReport: Report,
  ) {
    this.slices = new PanelSlices(reportPath);
    webviewPanel.title = panelTitle(reportPath, currentReport);
    webviewPanel.webview.html = this.html();
    webviewPanel.onDidDispose(() => this.disposeListeners(), null, this.disposables);
    webviewPanel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), null, this.disposables);
    // Without retainContextWhenHidden a hidden webview is destroyed and loads again when shown:
    // messages posted in between are lost. Until it says 'ready' again, posts wait (a column to show
    // is kept in pendingFocus) and go out with the report.
    webviewPanel.onDidChangeViewState(() => {
      if (!webviewPanel.visible) this.ready = false;
    }, null, this.disposables);
    vscode.window.onDidChangeActiveColorTheme((t) => this.post({ type: 'theme', kind: themeKind(t.kind) }), null, this.disposables);
  }

  get report(): Report {
    return this.currentReport;
  }

  get status(): PanelStatus {
    return { reportPath: this.reportPath, ready: this.ready, reportsPosted: this.posted, visible: this.webviewPanel.visible };
  }

  /** Shows the panel again with this report (re)loaded. */
  update(report: Report, preserveFocus: boolean): void {
    this.currentReport = report;
    this.slices.reset();
    this.webviewPanel.reveal(undefined, preserveFocus);
    this.postReport();
  }

  /** Shows the column's terms on the Action tab: now if the webview is live, else once it is ready. */
  focusColumn(column: number): void {
    if (this.ready && this.webviewPanel.visible) this.post({ type: 'focusColumn', column });
    else this.pendingFocus = column;
  }

  /** Closes the panel (onDidDispose follows). */
  dispose(): void {
    this.webviewPanel.dispose();
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
    this.post({ type: 'report', report: this.currentReport });
    if (this.pendingFocus !== undefined) {
      this.post({ type: 'focusColumn', column: this.pendingFocus });
      this.pendingFocus = undefined;
    }
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
        const written = await exportReport(this.currentReport, this.reportPath, msg.format, media, { view: msg.view });
        if (written) {
          log().info(`exported ${msg.format} to ${written}`);
          const open = await vscode.window.showInformationMessage(`Action Lens: exported to ${written}`, 'Open');
          if (open === 'Open') await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(written));
        }
        return;
      }
      case 'revealColumn':
        await revealColumn(this.currentReport, msg.column);
        return;
      case 'requestSlice': {
        // Computed in the extension host (under a second per slice at d = 784, L = 2; docs/PERFORMANCE.md).
        const answer = await this.slices.answer(msg);
        if (answer.type === 'sliceError') log().warn(`slice [${msg.fixed.join(', ')}] of order ${msg.order}: ${answer.message}`);
        this.post(answer);
        return;
      }
    }
  }

  private disposeListeners(): void {
    this.disposed.fire();
    this.disposed.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
