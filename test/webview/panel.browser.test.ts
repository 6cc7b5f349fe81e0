/**
 * The panel's webview in a real browser (Debian's Chromium through playwright-core), served with the
 * same HTML builder and CSP as in VS Code, with acquireVsCodeApi stubbed and the report posted like
 * the host does. Fails (does not skip) when Chromium cannot start.
 * Needs `node scripts/build.mjs` first (media/panel.js, media/panel.css, media/katex/).
 */

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildPanelHtml, buildStandaloneHtml, collectStandaloneAssets, makeNonce, PANEL_MEDIA } from '../../src/panel/html';
import type { Report } from '../../src/core/report/schema';

const MEDIA = resolve('media');
const ARTIFACTS = resolve('test-artifacts');
const report = JSON.parse(readFileSync('test/fixtures/report.sample.json', 'utf8')) as Report;
const XSS = '<img src=x onerror=alert(1)>';

type Theme = 'light' | 'dark' | 'high-contrast';
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
let origin = '';
let browser: Browser;
const requests: string[] = [];
const notFound: string[] = [];

function serve(): Promise<void> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    if (url.pathname === '/panel.html') {
      const theme = (url.searchParams.get('theme') ?? 'light') as Theme;
      const html = buildPanelHtml({
        cspSource: origin,
        nonce: makeNonce(),
        scriptUri: `${origin}/media/${PANEL_MEDIA.script}`,
        styleUris: [...PANEL_MEDIA.styles.map((p) => `${origin}/media/${p}`), `${origin}/theme/${theme}.css`],
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
    notFound.push(url.pathname);
    res.writeHead(404).end();
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    ok();
  }));
}

interface Watch {
  errors: string[];
  dialogs: string[];
}

/** tsx compiles with keepNames: functions serialised into the page may call `__name`; give the page one. */
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

function watch(page: Page): Watch {
  const w: Watch = { errors: [], dialogs: [] };
  page.on('console', (m) => { if (m.type() === 'error') w.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => w.errors.push(`requestfailed: ${r.url()}`));
  page.on('dialog', (d) => { w.dialogs.push(d.message()); void d.dismiss(); });
  return w;
}

/** Stubs acquireVsCodeApi (with an optional saved state), records CSP violations, sets the body's theme class. */
async function openPanel(theme: Theme, savedState: unknown = undefined): Promise<{ context: BrowserContext; page: Page; w: Watch }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: theme === 'light' ? 'light' : 'dark' });
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
  await page.goto(`${origin}/panel.html?theme=${theme}`);
  return { context, page, w };
}

async function postReport(page: Page, r: unknown): Promise<void> {
  await page.evaluate((rep) => window.postMessage({ type: 'report', report: rep }, '*'), r);
  await page.waitForSelector('body[data-rendered="true"]');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

async function selectTab(page: Page, key: string): Promise<void> {
  await page.click(`vscode-tab-header[data-tab="${key}"]`);
  await page.waitForFunction((k) => {
    const panel = document.querySelector(`vscode-tab-panel[data-tab="${k}"]`);
    return panel instanceof HTMLElement && panel.getBoundingClientRect().height > 0;
  }, key);
}

async function pageGlobals(page: Page): Promise<{ posted: unknown[]; state: unknown; csp: string[]; alerts: number }> {
  return page.evaluate(() => {
    const g = window as unknown as Record<string, unknown>;
    return { posted: g.__posted as unknown[], state: g.__state, csp: g.__csp as string[], alerts: g.__alerts as number };
  });
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

before(async () => {
  assert.ok(existsSync(join(MEDIA, 'panel.js')), 'media/panel.js missing: run node scripts/build.mjs first');
  await serve();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
});

test('panel renders the report under the strict CSP (KaTeX, fonts, superscripts, no violations)', async () => {
  const { context, page, w } = await openPanel('light');
  try {
    await postReport(page, report);
    const m = await page.evaluate(() => {
      const terms = [...document.querySelectorAll<HTMLElement>('.al-term')];
      const heights = terms.map((t) => t.querySelector('.katex')?.getBoundingClientRect().height ?? 0);
      const katexFonts = [...document.fonts].filter((f) => f.family.replace(/["']/g, '').startsWith('KaTeX') && f.status === 'loaded').map((f) => f.family);
      // A squared variable: its superscript must sit above the base (collapsed sub/superscripts sit on the baseline).
      // x_{name}^{2}: the subscript and the superscript are stacked by KaTeX with inline offsets set
      // through the CSSOM; if those were blocked they would collapse onto the baseline together.
      const sq = document.querySelector('.al-term[data-monomial="0,0"]');
      const base = sq?.querySelector('.mord.mathnormal')?.getBoundingClientRect();
      const parts = [...(sq?.querySelectorAll('.msupsub .vlist > span > .sizing, .msupsub .vlist > span > .mord') ?? [])]
        .map((e) => e.getBoundingClientRect()).filter((r) => r.height > 0);
      const centers = parts.map((r) => r.top + r.height / 2);
      const baseCenter = base ? base.top + base.height / 2 : 0;
      return {
        n: terms.length,
        heights,
        katexFonts,
        mainFont: document.fonts.check('16px KaTeX_Main'),
        mathFont: document.fonts.check('italic 16px KaTeX_Math'),
        supRaise: centers.length > 0 ? baseCenter - Math.min(...centers) : -1,
        subDrop: centers.length > 0 ? Math.max(...centers) - baseCenter : -1,
        parts: parts.length,
        supHeight: parts.length > 0 ? Math.min(...parts.map((r) => r.height)) : 0,
        baseHeight: base?.height ?? 0,
        lhs: document.querySelector('.al-lhs .katex-mathml annotation')?.textContent ?? '',
      };
    });
    assert.equal(m.n, report.action.terms.length);
    assert.ok(m.heights.every((hgt) => hgt > 5), `KaTeX heights ${m.heights.join(',')}`);
    assert.ok(m.katexFonts.length >= 2, `KaTeX fonts loaded: ${m.katexFonts.join(',')}`);
    assert.ok(m.mainFont && m.mathFont, 'KaTeX_Main and KaTeX_Math available');
    assert.equal(m.parts, 2, 'a subscript and a superscript');
    assert.ok(m.supRaise > 2, `superscript raised by ${m.supRaise}px`);
    assert.ok(m.subDrop > 1, `subscript lowered by ${m.subDrop}px`);
    assert.ok(m.supHeight < m.baseHeight, 'superscript smaller than its base');
    assert.match(m.lhs, /^S\(x\)/);
    const title = (await page.getAttribute('.al-term[data-monomial="0,0"]', 'title')) ?? '';
    assert.ok(title.includes('-0.51234567890123'), `full precision in the hover: ${title}`);
    assert.match(title, /-0\.512 ± 0\.010 \(± one standard error\)/, "stdErr in the hover, the digits it allows");
    assert.match(title, /built from \(diagrams of layer 0[^\n]*\n\s+-0\.512346\s+order-2 vertex: 2 pass\n\s+= -0\.512346/, `the diagrams that produced the term, adding up: ${title}`);
    const g = await pageGlobals(page);
    assert.deepEqual(g.csp, [], 'no CSP violations');
    assert.deepEqual(w.errors, [], 'no console errors');
    assert.deepEqual(g.posted[0], { type: 'ready' });
    assert.deepEqual(notFound, []);
    assert.ok(requests.every((p) => p === '/panel.html' || p === '/favicon.ico' || p.startsWith('/media/') || p.startsWith('/theme/')), requests.join(','));
  } finally {
    await context.close();
  }
});

test('untrusted column names and paths are shown as text (no img, no alert)', async () => {
  const { context, page, w } = await openPanel('light');
  try {
    await postReport(page, report);
    const x = await page.evaluate((xss) => ({
      imgs: document.querySelectorAll('img').length,
      colText: [...document.querySelectorAll('.al-col')].map((e) => e.textContent),
      inWarnings: document.getElementById('al-warnings')?.textContent?.includes(xss) ?? false,
      bold: document.querySelectorAll('b').length,
      pathText: document.querySelector('.al-path')?.textContent ?? '',
      katexText: [...document.querySelectorAll('.al-term .katex-html')].map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' ')).join(' '),
    }), XSS);
    await page.waitForTimeout(200);
    const g = await pageGlobals(page);
    assert.equal(x.imgs, 0);
    assert.equal(x.bold, 0);
    assert.ok(x.colText.includes(XSS), `columns: ${x.colText.join(' | ')}`);
    assert.ok(x.inWarnings);
    assert.equal(x.pathText, report.input.path);
    assert.ok(x.katexText.includes(XSS), 'the name typeset as text in KaTeX');
    assert.ok(x.katexText.includes('temp {K} 50%'), 'LaTeX specials shown literally');
    assert.equal(g.alerts, 0);
    assert.deepEqual(w.dialogs, []);
    assert.deepEqual(g.csp, []);
  } finally {
    await context.close();
  }
});

test('ln p / energy switch flips signs; order filter and min |c| hide terms; state is kept', async () => {
  const { context, page, w } = await openPanel('dark');
  try {
    await postReport(page, report);
    const read = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.al-term')].map((t) => ({
      m: t.dataset.monomial ?? '', o: Number(t.dataset.order), c: Number(t.dataset.coefficient),
    })));
    const before = await read();
    await page.click('vscode-radio[data-value="energy"]');
    await page.waitForFunction(() => (document.querySelector('.al-lhs annotation')?.textContent ?? '').startsWith('E(x)'));
    const flipped = await read();
    assert.equal(flipped.length, before.length);
    for (const t of before) {
      const f = flipped.find((u) => u.m === t.m);
      assert.ok(f, t.m);
      assert.equal(f.c, -t.c, `sign of ${t.m}`);
    }
    // The typeset text flips too: the order-2 diagonal terms are negative in ln p, positive as energy.
    const title = await page.getAttribute('.al-term[data-monomial="0,0"]', 'title');
    assert.match(title ?? '', /energy/);

    await page.click('vscode-checkbox[data-order="4"]');
    await page.waitForFunction(() => document.querySelectorAll('.al-term[data-order="4"]').length === 0);
    const filtered = await read();
    assert.equal(filtered.length, before.filter((t) => t.o !== 4).length);

    await page.fill('#al-min-abs >> input', '0.1');
    await page.press('#al-min-abs >> input', 'Enter');
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('.al-term')].every((t) => Math.abs(Number(t.dataset.coefficient)) >= 0.1));
    const big = await read();
    assert.ok(big.length > 0 && big.length < filtered.length);

    // Terms ordered by order, then |c| descending.
    for (let i = 1; i < big.length; i++) {
      const p = big[i - 1]!;
      const q = big[i]!;
      assert.ok(p.o < q.o || (p.o === q.o && Math.abs(p.c) >= Math.abs(q.c)), `${p.m} before ${q.m}`);
    }

    await page.click('vscode-tab-header[data-tab="cumulants"]');
    await page.click('.al-export[data-format="latex"]');
    const g = await pageGlobals(page);
    const exp = g.posted.find((m) => (m as { type?: string }).type === 'export');
    assert.deepEqual(exp, { type: 'export', format: 'latex', view: { convention: 'energy', names: 'columns', orders: [0, 1, 2, 3], minAbs: 0.1 } });
    const state = g.state as { report: unknown; ui: { convention: string; hiddenOrders: number[]; minAbs: number; tab: number } };
    assert.equal(state.ui.convention, 'energy');
    assert.deepEqual(state.ui.hiddenOrders, [4]);
    assert.equal(state.ui.minAbs, 0.1);
    assert.equal(state.ui.tab, 2);
    assert.ok(state.report);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(g.csp, []);

    // Reload: the panel restores from the saved state without a new report message.
    const again = await openPanel('dark', state);
    try {
      await again.page.waitForSelector('body[data-rendered="true"]');
      const restored = await again.page.evaluate(() => ({
        lhs: document.querySelector('.al-lhs annotation')?.textContent ?? '',
        order4: document.querySelectorAll('.al-term[data-order="4"]').length,
        tab: document.querySelector('vscode-tabs')?.getAttribute('selected-index'),
      }));
      assert.match(restored.lhs, /^E\(x\)/);
      assert.equal(restored.order4, 0);
      assert.equal(restored.tab, '2');
    } finally {
      await again.context.close();
    }
  } finally {
    await context.close();
  }
});

test('diagrams, cumulant tables, training curve, heat map and experiment scatter', async () => {
  const { context, page, w } = await openPanel('light');
  try {
    await postReport(page, report);
    const counts = await page.evaluate(() => ({
      perLayer: [...document.querySelectorAll<HTMLElement>('.al-layer')].map((l) => ({
        layer: Number(l.dataset.layer),
        classes: l.querySelectorAll('svg.al-diagram-class').length,
        terminals: l.querySelectorAll('svg.al-diagram-class .al-terminal').length,
        loops: l.querySelectorAll('svg.al-diagram-loop').length,
      })),
      tables: [...document.querySelectorAll<HTMLElement>('.al-comparison')].map((c) =>
        [...c.querySelectorAll<HTMLElement>('table.al-table')].map((t) => ({ order: Number(t.dataset.order), rows: t.querySelectorAll('tbody tr').length }))),
      zBad: document.querySelectorAll('td.al-z.al-z-bad').length,
      zWarn: document.querySelectorAll('td.al-z.al-z-warn').length,
      cells: document.querySelectorAll('#al-heatmap rect.al-cell').length,
      lines: document.querySelectorAll('#al-training-curve polyline.al-line').length,
      lineFills: [...document.querySelectorAll('#al-training-curve polyline.al-line')].map((l) => getComputedStyle(l).fill),
      points: document.querySelectorAll('#al-scatter .al-scatter-series .al-point').length,
      ddCells: document.querySelectorAll('#al-depth-data .al-dd-cell').length,
      perOrderRows: document.querySelectorAll('#al-per-order tbody tr').length,
      svgNs: document.querySelector('svg.al-diagram-class')?.namespaceURI,
    }));
    assert.equal(counts.svgNs, 'http://www.w3.org/2000/svg');
    assert.equal(counts.perLayer.length, report.layers.length);
    for (const l of counts.perLayer) {
      const layer = report.layers.find((x) => x.index === l.layer)!;
      assert.equal(l.classes, layer.diagrams.length, `layer ${l.layer}`);
      assert.equal(l.loops, 1);
      const terminating = layer.diagrams.reduce((a, c) => a + (c.legs[0] ?? 0), 0);
      assert.equal(l.terminals, terminating, `terminating legs in layer ${l.layer}`);
    }
    const expected = report.cumulants.comparisons.map((c) => c.orders.map((o) => ({ order: o.order, rows: o.entries.length })));
    assert.deepEqual(counts.tables, expected);
    const allZ = report.cumulants.comparisons.flatMap((c) => c.orders.flatMap((o) => o.entries.map((e) => Math.abs(e.z))));
    assert.equal(counts.zBad, allZ.filter((z) => z > 3).length);
    assert.equal(counts.zWarn, allZ.filter((z) => z >= 2 && z <= 3).length);
    const d = report.input.columns.length;
    assert.equal(counts.cells, d * d);
    assert.equal(counts.lines, 2);
    assert.deepEqual(counts.lineFills, ['none', 'none'], 'curves are lines, not filled areas');
    assert.equal(counts.points, 7);
    assert.equal(counts.ddCells, 9, 'depth x data map: 3 depths x 3 sizes');
    assert.equal(counts.perOrderRows, 2);
    // The z colours come from the theme.
    const colour = await page.evaluate(() => {
      const el = document.querySelector('td.al-z.al-z-bad');
      return el ? getComputedStyle(el).color : '';
    });
    assert.equal(colour, 'rgb(229, 20, 0)');
    assert.deepEqual(w.errors, []);
    assert.deepEqual((await pageGlobals(page)).csp, []);
  } finally {
    await context.close();
  }
});

test('the training curve\'s legend lies outside the plot frame at every panel width', async () => {
  const { context, page, w } = await openPanel('dark');
  try {
    await postReport(page, report);
    await selectTab(page, 'training');
    for (const width of [1100, 760, 520, 360, 280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForFunction((wd) => window.innerWidth === wd, width);
      const boxes = await page.evaluate(() => {
        const rect = (el: Element | null) => {
          const r = el?.getBoundingClientRect();
          return r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom } : null;
        };
        return {
          legend: rect(document.querySelector('#al-training-curve #al-training-legend')),
          frame: rect(document.querySelector('#al-training-curve .al-frame')),
          svg: rect(document.querySelector('#al-training-curve')),
          labels: document.querySelectorAll('#al-training-legend text').length,
        };
      });
      assert.ok(boxes.legend && boxes.frame && boxes.svg, `width ${width}: legend and frame drawn`);
      const { legend, frame, svg } = boxes;
      const intersects = legend.left < frame.right && legend.right > frame.left && legend.top < frame.bottom && legend.bottom > frame.top;
      assert.ok(!intersects, `width ${width}: legend ${JSON.stringify(legend)} overlaps the frame ${JSON.stringify(frame)}`);
      assert.ok(legend.left >= svg.left - 0.5 && legend.right <= svg.right + 0.5 && legend.top >= svg.top - 0.5, `width ${width}: legend inside the chart`);
      assert.equal(boxes.labels, 3, 'train, validation, Gaussian fit');
    }
    await shot(page, 'panel-dark-training-narrow');
    assert.deepEqual(w.errors, []);
  } finally {
    await context.close();
  }
});

test('focusColumn shows the Action tab with the column\'s terms highlighted, kept in the state for a reload', async () => {
  const { context, page, w } = await openPanel('light');
  try {
    await postReport(page, report);
    await selectTab(page, 'diagrams');
    await page.evaluate(() => window.postMessage({ type: 'focusColumn', column: 2 }, '*'));
    await page.waitForFunction(() => (document.getElementById('al-tabs') as (HTMLElement & { selectedIndex?: number }) | null)?.selectedIndex === 0);
    const shown = await page.evaluate(() => {
      const action = document.querySelector('vscode-tab-panel[data-tab="action"]');
      const focus = [...document.querySelectorAll<HTMLElement>('.al-term.al-focus')];
      return {
        actionShown: action instanceof HTMLElement && action.getBoundingClientRect().height > 0,
        monomials: focus.map((el) => el.dataset.monomial ?? ''),
      };
    });
    assert.ok(shown.actionShown, 'the Action tab panel is shown');
    const expected = report.action.terms.filter((t) => t.monomial.includes(2)).length;
    assert.equal(shown.monomials.length, Math.min(expected, 300));
    assert.ok(shown.monomials.every((m) => m.split(',').map(Number).includes(2)));
    const saved = (await pageGlobals(page)).state as { ui: { tab: number; focus: number | null } };
    assert.equal(saved.ui.tab, 0);
    assert.equal(saved.ui.focus, 2);
    // A reload (a hidden webview is destroyed) restores tab and highlight from the state.
    const again = await openPanel('light', saved);
    try {
      await again.page.waitForSelector('body[data-rendered="true"]');
      const restored = await again.page.evaluate(() => ({
        tab: (document.getElementById('al-tabs') as (HTMLElement & { selectedIndex?: number }) | null)?.selectedIndex,
        focus: document.querySelectorAll('.al-term.al-focus').length,
      }));
      assert.deepEqual(restored, { tab: 0, focus: shown.monomials.length });
    } finally {
      await again.context.close();
    }
    assert.deepEqual(w.errors, []);
  } finally {
    await context.close();
  }
});

test('a report of the wrong shape is refused with a message, not rendered', async () => {
  const { context, page } = await openPanel('light');
  try {
    const bad = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    (bad.action as Record<string, unknown>).terms = [{ monomial: [0, 99], coefficient: 1 }];
    await page.evaluate((rep) => window.postMessage({ type: 'report', report: rep }, '*'), bad);
    await page.waitForSelector('#al-error');
    const text = await page.textContent('#al-error');
    assert.match(text ?? '', /out of range/);
    assert.equal(await page.$('body[data-rendered="true"]'), null);
  } finally {
    await context.close();
  }
});

test('screenshots in light, dark and high contrast', async () => {
  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    const { context, page, w } = await openPanel(theme);
    try {
      await postReport(page, report);
      await shot(page, `panel-${theme}-action`);
      for (const tab of ['diagrams', 'cumulants', 'training', 'experiment']) {
        await selectTab(page, tab);
        await shot(page, `panel-${theme}-${tab}`);
      }
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, { light: 'rgb(255, 255, 255)', dark: 'rgb(31, 31, 31)', 'high-contrast': 'rgb(0, 0, 0)' }[theme]);
      assert.deepEqual(w.errors, []);
      assert.deepEqual((await pageGlobals(page)).csp, []);
    } finally {
      await context.close();
    }
  }
});

test('standalone HTML export renders from file:// with no network', async () => {
  const assets = collectStandaloneAssets((p) => readFileSync(join(MEDIA, p)), (b) => Buffer.from(b).toString('base64'));
  const html = buildStandaloneHtml(report, assets);
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, 'standalone.html');
  writeFileSync(file, html);
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, offline: true });
  const network: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    network.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const w = watch(page);
  page.setDefaultTimeout(15_000);
  await page.addInitScript(NAME_SHIM);
  await page.addInitScript(() => {
    const g = window as unknown as Record<string, unknown>;
    g.__csp = [];
    g.__alerts = 0;
    g.alert = () => { g.__alerts = (g.__alerts as number) + 1; };
    document.addEventListener('securitypolicyviolation', (e) => (g.__csp as string[]).push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  try {
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered="true"]');
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const m = await page.evaluate(() => ({
      terms: document.querySelectorAll('.al-term .katex').length,
      minHeight: Math.min(...[...document.querySelectorAll('.al-term .katex')].map((k) => k.getBoundingClientRect().height)),
      fonts: document.fonts.check('16px KaTeX_Main') && [...document.fonts].some((f) => f.family.replace(/["']/g, '').startsWith('KaTeX') && f.status === 'loaded'),
      cells: document.querySelectorAll('#al-heatmap rect.al-cell').length,
      classes: document.querySelectorAll('svg.al-diagram-class').length,
      htmlExport: document.querySelectorAll('.al-export[data-format="html"]').length,
      imgs: document.querySelectorAll('img').length,
      csp: (window as unknown as { __csp: string[] }).__csp,
      alerts: (window as unknown as { __alerts: number }).__alerts,
    }));
    assert.equal(m.terms, report.action.terms.length);
    assert.ok(m.minHeight > 5);
    assert.ok(m.fonts, 'KaTeX fonts loaded from data: URIs');
    assert.equal(m.cells, report.input.columns.length ** 2);
    assert.equal(m.classes, report.layers.reduce((a, l) => a + l.diagrams.length, 0));
    assert.equal(m.htmlExport, 0);
    assert.equal(m.imgs, 0);
    assert.equal(m.alerts, 0);
    assert.deepEqual(m.csp, []);
    assert.deepEqual(network, [], 'no network requests');
    assert.deepEqual(w.errors, []);
    // The JSON export downloads a Blob of the report.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.al-export[data-format="json"]')]);
    const saved = readFileSync(await download.path(), 'utf8');
    assert.deepEqual(JSON.parse(saved), report);
    await shot(page, 'standalone-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(darkBg, 'rgb(30, 30, 30)', 'standalone follows the system dark mode');
    await shot(page, 'standalone-dark');

    // Renders the same terms as the panel.
    const standaloneTerms = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.al-term')].map((t) => `${t.dataset.monomial}=${t.dataset.coefficient}|${t.querySelector('annotation')?.textContent ?? ''}`));
    const panel = await openPanel('light');
    try {
      await postReport(panel.page, report);
      const panelTerms = await panel.page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.al-term')].map((t) => `${t.dataset.monomial}=${t.dataset.coefficient}|${t.querySelector('annotation')?.textContent ?? ''}`));
      assert.deepEqual(standaloneTerms, panelTerms);
    } finally {
      await panel.context.close();
    }
  } finally {
    await context.close();
  }
});

test('a wide report: many columns and terms (show more, d x d heat map)', async () => {
  const d = 25;
  const wide = JSON.parse(JSON.stringify(report)) as Report;
  wide.input.columns = Array.from({ length: d }, (_, i) => `neuron ${i}`);
  const terms: Report['action']['terms'] = [{ monomial: [], coefficient: -30 }];
  for (let i = 0; i < d; i++) terms.push({ monomial: [i], coefficient: 0.01 * (i - 12) });
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) terms.push({ monomial: [i, j], coefficient: i === j ? -0.5 : 0.05 * Math.sin(i * 7 + j) });
  wide.action.terms = terms;
  delete wide.actionStandardized;
  const { context, page, w } = await openPanel('dark');
  try {
    const t0 = Date.now();
    await postReport(page, wide);
    const rendered = Date.now() - t0;
    assert.equal(await page.locator('.al-term').count(), 300);
    await page.click('#al-action vscode-button');
    await page.waitForFunction((n) => document.querySelectorAll('.al-term').length === n, terms.length);
    assert.equal(await page.locator('#al-heatmap rect.al-cell').count(), d * d);
    await selectTab(page, 'training');
    await shot(page, 'panel-dark-wide-training');
    assert.ok(rendered < 10_000, `rendered in ${rendered} ms`);
    assert.deepEqual(w.errors, []);
    assert.deepEqual((await pageGlobals(page)).csp, []);
  } finally {
    await context.close();
  }
});

/**
 * Reports made by the real CLI (not the hand-written fixture): a learn run on a CSV whose header
 * holds a hostile column name, and a quick experiment. They must validate and render completely.
 */
test('reports produced by the CLI render completely (learn with a hostile column name; an experiment)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-real-'));
  const rows = readFileSync('examples/phi4-lattice-d4.csv', 'utf8').trim().split('\n').slice(1, 1201);
  writeFileSync(join(dir, 'data.csv'), `a,${XSS},c\n` + rows.map((r) => r.split(',').slice(0, 3).join(',')).join('\n') + '\n');
  const cli = (args: string[]): void => {
    const res = spawnSync(process.execPath, ['dist/cli.js', ...args, '--quiet'], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
  };
  cli(['learn', join(dir, 'data.csv'), '--steps', '300', '--out', join(dir, 'learn.json')]);
  cli(['experiment', 'doublewell', '--quick', '--out', join(dir, 'dw')]);
  const learned = JSON.parse(readFileSync(join(dir, 'learn.json'), 'utf8')) as Report;
  const experiment = JSON.parse(readFileSync(join(dir, 'dw', 'report.json'), 'utf8')) as Report;
  for (const [name, r] of [['learn', learned], ['doublewell', experiment]] as const) {
    for (const theme of ['light', 'dark'] as const) {
      const { context, page, w } = await openPanel(theme);
      try {
        await postReport(page, r);
        const m = await page.evaluate(() => ({
          terms: document.querySelectorAll('.al-term').length,
          katexHeights: [...document.querySelectorAll<HTMLElement>('.al-term .katex')].map((k) => k.getBoundingClientRect().height),
          layers: [...document.querySelectorAll<HTMLElement>('.al-layer')].map((l) => l.querySelectorAll('svg.al-diagram-class').length),
          tables: [...document.querySelectorAll<HTMLElement>('.al-comparison')].length,
          imgs: document.querySelectorAll('img').length,
          text: document.body.textContent ?? '',
          scatter: document.querySelectorAll('#al-scatter .al-point').length,
        }));
        assert.equal(m.terms, Math.min(300, r.action.terms.length), `${name}: terms`);
        assert.ok(m.katexHeights.every((h) => h > 5), `${name}: KaTeX heights`);
        assert.deepEqual(m.layers, r.layers.map((l) => l.diagrams.length), `${name}: diagram classes per layer`);
        assert.equal(m.tables, r.cumulants.comparisons.length, `${name}: comparison tables`);
        assert.equal(m.imgs, 0);
        assert.equal((await pageGlobals(page)).alerts, 0);
        if (name === 'learn') assert.ok(m.text.includes(XSS), 'the hostile column name shows as text');
        if (name === 'doublewell') assert.ok(m.scatter > 0, 'learned-vs-true scatter drawn');
        assert.deepEqual(w.errors, []);
        assert.deepEqual((await pageGlobals(page)).csp, []);
        await shot(page, `real-${name}-${theme}`);
      } finally {
        await context.close();
      }
    }
  }
});
