/// <reference types="mocha" />
import * as vscode from 'vscode';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_REPORT_ID } from '../../../src/panel/html';
import { validateReport } from '../../../src/core/report/validate';
import type { RunOutcome } from '../../../src/extension/runs';
import { WorkerJobError, WorkerJobRun } from '../../../src/extension/workerClient';
import { api, sha256, waitFor, wsPath } from './helpers';

export function define(): void {
  suite('Panel, exports, experiments, worker faults', () => {
    test('Open Report… opens a report from disk in the panel', async () => {
      const a = await api();
      const reportPath = wsPath('long.report.json');
      const opened = await vscode.commands.executeCommand<string>('actionLens.openReport', vscode.Uri.file(reportPath));
      assert.equal(opened, reportPath);
      await waitFor('the panel', () => a.panel(reportPath)?.ready && (a.panel(reportPath)?.reportsPosted ?? 0) > 0);
    });

    test('Open Report… on a file that is not a report says why', async () => {
      const p = wsPath('not-a-report.json');
      writeFileSync(p, JSON.stringify({ hello: 1 }));
      const r = await vscode.commands.executeCommand<string | undefined>('actionLens.openReport', vscode.Uri.file(p));
      assert.equal(r, undefined);
      const a = await api();
      assert.equal(a.panel(p), undefined);
    });

    test('exports: LaTeX, a JSON copy, a standalone HTML; never over the input', async () => {
      const a = await api();
      const reportPath = wsPath('data.report.json');
      const dir = mkdtempSync(join(tmpdir(), 'al-export-'));
      const tex = await a.exportReport(reportPath, 'latex', join(dir, 'a.tex'));
      assert.ok(tex);
      const texText = readFileSync(tex, 'utf8');
      assert.match(texText, /\\begin\{align\*\}/);
      assert.match(texText, /\\documentclass/);
      const json = await a.exportReport(reportPath, 'json', join(dir, 'a.json'));
      assert.ok(json);
      assert.deepEqual(JSON.parse(readFileSync(json, 'utf8')), JSON.parse(readFileSync(reportPath, 'utf8')));
      const html = await a.exportReport(reportPath, 'html', join(dir, 'a.html'));
      assert.ok(html);
      const htmlText = readFileSync(html, 'utf8');
      assert.ok(htmlText.includes(`id="${EMBEDDED_REPORT_ID}"`));
      assert.ok(htmlText.includes('font/woff2'), 'fonts inlined');
      assert.ok(!/(src|href)="https?:/.test(htmlText), 'no external resources');
      const csv = wsPath('data.csv');
      const before = sha256(csv);
      await assert.rejects(a.exportReport(reportPath, 'json', csv), /refusing to write over the input/);
      assert.equal(sha256(csv), before);
    });

    test('Run Experiment (quick) runs in the worker and opens its report', async () => {
      const a = await api();
      const outcome = await vscode.commands.executeCommand<RunOutcome>('actionLens.runExperiment', 'teacher', true);
      assert.ok(outcome && outcome.ok, JSON.stringify(outcome));
      assert.equal(outcome.reportPath, wsPath('experiments', 'teacher-quick', 'report.json'));
      assert.ok(existsSync(outcome.reportPath));
      const v = validateReport(JSON.parse(readFileSync(outcome.reportPath, 'utf8')));
      assert.ok(v.ok && v.report.experiment?.id === 'teacher');
      await waitFor('the experiment panel', () => a.panel(outcome.reportPath)?.ready);
    });

    test('an unknown experiment is a clear error', async () => {
      const outcome = await vscode.commands.executeCommand<RunOutcome>('actionLens.runExperiment', 'nope', true);
      assert.ok(outcome && !outcome.ok && 'error' in outcome);
      assert.match(outcome.error.message, /unknown experiment "nope"/);
    });

    test('a worker that crashes or exits is reported, not swallowed', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'al-worker-'));
      const crash = join(dir, 'crash.js');
      writeFileSync(crash, "throw new Error('boom in the worker');\n");
      const exit = join(dir, 'exit.js');
      writeFileSync(exit, 'process.exit(3);\n');
      const garbage = join(dir, 'garbage.js');
      writeFileSync(garbage, "require('node:worker_threads').parentPort.postMessage({ type: 'done' });\n");
      const job = { kind: 'experiment', id: 'teacher', quick: true, seed: 1, outDir: dir } as const;
      await assert.rejects(new WorkerJobRun(crash, job).result, (e: unknown) => e instanceof WorkerJobError && /crashed: boom in the worker/.test(e.message));
      await assert.rejects(new WorkerJobRun(exit, job).result, (e: unknown) => e instanceof WorkerJobError && /exit code 3/.test(e.message));
      await assert.rejects(new WorkerJobRun(garbage, job).result, (e: unknown) => e instanceof WorkerJobError && /could not be read/.test(e.message));
    });
  });
}
