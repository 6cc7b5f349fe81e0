/**
 * The identified theory's interaction graph (SVG): the variables as nodes on a circle, pair couplings
 * as edges (width by the coupling's size in units of the columns' spreads, colour by its sign in
 * ln p), self terms as rings on the nodes, and 3- and 4-body terms as hyperedges (a small hub joined
 * to each member). Sizes are |c_m| prod_{i in m} sigma_i: comparable across columns of any units.
 */

import type { ActionTerm, Report } from '../../src/core/report/schema';
import { monomialText } from '../../src/panel/latex';
import { formatCoefficient } from '../../src/panel/numbers';
import { s, svgTitle } from '../dom';

const SIZE = 360;
const RADIUS = 130;
const NODE = 13;

function scaled(t: ActionTerm, std: readonly number[]): number {
  let c = Math.abs(t.coefficient);
  for (const i of t.monomial) c *= std[i] ?? 1;
  return c;
}

function distinct(m: readonly number[]): number[] {
  return [...new Set(m)];
}

export function interactionGraph(report: Report, terms: readonly ActionTerm[], names: 'columns' | 'indices'): SVGSVGElement {
  const columns = report.input.columns;
  const d = columns.length;
  const std = report.model.standardization.std;
  const cx = SIZE / 2;
  const cy = SIZE / 2;
  const pos = Array.from({ length: d }, (_, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / d;
    return { x: cx + RADIUS * Math.cos(a), y: cy + RADIUS * Math.sin(a) };
  });
  const interacting = terms.filter((t) => t.monomial.length >= 2);
  const strongest = Math.max(1e-300, ...interacting.map((t) => scaled(t, std)));
  const width = (t: ActionTerm): number => 0.8 + 5 * Math.sqrt(scaled(t, std) / strongest);
  const sign = (t: ActionTerm): string => (t.coefficient >= 0 ? 'al-pos' : 'al-neg');
  const label = (t: ActionTerm): string => `${monomialText(t.monomial, columns, names)}: ${formatCoefficient(t.coefficient, t.stdErr)}`;

  const svg = s('svg', { class: 'al-graph', id: 'al-interaction-graph', width: SIZE, height: SIZE, viewBox: `0 0 ${SIZE} ${SIZE}`, role: 'img', 'aria-label': 'Interaction graph of the identified theory' });
  const edges = s('g', { class: 'al-graph-edges' });
  const hubs = s('g', { class: 'al-graph-hubs' });
  for (const t of interacting) {
    const members = distinct(t.monomial);
    if (members.length === 1) continue; // a self term: drawn on its node
    if (members.length === 2) {
      const [a, b] = members.map((i) => pos[i]);
      edges.append(s('line', { class: `al-graph-edge ${sign(t)}`, x1: a.x, y1: a.y, x2: b.x, y2: b.y, 'stroke-width': width(t).toFixed(2), 'data-monomial': t.monomial.join(',') }, svgTitle(label(t))));
      continue;
    }
    // A hyperedge: a hub at the members' centroid, pulled a little towards the centre.
    const hx = 0.8 * (members.reduce((acc, i) => acc + pos[i].x, 0) / members.length) + 0.2 * cx;
    const hy = 0.8 * (members.reduce((acc, i) => acc + pos[i].y, 0) / members.length) + 0.2 * cy;
    const group = s('g', { class: `al-graph-hyper ${sign(t)}`, 'data-monomial': t.monomial.join(',') }, svgTitle(label(t)));
    for (const i of members) group.append(s('line', { class: 'al-graph-spoke', x1: hx, y1: hy, x2: pos[i].x, y2: pos[i].y, 'stroke-width': Math.max(0.8, width(t) / 2).toFixed(2) }));
    group.append(s('circle', { class: 'al-graph-hub', cx: hx, cy: hy, r: 3 + 3 * Math.sqrt(scaled(t, std) / strongest) }));
    hubs.append(group);
  }
  svg.append(edges, hubs);
  const nodes = s('g', { class: 'al-graph-nodes' });
  for (let i = 0; i < d; i++) {
    const self = terms.filter((t) => t.monomial.length > 0 && t.monomial.every((j) => j === i));
    const title = `${monomialText([i], columns, names)}${self.length > 0 ? `\nself terms: ${self.map(label).join('; ')}` : '\nno self terms'}`;
    const g = s('g', { class: 'al-graph-node', 'data-column': i }, svgTitle(title));
    // One ring per self order beyond 2 (the site's cubic, quartic ...), the quadratic as the fill.
    const orders = self.map((t) => t.monomial.length).filter((k) => k > 2);
    orders.forEach((k, n) => g.append(s('circle', { class: `al-graph-ring al-ring-${k}`, cx: pos[i].x, cy: pos[i].y, r: NODE + 3 + 3 * n })));
    g.append(s('circle', { class: `al-graph-dot${self.some((t) => t.monomial.length === 2) ? '' : ' al-graph-free'}`, cx: pos[i].x, cy: pos[i].y, r: NODE }));
    const text = names === 'columns' && columns[i] ? columns[i] : `x${i}`;
    g.append(s('text', { class: 'al-graph-label', x: pos[i].x, y: pos[i].y + 4, 'text-anchor': 'middle' }, text.length > 6 ? `${text.slice(0, 5)}…` : text));
    nodes.append(g);
  }
  svg.append(nodes);
  return svg;
}
