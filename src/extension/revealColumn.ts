/** "Reveal column" from the panel: the report's CSV opened with the column's name selected in its header. */

import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import type { Delimiter } from '../core/data/csv-cells';
import { headerLineIndex, sniffHeaderDelimiter, splitHeader } from '../core/data/csv-header';
import type { Report } from '../core/report/schema';

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
