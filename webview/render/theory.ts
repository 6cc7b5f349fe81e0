/**
 * The Theory tab: the identified theory (docs/METHOD.md section 9) typeset, its interaction graph, one
 * table with each term's INN coefficient, dense direct fit, identified value and true value, and its
 * validation (normalisability, held-out NLL, cumulants, comparison with a truth).
 */

import type { ActionTerm, Report, TheorySection } from '../../src/core/report/schema';
import { actionLhs, expansionLatex, monomialText, sortTerms, termLatex } from '../../src/panel/latex';
import { formatCoefficient } from '../../src/panel/numbers';
import type { RenderContext } from '../context';
import { h } from '../dom';
import { fmt } from '../format';
import { typeset } from '../katex';
import { renderComparison } from './cumulants';
import { interactionGraph } from './interaction-graph';

const key = (m: readonly number[]): string => m.join(',');

function byKey<T extends { monomial: number[] }>(terms: readonly T[] | undefined): Map<string, T> {
  return new Map((terms ?? []).map((t) => [key(t.monomial), t]));
}

function ordersText(terms: readonly ActionTerm[]): string {
  const counts = new Map<number, number>();
  for (const t of terms) if (t.monomial.length > 0) counts.set(t.monomial.length, (counts.get(t.monomial.length) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${n} of order ${k}`).join(', ') || 'none';
}

function summary(report: Report, th: TheorySection): HTMLElement {
  const kept = th.terms.filter((t) => t.monomial.length > 0);
  const rows: [string, string][] = [
    ['terms', `${kept.length} (${ordersText(kept)}) of ${th.candidates} candidates`],
    ['candidates', th.screen],
    ['error control', `Holm, family-wise error ${th.alpha} over all ${th.family} monomials of orders 1..${th.order}; the last kept term passed |z| ≥ ${fmt(th.cut, 3)}`],
    ['stability', th.stability.note],
    ['normalisable', `${th.normalizable.normalizable ? 'yes' : 'no'}: ${th.normalizable.reason}`],
  ];
  if (th.heldOutNll !== undefined) rows.push(['held-out NLL', `${fmt(th.heldOutNll, 6)} nats/row${report.training ? ` (the network's: ${fmt(report.training.valNll, 6)})` : ''}; ln Z = ${formatCoefficient(th.logZ?.value ?? Number.NaN, th.logZ?.stdErr)} from ${th.logZ?.proposal ?? '—'} (effective samples ${fmt(th.logZ?.ess ?? Number.NaN, 3)})`]);
  return h('dl', { class: 'al-kv', id: 'al-theory-summary' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function equation(ctx: RenderContext, th: TheorySection): HTMLElement {
  const columns = ctx.report.input.columns;
  const eq = h('div', { class: 'al-equation', id: 'al-theory-equation', role: 'math' });
  const lhs = h('span', { class: 'al-lhs' });
  typeset(lhs, actionLhs(ctx.ui.convention));
  eq.append(lhs);
  const terms = sortTerms(th.terms);
  terms.forEach((t, i) => {
    const span = h('span', {
      class: `al-term al-order-${t.monomial.length}`,
      data: { monomial: t.monomial.join(',') },
      title: `${monomialText(t.monomial, columns, ctx.ui.names)}: ${formatCoefficient(t.coefficient, t.stdErr)}${t.z !== undefined ? `, z = ${fmt(t.z, 3)}` : ' (−ln Z)'}${t.selectionFrequency !== undefined ? `, kept by ${fmt(100 * t.selectionFrequency, 3)}% of the half-samples` : ''}`,
      attrs: { tabindex: 0 },
    });
    typeset(span, termLatex(t, columns, { convention: ctx.ui.convention, names: ctx.ui.names, first: i === 0, expansionPoint: th.expansionPoint }));
    eq.append(span);
  });
  if (terms.length === 0) {
    const zero = h('span', { class: 'al-term al-empty' });
    typeset(zero, '0');
    eq.append(zero);
  }
  const wrap = h('div', {}, eq);
  const defs = expansionLatex(th.expansionPoint, columns, { names: ctx.ui.names });
  if (defs !== '') {
    const el = h('div', { class: 'al-expansion', role: 'math' });
    typeset(el, `\\text{with } ${defs}`);
    wrap.append(el);
  }
  return wrap;
}

/** One row per term that any estimator or the truth has an opinion on. */
function comparisonTable(ctx: RenderContext, th: TheorySection): HTMLElement {
  const { report } = ctx;
  const columns = report.input.columns;
  const inn = byKey(report.action.terms);
  const dense = th.dense ? byKey(th.dense) : null;
  const kept = byKey(th.terms);
  const truth = th.truth ? byKey(th.truth.action.terms) : null;
  const near = new Map(th.nearMisses.map((x) => [key(x.monomial), x.z]));
  const monomials = new Map<string, number[]>();
  for (const t of th.terms) if (t.monomial.length > 0) monomials.set(key(t.monomial), t.monomial);
  for (const t of th.truth?.action.terms ?? []) if (t.monomial.length > 0 && t.coefficient !== 0) monomials.set(key(t.monomial), t.monomial);
  for (const x of th.nearMisses) monomials.set(key(x.monomial), x.monomial);
  const ordered = sortTerms([...monomials.values()].map((m) => ({ monomial: m, coefficient: Math.abs(kept.get(key(m))?.coefficient ?? truth?.get(key(m))?.coefficient ?? 0) })));
  const cell = (t: ActionTerm | undefined): HTMLElement => h('td', { class: 'al-num', title: t ? String(t.coefficient) : '' }, t ? formatCoefficient(t.coefficient, t.stdErr) : '—');
  const rows = ordered.map(({ monomial }) => {
    const k = key(monomial);
    const id = kept.get(k);
    const status = id ? (truth && !truth.has(k) ? 'spurious' : 'kept') : truth?.has(k) ? 'missed' : 'dropped';
    return h(
      'tr',
      { class: `al-theory-row al-theory-${status}`, data: { monomial: k } },
      h('td', { class: 'al-index' }, monomialText(monomial, columns, ctx.ui.names)),
      cell(inn.get(k)),
      dense ? cell(dense.get(k)) : null,
      cell(id),
      h('td', { class: 'al-num' }, id?.z !== undefined ? fmt(id.z, 3) : near.has(k) ? `(${fmt(near.get(k), 3)})` : '—'),
      h('td', { class: 'al-num' }, id?.selectionFrequency !== undefined ? `${fmt(100 * id.selectionFrequency, 3)}%` : '—'),
      truth ? h('td', { class: 'al-num' }, truth.has(k) ? fmt(truth.get(k)?.coefficient, 4) : '0') : null,
      h('td', { class: `al-status al-status-${status}` }, status),
    );
  });
  return h(
    'table',
    { class: 'al-table', id: 'al-theory-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'term'),
        h('th', { title: "the network's dense action, ± its delta-method standard error" }, 'INN'),
        dense ? h('th', { title: 'score matching of every candidate, before selection' }, 'dense direct fit') : null,
        h('th', { title: 'the identified theory, ± its sandwich standard error' }, 'identified'),
        h('th', { title: 'identified: c / se; dropped: the last z, in parentheses' }, 'z'),
        h('th', { title: 'share of the half-samples whose selection kept the term' }, 'kept in halves'),
        truth ? h('th', {}, 'true') : null,
        h('th', {}, ''),
      ),
    ),
    h('tbody', {}, ...rows),
  );
}

function truthOrders(th: TheorySection): HTMLElement | null {
  const cmp = th.truth;
  if (!cmp) return null;
  const orders = cmp.perOrder[0]?.orders.map((o) => o.order) ?? [];
  const name = { inn: "the network's action", dense: 'dense direct fit', identified: 'identified theory' } as const;
  return h(
    'section',
    { class: 'al-card', id: 'al-theory-truth' },
    h('h3', {}, `Against the truth (${cmp.source})`),
    h('p', {}, `Missed true terms: ${cmp.missed.length}; spurious kept terms: ${cmp.spurious.length}.`),
    h(
      'table',
      { class: 'al-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'relative error per order'), ...orders.map((o) => h('th', {}, `order ${o}`)))),
      h('tbody', {}, ...cmp.perOrder.map((e) => h('tr', {}, h('td', {}, name[e.estimator]), ...e.orders.map((o) => h('td', { class: 'al-num' }, o.relativeError === null ? 'n/a' : `${fmt(100 * o.relativeError, 3)}%`))))),
    ),
  );
}

export function renderTheory(ctx: RenderContext): HTMLElement | null {
  const th = ctx.report.theory;
  if (!th) return null;
  const warnings = th.warnings.length > 0 ? h('div', { class: 'al-warnings', role: 'alert' }, h('strong', {}, 'About this theory'), h('ul', {}, ...th.warnings.map((w) => h('li', {}, w)))) : null;
  const graph = h(
    'section',
    { class: 'al-card al-graph-card' },
    h('h3', {}, 'Interactions'),
    interactionGraph(ctx.report, th.terms, ctx.ui.names),
    h(
      'p',
      { class: 'al-caption' },
      'Edges: pair couplings; hubs: 3- and 4-body terms; rings: a variable\'s own terms above order 2. Width by |c| times the spreads of its variables; ',
      h('span', { class: 'al-swatch al-pos' }),
      ' positive, ',
      h('span', { class: 'al-swatch al-neg' }),
      ' negative in ln p.',
    ),
  );
  return h(
    'section',
    { class: 'al-section', id: 'al-theory' },
    warnings,
    summary(ctx.report, th),
    equation(ctx, th),
    h('p', { class: 'al-caption' }, `Raw units, around the action's expansion point; the constant is −ln Z. ${th.method}.`),
    graph,
    h('section', { class: 'al-card' }, h('h3', {}, 'Term by term'), comparisonTable(ctx, th)),
    truthOrders(th),
    th.cumulants ? renderComparison(th.cumulants.comparisons[0], ctx) : null,
    ...(th.cumulants?.notes ?? []).map((n) => h('p', { class: 'al-muted al-note' }, n)),
  );
}
