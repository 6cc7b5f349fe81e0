// The panel renders a report under the strict CSP, shows untrusted text as text, refuses a report of
// the wrong shape, and is screenshot in three themes.
// The browser, the server and the helpers: panel-harness.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { report, XSS, harness, openPanel, postReport, selectTab, pageGlobals, shot, usePanelBrowser } from './panel-harness';

usePanelBrowser();

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
    assert.deepEqual(harness.notFound, []);
    assert.ok(harness.requests.every((p) => p === '/panel.html' || p === '/favicon.ico' || p.startsWith('/media/') || p.startsWith('/theme/')), harness.requests.join(','));
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

test('the summary says what the polish did: kept with the training NLL it reached, or undone and why', async () => {
  const { context, page } = await openPanel('light');
  try {
    const base = { budget: 500, tolerance: 3, iterations: 48, evaluations: 57, trainNll: [4.8838, 4.88273] as [number, number], valNll: [4.8965, 4.8971] as [number, number], valRiseStdErr: 0.0007, seconds: 0.04 };
    await postReport(page, { ...report, training: { ...report.training, bestStep: 900, polish: { ...base, stoppedBecause: 'gradient', kept: true } } });
    const kept = await page.evaluate(() => document.body.innerText);
    assert.match(kept, /then polished to the training rows' maximum likelihood \(57 full passes; training NLL 4\.8838 → 4\.8827\)/);
    await postReport(page, { ...report, training: { ...report.training, bestStep: 900, polish: { ...base, stoppedBecause: 'overfitting', kept: false } } });
    const undone = await page.evaluate(() => document.body.innerText);
    assert.match(undone, /the polish to the training rows' maximum likelihood was undone \(the held-out NLL rose beyond 3 standard errors, 57 full passes\)/);
  } finally {
    await context.close();
  }
});
