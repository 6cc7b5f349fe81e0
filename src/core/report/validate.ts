/**
 * Structural validation of a Report (shape only; extra fields are allowed and ignored). Untrusted
 * reports come from files, from the webview's saved state and in the host's messages: the
 * extension host and the webview both check them with this. Pure TypeScript (no vscode, no DOM, no
 * flow code): the webview bundle imports it.
 */

import type { Report } from './schema';
import { Checker } from './checker';
import { checkInput } from './validate-input';
import { checkTheory } from './validate-theory';

export { isIndex, isRecord } from './checker';

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

  const d = checkInput(c, r.input);

  // Version 1 reports have no estimator tag: they all come from the network (schemaVersion 2 tags it).
  const model = c.rec(r.model, 'model');
  if (model && model.estimator === undefined && typeof r.schemaVersion === 'number' && r.schemaVersion < 2) model.estimator = 'flow';
  if (model) {
    c.oneOf(model.estimator, ['flow', 'score-matching'], 'model.estimator');
    c.num(model.order, 'model.order', { integer: true, min: 0 });
    const st = c.rec(model.standardization, 'model.standardization');
    if (st) {
      for (const k of ['mean', 'std'] as const) {
        const a = c.arr(st[k], `model.standardization.${k}`);
        if (a && a.length !== d) c.fail(`model.standardization.${k}`, `has ${a.length} entries for ${d} columns`);
        a?.forEach((v, i) => c.num(v, `model.standardization.${k}[${i}]`));
      }
    }
    if (model.estimator === 'flow') {
      if (options.layerKinds) c.oneOf(model.layerKind, options.layerKinds, 'model.layerKind');
      else c.str(model.layerKind, 'model.layerKind');
      c.num(model.layers, 'model.layers', { integer: true, min: 0 });
      c.num(model.hidden, 'model.hidden', { min: 0 });
      if (model.kernels !== undefined) c.str(model.kernels, 'model.kernels');
      if (r.training === undefined) c.fail('training', 'a report of the network needs its training');
    } else if (model.estimator === 'score-matching') {
      c.num(model.candidates, 'model.candidates', { integer: true, min: 0 });
      c.num(model.alpha, 'model.alpha', { min: 0 });
    }
  }

  const training = r.training === undefined ? null : c.rec(r.training, 'training');
  if (training) {
    c.num(training.trainNll, 'training.trainNll', { nullable: true });
    c.num(training.valNll, 'training.valNll', { nullable: true });
    c.optNum(training.gaussianValNll, 'training.gaussianValNll');
    c.optNum(training.valBitsPerDim, 'training.valBitsPerDim');
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

  c.cumulants(r.cumulants, 'cumulants', d);

  if (r.fit !== undefined) {
    const fit = c.rec(r.fit, 'fit');
    if (fit) {
      c.oneOf(fit.verdict, ['good', 'poor', 'unconverged'], 'fit.verdict');
      c.strings(fit.findings, 'fit.findings');
      c.strings(fit.advice, 'fit.advice');
    }
  }
  if (r.theory !== undefined) checkTheory(c, r.theory, d);
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
