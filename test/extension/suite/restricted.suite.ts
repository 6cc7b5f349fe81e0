/// <reference types="mocha" />
import * as vscode from 'vscode';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { RunOutcome } from '../../../src/extension/runs';
import { api, QUICK, sha256, wsPath } from './helpers';

/**
 * Run in a workspace VS Code has not trusted (Restricted Mode; test/extension/run.mjs opens it with
 * workspace trust on). The manifest declares limited support: the workspace's actionLens.outputFolder
 * (which points outside the workspace) is ignored, Learn Action works and writes beside the CSV, and
 * nothing from the workspace is run (its .vscode/tasks.json and a script it holds leave no trace).
 */
export function define(): void {
  suite('Restricted Mode', () => {
    test('the workspace is untrusted and the extension runs in it', async () => {
      assert.equal(vscode.workspace.isTrusted, false);
      assert.ok(await api());
    });

    test('the workspace\'s actionLens.outputFolder is ignored: the report goes beside the CSV', async () => {
      const cfg = vscode.workspace.getConfiguration('actionLens');
      const onDisk = JSON.parse(readFileSync(wsPath('.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(onDisk['actionLens.outputFolder'], '../escaped', 'the workspace sets it');
      assert.equal(cfg.get('outputFolder'), '', 'Restricted Mode hides it');
      assert.equal(cfg.inspect<string>('outputFolder')?.workspaceValue, undefined, 'even from inspect');
      const csv = wsPath('data.csv');
      const before = sha256(csv);
      rmSync(wsPath('data.report.json'), { force: true });
      const outcome = await vscode.commands.executeCommand<RunOutcome>('actionLens.learnAction', vscode.Uri.file(csv), { settings: QUICK });
      assert.ok(outcome && outcome.ok, JSON.stringify(outcome));
      assert.equal(outcome.reportPath, wsPath('data.report.json'));
      assert.ok(!existsSync(wsPath('..', 'escaped')), 'nothing written where the workspace pointed');
      assert.equal(sha256(csv), before);
    });

    test('nothing from the workspace is run', () => {
      // tasks.json would write ran-task.txt, the script ran-script.txt, were either ever executed.
      assert.deepEqual(readdirSync(wsPath()).filter((f) => f.startsWith('ran-')), []);
    });
  });
}
