/**
 * The pieces of structural validation the report's validators share (validate.ts, validate-theory.ts):
 * typed checks that collect errors with their paths (at most 50).
 */

export type Rec = Record<string, unknown>;

export function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A non-negative integer index (of a column, a monomial's variable, ...) below a million. */
export function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 1_000_000;
}

export class Checker {
  readonly errors: string[] = [];
  fail(path: string, what: string): void {
    if (this.errors.length < 50) this.errors.push(`${path}: ${what}`);
  }
  rec(x: unknown, path: string): Rec | null {
    if (isRecord(x)) return x;
    this.fail(path, 'expected an object');
    return null;
  }
  arr(x: unknown, path: string): unknown[] | null {
    if (Array.isArray(x)) return x;
    this.fail(path, 'expected an array');
    return null;
  }
  str(x: unknown, path: string): void {
    if (typeof x !== 'string') this.fail(path, 'expected a string');
  }
  /** A number; JSON has no NaN/Infinity, so null is accepted where a value may be undefined numerically. */
  num(x: unknown, path: string, opts: { nullable?: boolean; integer?: boolean; min?: number } = {}): void {
    if (x === null && opts.nullable) return;
    if (typeof x !== 'number' || Number.isNaN(x)) return this.fail(path, 'expected a number');
    if (opts.integer && !Number.isInteger(x)) return this.fail(path, 'expected an integer');
    if (opts.min !== undefined && x < opts.min) this.fail(path, `expected >= ${opts.min}`);
  }
  optNum(x: unknown, path: string): void {
    if (x !== undefined) this.num(x, path, { nullable: true });
  }
  oneOf(x: unknown, values: readonly string[], path: string): void {
    if (typeof x !== 'string' || !values.includes(x)) this.fail(path, `expected one of ${values.join(', ')}`);
  }
  strings(x: unknown, path: string): void {
    const a = this.arr(x, path);
    a?.forEach((v, i) => this.str(v, `${path}[${i}]`));
  }
  numbers(x: unknown, path: string): void {
    const a = this.arr(x, path);
    a?.forEach((v, i) => this.num(v, `${path}[${i}]`, { nullable: true }));
  }
  indices(x: unknown, path: string, d?: number): void {
    const a = this.arr(x, path);
    a?.forEach((v, i) => {
      if (!isIndex(v)) this.fail(`${path}[${i}]`, 'expected a non-negative integer');
      else if (d !== undefined && v >= d) this.fail(`${path}[${i}]`, `index out of range (d = ${d})`);
    });
  }
  term(x: unknown, path: string, d: number): void {
    const t = this.rec(x, path);
    if (!t) return;
    this.indices(t.monomial, `${path}.monomial`, d);
    this.num(t.coefficient, `${path}.coefficient`, { nullable: true });
    this.optNum(t.stdErr, `${path}.stdErr`);
    this.optNum(t.spread, `${path}.spread`);
  }
  terms(x: unknown, path: string, d: number): void {
    const a = this.arr(x, path);
    a?.forEach((v, i) => this.term(v, `${path}[${i}]`, d));
  }
  entriesBlock(x: unknown, path: string, d: number): void {
    const b = this.rec(x, path);
    if (!b) return;
    this.num(b.norm, `${path}.norm`, { nullable: true });
    this.terms(b.entries, `${path}.entries`, d);
  }
  action(x: unknown, path: string, d: number): void {
    const a = this.rec(x, path);
    if (!a) return;
    this.oneOf(a.convention, ['ln p'], `${path}.convention`);
    this.oneOf(a.units, ['raw', 'standardized'], `${path}.units`);
    this.num(a.order, `${path}.order`, { integer: true, min: 0 });
    this.terms(a.terms, `${path}.terms`, d);
    if (a.stdErrMethod !== undefined) this.str(a.stdErrMethod, `${path}.stdErrMethod`);
    if (a.spreadMethod !== undefined) this.str(a.spreadMethod, `${path}.spreadMethod`);
    if (a.expansionPoint !== undefined) {
      const p = this.arr(a.expansionPoint, `${path}.expansionPoint`);
      if (p && p.length !== d) this.fail(`${path}.expansionPoint`, `has ${p.length} entries for ${d} columns`);
      p?.forEach((v, i) => this.num(v, `${path}.expansionPoint[${i}]`));
    }
    if (a.expansionReason !== undefined) this.str(a.expansionReason, `${path}.expansionReason`);
    if (a.storedOrders !== undefined) this.num(a.storedOrders, `${path}.storedOrders`, { integer: true, min: 0 });
    if (a.onDemand !== undefined) this.onDemand(a.onDemand, `${path}.onDemand`, d);
  }
  /** action.onDemand: the orders computed on demand, how, and their strongest terms per order. */
  onDemand(x: unknown, path: string, d: number): void {
    const o = this.rec(x, path);
    if (!o) return;
    this.arr(o.orders, `${path}.orders`)?.forEach((v, i) => this.num(v, `${path}.orders[${i}]`, { integer: true, min: 1 }));
    this.str(o.how, `${path}.how`);
    if (o.topTerms === undefined) return;
    const top = this.rec(o.topTerms, `${path}.topTerms`);
    if (!top) return;
    for (const [order, entry] of Object.entries(top)) {
      const p = `${path}.topTerms.${order}`;
      if (!/^[0-9]+$/.test(order)) this.fail(p, 'the key must be an order');
      const e = this.rec(entry, p);
      if (!e) continue;
      this.terms(e.terms, `${p}.terms`, d);
      this.str(e.guarantee, `${p}.guarantee`);
    }
  }
  /** A cumulant comparison section (sets are rendered defensively; comparisons and notes are checked). */
  cumulants(x: unknown, path: string, d: number): void {
    const cum = this.rec(x, path);
    if (!cum) return;
    this.arr(cum.comparisons, `${path}.comparisons`)?.forEach((cmp, i) => {
      const p = `${path}.comparisons[${i}]`;
      const cc = this.rec(cmp, p);
      if (!cc) return;
      this.str(cc.a, `${p}.a`);
      this.str(cc.b, `${p}.b`);
      this.arr(cc.orders, `${p}.orders`)?.forEach((o, j) => {
        const q = `${p}.orders[${j}]`;
        const ord = this.rec(o, q);
        if (!ord) return;
        this.num(ord.order, `${q}.order`, { integer: true, min: 1 });
        this.comparisonEntries(ord.entries, `${q}.entries`, d);
      });
    });
    if (cum.notes !== undefined) this.strings(cum.notes, `${path}.notes`);
    // Wide tables: orders in summary form (cumulants/summary.ts).
    if (cum.summaries !== undefined) {
      this.arr(cum.summaries, `${path}.summaries`)?.forEach((sm, i) => {
        const p = `${path}.summaries[${i}]`;
        const s = this.rec(sm, p);
        if (!s) return;
        this.num(s.order, `${p}.order`, { integer: true, min: 1 });
        this.num(s.tuples, `${p}.tuples`, { integer: true, min: 0 });
        this.num(s.compared, `${p}.compared`, { integer: true, min: 0 });
        this.str(s.how, `${p}.how`);
        this.arr(s.absZQuantiles, `${p}.absZQuantiles`)?.forEach((qz, j) => {
          const r = this.rec(qz, `${p}.absZQuantiles[${j}]`);
          if (!r) return;
          this.num(r.q, `${p}.absZQuantiles[${j}].q`);
          this.num(r.z, `${p}.absZQuantiles[${j}].z`, { nullable: true });
        });
        const h = this.rec(s.histogram, `${p}.histogram`);
        if (h) {
          this.arr(h.edges, `${p}.histogram.edges`)?.forEach((v, j) => this.num(v, `${p}.histogram.edges[${j}]`));
          this.arr(h.counts, `${p}.histogram.counts`)?.forEach((v, j) => this.num(v, `${p}.histogram.counts[${j}]`, { integer: true, min: 0 }));
        }
        this.comparisonEntries(s.worst, `${p}.worst`, d);
      });
    }
  }
  /** Entries {index, a, b, z} of a cumulant comparison. */
  comparisonEntries(x: unknown, path: string, d: number): void {
    this.arr(x, path)?.forEach((e, k) => {
      const ee = this.rec(e, `${path}[${k}]`);
      if (!ee) return;
      this.indices(ee.index, `${path}[${k}].index`, d);
      this.num(ee.a, `${path}[${k}].a`, { nullable: true });
      this.num(ee.b, `${path}[${k}].b`, { nullable: true });
      this.num(ee.z, `${path}[${k}].z`, { nullable: true });
    });
  }
}
