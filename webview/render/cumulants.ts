/** Cumulant comparison tables: per order, entries index / a / b / z, with z-scores coloured. */

import type { CumulantComparison } from '../../src/core/report/schema';
import type { RenderContext } from '../context';
import { h } from '../dom';
import { fmt, zClass } from '../format';
import { comparisonRow, indexText, zSummary } from './z-summary';
import { renderCumulantSummaries } from './cumulant-summaries';

const MAX_ROWS = 200;

export function renderComparison(cmp: CumulantComparison, ctx: RenderContext): HTMLElement {
  const columns = ctx.report.input.columns;
  const orders = cmp.orders.map((o) => {
    const entries = [...o.entries].sort((p, q) => Math.abs(q.z ?? 0) - Math.abs(p.z ?? 0));
    const shown = entries.slice(0, MAX_ROWS);
    const rows = shown.map((e) => comparisonRow(e, (index) => indexText(index, columns, ctx.ui.names)));
    const worst = zClass(o.maxAbsZ);
    return h(
      'details',
      { class: 'al-cumulant-order', attrs: { open: o.order <= 4 } },
      h(
        'summary',
        {},
        `κ${o.order} `,
        h('span', { class: `al-z al-z-${worst}` }, `max |z| ${fmt(o.maxAbsZ, 3)}`),
        h('span', { class: 'al-muted' }, ` · rms z ${fmt(o.rmsZ, 3)} · ${o.entries.length} entries`),
      ),
      // Too many entries to read: their z distribution first, the worst entries below.
      o.entries.length > MAX_ROWS ? zSummary(o.entries.map((e) => e.z), o.order) : null,
      h(
        'table',
        { class: 'al-table', data: { order: o.order } },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, 'index'), h('th', {}, cmp.a), h('th', {}, cmp.b), h('th', { title: '(a − b) / combined standard error' }, 'z')),
        ),
        h('tbody', {}, ...rows),
      ),
      entries.length > shown.length ? h('p', { class: 'al-muted' }, `${entries.length - shown.length} more entries with smaller |z| not shown`) : null,
    );
  });
  return h(
    'section',
    { class: 'al-card al-comparison' },
    h('h3', {}, `${cmp.a} vs ${cmp.b}`),
    ...orders,
  );
}

export function renderCumulants(ctx: RenderContext): HTMLElement {
  const cum = ctx.report.cumulants;
  return h(
    'section',
    { class: 'al-section', id: 'al-cumulants' },
    h(
      'p',
      { class: 'al-caption' },
      'Cumulants compared entry by entry; z = difference over its standard error. ',
      h('span', { class: 'al-z al-z-ok' }, '|z| < 2'),
      ' · ',
      h('span', { class: 'al-z al-z-warn' }, '2 ≤ |z| ≤ 3'),
      ' · ',
      h('span', { class: 'al-z al-z-bad' }, '|z| > 3'),
    ),
    cum.comparisons.length === 0 && !cum.summaries?.length ? h('p', { class: 'al-muted' }, 'No cumulant comparisons in this report.') : null,
    renderCumulantSummaries(ctx),
    ...cum.comparisons.map((c) => renderComparison(c, ctx)),
    ...(cum.notes ?? []).map((n) => h('p', { class: 'al-muted al-note' }, n)),
  );
}
