/**
 * Hover on a CSV's header: the hovered column's learned terms from the latest report of that file,
 * and a link that opens the panel on that column (content: hoverContent.ts). Column names come from
 * the file: every ASCII punctuation character in them is backslash-escaped; the only trusted part
 * is our one command link.
 */

import * as vscode from 'vscode';
import type { Delimiter } from '../core/data/csv-cells';
import { fieldAt, headerLineIndex, sniffHeaderDelimiter, splitHeader } from '../core/data/csv-header';
import { reportColumnForField } from './columnTerms';
import { hoverContent, omittedColumnContent, SHOW_COLUMN_COMMAND } from './hoverContent';
import type { ReportIndex } from './reports';

export { SHOW_COLUMN_COMMAND };

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
    const delimiter = (report.input.delimiter as Delimiter | undefined) ?? sniffHeaderDelimiter(text);
    const field = fieldAt(splitHeader(text, delimiter), pos.character);
    if (!field) return undefined;
    const column = reportColumnForField(report, field.index, field.name);
    const range = new vscode.Range(headerLine, field.start, headerLine, field.end);
    if (column < 0) {
      // A constant column the run left out: say so (no command link, nothing trusted).
      const omitted = omittedColumnContent(report, field.index, field.name);
      return omitted === null ? undefined : new vscode.Hover(new vscode.MarkdownString(omitted, false), range);
    }

    const md = new vscode.MarkdownString(hoverContent(report, column, reportPath, stale).markdown, false);
    md.isTrusted = { enabledCommands: [SHOW_COLUMN_COMMAND] };
    md.supportHtml = false;
    return new vscode.Hover(md, range);
  }
}
