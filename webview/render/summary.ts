/** The summary header: input, model, NLLs, convergence, warnings (prominent), export buttons, citation. */

import { PAPER_CITATION, type FitAssessment, type Report, type ReportTraining } from '../../src/core/report/schema';
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
    ['model', modelText(model)],
    ...(training
      ? ([
          ['NLL (nats/row)', h('span', { title: `train ${exact(training.trainNll)}, held out ${exact(training.valNll)}, Gaussian ${exact(training.gaussianValNll)}` },
            `train ${fmt(training.trainNll)} · held out ${fmt(training.valNll)} · Gaussian fit ${fmt(training.gaussianValNll)}`)],
          ['training', trainingText(training)],
        ] as [string, Node | string][])
      : []),
    ['convergence radius', h('span', { title: convergence.method }, convergenceText(report))],
  ];
  if (report.fit) kv.push(['fit', h('span', { class: `al-fit al-fit-${report.fit.verdict}`, id: 'al-fit', title: report.fit.findings.join('\n') }, fitText(report.fit))]);

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

const STOPPED: Record<string, string> = {
  'early-stopping': 'ended by early stopping',
  'step-limit': 'stopped at its step budget, still improving',
  'time-limit': 'stopped at its time limit, still improving',
  'max-epochs': 'stopped at its epoch limit, still improving',
  steps: 'a fixed number of steps',
  cancelled: 'cancelled',
  diverged: 'diverged',
};

/** The model in one line: the network's architecture, or the direct fit's candidates. */
function modelText(model: Report['model']): string {
  if (model.estimator === 'score-matching') {
    return `direct fit of the polynomial action by score matching (no network), order K = ${model.order}, ${model.candidates} candidate monomials, family-wise error ${model.alpha}, ${seedsText(model)}`;
  }
  return `${model.layerKind} × ${model.layers} layers, hidden ${model.hidden}, order K = ${model.order}, ${model.parameters} parameters, ${seedsText(model)}, ${model.engine}${model.kernels ? ` (${model.kernels})` : ''}`;
}

/** The seed, and the data seed where the report has one (older reports drew the split from the seed). */
function seedsText(model: Report['model']): string {
  return model.dataSeed === undefined ? `seed ${model.seed}` : `seed ${model.seed}, data seed ${model.dataSeed}`;
}

function trainingText(t: ReportTraining): string {
  const why = STOPPED[t.stoppedBecause] ?? t.stoppedBecause;
  if (t.bestStep === undefined) return `${why}, kept epoch ${t.bestEpoch} of ${t.epochs}`;
  const budget = t.maxSteps !== undefined ? ` of a budget of ${t.maxSteps.toLocaleString('en-US')}` : '';
  return `${why} after ${t.steps.toLocaleString('en-US')} steps${budget} (${t.epochs} epochs); kept the model of step ${t.bestStep.toLocaleString('en-US')}${polishText(t)}`;
}

/** What the L-BFGS polish (docs/METHOD.md section 3.6.1) did to the early-stopped weights. */
function polishText(t: ReportTraining): string {
  const p = t.polish;
  if (!p) return '';
  const passes = `${p.evaluations} full passes`;
  if (p.kept) return `, then polished to the training rows' maximum likelihood (${passes}; training NLL ${fmt(p.trainNll[0], 5)} → ${fmt(p.trainNll[1], 5)})`;
  const rose = `the held-out NLL rose beyond ${p.tolerance} standard errors`;
  const why = p.stoppedBecause === 'overfitting' || p.stoppedBecause === 'gradient' || p.stoppedBecause === 'stalled' ? rose : (POLISH_UNDONE[p.stoppedBecause] ?? p.stoppedBecause);
  return `; the polish to the training rows' maximum likelihood was undone (${why}, ${passes})`;
}

const POLISH_UNDONE: Record<string, string> = {
  evaluations: 'it had not converged within its budget',
  iterations: 'it had not converged within its budget',
  'not-converging': 'it was converging too slowly to finish within its budget',
  'line-search': 'the line search could go no further',
  'not-finite': 'the likelihood was not finite',
  cancelled: 'cancelled',
  skipped: 'not run: too many parameters, or too short a training, for its budget',
};

function convergenceText(report: Report): string {
  const c = report.convergence;
  if (c.radius === null) return '∞ (ln p is a polynomial)';
  const x0 = report.action.expansionPoint?.some((v) => v !== 0) ? 'x0' : 'x = 0';
  if (c.radiusStandardized !== undefined && c.radiusStandardized !== null) {
    const typical = c.typicalDistanceStandardized !== undefined ? `; the median row lies ${fmt(c.typicalDistanceStandardized, 3)} from it` : '';
    return `${fmt(c.radiusStandardized, 3)} standard deviations around ${x0}${typical} (${fmt(c.radius)} in raw units)`;
  }
  return `${fmt(c.radius)} (raw units, around ${x0})`;
}

function fitText(fit: FitAssessment): string {
  if (fit.verdict === 'good') return 'good: the model reproduces the held-out data within sampling error';
  const what = fit.verdict === 'poor' ? 'poor: the model does not reproduce the data' : 'not converged';
  return `${what} (${fit.findings.length === 1 ? 'the finding and what to try are' : `${fit.findings.length} findings and what to try are`} in the warnings above)`;
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
