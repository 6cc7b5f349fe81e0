/** The action S(x) (or E = -S), typeset term by term with KaTeX, with filters. */

import type { Action, ActionTerm, Report } from '../../src/core/report/schema';
import {
  actionLhs,
  displayedCoefficient,
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

function monoKey(m: readonly number[]): string {
  return m.join(',');
}

/** Diagram classes (of layers reading the data x) whose entries include the monomial. */
function producers(report: Report): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const layer of report.layers) {
    if (layer.inputName !== 'x') continue;
    for (const cls of layer.diagrams) {
      for (const e of cls.entries ?? []) {
        const k = monoKey(e.monomial);
        const list = out.get(k) ?? [];
        list.push(`layer ${layer.index}: vertex ${cls.vertexOrder} [${cls.legs.join(', ')}] → ${fmt(e.coefficient)}`);
        out.set(k, list);
      }
    }
  }
  return out;
}

function termTitle(term: ActionTerm, ctx: RenderContext, produced: Map<string, string[]>): string {
  const { report, ui } = ctx;
  const c = displayedCoefficient(term.coefficient, ui.convention);
  const lines = [
    `${monomialText(term.monomial, report.input.columns, ui.names)}  (order ${term.monomial.length})`,
    `coefficient (${ui.convention === 'energy' ? 'energy, −ln p' : 'ln p'}): ${exact(c)}`,
  ];
  if (term.stdErr !== undefined && term.stdErr !== null) lines.push(`standard error: ${exact(term.stdErr)}`);
  const p = produced.get(monoKey(term.monomial));
  if (p && p.length > 0) {
    lines.push('diagrams:');
    lines.push(...p.slice(0, 8).map((s) => `  ${s}`));
    if (p.length > 8) lines.push(`  … ${p.length - 8} more`);
  }
  return lines.join('\n');
}

export function renderAction(ctx: RenderContext): HTMLElement {
  const { report, ui } = ctx;
  const action = shownAction(report, ui.standardized);
  const orders = [...new Set(action.terms.map((t) => t.monomial.length))].sort((a, b) => a - b);
  const shownOrders = orders.filter((o) => !ui.hiddenOrders.includes(o));
  const selected = sortTerms(filterTerms(action.terms, shownOrders, ui.minAbs));
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
  );

  // The equation.
  const eq = h('div', { class: 'al-equation', id: 'al-equation', role: 'math' });
  const lhs = h('span', { class: 'al-lhs' });
  typeset(lhs, actionLhs(ui.convention));
  eq.append(lhs);
  const produced = producers(report);
  const columns = report.input.columns;
  visible.forEach((t, i) => {
    const span = h('span', {
      class: `al-term al-order-${t.monomial.length}`,
      title: termTitle(t, ctx, produced),
      data: { order: t.monomial.length, monomial: t.monomial.join(','), coefficient: displayedCoefficient(t.coefficient, ui.convention) },
      attrs: { tabindex: 0 },
    });
    typeset(span, termLatex(t, columns, { convention: ui.convention, names: ui.names, first: i === 0 }));
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

  const caption = h(
    'p',
    { class: 'al-caption' },
    `${visible.length} of ${action.terms.length} terms shown · ${action.units} units${action.units === 'raw' ? ', expanded around x = 0' : ', around the mean'} · monomial form S(x) = Σ c_m Π x_i · order ≤ ${action.order}`,
  );
  // Hovering a term shows its standard error; say how it was estimated (or why there is none).
  const errors = action.stdErrMethod ? h('p', { class: 'al-caption al-stderr-method' }, `Standard errors: ${action.stdErrMethod}.`) : null;
  return h('section', { class: 'al-section', id: 'al-action' }, controls, eq, more, caption, errors);
}
