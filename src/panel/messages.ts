/**
 * Messages between the extension host and the panel's webview, and their validation.
 * Nothing that crosses the boundary is trusted: both sides parse what they receive (a report with
 * core/report/validate.ts). Pure TypeScript (no vscode, no DOM): used by the host, the webview
 * bundle and the tests.
 */

import type { Report } from '../core/report/schema';
import { isIndex, isRecord, validateReport } from '../core/report/validate';
import type { Convention, VariableNames } from './latex';

export type ExportFormat = 'latex' | 'json' | 'html';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['latex', 'json', 'html'];

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** What the panel currently shows, so an export can reproduce it. */
export interface ViewOptions {
  convention: Convention;
  names: VariableNames;
  /** Orders shown (monomial lengths). */
  orders: number[];
  minAbs: number;
  /** Only terms with a standard error and |c / stdErr| >= minZ (0: every term). */
  minZ?: number;
}

/** Host -> webview. */
export type HostMessage =
  | { type: 'report'; report: Report }
  | { type: 'theme'; kind: ThemeKind }
  /** Highlight the terms of one column (e.g. from a hover in the CSV). */
  | { type: 'focusColumn'; column: number }
  | SliceMessage
  | { type: 'sliceError'; requestId: number; message: string };

/**
 * The answer to a `requestSlice`: the coefficients of every monomial sort(fixed ++ free) of degree
 * `order`, dense row-major over the free indices (d^(order - fixed.length) entries, each free index
 * 0..d-1), in the units and around the expansion point of `report.action`.
 */
export interface SliceMessage {
  type: 'slice';
  requestId: number;
  order: number;
  fixed: number[];
  values: number[];
  /** How long the host took to compute it. */
  seconds: number;
}

/** A slice may hold at most this many entries (d^2 at d = 1024). */
export const MAX_SLICE_ENTRIES = 1 << 20;

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'export'; format: ExportFormat; view?: ViewOptions }
  | { type: 'revealColumn'; column: number }
  /** Ask the host for a slice of the action with the indices `fixed` held (an order above the stored ones). */
  | { type: 'requestSlice'; requestId: number; order: number; fixed: number[] };

const isIndexList = (x: unknown, maxLength: number): x is number[] => Array.isArray(x) && x.length <= maxLength && x.every(isIndex);

function parseViewOptions(x: unknown): ViewOptions | null {
  if (!isRecord(x)) return null;
  const { convention, names, orders, minAbs, minZ } = x;
  if (convention !== 'ln p' && convention !== 'energy') return null;
  if (names !== 'columns' && names !== 'indices') return null;
  if (!Array.isArray(orders) || orders.length > 64 || !orders.every((o) => isIndex(o) && o <= 64)) return null;
  if (typeof minAbs !== 'number' || !Number.isFinite(minAbs) || minAbs < 0) return null;
  if (minZ !== undefined && (typeof minZ !== 'number' || !Number.isFinite(minZ) || minZ < 0)) return null;
  return { convention, names, orders: orders.map(Number), minAbs, ...(minZ !== undefined && minZ > 0 ? { minZ } : {}) };
}

/** Validates a message from the webview (the host calls this on every `onDidReceiveMessage`). */
export function parseWebviewMessage(x: unknown): WebviewMessage | null {
  if (!isRecord(x)) return null;
  switch (x.type) {
    case 'ready':
      return { type: 'ready' };
    case 'export': {
      const format = x.format;
      if (format !== 'latex' && format !== 'json' && format !== 'html') return null;
      if (x.view === undefined) return { type: 'export', format };
      const view = parseViewOptions(x.view);
      return view === null ? null : { type: 'export', format, view };
    }
    case 'revealColumn':
      return isIndex(x.column) ? { type: 'revealColumn', column: x.column } : null;
    case 'requestSlice': {
      const { requestId, order, fixed } = x;
      if (!isIndex(requestId) || !isIndex(order) || order > 64 || !isIndexList(fixed, 64)) return null;
      if (fixed.length < 1 || fixed.length >= order) return null;
      return { type: 'requestSlice', requestId, order, fixed: fixed.map(Number) };
    }
    default:
      return null;
  }
}

/** Validates a message from the host (the webview calls this on every `message` event). */
export function parseHostMessage(x: unknown): HostMessage | null {
  if (!isRecord(x)) return null;
  switch (x.type) {
    case 'report': {
      const r = validateReport(x.report);
      return r.ok ? { type: 'report', report: r.report } : null;
    }
    case 'theme':
      return x.kind === 'light' || x.kind === 'dark' || x.kind === 'high-contrast' || x.kind === 'high-contrast-light'
        ? { type: 'theme', kind: x.kind }
        : null;
    case 'focusColumn':
      return isIndex(x.column) ? { type: 'focusColumn', column: x.column } : null;
    case 'slice': {
      const { requestId, order, fixed, values, seconds } = x;
      if (!isIndex(requestId) || !isIndex(order) || order > 64 || !isIndexList(fixed, 64)) return null;
      if (!Array.isArray(values) || values.length > MAX_SLICE_ENTRIES || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return null;
      return { type: 'slice', requestId, order, fixed: fixed.map(Number), values: values.map(Number), seconds };
    }
    case 'sliceError':
      return isIndex(x.requestId) && typeof x.message === 'string' ? { type: 'sliceError', requestId: x.requestId, message: x.message } : null;
    default:
      return null;
  }
}
