/**
 * Optimisation error across an ensemble of trained starts (docs/METHOD.md section 4.5.1). The delta
 * method's standard error describes the neighbourhood of one optimum; starts trained to convergence
 * from other structures show how far the optimiser's answer moves between optima of nearly equal
 * likelihood. Pure arithmetic on coefficient vectors, so the pipeline and the tests share it.
 */

/** Per coefficient, the largest |c_k - c_ref| over the other kept members (0 with none). */
export function ensembleSpread(reference: ArrayLike<number>, others: readonly ArrayLike<number>[]): Float64Array {
  const spread = new Float64Array(reference.length);
  for (const o of others) {
    if (o.length !== reference.length) throw new Error(`ensemble member has ${o.length} coefficients, the reference ${reference.length}`);
    for (let m = 0; m < reference.length; m++) spread[m] = Math.max(spread[m], Math.abs(o[m] - reference[m]));
  }
  return spread;
}

export interface Disagreement {
  /** Index of the coefficient. */
  index: number;
  spread: number;
  stdErr: number;
  /** spread / stdErr. */
  ratio: number;
}

/**
 * The coefficients on which the members disagree beyond `threshold` standard errors, largest ratio
 * first. Coefficients without a finite positive standard error, and `skip` (the constant, which only
 * normalises), are not judged.
 */
export function disagreements(spread: ArrayLike<number>, stdErr: ArrayLike<number>, threshold: number, skip: (index: number) => boolean = () => false): Disagreement[] {
  const out: Disagreement[] = [];
  for (let m = 0; m < spread.length; m++) {
    const se = stdErr[m];
    if (skip(m) || !(se > 0) || !Number.isFinite(se)) continue;
    const ratio = spread[m] / se;
    if (ratio > threshold) out.push({ index: m, spread: spread[m], stdErr: se, ratio });
  }
  return out.sort((a, b) => b.ratio - a.ratio);
}
