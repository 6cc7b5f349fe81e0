/** The summary header: input, model, NLLs, convergence, warnings (prominent), export buttons, citation. */

import { PAPER_CITATION } from '../../src/core/report/schema';
import type { ExportFormat } from '../../src/panel/messages';
import type { RenderContext } from '../context';
import { h } from '../dom';
import { basename, exact, fmt } from '../format';

export function renderSummary(ctx: RenderContext, onExport: (format: ExportFormat) => void, canExportHtml: boolean): HTMLElement {
  const { report } = ctx;
  const { input, model, training, convergence } = report;
  const cols = input.columns.map((c, i) => {
    const label = c === '' ? `x${i}` : c;
    if (!ctx.post) return h('span', { class: 'al-col', title: `column ${i}` }, label);
    return h('a', {
      class: 'al-col',
      title: `column ${i}: reveal in the CSV`,
      attrs: { href: '#', role: 'button' },
      on: {
        click: (ev) => {
          ev.preventDefault();
          ctx.post?.({ type: 'revealColumn', column: i });
        },
      },
    }, label);
  });
  const colList = h('span', { class: 'al-cols' });
  cols.forEach((c, i) => {
    if (i > 0) colList.append(', ');
    colList.append(c);
  });

  const warnings = report.warnings.length > 0
    ? h(
        'div',
        { class: 'al-warnings', role: 'alert', id: 'al-warnings' },
        h('strong', {}, report.warnings.length === 1 ? 'Warning' : `${report.warnings.length} warnings`),
        h('ul', {}, ...report.warnings.map((w) => h('li', {}, w))),
      )
    : null;

  const kv: [string, Node | string][] = [
    ['input', h('span', { title: input.path, class: 'al-path' }, input.path)],
    ['rows', `${input.rows}${input.skippedRows.length > 0 ? ` (${input.skippedRows.length} skipped)` : ''}`],
    [`columns (${input.columns.length})`, colList],
    ['model', `${model.layerKind} × ${model.layers} layers, hidden ${model.hidden}, order K = ${model.order}, ${model.parameters} parameters, seed ${model.seed}, ${model.engine}${model.kernels ? ` (${model.kernels})` : ''}`],
    ['NLL (nats/row)', h('span', { title: `train ${exact(training.trainNll)}, held out ${exact(training.valNll)}, Gaussian ${exact(training.gaussianValNll)}` },
      `train ${fmt(training.trainNll)} · held out ${fmt(training.valNll)} · Gaussian fit ${fmt(training.gaussianValNll)}`)],
    ['training', `${training.stoppedBecause}, kept epoch ${training.bestEpoch} of ${training.epochs}`],
    ['convergence radius', h('span', { title: convergence.method }, convergence.radius === null ? '∞ (entire)' : `${fmt(convergence.radius)} (raw units, around x = 0)`)],
  ];

  const buttons = (['latex', 'json', 'html'] as const)
    .filter((f) => f !== 'html' || canExportHtml)
    .map((f) =>
      h('vscode-button', { class: 'al-export', data: { format: f }, attrs: { secondary: true }, on: { click: () => onExport(f) } }, `Export ${f === 'latex' ? 'LaTeX' : f.toUpperCase()}`),
    );

  return h(
    'header',
    { class: 'al-summary', id: 'al-summary' },
    h('div', { class: 'al-title-row' },
      h('h1', {}, 'Action Lens', h('span', { class: 'al-muted' }, ` · ${basename(input.path)}`)),
      h('div', { class: 'al-export-buttons' }, ...buttons),
    ),
    warnings,
    h('dl', { class: 'al-kv' }, ...kv.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    report.about ? h('p', { class: 'al-caption' }, report.about) : null,
  );
}

export function renderFooter(ctx: RenderContext): HTMLElement {
  const r = ctx.report;
  return h(
    'footer',
    { class: 'al-footer' },
    h('p', {}, `${r.tool.name} ${r.tool.version} · report schema ${r.schemaVersion} · ${r.createdAt ?? ''}`),
    h('p', { class: 'al-citation' }, 'Method: ', PAPER_CITATION),
  );
}
