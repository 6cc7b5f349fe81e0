/** Exports of a report: LaTeX of the action, a JSON copy, a standalone HTML report. Written atomically. */

import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PAPER_CITATION, type Report } from '../core/report/schema';
import { writeFileAtomic } from '../core/util/atomic';
import { buildStandaloneHtml, collectStandaloneAssets } from '../panel/html';
import { actionToLatexDocument } from '../panel/latex';
import type { ExportFormat, ViewOptions } from '../panel/messages';

export const EXPORT_EXTENSIONS: Record<ExportFormat, { ext: string; filter: string }> = {
  latex: { ext: 'tex', filter: 'LaTeX' },
  json: { ext: 'json', filter: 'JSON' },
  html: { ext: 'html', filter: 'HTML' },
};

/** The text of an export (pure apart from reading the media folder for HTML). */
export function exportText(report: Report, format: ExportFormat, mediaFolder: string, view?: ViewOptions): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 1);
    case 'latex':
      return actionToLatexDocument(report.action, report.input.columns, { ...view, source: report.input.path, citation: PAPER_CITATION });
    case 'html': {
      const assets = collectStandaloneAssets(
        (rel) => readFileSync(join(mediaFolder, rel)),
        (bytes) => Buffer.from(bytes).toString('base64'),
      );
      return buildStandaloneHtml(report, { ...assets, title: `Action Lens · ${basename(report.input.path)}` });
    }
  }
}

export function defaultExportPath(reportPath: string, format: ExportFormat): string {
  const stem = basename(reportPath).replace(/\.json$/i, '');
  const name = format === 'json' ? `${stem}.copy.json` : `${stem}.${EXPORT_EXTENSIONS[format].ext}`;
  return join(dirname(reportPath), name);
}

/**
 * Writes an export to `target`, or to a file chosen in a save dialog. Never over the report's input
 * or the report and weights themselves. Returns the path written, or undefined when the dialog was
 * dismissed.
 */
export async function exportReport(
  report: Report,
  reportPath: string,
  format: ExportFormat,
  mediaFolder: string,
  options: { view?: ViewOptions; target?: string } = {},
): Promise<string | undefined> {
  let target = options.target;
  if (target === undefined) {
    const info = EXPORT_EXTENSIONS[format];
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(defaultExportPath(reportPath, format)),
      filters: { [info.filter]: [info.ext] },
      title: `Export the report as ${info.filter}`,
    });
    if (!uri) return undefined;
    if (uri.scheme !== 'file') throw new Error('exports can only be written to local files');
    target = uri.fsPath;
  }
  const protect = [report.input.path, reportPath, reportPath.replace(/\.json$/i, '') + '.model.json'].map((p) => resolve(dirname(reportPath), p));
  await writeFileAtomic(target, exportText(report, format, mediaFolder, options.view), protect);
  return target;
}
