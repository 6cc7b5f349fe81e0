/**
 * Structural validation of the report's sections below the input and the model (validate.ts):
 * training, layers and their diagrams, cumulants, the fit and the experiment. Every field the panel
 * reads is checked for its type, finite numbers and the limits of checker.ts; extra fields are allowed.
 */

import { REPORT_LIMITS, type Checker } from './checker';

const STOPPED_BECAUSE = ['early-stopping', 'step-limit', 'time-limit', 'max-epochs', 'steps', 'cancelled', 'diverged'] as const;
const POLISH_STOPPED_BECAUSE = ['gradient', 'stalled', 'iterations', 'evaluations', 'line-search', 'not-finite', 'cancelled', 'overfitting', 'not-converging', 'skipped'] as const;

function checkPolish(c: Checker, value: unknown): void {
  const p = c.rec(value, 'training.polish');
  if (!p) return;
  for (const k of ['iterations', 'evaluations', 'budget'] as const) c.num(p[k], `training.polish.${k}`, { integer: true, min: 0 });
  c.oneOf(p.stoppedBecause, POLISH_STOPPED_BECAUSE, 'training.polish.stoppedBecause');
  c.numbers(p.trainNll, 'training.polish.trainNll', { length: 2, nullable: true });
  c.numbers(p.valNll, 'training.polish.valNll', { length: 2, nullable: true });
  c.bool(p.kept, 'training.polish.kept');
  c.num(p.tolerance, 'training.polish.tolerance', { min: 0 });
  c.num(p.valRiseStdErr, 'training.polish.valRiseStdErr', { nullable: true, min: 0 });
  c.optNum(p.seconds, 'training.polish.seconds', { min: 0 });
}

export function checkTraining(c: Checker, x: unknown, d: number): void {
  const t = c.rec(x, 'training');
  if (!t) return;
  for (const k of ['epochs', 'steps', 'batch', 'trainRows', 'valRows', 'bestEpoch'] as const) {
    if (t[k] !== undefined) c.num(t[k], `training.${k}`, { integer: true, min: 0 });
  }
  for (const k of ['bestStep', 'maxSteps', 'evaluationInterval', 'divergenceEvents'] as const) {
    if (t[k] !== undefined) c.num(t[k], `training.${k}`, { integer: true, min: 0 });
  }
  if (t.patience !== undefined) c.num(t.patience, 'training.patience', { nullable: true, integer: true, min: 0 });
  c.num(t.trainNll, 'training.trainNll', { nullable: true });
  c.num(t.valNll, 'training.valNll', { nullable: true });
  c.optNum(t.gaussianValNll, 'training.gaussianValNll');
  c.optNum(t.valBitsPerDim, 'training.valBitsPerDim', { min: 0 });
  c.optNum(t.learningRate, 'training.learningRate', { min: 0 });
  c.optNum(t.trainSeconds, 'training.trainSeconds', { min: 0 });
  c.optNum(t.evaluationSeconds, 'training.evaluationSeconds', { min: 0 });
  if (t.polish !== undefined) checkPolish(c, t.polish);
  c.oneOf(t.stoppedBecause, STOPPED_BECAUSE, 'training.stoppedBecause');
  c.arr(t.history, 'training.history')?.forEach((p, i) => {
    const pt = c.rec(p, `training.history[${i}]`);
    if (!pt) return;
    c.optNum(pt.epoch, `training.history[${i}].epoch`, { min: 0 });
    c.num(pt.step, `training.history[${i}].step`, { min: 0 });
    c.num(pt.trainNll, `training.history[${i}].trainNll`, { nullable: true });
    c.num(pt.valNll, `training.history[${i}].valNll`, { nullable: true });
  });
  if (t.ensemble !== undefined) checkEnsemble(c, t.ensemble, d);
  if (t.restarts !== undefined) {
    const r = c.rec(t.restarts, 'training.restarts');
    if (r) {
      c.arr(r.candidates, 'training.restarts.candidates')?.forEach((cand, i) => {
        const cc = c.rec(cand, `training.restarts.candidates[${i}]`);
        if (!cc) return;
        c.num(cc.structureSeed, `training.restarts.candidates[${i}].structureSeed`, { integer: true, min: 0 });
        c.num(cc.valNll, `training.restarts.candidates[${i}].valNll`, { nullable: true });
      });
      c.num(r.chosen, 'training.restarts.chosen', { integer: true, min: 0 });
      c.num(r.stepsEach, 'training.restarts.stepsEach', { integer: true, min: 0 });
    }
  }
}

export function checkLayers(c: Checker, x: unknown, d: number): void {
  c.arr(x, 'layers', 1_000)?.forEach((l, i) => {
    const p = `layers[${i}]`;
    const layer = c.rec(l, p);
    if (!layer) return;
    c.num(layer.index, `${p}.index`, { integer: true });
    c.str(layer.kind, `${p}.kind`);
    c.optStr(layer.inputName, `${p}.inputName`);
    c.optStr(layer.outputName, `${p}.outputName`);
    c.arr(layer.diagrams, `${p}.diagrams`)?.forEach((dc, j) => {
      const q = `${p}.diagrams[${j}]`;
      const cls = c.rec(dc, q);
      if (!cls) return;
      c.num(cls.vertexOrder, `${q}.vertexOrder`, { integer: true, min: 0 });
      c.indices(cls.legs, `${q}.legs`, undefined, 16);
      c.num(cls.resultOrder, `${q}.resultOrder`, { integer: true, min: 0 });
      c.num(cls.norm, `${q}.norm`, { nullable: true });
      if (cls.entries !== undefined) c.terms(cls.entries, `${q}.entries`, d);
      c.optBool(cls.entriesCut, `${q}.entriesCut`);
    });
    c.entriesBlock(layer.logDet, `${p}.logDet`, d);
    c.entriesBlock(layer.remainder, `${p}.remainder`, d);
    c.num(layer.actionInNorm, `${p}.actionInNorm`, { nullable: true });
  });
}

/** A cumulant section: the sets (one value per index tuple and order), their comparisons and notes. */
export function checkCumulants(c: Checker, x: unknown, path: string, d: number): void {
  const cum = c.rec(x, path);
  if (!cum) return;
  if (cum.sets !== undefined) {
    c.arr(cum.sets, `${path}.sets`)?.forEach((s, i) => {
      const p = `${path}.sets[${i}]`;
      const set = c.rec(s, p);
      if (!set) return;
      c.str(set.source, `${p}.source`);
      c.num(set.samples, `${p}.samples`, { integer: true, min: 0 });
      c.arr(set.orders, `${p}.orders`, REPORT_LIMITS.order)?.forEach((o, k) => {
        c.arr(o, `${p}.orders[${k}]`, REPORT_LIMITS.terms)?.forEach((e, j) => {
          const q = `${p}.orders[${k}][${j}]`;
          const entry = c.rec(e, q);
          if (!entry) return;
          c.indices(entry.index, `${q}.index`, d);
          c.num(entry.value, `${q}.value`, { nullable: true });
          c.num(entry.stdErr, `${q}.stdErr`, { nullable: true });
        });
      });
    });
  }
  c.arr(cum.comparisons, `${path}.comparisons`)?.forEach((cmp, i) => {
    const p = `${path}.comparisons[${i}]`;
    const cc = c.rec(cmp, p);
    if (!cc) return;
    c.str(cc.a, `${p}.a`);
    c.str(cc.b, `${p}.b`);
    c.arr(cc.orders, `${p}.orders`, REPORT_LIMITS.order)?.forEach((o, j) => {
      const q = `${p}.orders[${j}]`;
      const ord = c.rec(o, q);
      if (!ord) return;
      c.num(ord.order, `${q}.order`, { integer: true, min: 1 });
      c.optNum(ord.maxAbsZ, `${q}.maxAbsZ`);
      c.optNum(ord.rmsZ, `${q}.rmsZ`);
      c.arr(ord.entries, `${q}.entries`, REPORT_LIMITS.terms)?.forEach((e, k) => {
        const ee = c.rec(e, `${q}.entries[${k}]`);
        if (!ee) return;
        c.indices(ee.index, `${q}.entries[${k}].index`, d);
        c.num(ee.a, `${q}.entries[${k}].a`, { nullable: true });
        c.num(ee.b, `${q}.entries[${k}].b`, { nullable: true });
        c.num(ee.z, `${q}.entries[${k}].z`, { nullable: true });
      });
    });
  });
  if (cum.notes !== undefined) c.strings(cum.notes, `${path}.notes`);
  // Wide tables: orders in summary form (cumulants/summary.ts).
  c.arr(cum.summaries ?? [], `${path}.summaries`, REPORT_LIMITS.order)?.forEach((sm, i) => {
    const p = `${path}.summaries[${i}]`;
    const summary = c.rec(sm, p);
    if (!summary) return;
    c.num(summary.order, `${p}.order`, { integer: true, min: 1 });
    c.num(summary.tuples, `${p}.tuples`, { integer: true, min: 0 });
    c.num(summary.compared, `${p}.compared`, { integer: true, min: 0 });
    c.str(summary.how, `${p}.how`);
    c.arr(summary.absZQuantiles, `${p}.absZQuantiles`)?.forEach((qz, j) => {
      const r = c.rec(qz, `${p}.absZQuantiles[${j}]`);
      if (!r) return;
      c.num(r.q, `${p}.absZQuantiles[${j}].q`, { min: 0 });
      c.num(r.z, `${p}.absZQuantiles[${j}].z`, { nullable: true });
    });
    const histogram = c.rec(summary.histogram, `${p}.histogram`);
    if (histogram) {
      c.numbers(histogram.edges, `${p}.histogram.edges`, { nullable: false });
      c.arr(histogram.counts, `${p}.histogram.counts`)?.forEach((v, j) => c.num(v, `${p}.histogram.counts[${j}]`, { integer: true, min: 0 }));
      if (Array.isArray(histogram.edges) && Array.isArray(histogram.counts) && histogram.edges.length !== histogram.counts.length) {
        c.fail(`${p}.histogram.counts`, `has ${histogram.counts.length} entries for ${histogram.edges.length} bins`);
      }
    }
    c.arr(summary.worst, `${p}.worst`, REPORT_LIMITS.terms)?.forEach((e, k) => {
      const q = `${p}.worst[${k}]`;
      const entry = c.rec(e, q);
      if (!entry) return;
      c.indices(entry.index, `${q}.index`, d);
      c.num(entry.a, `${q}.a`, { nullable: true });
      c.num(entry.b, `${q}.b`, { nullable: true });
      c.num(entry.z, `${q}.z`, { nullable: true });
    });
  });
}

/** training.ensemble: the members trained to convergence and the coefficients they disagree on. */
function checkEnsemble(c: Checker, x: unknown, d: number): void {
  const e = c.rec(x, 'training.ensemble');
  if (!e) return;
  c.num(e.tolerance, 'training.ensemble.tolerance', { min: 0 });
  c.num(e.threshold, 'training.ensemble.threshold', { min: 0 });
  c.arr(e.members, 'training.ensemble.members', REPORT_LIMITS.list)?.forEach((m, i) => {
    const p = `training.ensemble.members[${i}]`;
    const member = c.rec(m, p);
    if (!member) return;
    c.num(member.structureSeed, `${p}.structureSeed`, { integer: true });
    c.num(member.valNll, `${p}.valNll`, { nullable: true });
    c.num(member.steps, `${p}.steps`, { integer: true, min: 0 });
    c.oneOf(member.stoppedBecause, STOPPED_BECAUSE, `${p}.stoppedBecause`);
    c.bool(member.kept, `${p}.kept`);
  });
  c.arr(e.disagreeing, 'training.ensemble.disagreeing', REPORT_LIMITS.terms)?.forEach((t, i) => {
    const p = `training.ensemble.disagreeing[${i}]`;
    const term = c.rec(t, p);
    if (!term) return;
    c.indices(term.monomial, `${p}.monomial`, d);
    c.num(term.spread, `${p}.spread`, { min: 0 });
    c.num(term.stdErr, `${p}.stdErr`, { min: 0 });
  });
}

export function checkFit(c: Checker, x: unknown): void {
  const fit = c.rec(x, 'fit');
  if (!fit) return;
  c.oneOf(fit.verdict, ['good', 'poor', 'unconverged'], 'fit.verdict');
  c.strings(fit.findings, 'fit.findings');
  c.strings(fit.advice, 'fit.advice');
  c.optNum(fit.alpha, 'fit.alpha', { min: 0 });
}

/**
 * The experiment section. The panel reads it defensively, piece by piece (older sections differ), so
 * here every piece is checked as far as it is present: typed, finite, within the limits.
 */
export function checkExperiment(c: Checker, x: unknown, d: number): void {
  const ex = c.rec(x, 'experiment');
  if (!ex) return;
  c.optStr(ex.id, 'experiment.id');
  c.optStr(ex.title, 'experiment.title');
  c.optBool(ex.quick, 'experiment.quick');
  c.optNum(ex.seed, 'experiment.seed', { integer: true, min: 0 });
  c.optNum(ex.seconds, 'experiment.seconds', { nullable: true, min: 0 });
  if (ex.source !== undefined) checkShallowRecord(c, ex.source, 'experiment.source');
  if (ex.extra !== undefined) c.rec(ex.extra, 'experiment.extra');
  if (ex.truth !== undefined && ex.truth !== null) c.action(ex.truth, 'experiment.truth', d);
  if (ex.perOrder !== undefined) {
    c.arr(ex.perOrder, 'experiment.perOrder', REPORT_LIMITS.order + 1)?.forEach((o, i) => {
      const p = `experiment.perOrder[${i}]`;
      const item = c.rec(o, p);
      if (!item) return;
      c.optNum(item.order, `${p}.order`, { integer: true, min: 0 });
      for (const k of ['relativeError', 'maxAbsWhereTrueZero', 'rmsAbsWhereTrueZero', 'rmsZ'] as const) c.optNum(item[k], `${p}.${k}`);
      if (item.monomials !== undefined) c.monomials(item.monomials, `${p}.monomials`, d);
      const n = Array.isArray(item.monomials) ? item.monomials.length : undefined;
      for (const k of ['learned', 'truth'] as const) {
        if (item[k] === undefined) continue;
        c.numbers(item[k], `${p}.${k}`);
        if (n !== undefined && Array.isArray(item[k]) && (item[k] as unknown[]).length !== n) c.fail(`${p}.${k}`, `has ${(item[k] as unknown[]).length} entries for ${n} monomials`);
      }
    });
  }
  if (ex.runs !== undefined) {
    c.arr(ex.runs, 'experiment.runs')?.forEach((r, i) => {
      const p = `experiment.runs[${i}]`;
      const run = c.rec(r, p);
      if (!run) return;
      c.optStr(run.layerKind, `${p}.layerKind`);
      for (const k of ['layers', 'rows', 'valNll', 'trueValNll', 'seconds'] as const) c.optNum(run[k], `${p}.${k}`);
      if (run.relativeErrorByOrder !== undefined) c.numbers(run.relativeErrorByOrder, `${p}.relativeErrorByOrder`, { max: REPORT_LIMITS.order + 1 });
    });
  }
  if (ex.findings !== undefined) c.strings(ex.findings, 'experiment.findings');
}

/** A record of plain values (what generated an experiment's data): strings within limits, finite numbers. */
function checkShallowRecord(c: Checker, x: unknown, path: string): void {
  const r = c.rec(x, path);
  if (!r) return;
  const keys = Object.keys(r);
  if (keys.length > REPORT_LIMITS.list) return c.fail(path, `has ${keys.length} fields, more than the limit of ${REPORT_LIMITS.list}`);
  for (const k of keys) {
    const v = r[k];
    if (typeof v === 'string') c.str(v, `${path}.${k}`);
    else if (typeof v === 'number') c.num(v, `${path}.${k}`);
  }
}
