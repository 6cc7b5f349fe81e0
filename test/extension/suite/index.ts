/**
 * The in-host test suite: VS Code (code-server) loads this bundle (out/test/extension/suite.js)
 * through `extensionTestsPath` and calls run() inside the real extension host. Results are also
 * written to <workspace>/.test-results.json for the runner.
 */
import * as vscode from 'vscode';
import Mocha from 'mocha';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { define as defineLearn } from './learn.suite';
import { define as defineHover } from './hover.suite';
import { define as definePanel } from './panel.suite';
import { define as defineRestricted } from './restricted.suite';

interface Result {
  title: string;
  state: 'passed' | 'failed';
  ms: number;
  error?: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'action-lens-suite', mocha);
  // The runner opens an untrusted workspace for the Restricted Mode suite, a trusted one for the rest.
  if (vscode.workspace.isTrusted) {
    defineLearn();
    defineHover();
    definePanel();
  } else defineRestricted();
  const results: Result[] = [];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const started = Date.now();
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n) => resolve(n));
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration ?? 0 }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', ms: t.duration ?? 0, error: `${err.message}\n${err.stack ?? ''}` }));
  });
  const summary = { passed: results.filter((r) => r.state === 'passed').length, failed: results.filter((r) => r.state === 'failed').length, ms: Date.now() - started, results };
  if (folder) writeFileSync(join(folder, '.test-results.json'), JSON.stringify(summary, null, 1));
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
