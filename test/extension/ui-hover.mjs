/* global document, window, HTMLElement, NodeFilter -- inside page.evaluate callbacks (they run in the workbench or the webview) */
// UI scenarios of the CSV header hover, driven through the real workbench by test/extension/run.mjs
// (which passes its helpers in): hovering a header name, and "Open in Action Lens" reaching the
// column whether the panel is closed, visible, or a background tab (a hidden webview is destroyed
// and loads again when shown); and the hover on a CSV whose column names are hostile, reached from
// the explorer's context menu.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, record } from './harness.mjs';
import { findFrame, openPalette } from './ui-helpers.mjs';
import { uiExport } from './ui-panel.mjs';

/**
 * Hovers the header name containing `needle` in the `which`-th editor showing it ('first' or 'last'
 * in the DOM: with two groups, the left or the right one) and waits for our hover. Returns its
 * locator and whether the whole hover shows without scrolling inside it (the link included).
 */
export async function openHeaderHover(page, needle, which = 'first') {
  const box = await page.evaluate(({ text, last }) => {
    const lines = [...document.querySelectorAll('.monaco-editor .view-line')].filter((l) => (l.textContent ?? '').includes(text));
    const line = last ? lines[lines.length - 1] : lines[0];
    if (!line) return null;
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const k = (n.textContent ?? '').indexOf(text);
      if (k < 0) continue;
      const r = document.createRange();
      r.setStart(n, k + 1);
      r.setEnd(n, k + 2);
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }
    return null;
  }, { text: needle, last: which === 'last' });
  if (!box) throw new Error(`no header containing ${needle} is on screen`);
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Open in Action Lens' }).first();
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.mouse.move(box.x - 30, box.y + 40);
    await page.mouse.move(box.x, box.y, { steps: 4 });
    try {
      await hover.waitFor({ state: 'visible', timeout: 4000 });
      break;
    } catch {
      // move away and back
    }
  }
  await page.waitForTimeout(400); // the hover fades in
  const whole = await hover.evaluate((el) => {
    const frame = el.getBoundingClientRect();
    const link = [...el.querySelectorAll('a')].find((a) => (a.textContent ?? '').includes('Open in Action Lens'));
    const l = link?.getBoundingClientRect();
    const scroller = el.querySelector('.monaco-scrollable-element') ?? el;
    const content = el.querySelector('.monaco-hover-content') ?? el;
    return {
      linkInView: l !== undefined && l.top >= frame.top && l.bottom <= frame.bottom && l.height > 0,
      fits: content.scrollHeight <= scroller.clientHeight + 1,
      heights: `content ${content.scrollHeight} px in ${scroller.clientHeight} px`,
    };
  });
  return { hover, ...whole };
}

/** In the panel's webview: the selected tab's key, and how many terms are highlighted and on screen. */
function panelFocusState() {
  const tabs = document.getElementById('al-tabs');
  const headers = [...document.querySelectorAll('vscode-tab-header')];
  const index = tabs && typeof tabs.selectedIndex === 'number' ? tabs.selectedIndex : -1;
  const key = headers[index]?.dataset.tab ?? '';
  const shownPanel = document.querySelector(`vscode-tab-panel[data-tab="${key}"]`);
  const focus = [...document.querySelectorAll('.al-term.al-focus')];
  const inView = focus.filter((el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight;
  }).length;
  return {
    title: document.title,
    tab: headers[index]?.dataset.tab ?? '',
    tabShown: shownPanel instanceof HTMLElement && shownPanel.getBoundingClientRect().height > 0,
    focus: focus.length,
    inView,
  };
}

/** Selects a tab of the panel by clicking its header; waits until its panel shows. */
async function selectPanelTab(frame, key) {
  await frame.locator(`vscode-tab-header[data-tab="${key}"]`).click();
  await frame.waitForFunction((k) => {
    const p = document.querySelector(`vscode-tab-panel[data-tab="${k}"]`);
    return p instanceof HTMLElement && p.getBoundingClientRect().height > 0;
  }, key, { timeout: 10_000 });
}

/**
 * The panel of names.csv's report is open (the hover scenario before opened it beside the CSV, in
 * a second group), on the Diagrams tab; then names.csv is opened in front of it in its own group, so
 * the panel is a background tab; the hover's link must bring it forward on the Theory tab (or the Action tab) with the
 * column's terms highlighted and in view. Then the same with the panel visible.
 */
export async function uiFocusFromBackgroundTab(page, h /* { findFrame, record, artifact } from run.mjs */) {
  const started = Date.now();
  const details = [];
  const isNamesPanel = () => document.title.includes('names.csv') && document.body?.dataset.rendered === 'true';
  // The column's terms are shown on the Theory tab when the identified theory has some, else on the Action tab.
  const focusedOnAction = () => {
    const tabs = document.getElementById('al-tabs');
    const key = [...(tabs?.querySelectorAll('vscode-tab-header') ?? [])][tabs?.selectedIndex ?? -1]?.getAttribute('data-tab');
    return document.title.includes('names.csv') && (key === 'theory' || key === 'action') && document.querySelector(`vscode-tab-panel[data-tab="${key}"] .al-term.al-focus`) !== null;
  };
  try {
    let frame = await h.findFrame(page, isNamesPanel, 20_000);
    if (!frame) throw new Error("names.csv's panel is not open");
    await selectPanelTab(frame, 'diagrams');
    details.push(`before: ${JSON.stringify(await frame.evaluate(panelFocusState))}`);
    // The panel's group is the active one: the explorer opens names.csv there, in front of the panel.
    // The explorer's rows move while the run's outputs (names.report.json, ...) appear in the list, and
    // a click can land on the row that took names.csv's place: then the panel's group is made active
    // again and the click repeated.
    const editorGroups = () => page.evaluate(() => [...document.querySelectorAll('.editor-group-container')].map((g) => ({
      tabs: [...g.querySelectorAll('.tab')].map((t) => t.textContent?.trim() ?? ''),
      active: g.querySelector('.tab.active')?.textContent?.trim() ?? '',
    })));
    let panelGroup;
    for (let attempt = 1; attempt <= 3; attempt++) {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'names.csv' }).first().click();
      await page.waitForTimeout(800);
      const groups = await editorGroups();
      details.push(`groups (attempt ${attempt}): ${JSON.stringify(groups)}`);
      panelGroup = groups.find((g) => g.tabs.some((t) => t.includes('Action Lens')));
      if (panelGroup?.active.includes('names.csv')) break;
      await page.locator('.tab', { hasText: 'Action Lens' }).first().click();
      await page.waitForTimeout(500);
    }
    if (!panelGroup || !panelGroup.active.includes('names.csv')) throw new Error('names.csv did not come in front of the panel in its group');
    const background = await openHeaderHover(page, 'a*b_c', 'last');
    await background.hover.locator('a', { hasText: 'Open in Action Lens' }).click();
    frame = await h.findFrame(page, focusedOnAction, 20_000);
    const after = frame ? await frame.evaluate(panelFocusState) : null;
    details.push(`from a background tab: ${JSON.stringify(after)}`);
    await page.screenshot({ path: h.artifact('extension-hover-background-panel.png') });
    // The identified theory's tab when it has terms of the column (it has here: the data are a lattice), else the action's.
    const fromBackground = after !== null && (after.tab === 'theory' || after.tab === 'action') && after.tabShown && after.focus > 0 && after.inView > 0;
    h.record('[ui] "Open in Action Lens" with the panel in a background tab: the Theory (or Action) tab, the column\'s terms highlighted and in view', fromBackground, Date.now() - started, details.join('\n'));

    // The panel visible (beside the CSV in the first group): the same.
    const t1 = Date.now();
    if (!frame) return;
    await selectPanelTab(frame, 'cumulants');
    const visible = await openHeaderHover(page, 'a*b_c', 'first');
    await visible.hover.locator('a', { hasText: 'Open in Action Lens' }).click();
    const again = await h.findFrame(page, focusedOnAction, 20_000);
    const state = again ? await again.evaluate(panelFocusState) : null;
    h.record('[ui] "Open in Action Lens" with the panel visible: the Theory (or Action) tab, the column\'s terms highlighted', state !== null && (state.tab === 'theory' || state.tab === 'action') && state.tabShown && state.focus > 0, Date.now() - t1, JSON.stringify(state));
  } catch (e) {
    await page.screenshot({ path: h.artifact('extension-hover-background-failure.png') }).catch(() => {});
    h.record('[ui] "Open in Action Lens" with the panel in a background tab', false, Date.now() - started, `${e.message}\n${details.join('\n')}`);
  }
}

// Explorer context menu "Learn Action" on a CSV whose column names are hostile, then the hover on its
// header (rendered by the real workbench): names appear as literal text, the only link is ours, and
// it opens the panel.
export async function uiContextMenuAndHover(page, ws) {
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
    // The identified theory's terms where it has some for the column, else the network's.
    if (!/[Ss]elf terms/.test(info.text) || !/Strongest couplings|interactions with other columns/.test(info.text)) problems.push('no terms listed');
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
