// The Images tab: a report of pixel columns (learned here on a small 3 x 3 grid at order 3) drawn
// as images; a pixel's couplings from the stored terms and, for an on-demand order, by a slice
// request answered from the test's dense terms (the same message the host sends).
// The browser, the server and the helpers: panel-harness.ts.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromRows } from '../../src/core/data/memory';
import { DEFAULT_LEARN_SETTINGS, learn } from '../../src/core/pipeline/learn';
import type { ActionTerm, Report } from '../../src/core/report/schema';
import { Rng } from '../../src/core/util/rng';
import { openPanel, pageGlobals, postReport, report as plainReport, selectTab, shot, usePanelBrowser, XSS } from './panel-harness';

usePanelBrowser();

let grid: Report;

/** A 3 x 3 image of smoothed noise without its centre pixel, which is constant (5) and left out. */
before(async () => {
  const names = ['r0c0', 'r0c1', 'r0c2', 'r1c0', 'r1c2', 'r2c0', 'r2c1', 'r2c2'];
  const rng = new Rng(8);
  const n = 500;
  const data = new Float64Array(n * 8);
  for (let k = 0; k < n; k++) {
    const e = Array.from({ length: 8 }, () => rng.normal());
    for (let j = 0; j < 8; j++) data[k * 8 + j] = 20 + 4 * (e[j] + 0.5 * e[(j + 1) % 8] + 0.2 * e[j] * e[(j + 3) % 8]);
  }
  const res = await learn(tableFromRows('pixels.csv', names, data, n), { ...DEFAULT_LEARN_SETTINGS, seed: 2, order: 3, steps: 120, modelSamples: 300, identify: 'off' }, {}, {
    omittedColumns: [{ name: 'r1c1', sourceColumn: 8, value: 5 }],
  });
  grid = JSON.parse(JSON.stringify(res.report)) as Report;
  assert.ok(grid.grid && grid.images);
});

const key = (m: readonly number[]): string => [...m].sort((a, b) => a - b).join(',');
function coefficient(terms: readonly ActionTerm[], m: number[]): number {
  return terms.find((t) => key(t.monomial) === key(m))?.coefficient ?? 0;
}

type Values = Array<{ column: number; value: number }>;
/** The values drawn in the `nth` image the selector finds, by column. */
function imageValues(page: import('playwright-core').Page, selector: string, nth = 0): Promise<Values> {
  return page.$$eval(selector, (svgs, n) => [...(svgs[n]?.querySelectorAll('rect.al-px[data-column]') ?? [])].map((e) => ({ column: Number(e.getAttribute('data-column')), value: Number(e.getAttribute('data-value')) })), nth);
}

test('the Images tab appears only for reports with a grid, and draws mean, rows, samples, modes, vertices and layer norms', async () => {
  const { context, page, w } = await openPanel('light');
  try {
    await postReport(page, plainReport);
    assert.equal(await page.locator('vscode-tab-header[data-tab="images"]').count(), 0);
    await postReport(page, grid);
    assert.deepEqual(await page.$$eval('vscode-tab-header', (els) => els.map((e) => e.getAttribute('data-tab'))), ['action', 'images', 'diagrams', 'cumulants', 'training']);
    await selectTab(page, 'images');
    const d = grid.input.columns.length;
    const mean = await imageValues(page, 'svg.al-mean-image');
    assert.deepEqual(mean.map((m) => m.value), grid.model.standardization.mean);
    // The left-out centre pixel is drawn with its value and says so.
    const omitted = await page.$$eval('svg.al-mean-image rect.al-px-omitted', (els) => els.map((e) => ({ cell: e.getAttribute('data-cell'), title: e.textContent })));
    assert.deepEqual(omitted, [{ cell: '4', title: 'r1c1: constant 5 (left out of the model)' }]);
    const cells = await page.$$eval('svg.al-mean-image rect.al-px[data-column]', (els) => els.map((e) => Number(e.getAttribute('data-cell'))));
    assert.deepEqual(cells, grid.grid?.cells);
    assert.equal(await page.locator('svg.al-data-row').count(), 8);
    assert.equal(await page.locator('svg.al-model-sample').count(), 8);
    assert.deepEqual((await imageValues(page, 'svg.al-model-sample', 2)).map((v) => v.value), grid.images?.modelSamples[2]);
    assert.equal(await page.locator('svg.al-mode-image').count(), 8);
    // The strongest 3-point vertices: the first drawn is the largest |c| times the spreads.
    const std = grid.model.standardization.std;
    const size = (t: ActionTerm): number => Math.abs(t.monomial.reduce((v, i) => v * std[i], t.coefficient));
    const third = grid.action.terms.filter((t) => t.monomial.length === 3).sort((a, b) => size(b) - size(a));
    const drawn = await page.$$eval('figure[data-order="3"] g.al-vertex', (els) => els.map((e) => e.getAttribute('data-monomial')));
    assert.equal(drawn.length, 12);
    assert.deepEqual(drawn, third.slice(0, 12).map((t) => t.monomial.join(',')));
    assert.equal(await page.locator('#al-layer-norms tbody tr').count(), grid.layers.filter((l) => l.diagrams.length > 0).length);
    assert.ok(mean.length === d);
    await shot(page, 'panel-images-light');
    assert.deepEqual(w.errors, []);
    assert.deepEqual((await pageGlobals(page)).csp, []);
  } finally {
    await context.close();
  }
});

test('a clicked pixel shows its pair couplings and its stored three-point slice, and stays chosen across a reload', async () => {
  const { context, page, w } = await openPanel('dark');
  try {
    await postReport(page, grid);
    await selectTab(page, 'images');
    const i = 3;
    await page.click(`svg.al-mean-image rect.al-px[data-column="${i}"]`);
    await page.waitForSelector('svg.al-pair-image');
    const d = grid.input.columns.length;
    const pairs = await imageValues(page, 'svg.al-pair-image');
    assert.deepEqual(pairs.map((p) => p.value), Array.from({ length: d }, (_, j) => (j === i ? 0 : coefficient(grid.action.terms, [i, j]))));
    const self = await imageValues(page, 'svg.al-slice-self');
    assert.deepEqual(self.map((p) => p.value), Array.from({ length: d }, (_, k) => coefficient(grid.action.terms, [i, i, k])));
    const diag = await imageValues(page, 'svg.al-slice-diagonal');
    assert.deepEqual(diag.map((p) => p.value), Array.from({ length: d }, (_, j) => coefficient(grid.action.terms, [i, j, j])));
    assert.equal((await pageGlobals(page)).posted.filter((m) => (m as { type: string }).type === 'requestSlice').length, 0, 'stored orders need no host');
    const { state } = await pageGlobals(page);
    assert.equal((state as { ui: { pixel: number; tab: string } }).ui.pixel, i);
    assert.equal((state as { ui: { pixel: number; tab: string } }).ui.tab, 'images');
    const again = await openPanel('dark', state);
    try {
      await again.page.waitForSelector('body[data-rendered="true"]');
      await again.page.waitForSelector('svg.al-pair-image');
      assert.match(await again.page.locator('#al-pixel-caption').innerText(), /Pixel r1c0 \(column 4\)/);
      assert.deepEqual(again.w.errors, []);
    } finally {
      await again.context.close();
    }
    await shot(page, 'panel-images-dark');
    assert.deepEqual(w.errors, []);
  } finally {
    await context.close();
  }
});

test('an order computed on demand: the panel asks for the slice, draws the answer, and shows an error as text', async () => {
  // The same report with order 3 left to the host: what a host that computes high orders on demand writes.
  const onDemand = JSON.parse(JSON.stringify(grid)) as Report & { action: Record<string, unknown> };
  const dense = grid.action.terms;
  onDemand.action.terms = dense.filter((t) => t.monomial.length <= 2);
  onDemand.action.storedOrders = 2;
  onDemand.action.onDemand = { orders: [3], how: 'test fixture', topTerms: { 3: { terms: dense.filter((t) => t.monomial.length === 3).slice(0, 20), guarantee: 'the first 20' } } };
  const { context, page, w } = await openPanel('light');
  try {
    await postReport(page, onDemand);
    await selectTab(page, 'images');
    const d = grid.input.columns.length;
    await page.click('svg.al-std-image rect.al-px[data-column="5"]');
    await page.waitForSelector('#al-slice-3.al-pending');
    const requests = (await pageGlobals(page)).posted.filter((m) => (m as { type: string }).type === 'requestSlice') as Array<{ requestId: number; order: number; fixed: number[] }>;
    assert.equal(requests.length, 1);
    assert.equal(requests[0].order, 3);
    assert.deepEqual(requests[0].fixed, [5]);
    // Answered from the dense terms: entry (j, k) is the coefficient of sort([5, j, k]).
    const values = Array.from({ length: d * d }, (_, e) => coefficient(dense, [5, Math.floor(e / d), e % d]));
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'slice', requestId: requests[0].requestId, order: 3, fixed: [5], values, seconds: 0.25 });
    await page.waitForSelector('svg.al-slice-self');
    assert.deepEqual((await imageValues(page, 'svg.al-slice-self')).map((v) => v.value), Array.from({ length: d }, (_, k) => coefficient(dense, [5, 5, k])));
    assert.match(await page.locator('#al-slice-3 > p.al-caption').innerText(), /computed on demand by the host in 0\.25 s \(test fixture\)/);
    // The vertices come from the host's list.
    assert.match(await page.locator('figure[data-order="3"] figcaption').innerText(), /host's list .*\(the first 20\)/);
    // Another pixel: the host fails, with a hostile message shown as text.
    await page.click('svg.al-std-image rect.al-px[data-column="6"]');
    await page.waitForSelector('#al-slice-3.al-pending');
    const second = ((await pageGlobals(page)).posted as Array<{ type: string; requestId: number }>).filter((m) => m.type === 'requestSlice').at(-1);
    assert.ok(second);
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'sliceError', requestId: second.requestId, message: XSS });
    await page.waitForSelector('#al-slice-3.al-warnings');
    assert.match(await page.locator('#al-slice-3').innerText(), /could not be computed: <img src=x onerror=alert\(1\)>/);
    // An answer to nothing asked is ignored.
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'slice', requestId: 999, order: 3, fixed: [6], values: [], seconds: 0 });
    await page.click('#al-slice-3 .al-retry');
    const third = ((await pageGlobals(page)).posted as Array<{ type: string }>).filter((m) => m.type === 'requestSlice');
    assert.equal(third.length, 3);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.dialogs, []);
    assert.equal((await pageGlobals(page)).alerts, 0);
  } finally {
    await context.close();
  }
});

test('hostile column names on a --grid report are drawn as text', async () => {
  const hostile = JSON.parse(JSON.stringify(grid)) as Report;
  hostile.input.columns = hostile.input.columns.map((c, k) => (k === 2 ? XSS : c));
  if (hostile.grid) hostile.grid = { ...hostile.grid, source: 'option', omitted: [{ cell: 4, name: XSS, value: 5 }] };
  const { context, page, w } = await openPanel('high-contrast');
  try {
    await postReport(page, hostile);
    await selectTab(page, 'images');
    await page.click('svg.al-mean-image rect.al-px[data-column="2"]');
    await page.waitForSelector('svg.al-pair-image');
    assert.match(await page.locator('#al-pixel-caption').innerText(), /Pixel <img src=x onerror=alert\(1\)> \(column 3\)/);
    const titles = await page.$$eval('svg.al-mean-image title', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(titles.some((t) => t.startsWith(`${XSS}: constant 5`)));
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.dialogs, []);
    assert.equal((await pageGlobals(page)).alerts, 0);
  } finally {
    await context.close();
  }
});

test('cumulant orders too large for a table get a z histogram and shares beside the worst entries', async () => {
  const { context, page, w } = await openPanel('light');
  try {
    await postReport(page, grid);
    await selectTab(page, 'cumulants');
    const cmp = grid.cumulants.comparisons[0];
    const large = cmp.orders.filter((o) => o.entries.length > 200);
    assert.ok(large.length >= 1, 'the fixture has an order with more than 200 entries');
    for (const o of large) {
      const summary = page.locator('.al-comparison').first().locator(`.al-z-summary[data-order="${o.order}"]`);
      const counts = await summary.locator('rect.al-z-bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
      const zs = o.entries.map((e) => e.z).filter(Number.isFinite);
      assert.equal(counts.length, 22);
      assert.equal(counts.reduce((a, c) => a + c, 0), zs.length);
      // Independently: the bins' own counts of z in [-5, -4.5) and [0, 0.5).
      assert.equal(counts[1], zs.filter((z) => z >= -5 && z < -4.5).length);
      assert.equal(counts[11], zs.filter((z) => z >= 0 && z < 0.5).length);
      const beyond2 = zs.filter((z) => Math.abs(z) > 2).length;
      assert.match(await summary.locator('p').innerText(), new RegExp(`^${zs.length} entries: `));
      assert.ok((await summary.locator('p').innerText()).includes(`${Number(((100 * beyond2) / zs.length).toPrecision(3))}`));
    }
    const small = cmp.orders.filter((o) => o.entries.length <= 200).map((o) => o.order);
    for (const order of small) assert.equal(await page.locator(`.al-comparison >> nth=0 >> .al-z-summary[data-order="${order}"]`).count(), 0);
    assert.deepEqual(w.errors, []);
  } finally {
    await context.close();
  }
});
