/** The action S(x) (or E = -S), typeset term by term with KaTeX, with filters. */

import type { Action, ActionTerm, Report } from '../../src/core/report/schema';
import { termContributions } from '../../src/panel/contributions';
import { formatCoefficient } from '../../src/panel/numbers';
import {
  actionLhs,
  displayedCoefficient,
  expansionLatex,
  filterTerms,
  monomialText,
  sortTerms,
  termLatex,
} from '../../src/panel/latex';
import type { RenderContext } from '../context';
import { h } from '../dom';
import { exact, fmt } from '../format';
import { typeset } from '../katex';

/** The action shown: raw or standardized units. */
export function shownAction(report: Report, standardized: boolean): Action {
  return standardized && report.actionStandardized ? report.actionStandardized : report.action;
}

/** Parts shown in a tooltip at most (the largest by magnitude; the sum line covers all). */
const TOOLTIP_PARTS = 8;

/**
 * A term's tooltip: its value with its standard error, the exact float64 value, and the diagram
 * parts that add up to it in the shown units and sign convention (src/panel/contributions.ts).
 */
function termTitle(term: ActionTerm, ctx: RenderContext): string {
  const { report, ui } = ctx;
  const sign = ui.convention === 'energy' ? -1 : 1;
  const c = displayedCoefficient(term.coefficient, ui.convention);
  const units = ui.standardized && report.actionStandardized ? 'standardized units' : 'raw units';
  const lines = [
    `${monomialText(term.monomial, report.input.columns, ui.names)}  (order ${term.monomial.length}, ${units})`,
    `coefficient (${ui.convention === 'energy' ? 'energy, −ln p' : 'ln p'}): ${formatCoefficient(c, term.stdErr)}${term.stdErr !== undefined && term.stdErr !== null ? ' (± one standard error)' : ''}`,
    `exact: ${exact(c)}`,
  ];
  if (term.spread !== undefined && term.spread !== null) {
    const ratio = term.stdErr ? ` = ${fmt(term.spread / term.stdErr, 2)} standard errors` : '';
    lines.push(`spread over the other starts that fit as well: ${fmt(term.spread, 3)}${ratio} (optimisation error)`);
  }
  const parts = termContributions(report, term.monomial, ui.standardized && report.actionStandardized !== undefined);
  if (parts && parts.parts.length > 0) {
    lines.push(`built from (${parts.source}):`);
    const shown = [...parts.parts].sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
    lines.push(...shown.slice(0, TOOLTIP_PARTS).map((p) => `  ${fmt(sign * p.value, 6)}  ${p.label}`));
    if (shown.length > TOOLTIP_PARTS) {
      const rest = shown.slice(TOOLTIP_PARTS).reduce((s, p) => s + sign * p.value, 0);
      lines.push(`  ${fmt(rest, 6)}  ${shown.length - TOOLTIP_PARTS} smaller parts`);
    }
    lines.push(parts.complete ? `  = ${fmt(sign * parts.sum, 6)}` : '  (some classes keep only their largest entries in the report: the parts shown do not add up to the whole)');
  }
  return lines.join('\n');
}

export function renderAction(ctx: RenderContext): HTMLElement {
  const { report, ui } = ctx;
  const action = shownAction(report, ui.standardized);
  const orders = [...new Set(action.terms.map((t) => t.monomial.length))].sort((a, b) => a - b);
  const shownOrders = orders.filter((o) => !ui.hiddenOrders.includes(o));
  const selected = sortTerms(filterTerms(action.terms, shownOrders, ui.minAbs, ui.minZ));
  const limit = Math.max(1, ui.termLimit);
  const visible = selected.slice(0, limit);

  // Controls.
  const orderBoxes = orders.map((o) => {
    const cb = h('vscode-checkbox', {
      attrs: { label: `order ${o}`, checked: !ui.hiddenOrders.includes(o) },
      data: { order: o },
      class: 'al-order-filter',
    });
    cb.addEventListener('change', () => {
      const checked = (cb as HTMLElement & { checked: boolean }).checked;
      const hidden = new Set(ui.hiddenOrders);
      if (checked) hidden.delete(o);
      else hidden.add(o);
      ctx.update({ hiddenOrders: [...hidden].sort((a, b) => a - b) });
    });
    return cb;
  });

  const minAbs = h('vscode-textfield', {
    attrs: { type: 'number', min: 0, step: 'any', value: ui.minAbs === 0 ? '' : String(ui.minAbs), placeholder: '0' },
    id: 'al-min-abs',
    title: 'Hide terms with |coefficient| below this',
  });
  minAbs.addEventListener('change', () => {
    const v = Number((minAbs as HTMLElement & { value: string }).value);
    ctx.update({ minAbs: Number.isFinite(v) && v > 0 ? v : 0 });
  });

  // "Significant only": the terms whose |z| = |c / stdErr| reaches a cut (2 by default when switched on).
  const withErrors = action.terms.some((t) => t.stdErr !== undefined);
  const significant = h('vscode-checkbox', {
    id: 'al-significant',
    attrs: { label: `significant only (|z| > ${ui.minZ > 0 ? ui.minZ : 2})`, checked: ui.minZ > 0 },
    title: 'Hide terms whose coefficient is within that many standard errors of 0 (and terms without a standard error)',
  });
  significant.addEventListener('change', () => {
    const checked = (significant as HTMLElement & { checked: boolean }).checked;
    ctx.update({ minZ: checked ? 2 : 0 });
  });

  const radio = (name: string, value: string, label: string, checked: boolean, onPick: () => void): HTMLElement => {
    const r = h('vscode-radio', { attrs: { name, value, label, checked }, data: { value } });
    r.addEventListener('change', () => {
      if ((r as HTMLElement & { checked: boolean }).checked) onPick();
    });
    return r;
  };
  const convention = h(
    'vscode-radio-group',
    { id: 'al-convention', attrs: { 'aria-label': 'Sign convention' } },
    radio('convention', 'ln p', 'ln p  (S = ln p)', ui.convention === 'ln p', () => ctx.update({ convention: 'ln p' })),
    radio('convention', 'energy', 'energy  (E = −ln p)', ui.convention === 'energy', () => ctx.update({ convention: 'energy' })),
  );
  const names = h(
    'vscode-radio-group',
    { id: 'al-names', attrs: { 'aria-label': 'Variable names' } },
    radio('names', 'columns', 'column names', ui.names === 'columns', () => ctx.update({ names: 'columns' })),
    radio('names', 'indices', 'x_i indices', ui.names === 'indices', () => ctx.update({ names: 'indices' })),
  );
  const units = report.actionStandardized
    ? h(
        'vscode-radio-group',
        { id: 'al-units', attrs: { 'aria-label': 'Units' } },
        radio('units', 'raw', 'raw units', !ui.standardized, () => ctx.update({ standardized: false })),
        radio('units', 'standardized', 'standardized', ui.standardized, () => ctx.update({ standardized: true })),
      )
    : null;

  const controls = h(
    'div',
    { class: 'al-controls' },
    h('div', { class: 'al-control' }, h('span', { class: 'al-label' }, 'Show'), convention),
    h('div', { class: 'al-control' }, h('span', { class: 'al-label' }, 'Variables'), names),
    units ? h('div', { class: 'al-control' }, h('span', { class: 'al-label' }, 'Units'), units) : null,
    h('div', { class: 'al-control', id: 'al-order-filters' }, h('span', { class: 'al-label' }, 'Orders'), ...orderBoxes),
    h('div', { class: 'al-control' }, h('label', { class: 'al-label', attrs: { for: 'al-min-abs' } }, 'Min |c|'), minAbs),
    withErrors ? h('div', { class: 'al-control' }, significant) : null,
  );

  // The equation.
  const eq = h('div', { class: 'al-equation', id: 'al-equation', role: 'math' });
  const lhs = h('span', { class: 'al-lhs' });
  typeset(lhs, actionLhs(ui.convention));
  eq.append(lhs);
  const columns = report.input.columns;
  visible.forEach((t, i) => {
    const span = h('span', {
      class: `al-term al-order-${t.monomial.length}`,
      title: termTitle(t, ctx),
      data: { order: t.monomial.length, monomial: t.monomial.join(','), coefficient: displayedCoefficient(t.coefficient, ui.convention) },
      attrs: { tabindex: 0 },
    });
    typeset(span, termLatex(t, columns, { convention: ui.convention, names: ui.names, first: i === 0, expansionPoint: action.expansionPoint }));
    eq.append(span);
  });
  if (visible.length === 0) {
    const zero = h('span', { class: 'al-term al-empty' });
    typeset(zero, '0');
    eq.append(zero);
  }

  const more =
    selected.length > visible.length
      ? h(
          'vscode-button',
          { attrs: { secondary: true }, on: { click: () => ctx.update({ termLimit: limit * 4 }) } },
          `Show more (${selected.length - visible.length} hidden)`,
        )
      : null;

  // The shifted variables, defined beside the equation (typeset), and the point in words.
  const definitionsTex = expansionLatex(action.expansionPoint, columns, { names: ui.names });
  const definitions = definitionsTex === '' ? null : h('div', { class: 'al-expansion', id: 'al-expansion', role: 'math' });
  if (definitions) typeset(definitions, `\\text{with } ${definitionsTex}`);
  const around = action.units === 'standardized'
    ? "around the training rows' mean"
    : action.expansionPoint?.some((v) => v !== 0)
      ? `around x0 = ${action.expansionReason ?? 'the point given'}`
      : `around x = 0${action.expansionReason ? ` (${action.expansionReason})` : ''}`;
  const caption = h(
    'p',
    { class: 'al-caption', id: 'al-expansion-caption' },
    `${visible.length} of ${action.terms.length} terms shown · ${action.units} units, expanded ${around} · monomial form S(x) = Σ c_m Π (x_i − x0_i) · order ≤ ${action.order}`,
  );
  // Hovering a term shows its standard error; say how it was estimated (or why there is none).
  const errors = action.stdErrMethod ? h('p', { class: 'al-caption al-stderr-method' }, `Standard errors: ${action.stdErrMethod}.`) : null;
  const spread = action.spreadMethod ? h('p', { class: 'al-caption al-spread-method' }, `Spread: ${action.spreadMethod}.`) : null;
  return h('section', { class: 'al-section', id: 'al-action' }, controls, eq, definitions, more, caption, errors, spread);
}
