/**
 * The pieces of structural validation the report's validators share (validate.ts, validate-theory.ts,
 * validate-sections.ts): typed checks that collect errors with their paths (at most 50), and the
 * limits a report must keep to be read at all (README.md, "Bad input and faults").
 */

export type Rec = Record<string, unknown>;

export function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A non-negative integer index (of a column, a monomial's variable, ...) below a million. */
export function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 1_000_000;
}

/**
 * What a report may hold. Beyond these it is refused before the panel spends time or memory on it:
 * every list the panel draws is bounded, every string, the columns (the heat map draws d x d cells),
 * and the nesting (a hostile file could otherwise overflow a recursive serializer).
 */
export const REPORT_LIMITS = {
  /** Bytes of a report file, checked before it is read: above V8's longest string (2^29 characters) it could not be parsed; the largest report `learn` writes (1.5 million coefficients) is about 375 MB. */
  fileBytes: 512_000_000,
  columns: 10_000,
  /** The highest order of an action (the learn settings' limit, SETTING_LIMITS.order.max). */
  order: 12,
  /** Entries of a list indexed by monomials (MAX_REPORT_COEFFICIENTS of the pipeline). */
  terms: 1_500_000,
  /** Entries of a list of texts or of a small table (warnings, findings, history, layers, runs, ...). */
  list: 10_000,
  /** Characters of any string. */
  string: 100_000,
  /** Levels of nesting of objects and arrays. */
  depth: 64,
} as const;

/** Keys that name an object's prototype machinery: refused anywhere, so no later copy can pollute one. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The path of the first key among `__proto__`, `constructor` and `prototype`, or of the first value
 * nested deeper than REPORT_LIMITS.depth, in a parsed JSON value (`input.columns`, `layers[2].kind`:
 * the validators' form); null when there is none.
 * Iterative, so a hostile nesting cannot overflow the stack here.
 */
export function findUnsafeKey(x: unknown): { path: string; why: string } | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: x, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= REPORT_LIMITS.depth) return { path: path || '(top)', why: `nested deeper than ${REPORT_LIMITS.depth} levels` };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const v: unknown = value[i];
        if (typeof v === 'object' && v !== null) stack.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 });
      }
      continue;
    }
    for (const key of Object.keys(value)) {
      const sub = path === '' ? key : `${path}.${key}`;
      if (UNSAFE_KEYS.has(key)) return { path: sub, why: `the key "${key}" is not allowed` };
      const v: unknown = (value as Rec)[key];
      if (typeof v === 'object' && v !== null) stack.push({ value: v, path: sub, depth: depth + 1 });
    }
  }
  return null;
}

export interface NumOptions {
  /** JSON has no NaN/Infinity: null stands for a value that was not finite, where that is allowed. */
  nullable?: boolean;
  integer?: boolean;
  min?: number;
  /** Strictly above 0. */
  positive?: boolean;
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
  /** An array of at most `max` entries (REPORT_LIMITS.list unless told). */
  arr(x: unknown, path: string, max: number = REPORT_LIMITS.list): unknown[] | null {
    if (!Array.isArray(x)) {
      this.fail(path, 'expected an array');
      return null;
    }
    if (x.length > max) {
      this.fail(path, `has ${x.length} entries, more than the limit of ${max}`);
      return null;
    }
    return x;
  }
  str(x: unknown, path: string): void {
    if (typeof x !== 'string') this.fail(path, 'expected a string');
    else if (x.length > REPORT_LIMITS.string) this.fail(path, `is ${x.length} characters long, more than the limit of ${REPORT_LIMITS.string}`);
  }
  optStr(x: unknown, path: string): void {
    if (x !== undefined) this.str(x, path);
  }
  bool(x: unknown, path: string): void {
    if (typeof x !== 'boolean') this.fail(path, 'expected true or false');
  }
  optBool(x: unknown, path: string): void {
    if (x !== undefined) this.bool(x, path);
  }
  /** A finite number (NaN and Infinity are refused; null only where `nullable`). */
  num(x: unknown, path: string, opts: NumOptions = {}): void {
    if (x === null && opts.nullable) return;
    if (typeof x !== 'number') return this.fail(path, opts.nullable ? 'expected a number or null' : 'expected a number');
    if (!Number.isFinite(x)) return this.fail(path, `expected a finite number, got ${String(x)}`);
    if (opts.integer && !Number.isInteger(x)) return this.fail(path, 'expected an integer');
    if (opts.min !== undefined && x < opts.min) return this.fail(path, `expected >= ${opts.min}`);
    if (opts.positive && !(x > 0)) this.fail(path, 'expected > 0');
  }
  optNum(x: unknown, path: string, opts: NumOptions = { nullable: true }): void {
    if (x !== undefined) this.num(x, path, opts);
  }
  oneOf(x: unknown, values: readonly string[], path: string): void {
    if (typeof x !== 'string' || !values.includes(x)) this.fail(path, `expected one of ${values.join(', ')}`);
  }
  strings(x: unknown, path: string): void {
    const a = this.arr(x, path);
    a?.forEach((v, i) => this.str(v, `${path}[${i}]`));
  }
  /** Numbers (null for a non-finite one); with `length`, exactly that many. */
  numbers(x: unknown, path: string, opts: { length?: number; max?: number; nullable?: boolean } = {}): void {
    const a = this.arr(x, path, opts.max ?? REPORT_LIMITS.terms);
    if (!a) return;
    if (opts.length !== undefined && a.length !== opts.length) this.fail(path, `has ${a.length} entries for ${opts.length} columns`);
    a.forEach((v, i) => this.num(v, `${path}[${i}]`, { nullable: opts.nullable ?? true }));
  }
  /** Column indices below d, at most `maxLength` of them (a monomial: at most REPORT_LIMITS.order). */
  indices(x: unknown, path: string, d?: number, maxLength: number = REPORT_LIMITS.order): void {
    const a = this.arr(x, path, maxLength);
    a?.forEach((v, i) => {
      if (!isIndex(v)) this.fail(`${path}[${i}]`, 'expected a non-negative integer');
      else if (d !== undefined && v >= d) this.fail(`${path}[${i}]`, `index out of range (d = ${d})`);
    });
  }
  /** Monomials: lists of column indices below d, of at most `order` factors. */
  monomials(x: unknown, path: string, d: number, order: number = REPORT_LIMITS.order): void {
    this.arr(x, path, REPORT_LIMITS.terms)?.forEach((m, i) => this.indices(m, `${path}[${i}]`, d, order));
  }
  term(x: unknown, path: string, d: number, order: number = REPORT_LIMITS.order): Rec | null {
    const t = this.rec(x, path);
    if (!t) return null;
    this.indices(t.monomial, `${path}.monomial`, d, order);
    this.num(t.coefficient, `${path}.coefficient`, { nullable: true });
    this.optNum(t.stdErr, `${path}.stdErr`);
    this.optNum(t.spread, `${path}.spread`);
    return t;
  }
  terms(x: unknown, path: string, d: number, order: number = REPORT_LIMITS.order): void {
    const a = this.arr(x, path, REPORT_LIMITS.terms);
    a?.forEach((v, i) => this.term(v, `${path}[${i}]`, d, order));
  }
  entriesBlock(x: unknown, path: string, d: number): void {
    const b = this.rec(x, path);
    if (!b) return;
    this.num(b.norm, `${path}.norm`, { nullable: true });
    this.terms(b.entries, `${path}.entries`, d);
    this.optBool(b.entriesCut, `${path}.entriesCut`);
  }
  action(x: unknown, path: string, d: number): void {
    const a = this.rec(x, path);
    if (!a) return;
    this.oneOf(a.convention, ['ln p'], `${path}.convention`);
    this.oneOf(a.units, ['raw', 'standardized'], `${path}.units`);
    this.num(a.order, `${path}.order`, { integer: true, min: 0 });
    const order = typeof a.order === 'number' && Number.isInteger(a.order) && a.order >= 0 && a.order <= REPORT_LIMITS.order ? a.order : REPORT_LIMITS.order;
    if (typeof a.order === 'number' && a.order > REPORT_LIMITS.order) this.fail(`${path}.order`, `expected at most ${REPORT_LIMITS.order}`);
    this.terms(a.terms, `${path}.terms`, d, order);
    this.optStr(a.stdErrMethod, `${path}.stdErrMethod`);
    if (a.expansionPoint !== undefined) this.numbers(a.expansionPoint, `${path}.expansionPoint`, { length: d, nullable: false });
    this.optStr(a.expansionReason, `${path}.expansionReason`);
    this.optStr(a.spreadMethod, `${path}.spreadMethod`);
    if (a.storedOrders !== undefined) {
      this.num(a.storedOrders, `${path}.storedOrders`, { integer: true, min: 0 });
      if (typeof a.storedOrders === 'number' && a.storedOrders > order) this.fail(`${path}.storedOrders`, `expected at most the order ${order}`);
    }
    if (a.onDemand !== undefined) this.onDemand(a.onDemand, `${path}.onDemand`, d, order);
  }
  /** action.onDemand: the orders computed on demand, how, and their strongest terms per order. */
  onDemand(x: unknown, path: string, d: number, order: number): void {
    const o = this.rec(x, path);
    if (!o) return;
    this.arr(o.orders, `${path}.orders`, REPORT_LIMITS.order)?.forEach((v, i) => {
      this.num(v, `${path}.orders[${i}]`, { integer: true, min: 1 });
      if (typeof v === 'number' && v > order) this.fail(`${path}.orders[${i}]`, `expected at most the order ${order}`);
    });
    this.str(o.how, `${path}.how`);
    if (o.topTerms === undefined) return;
    const top = this.rec(o.topTerms, `${path}.topTerms`);
    if (!top) return;
    for (const [key, entry] of Object.entries(top)) {
      const p = `${path}.topTerms.${key}`;
      if (!/^[0-9]+$/.test(key) || Number(key) > order) this.fail(p, 'the key must be an order of the action');
      const e = this.rec(entry, p);
      if (!e) continue;
      this.terms(e.terms, `${p}.terms`, d, order);
      this.str(e.guarantee, `${p}.guarantee`);
    }
  }
  /** Learned vs true coefficients of one order: monomials, learned and true values, one each. */
  orderComparison(x: unknown, path: string, d: number): void {
    const o = this.rec(x, path);
    if (!o) return;
    this.num(o.order, `${path}.order`, { integer: true, min: 0 });
    for (const k of ['relativeError', 'maxAbsWhereTrueZero', 'rmsAbsWhereTrueZero'] as const) this.num(o[k], `${path}.${k}`, { nullable: true });
    this.optNum(o.rmsZ, `${path}.rmsZ`);
    this.monomials(o.monomials, `${path}.monomials`, d);
    const n = Array.isArray(o.monomials) ? o.monomials.length : undefined;
    for (const k of ['learned', 'truth'] as const) {
      this.numbers(o[k], `${path}.${k}`);
      if (n !== undefined && Array.isArray(o[k]) && (o[k] as unknown[]).length !== n) this.fail(`${path}.${k}`, `has ${(o[k] as unknown[]).length} entries for ${n} monomials`);
    }
  }
}
