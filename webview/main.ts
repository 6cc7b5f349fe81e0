/**
 * The panel's webview: renders a Report (and nothing else).
 * In VS Code: the report arrives as a {type:'report'} message; report and UI state are kept with
 * acquireVsCodeApi().setState so the panel restores after a reload. In the standalone HTML export:
 * the report is read from the embedded <script type="application/json">.
 */

import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';

import type { Report } from '../src/core/report/schema';
import { PAPER_CITATION } from '../src/core/report/schema';
import { EMBEDDED_REPORT_ID } from '../src/panel/html';
import { actionToLatexDocument } from '../src/panel/latex';
import { validateReport } from '../src/core/report/validate';
import { parseHostMessage, type ExportFormat, type ViewOptions, type WebviewMessage } from '../src/panel/messages';
import type { RenderContext } from './context';
import { clear, h } from './dom';
import { basename } from './format';
import { renderAction, shownAction } from './render/action';
import { renderTraining } from './render/charts';
import { renderCumulants } from './render/cumulants';
import { renderDiagrams } from './render/diagrams';
import { renderExperiment } from './render/experiment';
import { renderTheory } from './render/theory';
import { renderImages } from './render/images';
import { renderFooter, renderSummary } from './render/summary';
import { acceptSlice, clearSlices } from './slices';
import { restoreState, type PanelState, type UiState } from './state';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

function acquireApi(): VsCodeApi | null {
  const g = globalThis as { acquireVsCodeApi?: unknown };
  if (typeof g.acquireVsCodeApi !== 'function') return null;
  const api: unknown = (g.acquireVsCodeApi as () => unknown)();
  if (typeof api !== 'object' || api === null) return null;
  const a = api as Partial<VsCodeApi>;
  if (typeof a.postMessage !== 'function' || typeof a.getState !== 'function' || typeof a.setState !== 'function') return null;
  return api as VsCodeApi;
}

const api = acquireApi();
const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
let state: PanelState = restoreState(api?.getState());

function save(): void {
  api?.setState(state);
}

function viewOptions(ui: UiState, report: Report): ViewOptions {
  const orders = [...new Set(shownAction(report, ui.standardized).terms.map((t) => t.monomial.length))]
    .filter((o) => !ui.hiddenOrders.includes(o))
    .sort((a, b) => a - b);
  return { convention: ui.convention, names: ui.names, orders, minAbs: ui.minAbs, ...(ui.minZ > 0 ? { minZ: ui.minZ } : {}) };
}

function download(name: string, mime: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = h('a', { attrs: { href: url, download: name } });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function onExport(format: ExportFormat): void {
  const report = state.report;
  if (!report) return;
  const view = viewOptions(state.ui, report);
  if (api) {
    const msg: WebviewMessage = { type: 'export', format, view };
    api.postMessage(msg);
    return;
  }
  const stem = basename(report.input.path).replace(/\.[^.]*$/, '') || 'action';
  if (format === 'json') download(`${stem}.report.json`, 'application/json', JSON.stringify(report, null, 2));
  else if (format === 'latex') {
    const action = shownAction(report, state.ui.standardized);
    download(`${stem}.action.tex`, 'application/x-tex', actionToLatexDocument(action, report.input.columns, { ...view, source: report.input.path, citation: PAPER_CITATION }));
  }
}

interface Mounted {
  panels: { key: string; el: HTMLElement; render: (ctx: RenderContext) => HTMLElement | null }[];
}
let mounted: Mounted | null = null;

function context(report: Report): RenderContext {
  return {
    report,
    ui: state.ui,
    update: (patch) => {
      state = { ...state, ui: { ...state.ui, ...patch } };
      save();
      rerenderPanels();
    },
    post: api ? (msg) => api.postMessage(msg) : null,
  };
}

function rerenderPanels(): void {
  if (!mounted || !state.report) return;
  const ctx = context(state.report);
  for (const p of mounted.panels) {
    const scrollY = window.scrollY;
    clear(p.el);
    const content = p.render(ctx);
    if (content) p.el.append(content);
    window.scrollTo(0, scrollY);
  }
  highlightColumn(state.ui.focus);
}

function renderReport(report: Report): void {
  clear(app);
  const ctx = context(report);
  const sections: { key: string; title: string; render: (c: RenderContext) => HTMLElement | null }[] = [
    // The identified theory comes first where there is one: what a scientist came for.
    ...(report.theory ? [{ key: 'theory', title: 'Theory', render: renderTheory }] : []),
    { key: 'action', title: 'Action', render: renderAction },
    // Pixels of an image: the action's pieces drawn on the grid (README.md, "Images").
    ...(report.grid ? [{ key: 'images', title: 'Images', render: renderImages }] : []),
    { key: 'diagrams', title: 'Diagrams', render: renderDiagrams },
    { key: 'cumulants', title: 'Cumulants', render: renderCumulants },
    { key: 'training', title: 'Training & couplings', render: renderTraining },
  ];
  if (report.experiment !== undefined && report.experiment !== null) sections.push({ key: 'experiment', title: 'Experiment', render: renderExperiment });

  const tabs = h('vscode-tabs', { id: 'al-tabs', attrs: { 'selected-index': Math.max(0, sections.findIndex((sec) => sec.key === state.ui.tab)) } });
  const panels: Mounted['panels'] = [];
  for (const sec of sections) {
    tabs.append(h('vscode-tab-header', { attrs: { slot: 'header' }, data: { tab: sec.key } }, sec.title));
    const panel = h('vscode-tab-panel', { data: { tab: sec.key } });
    const content = sec.render(ctx);
    if (content) panel.append(content);
    tabs.append(panel);
    panels.push({ key: sec.key, el: panel, render: sec.render });
  }
  tabs.addEventListener('vsc-tabs-select', (ev: Event) => {
    const detail: unknown = (ev as CustomEvent<unknown>).detail;
    const idx = typeof detail === 'object' && detail !== null ? (detail as { selectedIndex?: unknown }).selectedIndex : undefined;
    const key = typeof idx === 'number' ? sections[idx]?.key : undefined;
    if (key !== undefined) {
      state = { ...state, ui: { ...state.ui, tab: key } };
      save();
    }
  });
  mounted = { panels };
  app.append(renderSummary(ctx, onExport, api !== null), tabs, renderFooter(ctx));
  highlightColumn(state.ui.focus);
  document.title = `Action Lens · ${basename(report.input.path)}`;
  document.body.dataset.rendered = 'true';
}

function showError(title: string, errors: string[]): void {
  clear(app);
  app.append(
    h('div', { class: 'al-warnings al-error', role: 'alert', id: 'al-error' }, h('strong', {}, title), h('ul', {}, ...errors.slice(0, 20).map((e) => h('li', {}, e)))),
  );
}

/** A report's identity: a focus chosen on one report does not carry over to another. */
function sameReport(a: Report | null, b: Report): boolean {
  return a !== null && a.input.sha256 === b.input.sha256 && a.createdAt === b.createdAt && a.input.path === b.input.path;
}

function accept(report: Report): void {
  const same = sameReport(state.report, report);
  const focus = same ? state.ui.focus : null;
  const pixel = same ? state.ui.pixel : null;
  if (!same) clearSlices();
  state = { ...state, report, ui: { ...state.ui, focus, pixel } };
  save();
  renderReport(report);
}

/** Marks the terms that involve `column` (none for null); returns the first. */
function highlightColumn(column: number | null): HTMLElement | null {
  document.querySelectorAll('.al-term.al-focus').forEach((el) => el.classList.remove('al-focus'));
  if (column === null) return null;
  let first: HTMLElement | null = null;
  document.querySelectorAll<HTMLElement>('.al-term').forEach((el) => {
    const mono = (el.dataset.monomial ?? '').split(',').filter((s) => s !== '').map(Number);
    if (mono.includes(column)) {
      el.classList.add('al-focus');
      first ??= el;
    }
  });
  return first;
}

type TabsElement = HTMLElement & { selectedIndex?: number; updateComplete?: Promise<unknown> };

/**
 * Shows a column (the hover's "Open in Action Lens"): the Action tab, its terms highlighted, the first
 * scrolled into view. The tab is chosen through the element's property (the attribute alone does not
 * switch when it already holds that value, as after a click changed only the property) and kept in
 * the saved state, so a reload of the webview (a hidden panel is destroyed) comes back to it.
 */
/**
 * Shows a column's terms: the identified theory's when the column has any there (its tab comes
 * first), else the action's; every typeset term of the column is highlighted, the first one of the
 * shown tab scrolled into view.
 */
function focusColumn(column: number): void {
  const inTheory = state.report?.theory?.terms.some((t) => t.monomial.includes(column)) ?? false;
  const key = inTheory ? 'theory' : 'action';
  state = { ...state, ui: { ...state.ui, tab: key, focus: column } };
  save();
  highlightColumn(column);
  const tabs = document.getElementById('al-tabs') as TabsElement | null;
  if (!tabs) return;
  const headers = [...tabs.querySelectorAll<HTMLElement>('vscode-tab-header')];
  const index = Math.max(0, headers.findIndex((el) => el.dataset.tab === key));
  tabs.selectedIndex = index;
  tabs.setAttribute('selected-index', String(index));
  const first = document.querySelector<HTMLElement>(`vscode-tab-panel[data-tab="${key}"] .al-term.al-focus`);
  // Scroll once the tab's panel is shown (the element updates asynchronously).
  void Promise.resolve(tabs.updateComplete).then(() => requestAnimationFrame(() => first?.scrollIntoView({ block: 'center' })));
}

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const data = ev.data;
  const msg = parseHostMessage(data);
  if (!msg) {
    if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'report') {
      const v = validateReport((data as { report?: unknown }).report);
      showError('The report could not be shown:', v.ok ? ['unknown error'] : v.errors);
    }
    return;
  }
  switch (msg.type) {
    case 'report':
      accept(msg.report);
      break;
    case 'theme':
      document.body.dataset.theme = msg.kind;
      break;
    case 'focusColumn':
      focusColumn(msg.column);
      break;
    case 'slice':
    case 'sliceError':
      if (state.report && acceptSlice(msg, state.report.input.columns.length)) rerenderPanels();
      break;
  }
});

function boot(): void {
  if (api) {
    if (state.report) renderReport(state.report);
    const ready: WebviewMessage = { type: 'ready' };
    api.postMessage(ready);
    return;
  }
  const embedded = document.getElementById(EMBEDDED_REPORT_ID);
  if (!embedded) return; // no host and no embedded report: wait for a message (tests, previews)
  let parsed: unknown;
  try {
    parsed = JSON.parse(embedded.textContent ?? '');
  } catch (e) {
    showError('The embedded report is not valid JSON:', [e instanceof Error ? e.message : String(e)]);
    return;
  }
  const v = validateReport(parsed);
  if (v.ok) accept(v.report);
  else showError('The embedded report could not be shown:', v.errors);
}

boot();
