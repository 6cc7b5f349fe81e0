import type { Flow } from '../../flow/flow';
import { canonicalOrder } from '../../pipeline/columns';
import type { Action, Report } from '../../report/schema';
import { directionalDerivatives, prepareLayers, type PreparedLayer } from './directional';
import { searchTopTerms, type TopTerms } from './top-terms';

/** The most entries one slice may have (d^(order - fixed.length)); 16.7 M float64 = 134 MB. */
export const MAX_SLICE_VALUES = 1 << 24;

/** The action's coefficients computed from the weights on demand (docs/METHOD.md section 4.7). */
export interface ActionSlicer {
  readonly dim: number;
  /** K of the report. */
  readonly order: number;
  /** Orders <= storedOrders are in report.action.terms. */
  readonly storedOrders: number;
  /** One coefficient c_m (monomial: sorted column indices with repetition, report column order). */
  coefficient(monomial: readonly number[]): number;
  /**
   * Coefficients of every monomial sort(fixed ++ free) of total degree `order`, free indices ranging
   * over 0..d-1: a dense row-major array of d^(order - fixed.length) entries (symmetric in the free
   * indices; the entry for free = (j, k) is c of the sorted monomial [...fixed, j, k]). 1 <= fixed.length <= order-1.
   */
  slice(fixed: readonly number[], order: number): Float64Array;
  /** The k largest |c_m| of one order with a guarantee in words (exact, or what was not searched). */
  topTerms(order: number, k: number, options?: { seconds?: number }): TopTerms;
}

export type { TopTerms } from './top-terms';

/**
 * The slicer of a report's action, from its trained flow: raw units around report.action.expansionPoint
 * (the default), or standardized units around the mean (report.actionStandardized). Columns are
 * numbered as in the report; the model works in canonical order (pipeline/columns.ts), so indices are
 * mapped on the way in.
 */
/** What the slicer reads from a report: the column names and the action's order, expansion point and stored orders. */
export type SliceableReport = { input: { columns: readonly string[] }; action: Action; actionStandardized?: Action } | Report;

export function slicerFor(flow: Flow, report: SliceableReport, units: 'raw' | 'standardized' = 'raw'): ActionSlicer {
  const columns = report.input.columns;
  const d = columns.length;
  if (flow.dim !== d) throw new RangeError(`the model has ${flow.dim} columns, the report ${d}`);
  const action = units === 'raw' ? report.action : report.actionStandardized;
  if (!action) throw new RangeError('the report has no action in standardized units');
  const canonical = canonicalOrder(columns);
  const toModel = new Int32Array(d);
  canonical.forEach((reportIndex, c) => (toModel[reportIndex] = c));
  const point = action.expansionPoint ?? new Array<number>(d).fill(0);
  const x0 = Float64Array.from(canonical, (reportIndex) => point[reportIndex]);
  return new FlowSlicer(prepareLayers(flow.layers.slice(units === 'raw' ? 0 : 1), d), d, x0, toModel, action.order, action.storedOrders ?? action.order);
}

class FlowSlicer implements ActionSlicer {
  constructor(
    private readonly layers: readonly PreparedLayer[],
    readonly dim: number,
    private readonly x0: Float64Array,
    private readonly toModel: Int32Array,
    readonly order: number,
    readonly storedOrders: number,
  ) {}

  coefficient(monomial: readonly number[]): number {
    const m = this.checkIndices(monomial, 'monomial');
    const { value } = directionalDerivatives(this.layers, this.dim, this.x0, m.map((i) => this.toModel[i]), 0);
    return value / multiplicityFactorial(m);
  }

  slice(fixed: readonly number[], order: number): Float64Array {
    if (!Number.isInteger(order) || order < 1 || order > this.order) throw new RangeError(`order must be an integer from 1 to ${this.order}, got ${order}`);
    if (fixed.length < 1 || fixed.length > order - 1) throw new RangeError(`a slice of order ${order} holds 1 to ${order - 1} indices, got ${fixed.length}`);
    return this.freeSlice(fixed, order);
  }

  /** slice() also for no fixed index (the whole order-1 or order-2 part), as the search uses it. */
  freeSlice(fixed: readonly number[], order: number): Float64Array {
    const f = this.checkIndices(fixed, 'fixed index');
    const d = this.dim;
    const free = order - f.length;
    if (d ** free > MAX_SLICE_VALUES) throw new RangeError(`a slice of ${d}^${free} = ${(d ** free).toLocaleString('en-US')} entries is too large; hold more indices`);
    if (free >= 3) {
      // Free degree 3 and up: one index more held per block (the Hessian route gives two free indices).
      const block = d ** (free - 1);
      const out = new Float64Array(d * block);
      for (let j = 0; j < d; j++) out.set(this.freeSlice([...f, j], order), j * block);
      return out;
    }
    const counts = new Map<number, number>();
    for (const i of f) counts.set(i, (counts.get(i) ?? 0) + 1);
    const base = multiplicityFactorial(f);
    const c = (i: number): number => counts.get(i) ?? 0;
    const dir = directionalDerivatives(this.layers, d, this.x0, f.map((i) => this.toModel[i]), free as 0 | 1 | 2);
    if (free === 0) return Float64Array.of(dir.value / base);
    const tm = this.toModel;
    if (free === 1) {
      const g = dir.gradient as Float64Array;
      return Float64Array.from({ length: d }, (_, j) => g[tm[j]] / (base * (c(j) + 1)));
    }
    const h = dir.hessian as Float64Array;
    const out = new Float64Array(d * d);
    for (let j = 0; j < d; j++) {
      const row = tm[j] * d;
      const cj = c(j);
      for (let k = 0; k < d; k++) {
        const factor = j === k ? base * (cj + 1) * (cj + 2) : base * (cj + 1) * (c(k) + 1);
        out[j * d + k] = h[row + tm[k]] / factor;
      }
    }
    return out;
  }

  topTerms(order: number, k: number, options: { seconds?: number } = {}): TopTerms {
    if (!Number.isInteger(order) || order < 0 || order > this.order) throw new RangeError(`order must be an integer from 0 to ${this.order}, got ${order}`);
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
    if (order === 0) return { terms: [{ monomial: [], coefficient: this.coefficient([]) }], guarantee: 'exact: the constant computed from the weights' };
    return searchTopTerms(this, order, k, options.seconds ?? Infinity);
  }

  private checkIndices(indices: readonly number[], what: string): number[] {
    for (const i of indices) if (!Number.isInteger(i) || i < 0 || i >= this.dim) throw new RangeError(`${what} ${i} is not a column index from 0 to ${this.dim - 1}`);
    return [...indices].sort((a, b) => a - b);
  }
}

/** prod over distinct indices of (multiplicity)!: c_m = D^|m| S[e_m] / this (monomial form). */
export function multiplicityFactorial(monomial: readonly number[]): number {
  const counts = new Map<number, number>();
  let out = 1;
  for (const i of monomial) {
    const c = (counts.get(i) ?? 0) + 1;
    counts.set(i, c);
    out *= c;
  }
  return out;
}

