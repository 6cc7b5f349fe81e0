/** The CSV a command without a file argument works on: the active one, the only one visible, or one the user picks. */

import * as vscode from 'vscode';

export async function pickCsv(): Promise<vscode.Uri | undefined> {
  const isCsv = (u: vscode.Uri | undefined): u is vscode.Uri => u !== undefined && u.scheme === 'file' && /\.(csv|tsv)$/i.test(u.fsPath);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (isCsv(active)) return active;
  // The panel may have the focus: a single CSV visible beside it is the one meant.
  const visible = [...new Set(vscode.window.visibleTextEditors.map((e) => e.document.uri).filter(isCsv).map((u) => u.toString()))];
  if (visible.length === 1) return vscode.Uri.parse(visible[0]);
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { CSV: ['csv', 'tsv', 'txt'] },
    title: 'Action Lens: the CSV to learn from',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}
