/**
 * Structural validation of a report's `theory` section (the identified theory, docs/METHOD.md
 * section 9), as far as the panel relies on it. Shape only; extra fields are allowed.
 */

import { REPORT_LIMITS, type Checker } from './checker';
import { checkCumulants } from './validate-sections';

export function checkTheory(c: Checker, x: unknown, d: number): void {
  const th = c.rec(x, 'theory');
  if (!th) return;
  c.oneOf(th.estimator, ['score-matching'], 'theory.estimator');
  c.str(th.method, 'theory.method');
  c.num(th.order, 'theory.order', { integer: true, min: 0 });
  const order = typeof th.order === 'number' && Number.isInteger(th.order) && th.order >= 0 && th.order <= REPORT_LIMITS.order ? th.order : REPORT_LIMITS.order;
  if (typeof th.order === 'number' && th.order > REPORT_LIMITS.order) c.fail('theory.order', `expected at most ${REPORT_LIMITS.order}`);
  c.numbers(th.expansionPoint, 'theory.expansionPoint', { length: d, nullable: false });
  for (const k of ['alpha', 'family', 'candidates'] as const) c.num(th[k], `theory.${k}`, { min: 0 });
  c.num(th.cut, 'theory.cut', { nullable: true });
  c.str(th.screen, 'theory.screen');
  c.arr(th.terms, 'theory.terms', REPORT_LIMITS.terms)?.forEach((t, i) => {
    const term = c.term(t, `theory.terms[${i}]`, d, order);
    if (!term) return;
    if (term.z !== undefined) c.num(term.z, `theory.terms[${i}].z`, { nullable: true });
    if (term.selectionFrequency !== undefined) c.num(term.selectionFrequency, `theory.terms[${i}].selectionFrequency`, { min: 0 });
  });
  if (th.dense !== undefined) c.terms(th.dense, 'theory.dense', d, order);
  c.arr(th.nearMisses, 'theory.nearMisses')?.forEach((n, i) => {
    const near = c.rec(n, `theory.nearMisses[${i}]`);
    if (!near) return;
    c.indices(near.monomial, `theory.nearMisses[${i}].monomial`, d, order);
    c.num(near.z, `theory.nearMisses[${i}].z`, { nullable: true });
  });
  c.monomials(th.dependent, 'theory.dependent', d, order);
  if (th.unstable !== undefined) {
    c.arr(th.unstable, 'theory.unstable')?.forEach((u, i) => {
      const p = `theory.unstable[${i}]`;
      const un = c.rec(u, p);
      if (!un) return;
      c.indices(un.monomial, `${p}.monomial`, d, order);
      c.num(un.z, `${p}.z`, { nullable: true });
      c.num(un.selectionFrequency, `${p}.selectionFrequency`, { min: 0 });
      c.bool(un.dropped, `${p}.dropped`);
    });
  }
  const stability = c.rec(th.stability, 'theory.stability');
  if (stability) {
    c.str(stability.note, 'theory.stability.note');
    c.optNum(stability.halves, 'theory.stability.halves', { integer: true, min: 0 });
  }
  const normalizable = c.rec(th.normalizable, 'theory.normalizable');
  if (normalizable) {
    c.str(normalizable.reason, 'theory.normalizable.reason');
    c.bool(normalizable.normalizable, 'theory.normalizable.normalizable');
  }
  if (th.logZ !== undefined) {
    const z = c.rec(th.logZ, 'theory.logZ');
    if (z) {
      for (const k of ['value', 'stdErr', 'ess'] as const) c.num(z[k], `theory.logZ.${k}`, { nullable: true });
      c.str(z.proposal, 'theory.logZ.proposal');
    }
  }
  if (th.heldOutNll !== undefined) c.num(th.heldOutNll, 'theory.heldOutNll', { nullable: true });
  if (th.cumulants !== undefined) checkCumulants(c, th.cumulants, 'theory.cumulants', d);
  if (th.truth !== undefined) {
    const truth = c.rec(th.truth, 'theory.truth');
    if (truth) {
      c.str(truth.source, 'theory.truth.source');
      c.action(truth.action, 'theory.truth.action', d);
      c.monomials(truth.missed, 'theory.truth.missed', d);
      c.monomials(truth.spurious, 'theory.truth.spurious', d);
      c.arr(truth.perOrder, 'theory.truth.perOrder')?.forEach((e, i) => {
        const p = `theory.truth.perOrder[${i}]`;
        const est = c.rec(e, p);
        if (!est) return;
        c.oneOf(est.estimator, ['inn', 'dense', 'identified'], `${p}.estimator`);
        c.arr(est.orders, `${p}.orders`, REPORT_LIMITS.order + 1)?.forEach((o, j) => c.orderComparison(o, `${p}.orders[${j}]`, d));
      });
    }
  }
  c.strings(th.warnings, 'theory.warnings');
  c.optNum(th.seconds, 'theory.seconds', { min: 0 });
}
