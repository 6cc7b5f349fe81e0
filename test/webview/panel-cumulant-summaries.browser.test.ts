// The cumulants of a wide report: per order the host's summary (|z| histogram, quantiles, worst entries).
// The browser, the server and the helpers: panel-harness.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeOrder } from '../../src/core/cumulants/summary';
import type { Report } from '../../src/core/report/schema';
import { openPanel, pageGlobals, postReport, report, selectTab, usePanelBrowser, XSS } from './panel-harness';

usePanelBrowser();

test('a wide report\'s cumulant summaries: the histogram counts, the quantiles and the worst entries, as text', async () => {
  // The summary form built by the host's own function from a real comparison's entries.
  const cmp = report.cumulants.comparisons[0];
  const summaries = cmp.orders
    .filter((o) => o.order >= 2)
    .map((o) => summarizeOrder(o.order, 10 * o.entries.length, `${o.entries.length} tuples of ${XSS}`, o.entries));
  const wide: Report = {
    ...report,
    input: { ...report.input, columns: report.input.columns.map((c, i) => (i === 0 ? XSS : c)) },
    cumulants: { ...report.cumulants, sets: [], comparisons: [], summaries },
  };
  const { context, page, w } = await openPanel('light');
  try {
    await postReport(page, wide);
    await selectTab(page, 'cumulants');
    for (const sm of summaries) {
      const section = page.locator(`.al-cumulant-summary[data-order="${sm.order}"]`);
      const counts = await section.locator('rect.al-z-bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
      assert.deepEqual(counts, sm.histogram.counts);
      // Independently of the host's binning: every compared tuple is in one bin.
      assert.equal(counts.reduce((a, c) => a + c, 0), cmp.orders.find((o) => o.order === sm.order)?.entries.length);
      assert.equal(await section.locator('tbody tr').count(), sm.worst.length);
      const head = await section.locator('summary').innerText();
      assert.ok(head.includes(`${sm.compared.toLocaleString('en-US')} of ${sm.tuples.toLocaleString('en-US')} index tuples compared`), head);
      assert.ok((await section.locator('p.al-caption').innerText()).includes(XSS));
    }
    assert.equal((await pageGlobals(page)).alerts, 0);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.deepEqual(w.errors, []);
  } finally {
    await context.close();
  }
});
