// The panel's controls: the ln p / energy switch, the filters, the state kept across a reload, a
// focused column, a wide report.
// The browser, the server and the helpers: panel-harness.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Report } from '../../src/core/report/schema';
import { report, openPanel, postReport, selectTab, pageGlobals, shot, usePanelBrowser } from './panel-harness';

usePanelBrowser();

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
    const state = g.state as { report: unknown; ui: { convention: string; hiddenOrders: number[]; minAbs: number; tab: string | null } };
    assert.equal(state.ui.convention, 'energy');
    assert.deepEqual(state.ui.hiddenOrders, [4]);
    assert.equal(state.ui.minAbs, 0.1);
    assert.equal(state.ui.tab, 'cumulants');
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
    const saved = (await pageGlobals(page)).state as { ui: { tab: string | null; focus: number | null } };
    assert.equal(saved.ui.tab, 'action');
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

test('a wide report: many columns and terms (show more, d x d heat map)', async () => {
  const d = 25;
  const wide = JSON.parse(JSON.stringify(report)) as Report;
  wide.input.columns = Array.from({ length: d }, (_, i) => `neuron ${i}`);
  wide.model.standardization = { mean: new Array<number>(d).fill(0), std: new Array<number>(d).fill(1) };
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
