// The standalone HTML export from file:// with no network, and reports made by the CLI.
// The browser, the server and the helpers: panel-harness.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildStandaloneHtml, collectStandaloneAssets } from '../../src/panel/html';
import type { Report } from '../../src/core/report/schema';
import { MEDIA, ARTIFACTS, report, XSS, harness, watch, NAME_SHIM, openPanel, postReport, pageGlobals, selectTab, shot, usePanelBrowser } from './panel-harness';

usePanelBrowser();

test('standalone HTML export renders from file:// with no network', async () => {
  const assets = collectStandaloneAssets((p) => readFileSync(join(MEDIA, p)), (b) => Buffer.from(b).toString('base64'));
  const html = buildStandaloneHtml(report, assets);
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, 'standalone.html');
  writeFileSync(file, html);
  const context = await harness.browser.newContext({ viewport: { width: 1100, height: 900 }, offline: true });
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
        // KaTeX is measured on the tab that shows it: the theory's first (it comes first), then the action's.
        const heights = (): Promise<number[]> => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('vscode-tab-panel:not([hidden]) .al-term .katex')].filter((k) => k.offsetParent !== null).map((k) => k.getBoundingClientRect().height));
        const theoryHeights = r.theory ? await heights() : [];
        await selectTab(page, 'action');
        const actionHeights = await heights();
        const m = await page.evaluate(() => ({
          terms: document.querySelectorAll('#al-action .al-term').length,
          theoryTerms: document.querySelectorAll('#al-theory .al-term').length,
          layers: [...document.querySelectorAll<HTMLElement>('.al-layer')].map((l) => l.querySelectorAll('svg.al-diagram-class').length),
          tables: [...document.querySelectorAll<HTMLElement>('.al-comparison')].length,
          imgs: document.querySelectorAll('img').length,
          text: document.body.textContent ?? '',
          scatter: document.querySelectorAll('#al-scatter .al-point').length,
        }));
        assert.equal(m.terms, Math.min(300, r.action.terms.length), `${name}: terms`);
        assert.equal(m.theoryTerms, r.theory ? Math.max(1, r.theory.terms.length) : 0, `${name}: the identified theory's terms`);
        assert.ok(actionHeights.length > 0 && actionHeights.every((h) => h > 5), `${name}: KaTeX heights of the action`);
        assert.ok(!r.theory || (theoryHeights.length > 0 && theoryHeights.every((h) => h > 5)), `${name}: KaTeX heights of the theory`);
        assert.deepEqual(m.layers, r.layers.map((l) => l.diagrams.length), `${name}: diagram classes per layer`);
        assert.equal(m.tables, r.cumulants.comparisons.length + (r.theory?.cumulants ? 1 : 0), `${name}: comparison tables (the theory tab has its own)`);
        assert.equal(m.imgs, 0);
        assert.equal((await pageGlobals(page)).alerts, 0);
        if (name === 'learn') assert.ok(m.text.includes(XSS), 'the hostile column name shows as text');
        if (name === 'doublewell') assert.ok(m.scatter > 0, 'learned-vs-true scatter drawn');
        if (r.theory) {
          // The Theory tab: the interaction graph (a node per column), the term-by-term table, the summary.
          await selectTab(page, 'theory');
          const t = await page.evaluate(() => ({
            nodes: document.querySelectorAll('#al-interaction-graph .al-graph-node').length,
            edges: document.querySelectorAll('#al-interaction-graph .al-graph-edge').length,
            rows: [...document.querySelectorAll<HTMLElement>('#al-theory-table tr.al-theory-row')].map((el) => el.dataset.monomial ?? ''),
            summary: document.getElementById('al-theory-summary')?.textContent ?? '',
          }));
          const kept = r.theory.terms.filter((x) => x.monomial.length > 0);
          assert.equal(t.nodes, r.input.columns.length, `${name}: a node per column`);
          assert.equal(t.edges, kept.filter((x) => new Set(x.monomial).size === 2 && x.monomial.length === 2).length, `${name}: an edge per pair coupling`);
          for (const x of kept) assert.ok(t.rows.includes(x.monomial.join(',')), `${name}: a table row for ${x.monomial}`);
          assert.match(t.summary, /Holm, family-wise error/);
          // The Action tab's "significant only" filter hides the terms within two standard errors of 0.
          await selectTab(page, 'action');
          const before = await page.evaluate(() => document.querySelectorAll('#al-action .al-term').length);
          await page.click('#al-significant');
          await page.waitForFunction((n) => document.querySelectorAll('#al-action .al-term').length < n, before);
          const significant = r.action.terms.filter((x) => x.monomial.length === 0 || (x.stdErr !== undefined && Math.abs(x.coefficient / x.stdErr) >= 2)).length;
          assert.equal(await page.evaluate(() => document.querySelectorAll('#al-action .al-term').length), Math.min(300, significant));
        }
        assert.deepEqual(w.errors, []);
        assert.deepEqual((await pageGlobals(page)).csp, []);
        await shot(page, `real-${name}-${theme}`);
      } finally {
        await context.close();
      }
    }
  }
});
