import type { TheorySection } from '../core/report/schema';

/** The identified theory in a few lines for the terminal: what was kept, how well it fits, and against a truth. */
export function theorySummary(theory: TheorySection, columns: readonly string[]): string[] {
  const kept = theory.terms.filter((t) => t.monomial.length > 0);
  const byOrder = new Map<number, number>();
  for (const t of kept) byOrder.set(t.monomial.length, (byOrder.get(t.monomial.length) ?? 0) + 1);
  const orders = [...byOrder.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${n} of order ${k}`).join(', ');
  const lines = [
    `identified theory: ${kept.length} terms (${orders || 'none'}) of ${theory.candidates} candidates, Holm family-wise error ${theory.alpha} over ${theory.family} monomials (|z| >= ${theory.cut.toFixed(2)})`,
  ];
  if (theory.heldOutNll !== undefined) lines.push(`identified theory: held-out NLL ${theory.heldOutNll.toFixed(4)} (ln Z from ${theory.logZ?.proposal ?? 'importance sampling'})`);
  else lines.push(`identified theory: ${theory.normalizable.reason}`);
  const truth = theory.truth;
  if (truth) {
    const name = (m: number[]): string => m.map((i) => columns[i] ?? `x${i}`).join('·');
    lines.push(`against ${truth.source}: missed ${truth.missed.length}${truth.missed.length ? ` (${truth.missed.slice(0, 6).map(name).join(', ')})` : ''}, spurious ${truth.spurious.length}${truth.spurious.length ? ` (${truth.spurious.slice(0, 6).map(name).join(', ')})` : ''}`);
    for (const e of truth.perOrder) {
      const errs = e.orders.map((o) => `order ${o.order} ${o.relativeError === null ? 'n/a' : `${(100 * o.relativeError).toFixed(1)}%`}`).join(', ');
      lines.push(`  relative error, ${e.estimator === 'inn' ? 'INN action' : e.estimator === 'dense' ? 'dense direct fit' : 'identified'}: ${errs}`);
    }
  }
  for (const w of theory.warnings) lines.push(`warning: ${w}`);
  return lines;
}
