// The README's screenshots: `learn` on the bundled examples with the default settings, the standalone
// HTML report in Debian's Chromium (light and dark), one image per view into docs/images/.
// Usage: npm run build && node scripts/screenshots.mjs
//        node scripts/screenshots.mjs digits   (only the Images tab of the quick digits experiment, its cards one by one)
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const work = mkdtempSync(join(tmpdir(), 'action-lens-shots-'));
const shots = [
  { csv: 'examples/measurements.csv', name: 'measurements', views: [['action', 'light'], ['cumulants', 'light'], ['diagrams', 'dark']] },
  { csv: 'examples/phi4-lattice-d4.csv', name: 'panel', views: [['action', 'light'], ['action', 'dark'], ['diagrams', 'light'], ['diagrams', 'dark'], ['cumulants', 'light'], ['cumulants', 'dark']] },
];

const onlyDigits = process.argv[2] === 'digits';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  if (onlyDigits) await digitsShots();
  for (const { csv, name, views } of onlyDigits ? [] : shots) {
    const html = join(work, `${name}.html`);
    const res = spawnSync(process.execPath, ['dist/cli.js', 'learn', csv, '--out', join(work, `${name}.report.json`), '--html', html, '--quiet'], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`learn ${csv} failed: ${res.stderr}`);
    for (const [tab, scheme] of views) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 820 }, colorScheme: scheme });
      await page.goto(`file://${html}`);
      await page.waitForSelector('body[data-rendered="true"]');
      if (tab !== 'action') {
        await page.click(`vscode-tab-header[data-tab="${tab}"]`);
        await page.waitForTimeout(300);
      }
      await page.evaluate('document.fonts.ready');
      const out = join('docs', 'images', `${name}-${tab}-${scheme}.png`);
      await page.screenshot({ path: out });
      console.log(out);
      await page.close();
    }
  }
} finally {
  await browser.close();
}

/**
 * The digits experiment (quick) with its HTML report; the Images tab's cards, a pixel clicked first
 * (r07c06, near the middle of the digit), one image per card into docs/images/digits-*.png.
 */
async function digitsShots() {
  const out = join(work, 'digits');
  const res = spawnSync(process.execPath, ['dist/cli.js', 'experiment', 'digits', '--quick', '--html', '--quiet', '--out', out], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`experiment digits failed: ${res.stderr}`);
  for (const scheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, colorScheme: scheme });
    await page.goto(`file://${join(out, 'report.html')}`);
    await page.waitForSelector('body[data-rendered="true"]');
    await page.click('vscode-tab-header[data-tab="images"]');
    await page.waitForTimeout(300);
    const titles = await page.$$eval('svg.al-mean-image rect.al-px[data-column]', (els) => els.map((r) => r.textContent ?? ''));
    const column = titles.findIndex((t) => t.startsWith('r07c06'));
    if (column >= 0) {
      await page.click(`svg.al-mean-image rect.al-px[data-column="${column}"]`);
      await page.waitForSelector('svg.al-pair-image');
    }
    await page.evaluate('document.fonts.ready');
    const cards = scheme === 'light' ? ['overview', 'pixel', 'rows', 'modes'] : ['pixel'];
    for (const card of cards) {
      const file = join('docs', 'images', `digits-${card}-${scheme}.png`);
      await page.locator(`#al-images-${card}`).screenshot({ path: file });
      console.log(file);
    }
    await page.close();
  }
}
