/**
 * Cumulants of a wide report (more than 64 columns): per order, data against model on a stated sample
 * of index tuples (report.cumulants.summaries, src/core/cumulants/summary.ts), drawn as the |z|
 * histogram and quantiles the host computed, above the worst entries.
 */

import type { CumulantSummary } from '../../src/core/report/schema';
import type { RenderContext } from '../context';
import { h, s, svgTitle } from '../dom';
import { fmt, zClass } from '../format';
import { comparisonRow, indexText } from './z-summary';

function absZHistogram(summary: CumulantSummary): SVGSVGElement {
  const { edges, counts } = summary.histogram;
  const top = Math.max(1, ...counts);
  const barW = 36;
  const height = 60;
  const svg = s('svg', { class: 'al-chart al-z-histogram', viewBox: `0 0 ${counts.length * barW} ${height + 14}`, width: counts.length * barW, height: height + 14, role: 'img', 'aria-label': `histogram of |z| of order ${summary.order}` });
  counts.forEach((count, b) => {
    const lo = edges[b];
    const hi = b + 1 < edges.length ? edges[b + 1] : Infinity;
    const barH = (height * count) / top;
    const r = s('rect', { class: `al-z-bar al-z-${zClass(lo + 0.5)}`, x: b * barW + 2, y: height - barH, width: barW - 4, height: barH, 'data-count': count });
    r.append(svgTitle(`${fmt(lo, 2)} ≤ |z| < ${Number.isFinite(hi) ? fmt(hi, 2) : '∞'}: ${count} tuples`));
    svg.append(r);
    svg.append(s('text', { class: 'al-tick', x: b * barW + barW / 2, y: height + 12, 'text-anchor': 'middle', 'font-size': 9 }, Number.isFinite(hi) ? `${lo}–${hi}` : `≥ ${lo}`));
  });
  return svg;
}

function renderSummary(summary: CumulantSummary, ctx: RenderContext): HTMLElement {
  const max = summary.absZQuantiles.find((q) => q.q === 1)?.z ?? Math.max(0, ...summary.worst.map((e) => Math.abs(e.z)));
  const quantiles = summary.absZQuantiles.map((q) => `${q.q === 1 ? 'max' : `${fmt(100 * q.q, 3)}%`} ${fmt(q.z, 3)}`).join(' · ');
  const rows = summary.worst.map((e) => comparisonRow(e, (index) => indexText(index, ctx.report.input.columns, ctx.ui.names)));
  return h(
    'details',
    { class: 'al-cumulant-order al-cumulant-summary', data: { order: summary.order }, attrs: { open: true } },
    h(
      'summary',
      {},
      `κ${summary.order} `,
      h('span', { class: `al-z al-z-${zClass(max)}` }, `max |z| ${fmt(max, 3)}`),
      h('span', { class: 'al-muted' }, ` · ${summary.compared.toLocaleString('en-US')} of ${summary.tuples.toLocaleString('en-US')} index tuples compared`),
    ),
    h('p', { class: 'al-caption' }, `Compared: ${summary.how}. Quantiles of |z|: ${quantiles}.`),
    absZHistogram(summary),
    h(
      'table',
      { class: 'al-table', data: { order: summary.order } },
      h('thead', {}, h('tr', {}, h('th', {}, 'index'), h('th', {}, 'data'), h('th', {}, 'model'), h('th', { title: '(data − model) / combined standard error' }, 'z'))),
      h('tbody', {}, ...rows),
    ),
    h('p', { class: 'al-muted' }, `The ${rows.length} largest |z| among the compared tuples.`),
  );
}

/** The summary section of a wide report's cumulants, or null when the report has none. */
export function renderCumulantSummaries(ctx: RenderContext): HTMLElement | null {
  const summaries = ctx.report.cumulants.summaries;
  if (!summaries || summaries.length === 0) return null;
  return h(
    'section',
    { class: 'al-card al-comparison al-cumulant-summaries' },
    h('h3', {}, 'data vs model, on a sample of index tuples'),
    h('p', { class: 'al-muted' }, 'This table has too many columns for every cumulant entry to be compared or stored: each order is compared on the tuples stated, with jackknife standard errors.'),
    ...summaries.map((sm) => renderSummary(sm, ctx)),
  );
}
