#!/usr/bin/env node
/* global setTimeout, fetch -- node globals */
// The extension's tests against real things (docs/TESTING.md):
//   1. installs code-server if needed (scripts/install-code-server.sh; cached in .vscode-test/),
//   2. builds the extension and bundles the in-host mocha suite (out/test/extension/suite.js),
//   3. starts code-server on loopback in its own process group with temporary XDG/user/extension dirs,
//   4. runs the suite inside the real extension host (payload URL parameter + window.codeAutomationExit),
//   5. drives the UI with Playwright (Debian chromium): the command from the palette, the panel's
//      typeset action read from the webview frame, a reload that revives the panel, a screenshot,
//   6. packages the .vsix with vsce and checks its contents,
//   7. stops code-server (kills its process group: always, also on failure or Ctrl-C),
// and ends with a plain line `N passed, N failed`.
//
// The UI scenarios live in ui-*.mjs (ui-learn.mjs runs them), the .vsix check in vsix.mjs.
// Options: --skip-ui, --skip-suite, --skip-vsix, --skip-restricted, --keep (leave the temp folder), --port N.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS, log, record, results, ROOT, t0 } from './harness.mjs';
import { runUi } from './ui-learn.mjs';
import { testVsix } from './vsix.mjs';

const args = new Set(process.argv.slice(2));
const CODE_SERVER_DIR = process.env.CODE_SERVER_DIR ?? join(ROOT, '.vscode-test/code-server');
const ENTRY = join(CODE_SERVER_DIR, 'node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SUITE_OUT = join(ROOT, 'out/test/extension/suite.js');
const TOTAL_TIMEOUT_MS = 9 * 60_000;

let server = null; // { child, port }
let tmp = null;

function stopServer() {
  if (!server) return;
  const { child } = server;
  server = null;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    try {
      process.kill(-child.pid, 0);
    } catch {
      return;
    }
    spawnSync('sleep', ['0.1']);
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // gone
  }
}

function cleanup() {
  stopServer();
  if (tmp && !args.has('--keep')) rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping code-server`);
    cleanup();
    process.exit(130);
  });
}
const guard = setTimeout(() => {
  log(`overall timeout (${TOTAL_TIMEOUT_MS / 1000} s): stopping`);
  cleanup();
  finish(true);
}, TOTAL_TIMEOUT_MS);
guard.unref();

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited with ${r.status ?? r.signal}`);
  return r;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function waitHealthy(port, ms) {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    if (!server) throw new Error('code-server exited during start-up');
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not become healthy in ${ms} ms (${last})`);
}

function makeWorkspace(name, settings, rows = 1000) {
  const ws = join(tmp, name);
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  // Rows of the bundled phi^3 + phi^4 example.
  const example = readFileSync(join(ROOT, 'examples/phi4-lattice-d4.csv'), 'utf8').trim().split('\n');
  writeFileSync(join(ws, 'data.csv'), example.slice(0, rows + 1).join('\n') + '\n');
  writeFileSync(join(ws, 'long.csv'), example.slice(0, 1001).join('\n') + '\n');
  for (const f of ['bad.csv', 'names.csv']) copyFileSync(join(ROOT, 'test/extension/fixtures', f), join(ws, f));
  writeFileSync(join(ws, '.vscode/settings.json'), JSON.stringify(settings, null, 2));
  return ws;
}

// trust: workspace trust on (the Restricted Mode run), with no prompt: an opened folder stays untrusted.
async function startServer(trust = false) {
  const port = args.has('--port') && !trust ? Number(process.argv[process.argv.indexOf('--port') + 1]) : await freePort();
  const userData = join(tmp, trust ? 'user-data-trust' : 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User/settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': trust,
      'security.workspace.trust.startupPrompt': 'never',
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.enableExperiments': false,
      'update.mode': 'none',
      'window.commandCenter': false,
    }),
  );
  const logFile = join(tmp, 'code-server.log');
  const out = (await import('node:fs')).openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      ENTRY,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', userData,
      '--extensions-dir', join(tmp, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      ...(trust ? [] : ['--disable-workspace-trust']),
    ],
    {
      cwd: tmp,
      detached: true, // setsid: its own session and process group, killed as a group
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
        XDG_DATA_HOME: join(tmp, 'xdg-data'),
        XDG_CACHE_HOME: join(tmp, 'xdg-cache'),
        XDG_RUNTIME_DIR: join(tmp, 'xdg-runtime'),
      },
    },
  );
  server = { child, port, logFile };
  child.on('exit', (code, sig) => {
    if (server && server.child === child) {
      log(`code-server exited (${code ?? sig})`);
      server = null;
    }
  });
  await waitHealthy(port, 60_000);
  return port;
}

// withTests: the suite in development mode (the extension from this folder). Otherwise the
// extension installed from the .vsix when there is one, else development mode.
let installedFromVsix = false;
function workbenchUrl(port, folder, withTests) {
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  if (!withTests && installedFromVsix) return url;
  const ext = `vscode-remote://127.0.0.1:${port}${ROOT}`;
  const payload = [['extensionDevelopmentPath', ext]];
  if (withTests) payload.push(['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${SUITE_OUT}`]);
  return `${url}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

// Installs the packaged extension into the test's extensions folder (code-server's CLI, offline).
function installVsix(vsix) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [ENTRY, '--install-extension', vsix, '--extensions-dir', join(tmp, 'extensions'), '--user-data-dir', join(tmp, 'user-data')], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(tmp, 'xdg-config'), XDG_DATA_HOME: join(tmp, 'xdg-data') },
  });
  const ok = r.status === 0 && existsSync(join(tmp, 'extensions', 'action-lens.action-lens-0.1.0', 'dist', 'extension.js'));
  record('[vsix] code-server --install-extension installs the .vsix (the UI tests below use it)', ok, Date.now() - started, ok ? '' : `${r.stdout}\n${r.stderr}`);
  installedFromVsix = ok;
}

async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// --- 4. The mocha suite inside the real extension host ----------------------------------------
async function runSuite(browser, port, ws = makeWorkspace('ws-suite', { 'files.exclude': { '**/.test-results.json': true } }), prefix = 'host') {
  const started = Date.now();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const lines = [];
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationLog', (...a) => {
    const s = a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ');
    lines.push(s);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  page.on('console', (m) => {
    const t = m.text();
    if (/\[Extension Host\]|passing|failing|✔|✓|\d+\) /.test(t)) lines.push(t);
  });
  await page.goto(workbenchUrl(port, ws, true));
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 5 * 60_000))]);
  await page.screenshot({ path: join(ARTIFACTS, 'extension-suite.png') }).catch(() => {});
  await page.close();
  const resultsFile = join(ws, '.test-results.json');
  if (!existsSync(resultsFile)) {
    record(`in-host suite (${prefix})`, false, Date.now() - started, `no results (exit ${code}); last output:\n${lines.slice(-30).join('\n')}`);
    return;
  }
  const summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
  log(`in-host suite: ${summary.passed} passed, ${summary.failed} failed in ${summary.ms} ms (workbench exit code ${code})`);
  for (const r of summary.results) record(`[${prefix}] ${r.title}`, r.state === 'passed', r.ms, r.error ? r.error.split('\n').slice(0, 8).join('\n') : '');
  if (code !== 0 && summary.failed === 0) record(`in-host suite exit code (${prefix})`, false, 0, `workbench exit code ${code}`);
}

// --- 5. Playwright through the UI: ui-learn.mjs and the scenarios it runs; 6. the .vsix: vsix.mjs ----

function finish(timedOut = false) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.filter((r) => !r.ok).length + (timedOut ? 1 : 0);
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

async function main() {
  mkdirSync(ARTIFACTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'action-lens-ext-'));
  let s = Date.now();
  run('bash', [join(ROOT, 'scripts/install-code-server.sh')]);
  log(`code-server ready (${Date.now() - s} ms)`);
  s = Date.now();
  run(process.execPath, [join(ROOT, 'scripts/build.mjs')]);
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(ROOT, 'test/extension/suite/index.ts')],
    outfile: SUITE_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  log(`built the extension and the suite (${Date.now() - s} ms)`);
  if (!args.has('--skip-vsix')) {
    const vsix = testVsix(tmp, run);
    if (vsix) installVsix(vsix);
  }
  if (args.has('--skip-suite') && args.has('--skip-ui')) return;
  s = Date.now();
  const port = await startServer();
  log(`code-server listening on 127.0.0.1:${port} (${Date.now() - s} ms)`);
  const browser = await launchBrowser();
  try {
    if (!args.has('--skip-suite')) await runSuite(browser, port);
    if (!args.has('--skip-ui')) await runUi(browser, { makeWorkspace, url: (folder) => workbenchUrl(port, folder, false) });
    // Restricted Mode: a second server with workspace trust on, an untrusted workspace whose settings
    // point the output outside it and which holds a task and a script that must never run.
    if (!args.has('--skip-suite') && !args.has('--skip-restricted')) {
      stopServer();
      const trustPort = await startServer(true);
      const ws = makeWorkspace('ws-restricted', { 'actionLens.outputFolder': '../escaped', 'files.exclude': { '**/.test-results.json': true } }, 300);
      writeFileSync(join(ws, 'script.sh'), `#!/bin/sh\ntouch "${join(ws, 'ran-script.txt')}"\n`, { mode: 0o755 });
      writeFileSync(join(ws, '.vscode/tasks.json'), JSON.stringify({ version: '2.0.0', tasks: [{ label: 'x', type: 'shell', command: `touch ${join(ws, 'ran-task.txt')}`, runOptions: { runOn: 'folderOpen' } }] }));
      await runSuite(browser, trustPort, ws, 'restricted');
    }
  } finally {
    await browser.close().catch(() => {});
    stopServer();
  }
}

main()
  .catch((e) => {
    record('extension test runner', false, 0, e.stack ?? String(e));
    if (server?.logFile && existsSync(server.logFile)) process.stdout.write(readFileSync(server.logFile, 'utf8').slice(-3000));
  })
  .finally(() => {
    cleanup();
    finish();
  });
