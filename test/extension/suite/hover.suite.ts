/// <reference types="mocha" />
import * as vscode from 'vscode';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Report } from '../../../src/core/report/schema';
import { HOVER_MAX_LINES, hoverContent } from '../../../src/extension/hoverContent';
import { formatCoefficient } from '../../../src/panel/numbers';
import type { RunOutcome } from '../../../src/extension/runs';
import { api, hoverText, QUICK, waitFor, wsPath } from './helpers';

async function hoverAt(path: string, line: number, character: number): Promise<vscode.Hover[]> {
  const uri = vscode.Uri.file(path);
  await vscode.workspace.openTextDocument(uri);
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character))) ?? [];
}

function ours(hovers: vscode.Hover[]): vscode.Hover[] {
  return hovers.filter((h) => /Action Lens/.test(hoverText(h)));
}

export function define(): void {
  suite('Hover on the CSV header', () => {
    test("hovering a column name shows that column's learned coefficients and a link to the panel", async () => {
      const csv = wsPath('data.csv');
      const report = JSON.parse(readFileSync(wsPath('data.report.json'), 'utf8')) as Report;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(csv));
      assert.equal(doc.languageId, 'csv', 'the extension contributes the csv language');
      const header = doc.lineAt(0).text;
      const col = 2;
      const name = report.input.columns[col];
      const ch = header.indexOf(name) + 1;
      const hovers = ours(await hoverAt(csv, 0, ch));
      assert.equal(hovers.length, 1, 'one Action Lens hover');
      const text = hoverText(hovers[0]);
      assert.ok(text.includes(name));
      // The link first, on the line with the column's name; short enough to show whole.
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      assert.match(lines[0], new RegExp(`^\\*\\*${name}\\*\\* · \\[Open in Action Lens\\]\\(command:actionLens\\.showColumn\\?`));
      assert.ok(lines.length <= HOVER_MAX_LINES, `${lines.length} lines:\n${text}`);
      const expected = hoverContent(report, col, wsPath('data.report.json'), false);
      // The identified theory's terms of the column where it has some (its self terms from order 2), else the network's (orders 1-4).
      const fromTheory = report.theory?.terms.some((t) => t.monomial.includes(col)) ?? false;
      assert.ok(expected.shown.filter((t) => t.monomial.every((i) => i === col)).length >= (fromTheory ? 1 : 4), 'self terms');
      assert.equal(fromTheory, /Identified theory/.test(text));
      for (const t of expected.shown) {
        const shown = formatCoefficient(t.coefficient, t.stdErr);
        assert.ok(text.includes(`\`${shown}\``), `hover shows ${t.label} = ${shown}`);
      }
      // The coefficient of x2^2 in the report is in the hover, to its significance.
      const c22 = (fromTheory && report.theory ? report.theory.terms : report.action.terms).find((t) => t.monomial.length === 2 && t.monomial[0] === col && t.monomial[1] === col);
      assert.ok(c22 && text.includes(formatCoefficient(c22.coefficient, c22.stdErr)));
      // Another column's own terms are not listed as self terms.
      assert.match(text, /command:actionLens\.showColumn\?/);
      const md = hovers[0].contents[0] as vscode.MarkdownString;
      assert.deepEqual(md.isTrusted, { enabledCommands: ['actionLens.showColumn'] });
      assert.ok(hovers[0].range && hovers[0].range.start.line === 0);
    });

    test('no hover off the header line', async () => {
      assert.equal(ours(await hoverAt(wsPath('data.csv'), 3, 2)).length, 0);
    });

    test("the hover's link opens the panel focused on the column, also from a background tab", async () => {
      const a = await api();
      const reportPath = wsPath('data.report.json');
      await vscode.commands.executeCommand('actionLens.showColumn', reportPath, 1);
      await waitFor('the panel', () => a.panel(reportPath)?.ready);
      // Another editor in front of the panel, in its group: the hidden webview is destroyed, so the
      // panel waits for it to load again before posting (the UI test checks the tab and the highlight).
      const group = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.label.includes('data.csv')));
      assert.ok(group, "the panel's tab group");
      await vscode.window.showTextDocument(vscode.Uri.file(wsPath('data.csv')), { viewColumn: group.viewColumn, preview: false });
      await waitFor('the panel to be hidden', () => a.panel(reportPath)?.visible === false);
      assert.equal(a.panel(reportPath)?.ready, false, 'a hidden panel does not count as ready');
      const posted = a.panel(reportPath)?.reportsPosted ?? 0;
      await vscode.commands.executeCommand('actionLens.showColumn', reportPath, 2);
      await waitFor('the panel to load again', () => {
        const s = a.panel(reportPath);
        return s && s.visible && s.ready && s.reportsPosted > posted;
      });
    });

    test('column names from the file are escaped (untrusted)', async () => {
      const csv = wsPath('names.csv');
      const outcome = await vscode.commands.executeCommand<RunOutcome>('actionLens.learnAction', vscode.Uri.file(csv), { settings: QUICK, noPanel: true });
      assert.ok(outcome && outcome.ok, JSON.stringify(outcome));
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(csv));
      const header = doc.lineAt(0).text;
      for (const [needle, raw] of [
        ['[x]', '[x](command:workbench.action.quit)'],
        ['a*b', 'a*b_c'],
        ['<img', '<img src=x onerror=alert(1)>'],
      ] as const) {
        const hovers = ours(await hoverAt(csv, 0, header.indexOf(needle) + 2));
        assert.equal(hovers.length, 1, `a hover on ${raw}`);
        const text = hoverText(hovers[0]);
        assert.ok(!text.includes(raw), `the raw name ${raw} does not appear unescaped:\n${text}`);
        assert.ok(!/\]\(command:workbench/.test(text), 'no link to another command');
        assert.ok(!/(^|[^\\])</.test(text), 'no raw HTML: every < is escaped');
      }
    });
  });
}
