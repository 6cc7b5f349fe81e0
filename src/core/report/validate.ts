/**
 * Structural validation of a Report (shape only; extra fields are allowed and ignored). Untrusted
 * reports come from files, from the webview's saved state and in the host's messages: the
 * extension host and the webview both check them with this. Pure TypeScript (no vscode, no DOM, no
 * flow code): the webview bundle imports it.
 */

import type { Report } from './schema';
import { Checker, findUnsafeKey, type Rec } from './checker';
import { checkInput } from './validate-input';
import { checkTheory } from './validate-theory';
import { checkGrid, checkImages } from './validate-images';
import { checkCumulants, checkExperiment, checkFit, checkLayers, checkTraining } from './validate-sections';

export { findUnsafeKey, isIndex, isRecord, REPORT_LIMITS } from './checker';

export type ReportValidation = { ok: true; report: Report } | { ok: false; errors: string[] };

export interface ValidateOptions {
  /**
   * The layer kinds a report may name in model.layerKind: the registry's (src/core/flow/kinds.ts,
   * layerKindNames), which the host passes. The webview, which must not load flow code, leaves it out
   * and accepts any name.
   */
  layerKinds?: readonly string[];
}

/**
 * Checks that `x` has the shape of a Report, as far as the panel relies on it: every field's type,
 * finite numbers (null where JSON serialised a non-finite value), the dimensions against the columns
 * (standardization, expansion points, monomials' indices and orders), the limits of REPORT_LIMITS, and
 * no `__proto__` / `constructor` / `prototype` key anywhere. Returns the same object typed (not a
 * copy); errors name the field's path. Never throws on any JSON value.
 */
export function validateReport(x: unknown, options: ValidateOptions = {}): ReportValidation {
  const c = new Checker();
  const r = c.rec(x, 'report');
  if (!r) return { ok: false, errors: c.errors };
  const unsafe = findUnsafeKey(r);
  if (unsafe) return { ok: false, errors: [`${unsafe.path}: ${unsafe.why}`] };
  c.num(r.schemaVersion, 'schemaVersion', { integer: true, min: 1 });
  const tool = c.rec(r.tool, 'tool');
  if (tool) {
    c.str(tool.name, 'tool.name');
    c.str(tool.version, 'tool.version');
  }
  c.optStr(r.createdAt, 'createdAt');
  c.optStr(r.about, 'about');
  const d = checkInput(c, r.input);
  checkModel(c, r, d, options);
  if (r.training !== undefined) checkTraining(c, r.training, d);
  c.action(r.action, 'action', d);
  if (r.actionStandardized !== undefined) c.action(r.actionStandardized, 'actionStandardized', d);

  const conv = c.rec(r.convergence, 'convergence');
  if (conv) {
    c.num(conv.radius, 'convergence.radius', { nullable: true, min: 0 });
    c.optNum(conv.radiusStandardized, 'convergence.radiusStandardized', { nullable: true, min: 0 });
    c.optNum(conv.typicalDistanceStandardized, 'convergence.typicalDistanceStandardized', { min: 0 });
    c.str(conv.method, 'convergence.method');
    c.optNum(conv.limitingLayer, 'convergence.limitingLayer', { integer: true, min: 0 });
    c.optNum(conv.limitingUnit, 'convergence.limitingUnit', { integer: true, min: 0 });
  }
  checkLayers(c, r.layers, d);
  checkCumulants(c, r.cumulants, 'cumulants', d);
  if (r.fit !== undefined) checkFit(c, r.fit);
  if (r.theory !== undefined) checkTheory(c, r.theory, d);
  if (r.grid !== undefined) checkGrid(c, r.grid, d);
  if (r.images !== undefined) checkImages(c, r.images, d);
  c.strings(r.warnings, 'warnings');
  if (r.experiment !== undefined && r.experiment !== null) checkExperiment(c, r.experiment, d);
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return { ok: true, report: r as unknown as Report };
}

function checkModel(c: Checker, r: Rec, d: number, options: ValidateOptions): void {
  const model = c.rec(r.model, 'model');
  if (!model) return;
  // Version 1 reports have no estimator tag: they all come from the network (schemaVersion 2 tags it).
  if (model.estimator === undefined && typeof r.schemaVersion === 'number' && r.schemaVersion < 2) model.estimator = 'flow';
  c.oneOf(model.estimator, ['flow', 'score-matching'], 'model.estimator');
  c.num(model.order, 'model.order', { integer: true, min: 0 });
  c.optNum(model.seed, 'model.seed', { integer: true, min: 0 });
  c.optNum(model.dataSeed, 'model.dataSeed', { integer: true, min: 0 });
  const st = c.rec(model.standardization, 'model.standardization');
  if (st) {
    c.numbers(st.mean, 'model.standardization.mean', { length: d, nullable: false });
    c.numbers(st.std, 'model.standardization.std', { length: d, nullable: false });
    if (Array.isArray(st.std)) st.std.forEach((v, i) => typeof v === 'number' && Number.isFinite(v) && !(v > 0) && c.fail(`model.standardization.std[${i}]`, 'expected > 0'));
  }
  if (model.estimator === 'flow') {
    if (options.layerKinds) c.oneOf(model.layerKind, options.layerKinds, 'model.layerKind');
    else c.str(model.layerKind, 'model.layerKind');
    c.num(model.layers, 'model.layers', { integer: true, min: 0 });
    c.num(model.hidden, 'model.hidden', { min: 0 });
    c.optNum(model.parameters, 'model.parameters', { integer: true, min: 0 });
    c.optStr(model.weightsFile, 'model.weightsFile');
    c.optStr(model.engine, 'model.engine');
    c.optStr(model.kernels, 'model.kernels');
    if (r.training === undefined) c.fail('training', 'a report of the network needs its training');
  } else if (model.estimator === 'score-matching') {
    c.num(model.candidates, 'model.candidates', { integer: true, min: 0 });
    c.num(model.alpha, 'model.alpha', { min: 0 });
  }
}
