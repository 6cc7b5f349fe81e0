/**
 * Hover on a CSV's header: the hovered column's learned terms (self terms and strongest couplings)
 * from the latest report of that file, and a link that opens the panel. Column names come from the
 * file: every ASCII punctuation character in them is backslash-escaped; the only trusted part is our one command link.
 */

import * as vscode from 'vscode';
import { fieldAt, headerLineIndex, sniffDelimiter, splitHeader, type Delimiter } from './csvHeader';
import { columnTerms, formatCoefficient, reportColumnForField, type LabelledTerm } from './columnTerms';
import { escapeMarkdownText } from './markdown';
import type { ReportIndex } from './reports';

export const SHOW_COLUMN_COMMAND = 'actionLens.showColumn';

function appendTerm(md: vscode.MarkdownString, t: LabelledTerm): void {
  md.appendMarkdown(`- ${escapeMarkdownText(t.label)}`);
  md.appendMarkdown(`: \`${formatCoefficient(t.coefficient)}\``);
  if (t.stdErr !== undefined && Number.isFinite(t.stdErr)) md.appendMarkdown(` ± \`${formatCoefficient(t.stdErr)}\``);
  md.appendMarkdown('\n');
}

export class CsvHeaderHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly index: ReportIndex,
    private readonly outputFolder: (uri: vscode.Uri) => { folder: string; base: string | undefined },
  ) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (doc.uri.scheme !== 'file') return undefined;
    const headerLine = headerLineIndex((i) => doc.lineAt(i).text, doc.lineCount);
    if (pos.line !== headerLine) return undefined;
    const { folder, base } = this.outputFolder(doc.uri);
    const found = await this.index.find(doc.uri.fsPath, folder, base);
    if (!found || token.isCancellationRequested) return undefined;
    const { report, reportPath, stale } = found;
    if (report.input.header === false) return undefined;
    const text = doc.lineAt(headerLine).text;
    const delimiter = (report.input.delimiter as Delimiter | undefined) ?? sniffDelimiter(text);
    const field = fieldAt(splitHeader(text, delimiter), pos.character);
    if (!field) return undefined;
    const column = reportColumnForField(report, field.index, field.name);
    if (column < 0) return undefined;
    const terms = columnTerms(report, column);

    const md = new vscode.MarkdownString('', false);
    md.isTrusted = { enabledCommands: [SHOW_COLUMN_COMMAND] };
    md.supportHtml = false;
    md.appendMarkdown(`**Action Lens** · ${escapeMarkdownText(terms.name)} · learned terms of ln p up to order ${terms.order}\n\n`);
    if (stale) md.appendMarkdown('*The file changed since this report was computed.*\n\n');
    md.appendMarkdown('Self terms:\n\n');
    if (terms.self.length === 0) md.appendMarkdown('- none\n');
    for (const t of terms.self) appendTerm(md, t);
    md.appendMarkdown('\nStrongest couplings:\n\n');
    if (terms.couplings.length === 0) md.appendMarkdown('- none\n');
    for (const t of terms.couplings) appendTerm(md, t);
    if (terms.moreCouplings > 0) md.appendMarkdown(`- … ${terms.moreCouplings} more\n`);
    const args = encodeURIComponent(JSON.stringify([reportPath, column]));
    md.appendMarkdown(`\n[Open in Action Lens](command:${SHOW_COLUMN_COMMAND}?${args} "Show this report in the Action Lens panel")`);
    return new vscode.Hover(md, new vscode.Range(headerLine, field.start, headerLine, field.end));
  }
}
