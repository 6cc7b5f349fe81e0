/**
 * Structural validation of a report's `theory` section (the identified theory, docs/METHOD.md
 * section 9), as far as the panel relies on it. Shape only; extra fields are allowed.
 */

import type { Checker } from './checker';

export function checkTheory(c: Checker, x: unknown, d: number): void {
  const th = c.rec(x, 'theory');
  if (!th) return;
  c.oneOf(th.estimator, ['score-matching'], 'theory.estimator');
  c.str(th.method, 'theory.method');
  c.num(th.order, 'theory.order', { integer: true, min: 0 });
  const point = c.arr(th.expansionPoint, 'theory.expansionPoint');
  if (point && point.length !== d) c.fail('theory.expansionPoint', `has ${point.length} entries for ${d} columns`);
  point?.forEach((v, i) => c.num(v, `theory.expansionPoint[${i}]`));
  for (const k of ['alpha', 'family', 'candidates'] as const) c.num(th[k], `theory.${k}`, { min: 0 });
  c.num(th.cut, 'theory.cut', { nullable: true });
  c.str(th.screen, 'theory.screen');
  c.terms(th.terms, 'theory.terms', d);
  c.arr(th.terms, 'theory.terms')?.forEach((t, i) => {
    const term = c.rec(t, `theory.terms[${i}]`);
    if (!term) return;
    if (term.z !== undefined) c.num(term.z, `theory.terms[${i}].z`, { nullable: true });
    if (term.selectionFrequency !== undefined) c.num(term.selectionFrequency, `theory.terms[${i}].selectionFrequency`, { min: 0 });
  });
  if (th.dense !== undefined) c.terms(th.dense, 'theory.dense', d);
  c.arr(th.nearMisses, 'theory.nearMisses')?.forEach((n, i) => {
    const near = c.rec(n, `theory.nearMisses[${i}]`);
    if (!near) return;
    c.indices(near.monomial, `theory.nearMisses[${i}].monomial`, d);
    c.num(near.z, `theory.nearMisses[${i}].z`, { nullable: true });
  });
  c.arr(th.dependent, 'theory.dependent')?.forEach((m, i) => c.indices(m, `theory.dependent[${i}]`, d));
  const stability = c.rec(th.stability, 'theory.stability');
  if (stability) c.str(stability.note, 'theory.stability.note');
  const normalizable = c.rec(th.normalizable, 'theory.normalizable');
  if (normalizable) c.str(normalizable.reason, 'theory.normalizable.reason');
  if (th.heldOutNll !== undefined) c.num(th.heldOutNll, 'theory.heldOutNll', { nullable: true });
  if (th.cumulants !== undefined) c.cumulants(th.cumulants, 'theory.cumulants', d);
  if (th.truth !== undefined) {
    const truth = c.rec(th.truth, 'theory.truth');
    if (truth) {
      c.str(truth.source, 'theory.truth.source');
      c.action(truth.action, 'theory.truth.action', d);
      c.arr(truth.missed, 'theory.truth.missed')?.forEach((m, i) => c.indices(m, `theory.truth.missed[${i}]`, d));
      c.arr(truth.spurious, 'theory.truth.spurious')?.forEach((m, i) => c.indices(m, `theory.truth.spurious[${i}]`, d));
      c.arr(truth.perOrder, 'theory.truth.perOrder');
    }
  }
  c.strings(th.warnings, 'theory.warnings');
}
