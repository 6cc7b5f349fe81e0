// The panel's links and buttons and a malformed CSV's error, driven through the real workbench by
// test/extension/run.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, record } from './harness.mjs';
import { statusSelection } from './ui-helpers.mjs';

// The panel's column link (a revealColumn message) selects the column's name in the CSV; a malformed
// CSV from the explorer's context menu gives a notification naming file:line:column whose
// "Go to Line" button selects the cell at fault.
export async function uiRevealAndErrors(page, ws, frame) {
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
export async function uiExport(page, ws, frame) {
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
