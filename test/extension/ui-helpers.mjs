/* global document -- inside page.evaluate callbacks (they run in the workbench or the webview) */
// Helpers of the UI scenarios (ui-*.mjs): finding the panel's webview frame, the command palette,
// quick picks, the status bar.

export async function findFrame(page, predicate, timeoutMs) {
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

export const panelRendered = () => document.body?.dataset.rendered === 'true' && document.querySelector('#al-equation .katex') !== null;

export async function readAction(frame) {
  return frame.evaluate(() => {
    const eq = document.querySelector('#al-equation');
    const katexEls = [...document.querySelectorAll('#al-equation .katex')];
    const tex = katexEls.map((k) => k.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? '').join(' ');
    const heights = katexEls.map((k) => k.getBoundingClientRect().height);
    return { text: eq?.textContent ?? '', tex, count: katexEls.length, minHeight: Math.min(...heights), title: document.title };
  });
}

/** Clicks the row labelled `label` among the first `max` rows of the open quick input; false if none is. */
export async function clickListedRow(page, label, max) {
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

export async function openPalette(page, command, itemText) {
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

/** Clicks the quick pick row labelled `label`, waiting for it to be listed. */
export async function pickRow(page, label) {
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    if (await clickListedRow(page, label, 30)) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`no quick pick row "${label}"`);
}

/** The status bar's selection once it matches `pattern` (the editor's cursor or selection). */
export async function statusSelection(page, pattern, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    last = (await page.locator('#status\\.editor\\.selection').textContent().catch(() => '')) ?? '';
    if (pattern.test(last)) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`status bar selection is "${last}", expected ${pattern}`);
}
