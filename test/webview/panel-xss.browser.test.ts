// Every string field of a report is untrusted text: each one the schema lets hold any text (column
// names, warnings, findings, advice (not shown on its own), the theory's descriptions, the experiment's findings, paths,
// expansionReason, stdErrMethod, ...) is given an HTML/script payload with a marker of its own; the
// panel, and the standalone HTML export, must show them as text: no element, attribute or script from
// a payload, no alert, no CSP violation, no page error (README.md, "Bad input and faults").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateReport } from '../../src/core/report/validate';
import { buildStandaloneHtml, collectStandaloneAssets } from '../../src/panel/html';
import { fields, formatPath, withValue } from '../report/mutations';
import { ARTIFACTS, MEDIA, NAME_SHIM, harness, openPanel, pageGlobals, postReport, usePanelBrowser, watch } from './panel-harness';

usePanelBrowser();

/** The payload of field k: markup that would run or show an image if it were ever parsed as HTML. */
function payload(k: number): string {
  return `\u27ea${k}\u27eb<img src=x onerror=alert(${k})><script>alert(${k})</script><svg onload=alert(${k})></svg><a href="javascript:alert(${k})">${k}</a>"'&amp;`;
}

/** Fields the panel is known to show; every one must appear as its payload's text. */
const SHOWN = [
  /^input\.columns\[\d+\]$/, /^input\.path$/, /^warnings\[\d+\]$/, /^action\.expansionReason$/, /^action\.stdErrMethod$/,
  /^fit\.findings\[\d+\]$/, /^theory\.warnings\[\d+\]$/, /^theory\.method$/, /^theory\.screen$/, /^experiment\.findings\[\d+\]$/,
];

interface Injected {
  report: unknown;
  /** Each injected field's path, by its payload's number. */
  paths: string[];
}

/**
 * A report with a payload in every string field that still validates with it (enumerations such as
 * `action.units` refuse other text, so the panel never receives it there). Column names get short
 * payloads of their own (they are typeset in every term).
 */
function inject(report: unknown): Injected {
  let out = report;
  const paths: string[] = [];
  for (const f of fields(report)) {
    if (typeof f.value !== 'string') continue;
    const k = paths.length;
    const tried = withValue(out, f.path, payload(k));
    if (!validateReport(JSON.parse(JSON.stringify(tried))).ok) continue;
    out = tried;
    paths.push(formatPath(f.path));
  }
  return { report: out, paths };
}

/** The example's report judged poor, with advice (its own fit is good and has none), so that advice carries payloads too (the panel shows it among the warnings, which `learn` copies it to). */
function withAdvice(report: Record<string, unknown>): unknown {
  const fit = report.fit as Record<string, unknown>;
  return { ...report, fit: { ...fit, verdict: 'poor', advice: ['train longer', 'use more layers'] } };
}

const REPORTS = {
  sample: JSON.parse(readFileSync('test/fixtures/report.sample.json', 'utf8')) as unknown,
  example: withAdvice(JSON.parse(readFileSync('test/fixtures/example.report.snapshot.json', 'utf8')) as Record<string, unknown>),
};

/** What the page holds that a payload could have made, and which payloads show as text. */
async function inspect(page: import('playwright-core').Page, count: number) {
  return page.evaluate((n) => {
    // Text, and the hovers' titles (a fit's findings are in one).
    const titles = [...document.querySelectorAll('[title]')].map((e) => e.getAttribute('title') ?? '');
    const text = [document.body.textContent ?? '', ...titles].join('\n').replace(/\u00a0/g, ' ');
    const shown: number[] = [];
    for (let k = 0; k < n; k++) if (text.includes(`\u27ea${k}\u27eb`)) shown.push(k);
    const attrs = [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)).map((a) => `${e.tagName} ${a.name}`));
    return {
      imgs: document.querySelectorAll('img').length,
      scripts: [...document.querySelectorAll('script')].filter((s) => !s.src && s.type !== 'application/json').map((s) => (s.textContent ?? '').slice(0, 80)).filter((t) => /alert\(/.test(t)),
      svgOnload: document.querySelectorAll('svg[onload]').length,
      links: [...document.querySelectorAll('a')].filter((a) => /javascript:/i.test(a.getAttribute('href') ?? '')).length,
      attrs,
      shown,
    };
  }, count);
}

test('between them the two reports carry every kind of field the panel is known to show', () => {
  const paths = Object.values(REPORTS).flatMap((r) => inject(r).paths);
  for (const must of SHOWN) assert.ok(paths.some((p) => must.test(p)), `no field matches ${must}`);
});

for (const [name, base] of Object.entries(REPORTS)) {
  test(`${name} report: a payload in every free-text field is shown as text in the panel`, async () => {
    const { report, paths } = inject(base);
    assert.ok(paths.length > (name === 'example' ? 40 : 20), `${paths.length} text fields injected`);
    const { context, page, w } = await openPanel('light');
    try {
      await postReport(page, report);
      await page.waitForTimeout(200);
      const x = await inspect(page, paths.length);
      const g = await pageGlobals(page);
      assert.equal(x.imgs, 0, 'no <img> from a payload');
      assert.deepEqual(x.scripts, []);
      assert.equal(x.svgOnload, 0);
      assert.equal(x.links, 0, 'no javascript: link');
      assert.deepEqual(x.attrs, [], 'no event handler attribute');
      assert.equal(g.alerts, 0);
      assert.deepEqual(w.dialogs, []);
      assert.deepEqual(g.csp, []);
      assert.deepEqual(w.errors, [], 'no page errors');
      const missing = paths.filter((p, k) => SHOWN.some((re) => re.test(p)) && !x.shown.includes(k));
      assert.deepEqual(missing, [], 'fields the panel shows, as their text');
      if (process.env.AL_XSS_LIST) console.log(name, 'not shown:', paths.filter((_, k) => !x.shown.includes(k)).join(' '));
      // Report which fields the panel shows at all (for the record: the rest are not displayed).
      assert.ok(x.shown.length >= paths.filter((p) => SHOWN.some((re) => re.test(p))).length);
    } finally {
      await context.close();
    }
  });
}

test('the standalone HTML export of a report with payloads everywhere shows them as text', async () => {
  const { report, paths } = inject(REPORTS.sample);
  const html = buildStandaloneHtml(report, collectStandaloneAssets((f) => readFileSync(join(MEDIA, f)), (b) => Buffer.from(b).toString('base64')));
  // A payload closing the data element early would show up as a second script or stray markup.
  assert.equal(html.match(/<\/script/gi)?.length, html.match(/<script/gi)?.length);
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, 'standalone-xss.html');
  writeFileSync(file, html);
  const context = await harness.browser.newContext({ offline: true });
  const page = await context.newPage();
  const w = watch(page);
  await page.addInitScript(NAME_SHIM);
  await page.addInitScript(() => {
    (window as unknown as Record<string, unknown>).alert = () => {
      (window as unknown as Record<string, number>).__alerts = ((window as unknown as Record<string, number>).__alerts ?? 0) + 1;
    };
  });
  try {
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered="true"]');
    const x = await inspect(page, paths.length);
    assert.equal(x.imgs, 0);
    assert.deepEqual(x.scripts, []);
    assert.deepEqual(x.attrs, []);
    assert.equal(x.links, 0);
    assert.equal(await page.evaluate(() => (window as unknown as Record<string, number>).__alerts ?? 0), 0);
    assert.deepEqual(w.dialogs, []);
    assert.deepEqual(w.errors, []);
    assert.ok(x.shown.length > 10, `${x.shown.length} payloads shown as text`);
  } finally {
    await context.close();
  }
});
