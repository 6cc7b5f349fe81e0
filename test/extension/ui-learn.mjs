/* global document -- inside page.evaluate callbacks (they run in the webview) */
// The main UI scenario, driven through the real workbench by test/extension/run.mjs (docs/TESTING.md,
// step 6 of the runner): the command from the palette, the progress notification, the typeset
// action read from the webview's frame, a window reload that revives the panel.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, record } from './harness.mjs';
import { findFrame, openPalette, panelRendered, readAction } from './ui-helpers.mjs';
import { uiContextMenuAndHover, uiFocusFromBackgroundTab } from './ui-hover.mjs';
import { uiRevealAndErrors } from './ui-panel.mjs';
import { uiChooseSettings } from './ui-settings.mjs';

/**
 * The UI run: Learn Action from the palette, its progress and the panel, a window reload that revives
 * the panel, then the other scenarios on the same workbench. `env` gives a workspace folder
 * (makeWorkspace) and the workbench's URL for a folder (url), from run.mjs.
 */
export async function runUi(browser, env) {
  // The whole example (4000 rows) and the default settings: training lasts a few seconds.
  const ws = env.makeWorkspace('ws-ui', {}, 4000);
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) consoleErrors.push(m.text());
  });
  let started = Date.now();
  try {
    await page.goto(env.url(ws));
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
    // The Theory tab comes first where there is one: the Action tab is read where it shows.
    await frame.locator('vscode-tab-header[data-tab="action"]').click();
    await frame.waitForFunction(() => (document.querySelector('vscode-tab-panel[data-tab="action"]')?.getBoundingClientRect().height ?? 0) > 0, undefined, { timeout: 10_000 });
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
