/**
 * The harness of the panel's browser tests (panel-*.browser.test.ts): the panel's webview in a real
 * browser (Debian's Chromium through playwright-core), served with the same HTML builder and CSP as
 * in VS Code, with acquireVsCodeApi stubbed and the report posted like the host does. Fails (does
 * not skip) when Chromium cannot start. Needs `node scripts/build.mjs` first (media/panel.js,
 * media/panel.css, media/katex/).
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildPanelHtml, makeNonce, PANEL_MEDIA } from '../../src/panel/html';
import type { Report } from '../../src/core/report/schema';

export const MEDIA = resolve('media');
export const ARTIFACTS = resolve('test-artifacts');
export const report = JSON.parse(readFileSync('test/fixtures/report.sample.json', 'utf8')) as Report;
export const XSS = '<img src=x onerror=alert(1)>';

export type Theme = 'light' | 'dark' | 'high-contrast';
/** The theme variables VS Code injects into webviews (a subset), per theme kind. */
const THEME_VARS: Record<Theme, Record<string, string>> = {
  light: {
    'editor-background': '#ffffff', foreground: '#3b3b3b', descriptionForeground: '#717171', 'panel-border': '#e5e5e5',
    'sideBar-background': '#f8f8f8', 'textLink-foreground': '#005fb8', 'charts-red': '#e51400', 'charts-blue': '#1a85ff',
    'charts-orange': '#d18616', 'charts-green': '#388a34', 'button-background': '#005fb8', 'button-foreground': '#ffffff',
    'editorWarning-foreground': '#bf8803', 'editorError-foreground': '#e51400', 'testing-iconPassed': '#388a34',
    'inputValidation-warningBackground': '#fff4ce', 'inputValidation-warningBorder': '#bf8803', 'font-family': 'sans-serif', 'font-size': '13px',
    'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
    'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece', 'checkbox-foreground': '#3b3b3b',
    'settings-checkboxBackground': '#f8f8f8', 'settings-checkboxBorder': '#cecece', 'settings-checkboxForeground': '#3b3b3b',
    'settings-textInputBackground': '#ffffff', 'settings-textInputBorder': '#cecece', 'settings-textInputForeground': '#3b3b3b',
    'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-inactiveForeground': '#6b6b6b', 'panelTitle-activeBorder': '#005fb8',
    'panel-background': '#f8f8f8', 'settings-headerBorder': '#e5e5e5', focusBorder: '#005fb8',
  },
  dark: {
    'editor-background': '#1f1f1f', foreground: '#cccccc', descriptionForeground: '#9d9d9d', 'panel-border': '#2b2b2b',
    'sideBar-background': '#181818', 'textLink-foreground': '#4daafc', 'charts-red': '#f14c4c', 'charts-blue': '#3794ff',
    'charts-orange': '#d18616', 'charts-green': '#89d185', 'button-background': '#0078d4', 'button-foreground': '#ffffff',
    'editorWarning-foreground': '#cca700', 'editorError-foreground': '#f85149', 'testing-iconPassed': '#73c991',
    'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500', 'font-family': 'sans-serif', 'font-size': '13px',
  },
  'high-contrast': {
    'editor-background': '#000000', foreground: '#ffffff', descriptionForeground: '#ffffff', 'panel-border': '#6fc3df',
    'sideBar-background': '#000000', 'textLink-foreground': '#21a6ff', 'charts-red': '#f14c4c', 'charts-blue': '#3794ff',
    'charts-orange': '#d18616', 'charts-green': '#89d185', 'button-background': '#000000', 'button-foreground': '#ffffff',
    'editorWarning-foreground': '#ffd370', 'editorError-foreground': '#f48771', 'testing-iconPassed': '#73c991', contrastBorder: '#6fc3df',
    'button-border': '#6fc3df', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'checkbox-background': '#000000',
    'checkbox-border': '#6fc3df', 'settings-checkboxBackground': '#000000', 'settings-checkboxBorder': '#6fc3df', 'settings-textInputBackground': '#000000',
    'settings-textInputBorder': '#6fc3df', 'panelTitle-activeForeground': '#ffffff', 'panelTitle-inactiveForeground': '#ffffff',
    'panelTitle-activeBorder': '#6fc3df', 'panel-background': '#000000', 'settings-headerBorder': '#6fc3df', focusBorder: '#f38518',
    'inputValidation-warningBackground': '#000000', 'inputValidation-warningBorder': '#ffd370', 'font-family': 'sans-serif', 'font-size': '13px',
  },
};

const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.map': 'application/json',
};

let server: Server;
/** The test server's origin, the browser, and what the server was asked for (and did not have). */
export const harness = { origin: '', browser: undefined as unknown as Browser, requests: [] as string[], notFound: [] as string[] };

function serve(): Promise<void> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    harness.requests.push(url.pathname);
    if (url.pathname === '/panel.html') {
      const theme = (url.searchParams.get('theme') ?? 'light') as Theme;
      const html = buildPanelHtml({
        cspSource: harness.origin,
        nonce: makeNonce(),
        scriptUri: `${harness.origin}/media/${PANEL_MEDIA.script}`,
        styleUris: [...PANEL_MEDIA.styles.map((p) => `${harness.origin}/media/${p}`), `${harness.origin}/theme/${theme}.css`],
        title: 'Action Lens',
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    const themeMatch = /^\/theme\/([a-z-]+)\.css$/.exec(url.pathname);
    if (themeMatch && themeMatch[1] && themeMatch[1] in THEME_VARS) {
      const vars = THEME_VARS[themeMatch[1] as Theme];
      const css = `html { ${Object.entries(vars).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ')} }`;
      res.writeHead(200, { 'content-type': 'text/css' }).end(css);
      return;
    }
    if (url.pathname.startsWith('/media/')) {
      const file = normalize(join(MEDIA, decodeURIComponent(url.pathname.slice('/media/'.length))));
      if (file.startsWith(MEDIA + '/') && existsSync(file)) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
        return;
      }
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end(); // the browser's own request, not the panel's
      return;
    }
    harness.notFound.push(url.pathname);
    res.writeHead(404).end();
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    harness.origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    ok();
  }));
}

export interface Watch {
  errors: string[];
  dialogs: string[];
}

/** tsx compiles with keepNames: functions serialised into the page may call `__name`; give the page one. */
export const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

export function watch(page: Page): Watch {
  const w: Watch = { errors: [], dialogs: [] };
  page.on('console', (m) => { if (m.type() === 'error') w.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => w.errors.push(`requestfailed: ${r.url()}`));
  page.on('dialog', (d) => { w.dialogs.push(d.message()); void d.dismiss(); });
  return w;
}

/** Stubs acquireVsCodeApi (with an optional saved state), records CSP violations, sets the body's theme class. */
export async function openPanel(theme: Theme, savedState: unknown = undefined): Promise<{ context: BrowserContext; page: Page; w: Watch }> {
  const context = await harness.browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: theme === 'light' ? 'light' : 'dark' });
  const page = await context.newPage();
  const w = watch(page);
  page.setDefaultTimeout(15_000);
  await page.addInitScript(NAME_SHIM);
  await page.addInitScript(({ state, bodyClass }) => {
    const g = window as unknown as Record<string, unknown>;
    g.__posted = [];
    g.__state = state;
    g.__csp = [];
    g.__alerts = 0;
    g.alert = () => { g.__alerts = (g.__alerts as number) + 1; };
    g.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => (g.__posted as unknown[]).push(JSON.parse(JSON.stringify(m))),
      getState: () => g.__state,
      setState: (s: unknown) => { g.__state = JSON.parse(JSON.stringify(s)); },
    });
    document.addEventListener('securitypolicyviolation', (e) => (g.__csp as string[]).push(`${e.violatedDirective} ${e.blockedURI}`));
    document.addEventListener('DOMContentLoaded', () => document.body.classList.add(bodyClass));
  }, { state: savedState ?? null, bodyClass: `vscode-${theme}` });
  await page.goto(`${harness.origin}/panel.html?theme=${theme}`);
  return { context, page, w };
}

export async function postReport(page: Page, r: unknown): Promise<void> {
  await page.evaluate((rep) => window.postMessage({ type: 'report', report: rep }, '*'), r);
  await page.waitForSelector('body[data-rendered="true"]');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

export async function selectTab(page: Page, key: string): Promise<void> {
  await page.click(`vscode-tab-header[data-tab="${key}"]`);
  await page.waitForFunction((k) => {
    const panel = document.querySelector(`vscode-tab-panel[data-tab="${k}"]`);
    return panel instanceof HTMLElement && panel.getBoundingClientRect().height > 0;
  }, key);
}

export async function pageGlobals(page: Page): Promise<{ posted: unknown[]; state: unknown; csp: string[]; alerts: number }> {
  return page.evaluate(() => {
    const g = window as unknown as Record<string, unknown>;
    return { posted: g.__posted as unknown[], state: g.__state, csp: g.__csp as string[], alerts: g.__alerts as number };
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Starts the server and Chromium before a file's tests and stops them after. */
export function usePanelBrowser(): void {
  before(async () => {
    assert.ok(existsSync(join(MEDIA, 'panel.js')), 'media/panel.js missing: run node scripts/build.mjs first');
    await serve();
    harness.browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    await harness.browser?.close();
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  });
}
