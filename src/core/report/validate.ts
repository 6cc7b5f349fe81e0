/**
 * Structural validation of a Report (shape only; extra fields are allowed and ignored). Untrusted
 * reports come from files, from the webview's saved state and in the host's messages: the
 * extension host and the webview both check them with this. Pure TypeScript (no vscode, no DOM, no
 * flow code): the webview bundle imports it.
 */

import type { Report } from './schema';

type Rec = Record<string, unknown>;

export function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A non-negative integer index (of a column, a monomial's variable, ...) below a million. */
export function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 1_000_000;
}


export type ReportValidation = { ok: true; report: Report } | { ok: false; errors: string[] };

export interface ValidateOptions {
  /**
   * The layer kinds a report may name in model.layerKind: the registry's (src/core/flow/kinds.ts,
   * layerKindNames), which the host passes. The webview, which must not load flow code, leaves it out
   * and accepts any name.
   */
  layerKinds?: readonly string[];
}

class Checker {
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
    if (a.expansionPoint !== undefined) {
      const p = this.arr(a.expansionPoint, `${path}.expansionPoint`);
      if (p && p.length !== d) this.fail(`${path}.expansionPoint`, `has ${p.length} entries for ${d} columns`);
      p?.forEach((v, i) => this.num(v, `${path}.expansionPoint[${i}]`));
    }
    if (a.expansionReason !== undefined) this.str(a.expansionReason, `${path}.expansionReason`);
  }
}

/**
 * Checks that `x` has the shape of a Report, as far as the panel relies on it. Returns the same
 * object typed (not a copy). Numbers may be null where JSON serialised a non-finite value.
 */
export function validateReport(x: unknown, options: ValidateOptions = {}): ReportValidation {
  const c = new Checker();
  const r = c.rec(x, 'report');
  if (!r) return { ok: false, errors: c.errors };
  c.num(r.schemaVersion, 'schemaVersion', { integer: true, min: 1 });
  const tool = c.rec(r.tool, 'tool');
  if (tool) {
    c.str(tool.name, 'tool.name');
    c.str(tool.version, 'tool.version');
  }
  if (r.createdAt !== undefined) c.str(r.createdAt, 'createdAt');
  if (r.about !== undefined) c.str(r.about, 'about');

  let d = 0;
  const input = c.rec(r.input, 'input');
  if (input) {
    c.str(input.path, 'input.path');
    c.num(input.rows, 'input.rows', { integer: true, min: 0 });
    c.strings(input.columns, 'input.columns');
    if (Array.isArray(input.columns)) d = input.columns.length;
    if (input.skippedRows !== undefined) {
      c.arr(input.skippedRows, 'input.skippedRows')?.forEach((s, i) => {
        const sr = c.rec(s, `input.skippedRows[${i}]`);
        if (sr) {
          c.num(sr.line, `input.skippedRows[${i}].line`);
          c.str(sr.reason, `input.skippedRows[${i}].reason`);
        }
      });
    }
  }

  const model = c.rec(r.model, 'model');
  if (model) {
    if (options.layerKinds) c.oneOf(model.layerKind, options.layerKinds, 'model.layerKind');
    else c.str(model.layerKind, 'model.layerKind');
    c.num(model.layers, 'model.layers', { integer: true, min: 0 });
    c.num(model.hidden, 'model.hidden', { min: 0 });
    c.num(model.order, 'model.order', { integer: true, min: 0 });
    if (model.kernels !== undefined) c.str(model.kernels, 'model.kernels');
  }

  const training = c.rec(r.training, 'training');
  if (training) {
    c.num(training.trainNll, 'training.trainNll', { nullable: true });
    c.num(training.valNll, 'training.valNll', { nullable: true });
    c.optNum(training.gaussianValNll, 'training.gaussianValNll');
    c.str(training.stoppedBecause, 'training.stoppedBecause');
    c.arr(training.history, 'training.history')?.forEach((p, i) => {
      const pt = c.rec(p, `training.history[${i}]`);
      if (pt) {
        c.num(pt.step, `training.history[${i}].step`);
        c.num(pt.trainNll, `training.history[${i}].trainNll`, { nullable: true });
        c.num(pt.valNll, `training.history[${i}].valNll`, { nullable: true });
      }
    });
  }

  c.action(r.action, 'action', d);
  if (r.actionStandardized !== undefined) c.action(r.actionStandardized, 'actionStandardized', d);

  const conv = c.rec(r.convergence, 'convergence');
  if (conv) {
    c.num(conv.radius, 'convergence.radius', { nullable: true });
    c.str(conv.method, 'convergence.method');
  }

  c.arr(r.layers, 'layers')?.forEach((l, i) => {
    const p = `layers[${i}]`;
    const layer = c.rec(l, p);
    if (!layer) return;
    c.num(layer.index, `${p}.index`, { integer: true });
    c.str(layer.kind, `${p}.kind`);
    c.arr(layer.diagrams, `${p}.diagrams`)?.forEach((dc, j) => {
      const q = `${p}.diagrams[${j}]`;
      const cls = c.rec(dc, q);
      if (!cls) return;
      c.num(cls.vertexOrder, `${q}.vertexOrder`, { integer: true, min: 0 });
      c.indices(cls.legs, `${q}.legs`);
      if (Array.isArray(cls.legs) && cls.legs.length > 16) c.fail(`${q}.legs`, 'too many leg kinds');
      c.num(cls.resultOrder, `${q}.resultOrder`, { integer: true, min: 0 });
      c.num(cls.norm, `${q}.norm`, { nullable: true });
      if (cls.entries !== undefined) c.terms(cls.entries, `${q}.entries`, d);
    });
    c.entriesBlock(layer.logDet, `${p}.logDet`, d);
    c.entriesBlock(layer.remainder, `${p}.remainder`, d);
    c.num(layer.actionInNorm, `${p}.actionInNorm`, { nullable: true });
  });

  const cum = c.rec(r.cumulants, 'cumulants');
  if (cum) {
    c.arr(cum.comparisons, 'cumulants.comparisons')?.forEach((cmp, i) => {
      const p = `cumulants.comparisons[${i}]`;
      const cc = c.rec(cmp, p);
      if (!cc) return;
      c.str(cc.a, `${p}.a`);
      c.str(cc.b, `${p}.b`);
      c.arr(cc.orders, `${p}.orders`)?.forEach((o, j) => {
        const q = `${p}.orders[${j}]`;
        const ord = c.rec(o, q);
        if (!ord) return;
        c.num(ord.order, `${q}.order`, { integer: true, min: 1 });
        c.arr(ord.entries, `${q}.entries`)?.forEach((e, k) => {
          const ee = c.rec(e, `${q}.entries[${k}]`);
          if (!ee) return;
          c.indices(ee.index, `${q}.entries[${k}].index`, d);
          c.num(ee.a, `${q}.entries[${k}].a`, { nullable: true });
          c.num(ee.b, `${q}.entries[${k}].b`, { nullable: true });
          c.num(ee.z, `${q}.entries[${k}].z`, { nullable: true });
        });
      });
    });
    if (cum.notes !== undefined) c.strings(cum.notes, 'cumulants.notes');
  }

  if (r.fit !== undefined) {
    const fit = c.rec(r.fit, 'fit');
    if (fit) {
      c.oneOf(fit.verdict, ['good', 'poor', 'unconverged'], 'fit.verdict');
      c.strings(fit.findings, 'fit.findings');
      c.strings(fit.advice, 'fit.advice');
    }
  }
  c.strings(r.warnings, 'warnings');
  // The experiment section is rendered defensively piece by piece; here only its outer shape.
  if (r.experiment !== undefined && r.experiment !== null) {
    const ex = c.rec(r.experiment, 'experiment');
    if (ex) {
      if (ex.perOrder !== undefined) c.arr(ex.perOrder, 'experiment.perOrder');
      if (ex.runs !== undefined) c.arr(ex.runs, 'experiment.runs');
      if (ex.findings !== undefined) c.strings(ex.findings, 'experiment.findings');
    }
  }
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return { ok: true, report: r as unknown as Report };
}
