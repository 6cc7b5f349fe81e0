// The panel's other tabs: diagrams, cumulant tables, the training curve, the heat map, experiments.
// The browser, the server and the helpers: panel-harness.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { report, openPanel, postReport, selectTab, pageGlobals, shot, usePanelBrowser } from './panel-harness';

usePanelBrowser();

test('diagrams, cumulant tables, training curve, heat map and experiment scatter', async () => {
  const { context, page, w } = await openPanel('light');
  try {
    await postReport(page, report);
    const counts = await page.evaluate(() => ({
      perLayer: [...document.querySelectorAll<HTMLElement>('.al-layer')].map((l) => ({
        layer: Number(l.dataset.layer),
        classes: l.querySelectorAll('svg.al-diagram-class').length,
        terminals: l.querySelectorAll('svg.al-diagram-class .al-terminal').length,
        loops: l.querySelectorAll('svg.al-diagram-loop').length,
      })),
      tables: [...document.querySelectorAll<HTMLElement>('.al-comparison')].map((c) =>
        [...c.querySelectorAll<HTMLElement>('table.al-table')].map((t) => ({ order: Number(t.dataset.order), rows: t.querySelectorAll('tbody tr').length }))),
      zBad: document.querySelectorAll('td.al-z.al-z-bad').length,
      zWarn: document.querySelectorAll('td.al-z.al-z-warn').length,
      cells: document.querySelectorAll('#al-heatmap rect.al-cell').length,
      lines: document.querySelectorAll('#al-training-curve polyline.al-line').length,
      lineFills: [...document.querySelectorAll('#al-training-curve polyline.al-line')].map((l) => getComputedStyle(l).fill),
      points: document.querySelectorAll('#al-scatter .al-scatter-series .al-point').length,
      ddCells: document.querySelectorAll('#al-depth-data .al-dd-cell').length,
      perOrderRows: document.querySelectorAll('#al-per-order tbody tr').length,
      svgNs: document.querySelector('svg.al-diagram-class')?.namespaceURI,
    }));
    assert.equal(counts.svgNs, 'http://www.w3.org/2000/svg');
    assert.equal(counts.perLayer.length, report.layers.length);
    for (const l of counts.perLayer) {
      const layer = report.layers.find((x) => x.index === l.layer)!;
      assert.equal(l.classes, layer.diagrams.length, `layer ${l.layer}`);
      assert.equal(l.loops, 1);
      const terminating = layer.diagrams.reduce((a, c) => a + (c.legs[0] ?? 0), 0);
      assert.equal(l.terminals, terminating, `terminating legs in layer ${l.layer}`);
    }
    const expected = report.cumulants.comparisons.map((c) => c.orders.map((o) => ({ order: o.order, rows: o.entries.length })));
    assert.deepEqual(counts.tables, expected);
    const allZ = report.cumulants.comparisons.flatMap((c) => c.orders.flatMap((o) => o.entries.map((e) => Math.abs(e.z))));
    assert.equal(counts.zBad, allZ.filter((z) => z > 3).length);
    assert.equal(counts.zWarn, allZ.filter((z) => z >= 2 && z <= 3).length);
    const d = report.input.columns.length;
    assert.equal(counts.cells, d * d);
    assert.equal(counts.lines, 2);
    assert.deepEqual(counts.lineFills, ['none', 'none'], 'curves are lines, not filled areas');
    assert.equal(counts.points, 7);
    assert.equal(counts.ddCells, 9, 'depth x data map: 3 depths x 3 sizes');
    assert.equal(counts.perOrderRows, 2);
    // The z colours come from the theme.
    const colour = await page.evaluate(() => {
      const el = document.querySelector('td.al-z.al-z-bad');
      return el ? getComputedStyle(el).color : '';
    });
    assert.equal(colour, 'rgb(229, 20, 0)');
    assert.deepEqual(w.errors, []);
    assert.deepEqual((await pageGlobals(page)).csp, []);
  } finally {
    await context.close();
  }
});

test('the training curve\'s legend lies outside the plot frame at every panel width', async () => {
  const { context, page, w } = await openPanel('dark');
  try {
    await postReport(page, report);
    await selectTab(page, 'training');
    for (const width of [1100, 760, 520, 360, 280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForFunction((wd) => window.innerWidth === wd, width);
      const boxes = await page.evaluate(() => {
        const rect = (el: Element | null) => {
          const r = el?.getBoundingClientRect();
          return r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom } : null;
        };
        return {
          legend: rect(document.querySelector('#al-training-curve #al-training-legend')),
          frame: rect(document.querySelector('#al-training-curve .al-frame')),
          svg: rect(document.querySelector('#al-training-curve')),
          labels: document.querySelectorAll('#al-training-legend text').length,
        };
      });
      assert.ok(boxes.legend && boxes.frame && boxes.svg, `width ${width}: legend and frame drawn`);
      const { legend, frame, svg } = boxes;
      const intersects = legend.left < frame.right && legend.right > frame.left && legend.top < frame.bottom && legend.bottom > frame.top;
      assert.ok(!intersects, `width ${width}: legend ${JSON.stringify(legend)} overlaps the frame ${JSON.stringify(frame)}`);
      assert.ok(legend.left >= svg.left - 0.5 && legend.right <= svg.right + 0.5 && legend.top >= svg.top - 0.5, `width ${width}: legend inside the chart`);
      assert.equal(boxes.labels, 3, 'train, validation, Gaussian fit');
    }
    await shot(page, 'panel-dark-training-narrow');
    assert.deepEqual(w.errors, []);
  } finally {
    await context.close();
  }
});
