/**
 * What the Images tab reads from a report beyond its typed sections: the orders the action stores
 * densely and the strongest terms of orders computed on demand (report.action.storedOrders and
 * .onDemand, written by hosts that compute high orders on demand; absent in other reports), read
 * defensively. Also the lookups of coefficients by monomial.
 */

import type { ActionTerm, Report, ReportGrid } from '../../src/core/report/schema';
import type { RenderContext } from '../context';

export type GridReport = Report & { grid: ReportGrid };

/** A column's name for hover texts. */
export function pixelName(ctx: RenderContext, k: number): string {
  const name = ctx.report.input.columns[k];
  return ctx.ui.names === 'columns' && name !== undefined && name !== '' ? name : `x${k}`;
}

export interface OnDemandInfo {
  orders: number[];
  how: string;
  /** The strongest terms by order, where the host listed them. */
  topTerms: Map<number, { terms: ActionTerm[]; guarantee: string }>;
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** Orders up to which report.action.terms holds every coefficient. */
export function storedOrders(report: Report): number {
  const v = (report.action as { storedOrders?: unknown }).storedOrders;
  return isInt(v) ? Math.min(v, report.action.order) : report.action.order;
}

function isTerm(x: unknown, d: number): x is ActionTerm {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as { monomial?: unknown; coefficient?: unknown };
  return Array.isArray(t.monomial) && t.monomial.every((i) => isInt(i) && i < d) && typeof t.coefficient === 'number' && Number.isFinite(t.coefficient);
}

export function onDemandInfo(report: Report): OnDemandInfo | null {
  const raw = (report.action as { onDemand?: unknown }).onDemand;
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as { orders?: unknown; how?: unknown; topTerms?: unknown };
  const orders = Array.isArray(o.orders) ? o.orders.filter(isInt) : [];
  const d = report.input.columns.length;
  const topTerms = new Map<number, { terms: ActionTerm[]; guarantee: string }>();
  if (typeof o.topTerms === 'object' && o.topTerms !== null) {
    for (const [k, v] of Object.entries(o.topTerms as Record<string, unknown>)) {
      const order = Number(k);
      if (!isInt(order) || typeof v !== 'object' || v === null) continue;
      const e = v as { terms?: unknown; guarantee?: unknown };
      if (!Array.isArray(e.terms)) continue;
      const terms = e.terms.filter((t): t is ActionTerm => isTerm(t, d) && t.monomial.length === order);
      topTerms.set(order, { terms, guarantee: typeof e.guarantee === 'string' ? e.guarantee : '' });
    }
  }
  return { orders, how: typeof o.how === 'string' ? o.how : '', topTerms };
}

/** Coefficients by sorted monomial ("i,j,k"). */
export function termIndex(terms: readonly ActionTerm[], order: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of terms) if (t.monomial.length === order) m.set([...t.monomial].sort((a, b) => a - b).join(','), t.coefficient);
  return m;
}

/** The slice of a stored order with `fixed` held: dense over the free indices, as the host's slice message. */
export function localSlice(terms: readonly ActionTerm[], d: number, order: number, fixed: readonly number[]): number[] {
  const index = termIndex(terms, order);
  const free = order - fixed.length;
  const out = new Array<number>(d ** free).fill(0);
  const idx = new Array<number>(free).fill(0);
  for (let e = 0; e < out.length; e++) {
    let r = e;
    for (let p = free - 1; p >= 0; p--) {
      idx[p] = r % d;
      r = Math.floor(r / d);
    }
    out[e] = index.get([...fixed, ...idx].sort((a, b) => a - b).join(',')) ?? 0;
  }
  return out;
}

/** The strongest terms of an order, by |c| times the spreads of their columns (comparable across units). */
export function strongestTerms(terms: readonly ActionTerm[], order: number, std: readonly number[], top: number): Array<ActionTerm & { size: number }> {
  return terms
    .filter((t) => t.monomial.length === order)
    .map((t) => ({ ...t, size: Math.abs(t.monomial.reduce((v, i) => v * (std[i] ?? 1), t.coefficient)) }))
    .sort((a, b) => b.size - a.size)
    .slice(0, top);
}
