// The settings quick pick, driven through the real workbench by test/extension/run.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, record } from './harness.mjs';
import { openPalette, pickRow } from './ui-helpers.mjs';

// "Learn Action (choose settings)…": the quick pick of this run's settings, driven by keyboard and
// mouse; the report must carry what was picked (coupling layers, L = 1, three of four columns).
export async function uiChooseSettings(page, ws) {
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
