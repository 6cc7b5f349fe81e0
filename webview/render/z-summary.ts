/**
 * The summary of a cumulant order too large for its table to be read whole (wide reports, e.g. the
 * pixels of an image): a histogram of its z-scores and the shares beyond |z| = 2 and 3, beside the
 * table of the worst entries (the drill-down).
 */

import { h, s, svgTitle } from '../dom';
import { exact, fmt, zClass } from '../format';

const EDGE = 5;
const WIDTH = 0.5;

/** Counts of z per bin: [below -5), 20 bins of width 0.5 over [-5, 5), [5 and above]; non-finite z are left out. */
export function zHistogram(zs: readonly number[]): number[] {
  const bins = new Array<number>(2 * (EDGE / WIDTH) + 2).fill(0);
  for (const z of zs) {
    if (!Number.isFinite(z)) continue;
    const b = z < -EDGE ? 0 : z >= EDGE ? bins.length - 1 : 1 + Math.floor((z + EDGE) / WIDTH);
    bins[b]++;
  }
  return bins;
}

export function zSummary(zs: readonly number[], order: number): HTMLElement {
  const finite = zs.filter(Number.isFinite);
  const bins = zHistogram(finite);
  const top = Math.max(1, ...bins);
  const barW = 12;
  const height = 60;
  const svg = s('svg', { class: 'al-chart al-z-histogram', viewBox: `0 0 ${bins.length * barW} ${height + 14}`, width: bins.length * barW, height: height + 14, role: 'img', 'aria-label': `histogram of the z-scores of order ${order}` });
  bins.forEach((count, b) => {
    const lo = b === 0 ? -Infinity : -EDGE + (b - 1) * WIDTH;
    const hi = b === bins.length - 1 ? Infinity : lo === -Infinity ? -EDGE : lo + WIDTH;
    const centre = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : Number.isFinite(lo) ? lo : hi;
    const barH = (height * count) / top;
    const r = s('rect', { class: `al-z-bar al-z-${zClass(centre)}`, x: b * barW + 1, y: height - barH, width: barW - 2, height: barH, 'data-count': count });
    r.append(svgTitle(`${Number.isFinite(lo) ? fmt(lo, 2) : '−∞'} ≤ z < ${Number.isFinite(hi) ? fmt(hi, 2) : '∞'}: ${count} entries`));
    svg.append(r);
  });
  for (const z of [-4, -2, 0, 2, 4]) svg.append(s('text', { class: 'al-tick', x: (1 + (z + EDGE) / WIDTH) * barW, y: height + 12, 'text-anchor': 'middle', 'font-size': 9 }, String(z)));
  const beyond = (t: number): number => finite.filter((z) => Math.abs(z) > t).length;
  const share = (k: number): string => `${fmt((100 * k) / Math.max(1, finite.length), 3)}%`;
  return h(
    'div',
    { class: 'al-z-summary', data: { order } },
    svg,
    h(
      'p',
      { class: 'al-caption' },
      `${finite.length} entries: ${share(beyond(2))} beyond |z| = 2 and ${share(beyond(3))} beyond 3 ` +
        '(about 4.6% and 0.27% where model and data agree and the entries are independent; entries of one order are not, so read these as a guide). The table lists the worst entries.',
    ),
  );
}

/** One entry of a cumulant comparison as a table row: its index tuple (named), a, b and z coloured by |z|. */
export function comparisonRow(e: { index: number[]; a: number; b: number; z: number }, indexText: (index: number[]) => string): HTMLTableRowElement {
  const cls = zClass(e.z);
  return h(
    'tr',
    { class: `al-z-row al-z-${cls}` },
    h('td', { class: 'al-index' }, indexText(e.index)),
    h('td', { class: 'al-num', title: exact(e.a) }, fmt(e.a)),
    h('td', { class: 'al-num', title: exact(e.b) }, fmt(e.b)),
    h('td', { class: `al-num al-z al-z-${cls}`, title: `z = ${exact(e.z)}` }, fmt(e.z, 3)),
  );
}

/** A cumulant entry's index tuple, by column name or as x<i>. */
export function indexText(index: number[], columns: string[], names: 'columns' | 'indices'): string {
  return index.map((i) => (names === 'columns' && columns[i] !== undefined && columns[i] !== '' ? columns[i] : `x${i}`)).join(', ');
}
