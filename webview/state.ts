/** The panel's UI state (kept with the report through acquireVsCodeApi().setState). */

import type { Report } from '../src/core/report/schema';
import type { Convention, VariableNames } from '../src/panel/latex';
import { validateReport } from '../src/core/report/validate';

export interface UiState {
  /** The selected tab's key ('theory', 'action', ...); null: the first (the theory where there is one). */
  tab: string | null;
  convention: Convention;
  names: VariableNames;
  /** Orders hidden by the filter (so new orders show by default). */
  hiddenOrders: number[];
  minAbs: number;
  /** "Significant only": terms with |c / stdErr| below this are hidden (0: off). */
  minZ: number;
  /** Standardized units instead of raw (when the report has them). */
  standardized: boolean;
  /** How many terms to render before "show more". */
  termLimit: number;
  /** The column shown from the hover ("Open in Action Lens"): its terms stay highlighted across re-renders and reloads. */
  focus: number | null;
  /** The pixel (report column) whose couplings the Images tab shows; null: none chosen. */
  pixel: number | null;
}

export interface PanelState {
  version: 1;
  report: Report | null;
  ui: UiState;
}

export const DEFAULT_UI: UiState = {
  tab: null,
  convention: 'ln p',
  names: 'columns',
  hiddenOrders: [],
  minAbs: 0,
  minZ: 0,
  standardized: false,
  termLimit: 300,
  focus: null,
  pixel: null,
};

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Restores a saved state, tolerating anything (a bad state gives the defaults). */
export function restoreState(x: unknown): PanelState {
  const out: PanelState = { version: 1, report: null, ui: { ...DEFAULT_UI } };
  if (!isRecord(x)) return out;
  if (x.report !== undefined && x.report !== null) {
    const v = validateReport(x.report);
    if (v.ok) out.report = v.report;
  }
  const ui = x.ui;
  if (isRecord(ui)) {
    // Keys of tabs only; states saved by older panels held an index, which no longer names a tab.
    if (typeof ui.tab === 'string' && /^[a-z-]{1,20}$/.test(ui.tab)) out.ui.tab = ui.tab;
    if (ui.convention === 'ln p' || ui.convention === 'energy') out.ui.convention = ui.convention;
    if (ui.names === 'columns' || ui.names === 'indices') out.ui.names = ui.names;
    if (Array.isArray(ui.hiddenOrders)) out.ui.hiddenOrders = ui.hiddenOrders.filter((o): o is number => typeof o === 'number' && Number.isInteger(o));
    if (typeof ui.minAbs === 'number' && Number.isFinite(ui.minAbs) && ui.minAbs >= 0) out.ui.minAbs = ui.minAbs;
    if (typeof ui.minZ === 'number' && Number.isFinite(ui.minZ) && ui.minZ >= 0) out.ui.minZ = ui.minZ;
    if (typeof ui.standardized === 'boolean') out.ui.standardized = ui.standardized;
    if (typeof ui.termLimit === 'number' && Number.isInteger(ui.termLimit) && ui.termLimit > 0) out.ui.termLimit = ui.termLimit;
    if (typeof ui.focus === 'number' && Number.isInteger(ui.focus) && ui.focus >= 0) out.ui.focus = ui.focus;
    if (typeof ui.pixel === 'number' && Number.isInteger(ui.pixel) && ui.pixel >= 0) out.ui.pixel = ui.pixel;
  }
  return out;
}
