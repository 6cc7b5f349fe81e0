/// <reference types="mocha" />
import * as vscode from 'vscode';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isFlowReport } from '../../../src/core/report/schema';
import { validateReport } from '../../../src/core/report/validate';
import type { RunOutcome } from '../../../src/extension/runs';
import { api, QUICK, sha256, waitFor, webviewTabs, workspaceDir, wsPath } from './helpers';

export function define(): void {
  suite('Learn Action', () => {
    test('the commands, menus and settings are contributed', async () => {
      const a = await api();
      assert.ok(a);
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['actionLens.learnAction', 'actionLens.learnActionWithSettings', 'actionLens.runExperiment', 'actionLens.openReport']) {
        assert.ok(commands.includes(c), `${c} registered`);
      }
      const ext = vscode.extensions.getExtension('action-lens.action-lens');
      const pkg = ext?.packageJSON as { contributes: { menus: Record<string, { command: string }[]> } };
      assert.ok(pkg.contributes.menus['explorer/context'].some((m) => m.command === 'actionLens.learnAction'));
      assert.ok(pkg.contributes.menus['editor/context'].some((m) => m.command === 'actionLens.learnAction'));
      assert.ok(pkg.contributes.menus['editor/title'].some((m) => m.command === 'actionLens.learnAction'));
      const cfg = vscode.workspace.getConfiguration('actionLens');
      assert.equal(cfg.get('layerKind'), 'cubic');
      assert.equal(cfg.get('order'), 4);
      assert.equal(cfg.get('outputFolder'), '');
    });

    test('Learn Action on a workspace CSV writes the report and the weights beside it and opens the panel', async () => {
      const csv = wsPath('data.csv');
      const before = sha256(csv);
      const reportPath = wsPath('data.report.json');
      const modelPath = wsPath('data.report.model.json');
      rmSync(reportPath, { force: true });
      rmSync(modelPath, { force: true });
      const t0 = Date.now();
      const outcome = await vscode.commands.executeCommand<RunOutcome>('actionLens.learnAction', vscode.Uri.file(csv), { settings: QUICK });
      assert.ok(outcome && outcome.ok, `learn failed: ${JSON.stringify(outcome)}`);
      assert.equal(outcome.reportPath, reportPath);
      assert.equal(outcome.modelPath, modelPath);
      assert.equal(outcome.cancelled, false);
      assert.ok(existsSync(reportPath) && existsSync(modelPath));
      const onDisk: unknown = JSON.parse(readFileSync(reportPath, 'utf8'));
      const v = validateReport(onDisk);
      assert.ok(v.ok, `report on disk validates: ${v.ok ? '' : v.errors.join('; ')}`);
      assert.ok(isFlowReport(v.report), 'a report of the network');
      assert.equal(v.report.input.sha256, before);
      assert.deepEqual(v.report.input.columns, ['x0', 'x1', 'x2', 'x3']);
      assert.equal(v.report.training.stoppedBecause, 'steps');
      assert.equal(v.report.model.weightsFile, 'data.report.model.json');
      // The training worker in the extension host loaded the kernels the build made (the .vsix carries dist/native).
      const extensionPath = vscode.extensions.getExtension('action-lens.action-lens')?.extensionPath ?? '';
      const native = existsSync(join(extensionPath, 'dist', 'native', 'gemm.node'));
      assert.match(v.report.model.kernels ?? '', native ? /^native-/ : /^(wasm|js)/, `kernels ${v.report.model.kernels}`);
      assert.equal(JSON.parse(readFileSync(modelPath, 'utf8')).format, 'action-lens-model');
      assert.equal(sha256(csv), before, 'the CSV is never written');
      // The panel: its webview script ran (it said ready) and got the report.
      const a = await api();
      const status = await waitFor('the panel to load', () => {
        const s = a.panel(reportPath);
        return s && s.ready && s.reportsPosted > 0 ? s : undefined;
      }, 30_000);
      assert.ok(status.ready);
      assert.ok(webviewTabs().length >= 1, 'a webview tab is open');
      const tab = webviewTabs()[0];
      assert.match(tab.label, /Action Lens/);
      console.log(`learn + panel: ${Date.now() - t0} ms`);
    });

    test('a malformed CSV gives the specific error (file:line:column) and writes nothing', async () => {
      const csv = wsPath('bad.csv');
      const before = sha256(csv);
      const outcome = await vscode.commands.executeCommand<RunOutcome>('actionLens.learnAction', vscode.Uri.file(csv), { settings: QUICK });
      assert.ok(outcome && !outcome.ok && 'error' in outcome, `expected an error, got ${JSON.stringify(outcome)}`);
      assert.equal(outcome.error.input, true);
      assert.equal(outcome.error.file, csv);
      assert.equal(outcome.error.line, 5);
      // The character column where the cell starts (0.72950,1.12685,abc) and its length.
      assert.equal(outcome.error.column, 17);
      assert.equal(outcome.error.length, 3);
      assert.ok(outcome.error.message.startsWith(`${csv}:5:17: `), outcome.error.message);
      assert.match(outcome.error.message, /non-numeric value "abc" in column "c" \(field 3\)/);
      assert.equal(sha256(csv), before);
      assert.ok(!existsSync(wsPath('bad.report.json')));
    });

    test('cancelling a run keeps the best model so far and the report says so', async () => {
      const a = await api();
      const csv = wsPath('long.csv');
      const reportPath = wsPath('long.report.json');
      rmSync(reportPath, { force: true });
      let cancelledAt = -1;
      const sub = a.onDidProgress((e) => {
        if (cancelledAt < 0 && e.progress && e.progress.epoch >= 5) {
          cancelledAt = e.progress.epoch;
          assert.equal(a.activeRuns().length, 1);
          a.cancelAll();
        }
      });
      try {
        const outcome = await a.learn(vscode.Uri.file(csv), { overrides: { epochs: 100000, patience: 100000, restarts: 1, modelSamples: 2000 }, noPanel: true });
        assert.ok(outcome.ok, JSON.stringify(outcome));
        assert.ok(cancelledAt >= 5, 'progress arrived and the run was cancelled');
        assert.equal(outcome.cancelled, true);
        const t = outcome.report.training;
        assert.ok(t);
        assert.equal(t.stoppedBecause, 'cancelled');
        assert.ok(t.epochs < 100000 && t.epochs >= cancelledAt, `stopped at epoch ${t.epochs}`);
        assert.ok(t.bestEpoch <= t.epochs);
        assert.ok(Number.isFinite(t.valNll), "the kept model has a finite held-out NLL");
        assert.ok(outcome.report.warnings.some((w) => /cancelled/.test(w)));
        assert.ok(existsSync(reportPath) && existsSync(wsPath('long.report.model.json')));
        assert.equal(a.activeRuns().length, 0);
      } finally {
        sub.dispose();
      }
    });

    test('two Learn Action runs on one CSV at once: the second is refused, the first writes whole files', async () => {
      const csv = wsPath('data.csv');
      const reportPath = wsPath('data.report.json');
      rmSync(reportPath, { force: true });
      const first = vscode.commands.executeCommand<RunOutcome>('actionLens.learnAction', vscode.Uri.file(csv), { settings: QUICK });
      const a = await api();
      await waitFor('the first run to start', () => a.activeRuns().length === 1, 30_000);
      const second = await vscode.commands.executeCommand<RunOutcome>('actionLens.learnAction', vscode.Uri.file(csv), { settings: QUICK });
      assert.ok(second && !second.ok && 'dismissed' in second, `the second run: ${JSON.stringify(second)}`);
      const outcome = await first;
      assert.ok(outcome && outcome.ok, JSON.stringify(outcome));
      const v = validateReport(JSON.parse(readFileSync(reportPath, 'utf8')));
      assert.ok(v.ok, v.ok ? '' : v.errors.join('; '));
      assert.deepEqual(readdirSync(workspaceDir()).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
    });

    test('invalid settings are reported, not silently replaced', async () => {
      const cfg = vscode.workspace.getConfiguration('actionLens');
      await cfg.update('layers', 'three', vscode.ConfigurationTarget.Workspace);
      try {
        const outcome = await vscode.commands.executeCommand<RunOutcome>('actionLens.learnAction', vscode.Uri.file(wsPath('data.csv')), { settings: QUICK, noPanel: true });
        assert.ok(outcome && !outcome.ok && 'error' in outcome);
        assert.match(outcome.error.message, /actionLens\.layers must be an integer from 1 to 64/);
      } finally {
        await cfg.update('layers', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    test('actionLens.outputFolder puts the report there', async () => {
      const cfg = vscode.workspace.getConfiguration('actionLens');
      await cfg.update('outputFolder', 'reports', vscode.ConfigurationTarget.Workspace);
      try {
        const outcome = await vscode.commands.executeCommand<RunOutcome>('actionLens.learnAction', vscode.Uri.file(wsPath('data.csv')), { settings: { ...QUICK, layerKind: 'coupling', layers: 1, order: 4 }, noPanel: true });
        assert.ok(outcome && outcome.ok, JSON.stringify(outcome));
        assert.equal(outcome.reportPath, wsPath('reports', 'data.report.json'));
        assert.equal(outcome.report.model.estimator === 'flow' && outcome.report.model.layerKind, 'coupling');
        assert.ok(existsSync(wsPath('reports', 'data.report.model.json')));
      } finally {
        await cfg.update('outputFolder', undefined, vscode.ConfigurationTarget.Workspace);
        rmSync(wsPath('reports'), { recursive: true, force: true });
      }
    });
  });
}
