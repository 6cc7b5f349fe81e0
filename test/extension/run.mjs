#!/usr/bin/env node
/* global setTimeout, fetch, document -- node globals, and document inside page.evaluate callbacks (they run in the webview) */
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
// Options: --skip-ui, --skip-suite, --skip-vsix, --keep (leave the temp folder), --port N.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openHeaderHover, uiFocusFromBackgroundTab } from './ui-hover.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = new Set(process.argv.slice(2));
const CODE_SERVER_DIR = process.env.CODE_SERVER_DIR ?? join(ROOT, '.vscode-test/code-server');
const ENTRY = join(CODE_SERVER_DIR, 'node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const SUITE_OUT = join(ROOT, 'out/test/extension/suite.js');
const TOTAL_TIMEOUT_MS = 9 * 60_000;

const results = []; // {name, ok, ms, detail}
const t0 = Date.now();
let server = null; // { child, port }
let tmp = null;

function log(msg) {
  process.stdout.write(`[extension-tests ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
}

function record(name, ok, ms, detail = '') {
  results.push({ name, ok, ms, detail });
  process.stdout.write(`${ok ? '  ✔' : '  ✖'} ${name} (${ms} ms)${detail ? `\n      ${detail.split('\n').join('\n      ')}` : ''}\n`);
}

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

async function startServer() {
  const port = args.has('--port') ? Number(process.argv[process.argv.indexOf('--port') + 1]) : await freePort();
  const userData = join(tmp, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User/settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
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
      '--disable-workspace-trust',
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
async function runSuite(browser, port) {
  const ws = makeWorkspace('ws-suite', { 'files.exclude': { '**/.test-results.json': true } });
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
    record('in-host suite', false, Date.now() - started, `no results (exit ${code}); last output:\n${lines.slice(-30).join('\n')}`);
    return;
  }
  const summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
  log(`in-host suite: ${summary.passed} passed, ${summary.failed} failed in ${summary.ms} ms (workbench exit code ${code})`);
  for (const r of summary.results) record(`[host] ${r.title}`, r.state === 'passed', r.ms, r.error ? r.error.split('\n').slice(0, 8).join('\n') : '');
  if (code !== 0 && summary.failed === 0) record('in-host suite exit code', false, 0, `workbench exit code ${code}`);
}

// --- 5. Playwright through the UI ------------------------------------------------------------------
async function findFrame(page, predicate, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      try {
        if (await f.evaluate(predicate)) return f;
      } catch {
        // detached or cross-origin in transition
      }
    }
    await page.waitForTimeout(250);
  }
  return null;
}

const panelRendered = () => document.body?.dataset.rendered === 'true' && document.querySelector('#al-equation .katex') !== null;

async function readAction(frame) {
  return frame.evaluate(() => {
    const eq = document.querySelector('#al-equation');
    const katexEls = [...document.querySelectorAll('#al-equation .katex')];
    const tex = katexEls.map((k) => k.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? '').join(' ');
    const heights = katexEls.map((k) => k.getBoundingClientRect().height);
    return { text: eq?.textContent ?? '', tex, count: katexEls.length, minHeight: Math.min(...heights), title: document.title };
  });
}

/** Clicks the row labelled `label` among the first `max` rows of the open quick input; false if none is. */
async function clickListedRow(page, label, max) {
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const n = Math.min(await rows.count(), max);
  for (let i = 0; i < n; i++) {
    const name = ((await rows.nth(i).locator('.label-name').first().textContent().catch(() => '')) ?? '').trim();
    if (name === label) {
      await rows.nth(i).click();
      return true;
    }
  }
  return false;
}

async function openPalette(page, command, itemText) {
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${command}`);
    await page.waitForTimeout(300);
    if (await clickListedRow(page, itemText, 20)) return;
    // A command registered late may not be listed yet: close and reopen (docs/TESTING.md).
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
  }
  throw new Error(`the command palette never listed "${itemText}"`);
}

async function runUi(browser, port) {
  // The whole example (4000 rows) and the default settings: training lasts a few seconds.
  const ws = makeWorkspace('ws-ui', {}, 4000);
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) consoleErrors.push(m.text());
  });
  let started = Date.now();
  try {
    await page.goto(workbenchUrl(port, ws, false));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 30_000 }).catch(() => {});
    // Open data.csv with Quick Open.
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('data.csv');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'data.csv' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'data.csv' }).first().waitFor({ timeout: 15_000 });
    // The command from the palette.
    await openPalette(page, 'Action Lens: Learn Action', 'Action Lens: Learn Action');
    // The progress notification shows the step and the validation NLL.
    let progressText = '';
    const progressEnd = Date.now() + 60_000;
    while (Date.now() < progressEnd) {
      progressText = (await page.locator('.notifications-toasts').textContent().catch(() => '')) ?? '';
      if (/validation NLL/.test(progressText)) break;
      if (existsSync(join(ws, 'data.report.json'))) break;
      await page.waitForTimeout(100);
    }
    const frame = await findFrame(page, panelRendered, 120_000);
    if (!frame) throw new Error('the panel never showed a typeset action');
    const action = await readAction(frame);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'extension-panel.png') });
    // Counts have thousands separators (step 1,500/1,500); a start of the comparison is explained in words.
    const sawProgress = /step [\d,]+(\/[\d,]+| · best at [\d,]+, stops at [\d,]+ unless it improves \(budget [\d,]+\)) · validation NLL -?\d/.test(progressText) && (!/start \d/.test(progressText) || /comparing \d+ starts \(\d+ of \d+/.test(progressText));
    const ok = sawProgress && action.count > 0 && action.minHeight > 0 && /x_\{\\text\{x0\}\}/.test(action.tex);
    record(
      '[ui] palette "Action Lens: Learn Action" -> progress -> panel with the typeset action',
      ok && existsSync(join(ws, 'data.report.json')),
      Date.now() - started,
      `progress: ${(progressText.match(/[^.]*validation NLL[^)]*\)/) ?? ['(not caught)'])[0].trim()}\n` +
        `action (TeX of the first terms): ${action.tex.slice(0, 160)}...\nKaTeX nodes: ${action.count}, min height ${action.minHeight.toFixed(1)} px; screenshot test-artifacts/extension-panel.png`,
    );
    await uiRevealAndErrors(page, ws, frame);
    // Reload the window (the palette's Developer: Reload Window, which lets the workbench save its
    // state): the serializer revives the panel, re-reading the report from disk.
    started = Date.now();
    await page.waitForTimeout(1500);
    await openPalette(page, 'Developer: Reload Window', 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 30_000 }).catch(() => {});
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const revived = await findFrame(page, panelRendered, 60_000);
    const again = revived ? await readAction(revived) : null;
    await page.screenshot({ path: join(ARTIFACTS, 'extension-panel-revived.png') });
    record('[ui] after a reload the panel is revived with the report', again !== null && again.count === action.count, Date.now() - started, again ? `${again.count} typeset terms` : 'no panel after reload');
    await uiContextMenuAndHover(page, ws);
    await uiFocusFromBackgroundTab(page, { findFrame, record, artifact: (name) => join(ARTIFACTS, name) });
    await uiChooseSettings(page, ws);
    record('[ui] no Content-Security-Policy violations', consoleErrors.length === 0, 0, consoleErrors.slice(0, 3).join('\n'));
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, 'extension-ui-failure.png') }).catch(() => {});
    record('[ui] palette -> panel', false, Date.now() - started, `${e.message}\nscreenshot: test-artifacts/extension-ui-failure.png`);
  } finally {
    await page.close();
  }
}

// Explorer context menu "Learn Action" on a CSV whose column names are hostile, then the hover on its
// header (rendered by the real workbench): names appear as literal text, the only link is ours, and
// it opens the panel.
async function uiContextMenuAndHover(page, ws) {
  const started = Date.now();
  const details = [];
  try {
    const item = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'names.csv' }).first();
    await item.click({ button: 'right' });
    const entries = page.locator('.monaco-menu .action-item .action-label');
    await entries.first().waitFor({ state: 'visible', timeout: 10_000 });
    const labels = await entries.allTextContents();
    const idx = labels.findIndex((l) => l.trim() === 'Learn Action');
    if (idx < 0) throw new Error(`no "Learn Action" in the explorer context menu: ${labels.join(' | ')}`);
    details.push(`context menu: ${labels.filter((l) => /Learn Action/.test(l)).join(' | ')}`);
    await page.waitForTimeout(300);
    await entries.nth(idx).hover();
    await entries.nth(idx).click();
    await page.waitForTimeout(700);
    // A click that lands right after the menu opened can be ignored: the item is highlighted, so Enter runs it.
    if (await page.locator('.monaco-menu').first().isVisible().catch(() => false)) await page.keyboard.press('Enter');
    const reportPath = join(ws, 'names.report.json');
    const end = Date.now() + 90_000;
    while (!existsSync(reportPath) && Date.now() < end) await page.waitForTimeout(200);
    if (!existsSync(reportPath)) throw new Error('names.report.json was not written');
    await findFrame(page, () => document.title.includes('names.csv') && document.body?.dataset.rendered === 'true', 30_000);
    // One editor group, then open the CSV and hover over the second column's name.
    await openPalette(page, 'View: Close All Editors', 'View: Close All Editors');
    await page.waitForTimeout(500);
    await item.click();
    await page.locator('.tab', { hasText: 'names.csv' }).first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    const { hover, linkInView, fits, heights } = await openHeaderHover(page, 'a*b_c');
    const info = await hover.evaluate((el) => ({
      text: el.textContent ?? '',
      links: [...el.querySelectorAll('a')].map((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? ''),
      imgs: el.querySelectorAll('img').length,
    }));
    await page.screenshot({ path: join(ARTIFACTS, 'extension-hover.png') });
    details.push(`hover: ${info.text.replace(/\s+/g, ' ').slice(0, 220)}...`);
    details.push(`links in the hover: ${info.links.map((l) => l.slice(0, 60)).join(' | ')}`);
    const problems = [];
    if (!info.text.includes('a*b_c')) problems.push('the column name is not shown literally');
    if (!/Self terms/.test(info.text) || !/Strongest couplings/.test(info.text)) problems.push('no terms listed');
    if (info.imgs > 0) problems.push('an <img> was rendered from a column name');
    if (info.links.length !== 1 || !info.links[0].startsWith('command:actionLens.showColumn')) problems.push(`unexpected links: ${info.links.join(', ')}`);
    // The whole hover shows: the link without scrolling inside it.
    if (!linkInView || !fits) problems.push(`the hover needs scrolling (link in view: ${linkInView}, content fits: ${fits})`);
    details.push(`hover size: ${heights}`);
    // Open the panel from the hover's link.
    await hover.locator('a', { hasText: 'Open in Action Lens' }).click();
    const focused = await findFrame(page, () => document.title.includes('names.csv') && document.querySelector('.al-term.al-focus') !== null, 20_000);
    if (!focused) problems.push("the hover's link did not open the panel focused on the column");
    if (focused) await uiExport(page, ws, focused);
    record('[ui] explorer context menu "Learn Action" -> hover on a hostile column name (literal text, one link) -> link opens the panel', problems.length === 0, Date.now() - started, [...problems, ...details].join('\n'));
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, 'extension-hover-failure.png') }).catch(() => {});
    record('[ui] explorer context menu -> hover -> panel', false, Date.now() - started, `${e.message}\n${details.join('\n')}`);
  }
}

// "Learn Action (choose settings)…": the quick pick of this run's settings, driven by keyboard and
// mouse; the report must carry what was picked (coupling layers, L = 1, three of four columns).
async function pickRow(page, label) {
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    if (await clickListedRow(page, label, 30)) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`no quick pick row "${label}"`);
}

async function uiChooseSettings(page, ws) {
  const started = Date.now();
  const reportPath = join(ws, 'data.report.json');
  try {
    const input = page.locator('.quick-input-widget input');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^data\.csv$/ }).first().click();
    await page.locator('.tab.active', { hasText: 'data.csv' }).first().waitFor({ timeout: 15_000 });
    await openPalette(page, 'Action Lens: Learn Action (choose settings)', 'Action Lens: Learn Action (choose settings)…');
    await pickRow(page, 'Layer kind');
    await pickRow(page, 'coupling');
    await pickRow(page, 'Layers L');
    await input.waitFor({ state: 'visible' });
    await input.fill('1');
    await page.keyboard.press('Enter');
    await pickRow(page, 'Columns');
    await pickRow(page, 'x3'); // unticks x3 (all were ticked)
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await pickRow(page, 'Learn with these settings');
    let report = null;
    const end = Date.now() + 90_000;
    while (Date.now() < end) {
      try {
        const r = JSON.parse(readFileSync(reportPath, 'utf8'));
        if (r.model.layerKind === 'coupling') {
          report = r;
          break;
        }
      } catch {
        // being written
      }
      await page.waitForTimeout(250);
    }
    const got = report ? `${report.model.layerKind}, L = ${report.model.layers}, columns ${report.input.columns.join(',')}` : 'no new report';
    const ok = report !== null && report.model.layers === 1 && report.input.columns.join(',') === 'x0,x1,x2';
    record('[ui] "Learn Action (choose settings)…": kind, layers and columns picked in quick picks reach the report', ok, Date.now() - started, got);
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, 'extension-settings-failure.png') }).catch(() => {});
    record('[ui] "Learn Action (choose settings)…"', false, Date.now() - started, e.message);
  }
}

// The panel's column link (a revealColumn message) selects the column's name in the CSV; a malformed
// CSV from the explorer's context menu gives a notification naming file:line:column whose
// "Go to Line" button selects the cell at fault.
async function statusSelection(page, pattern, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    last = (await page.locator('#status\\.editor\\.selection').textContent().catch(() => '')) ?? '';
    if (pattern.test(last)) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`status bar selection is "${last}", expected ${pattern}`);
}

async function uiRevealAndErrors(page, ws, frame) {
  let started = Date.now();
  try {
    await frame.locator('a.al-col', { hasText: /^x2$/ }).click();
    const sel = await statusSelection(page, /Ln 1, Col 9 \(2 selected\)/);
    record('[ui] a column link in the panel selects that column\'s name in the CSV header', true, Date.now() - started, `status bar: ${sel.trim()}`);
  } catch (e) {
    record('[ui] a column link in the panel selects that column\'s name in the CSV header', false, Date.now() - started, e.message);
  }
  started = Date.now();
  try {
    const item = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^bad\.csv$/ }).first();
    await item.click({ button: 'right' });
    const entries = page.locator('.monaco-menu .action-item .action-label');
    await entries.first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(300);
    const idx = (await entries.allTextContents()).findIndex((l) => l.trim() === 'Learn Action');
    await entries.nth(idx).hover();
    await entries.nth(idx).click();
    await page.waitForTimeout(700);
    if (await page.locator('.monaco-menu').first().isVisible().catch(() => false)) await page.keyboard.press('Enter');
    const toast = page.locator('.notification-toast', { hasText: 'non-numeric value' }).first();
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    const text = ((await toast.locator('.notification-list-item-message').first().textContent()) ?? '').replace(/\s+/g, ' ');
    // Line 5 is 0.72950,1.12685,abc: the cell starts at character 17 and is 3 long.
    const expected = `${join(ws, 'bad.csv')}:5:17: non-numeric value "abc" in column "c" (field 3)`;
    await toast.locator('.monaco-button', { hasText: 'Go to Line' }).click();
    const sel = await statusSelection(page, /Ln 5, Col 17 \(3 selected\)/);
    record('[ui] a malformed CSV: the notification names file:line:column and "Go to Line" selects the cell', text.includes(expected) && !existsSync(join(ws, 'bad.report.json')), Date.now() - started, `notification: ${text.slice(0, 200)}\nstatus bar: ${sel.trim()}`);
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, 'extension-error-failure.png') }).catch(() => {});
    record('[ui] a malformed CSV: the notification names file:line:column', false, Date.now() - started, e.message);
  }
}

// The panel's "Export LaTeX" button: a validated message to the host, VS Code's save dialog (the
// simple dialog in the browser, default path beside the report), the file written atomically.
async function uiExport(page, ws, frame) {
  const started = Date.now();
  const target = join(ws, 'names.report.tex');
  try {
    await frame.locator('vscode-button', { hasText: 'Export LaTeX' }).first().click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    const proposed = await input.inputValue();
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    const end = Date.now() + 20_000;
    while (!existsSync(target) && Date.now() < end) {
      // the simple dialog may ask to confirm a path; accept it
      if (await page.locator('.quick-input-widget input').isVisible().catch(() => false)) await page.keyboard.press('Enter').catch(() => {});
      await page.waitForTimeout(300);
    }
    const tex = existsSync(target) ? readFileSync(target, 'utf8') : '';
    const ok = /\\begin\{align\*\}/.test(tex) && tex.includes('a*b\\_c');
    record('[ui] the panel\'s "Export LaTeX" -> save dialog -> .tex written beside the report', ok, Date.now() - started, `dialog proposed ${proposed}; ${tex ? `${tex.length} chars written` : 'nothing written'}`);
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, 'extension-export-failure.png') }).catch(() => {});
    record('[ui] the panel\'s "Export LaTeX"', false, Date.now() - started, e.message);
  }
}

// --- 6. The .vsix ---------------------------------------------------------------------------------
function testVsix() {
  const started = Date.now();
  const out = join(tmp, 'action-lens.vsix');
  try {
    run(process.execPath, [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '-o', out], { stdio: ['ignore', 'inherit', 'inherit'] });
    const list = spawnSync('unzip', ['-Z1', out], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    const has = (p) => list.includes(`extension/${p}`);
    const problems = [];
    for (const p of ['package.json', 'dist/extension.js', 'dist/worker.js', 'media/panel.js', 'media/panel.css', 'media/katex/katex.min.css']) if (!has(p)) problems.push(`missing ${p}`);
    if (!list.some((p) => /^extension\/media\/katex\/fonts\/KaTeX_Main-Regular\.woff2$/.test(p))) problems.push('missing the KaTeX fonts');
    // Every bundle the build makes (but the CLI) is loaded at run time: a new one must be listed in .vscodeignore.
    for (const f of readdirSync(join(ROOT, 'dist'))) if (f.endsWith('.js') && f !== 'cli.js' && !has(`dist/${f}`)) problems.push(`missing dist/${f} (add it to .vscodeignore)`);
    // The native product kernel, where the build made it (the training worker loads it from dist/native).
    if (existsSync(join(ROOT, 'dist/native/gemm.node')) && !has('dist/native/gemm.node')) problems.push('missing dist/native/gemm.node');
    for (const p of list) {
      if (/^extension\/(src|test|webview|scripts|out|examples|node_modules|\.vscode-test|test-artifacts|bench)\//.test(p)) problems.push(`should not ship ${p}`);
      if (/\.ts$|\.map$/.test(p)) problems.push(`should not ship ${p}`);
    }
    const size = readFileSync(out).length;
    record('[vsix] vsce package ships the bundles, media and KaTeX fonts, not the sources or tests', problems.length === 0, Date.now() - started, problems.length ? problems.slice(0, 10).join('\n') : `${list.length} files, ${(size / 1024).toFixed(0)} KB`);
    return problems.length === 0 ? out : null;
  } catch (e) {
    record('[vsix] vsce package', false, Date.now() - started, e.message);
    return null;
  }
}

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
    const vsix = testVsix();
    if (vsix) installVsix(vsix);
  }
  if (args.has('--skip-suite') && args.has('--skip-ui')) return;
  s = Date.now();
  const port = await startServer();
  log(`code-server listening on 127.0.0.1:${port} (${Date.now() - s} ms)`);
  const browser = await launchBrowser();
  try {
    if (!args.has('--skip-suite')) await runSuite(browser, port);
    if (!args.has('--skip-ui')) await runUi(browser, port);
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
