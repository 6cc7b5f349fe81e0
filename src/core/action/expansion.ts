import { InputError } from '../util/errors';

/**
 * The point x0 the action is expanded around (docs/METHOD.md section 1). Coefficients of monomials in
 * (x - x0) are exact at any x0, but only an x0 inside the data makes them readable: around x = 0, a
 * table of temperatures near 300 K gets coefficients of 1e18 and a series that converges nowhere near
 * a row. 'auto' keeps x0 = 0 where 0 is a natural centre (every column's mean within one standard
 * deviation of 0, as for lattice theories) and takes the training rows' mean otherwise.
 */
export type ExpansionRequest = 'auto' | 'zero' | 'mean' | readonly number[];

export interface ExpansionChoice {
  /** x0 in raw units, one entry per column (model order). */
  point: Float64Array;
  rule: 'zero' | 'mean' | 'given';
  reason: string;
}

/** Within this many standard deviations of every column's mean, 0 counts as lying in the data. */
export const ZERO_WITHIN_STD = 1;

export function chooseExpansionPoint(mean: ArrayLike<number>, std: ArrayLike<number>, request: ExpansionRequest, columns?: readonly string[]): ExpansionChoice {
  const d = mean.length;
  if (typeof request !== 'string') {
    if (request.length !== d) throw new InputError(`the expansion point has ${request.length} entries; the data have ${d} columns`);
    const bad = request.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new InputError(`the expansion point's entry ${bad + 1} is not a finite number: ${request[bad]}`);
    return { point: Float64Array.from(request), rule: 'given', reason: 'the point given in the settings' };
  }
  if (request === 'zero') return { point: new Float64Array(d), rule: 'zero', reason: 'x = 0, as requested' };
  const meanPoint = Float64Array.from(mean);
  if (request === 'mean') return { point: meanPoint, rule: 'mean', reason: "the training rows' mean, as requested" };
  // auto: the column where 0 lies farthest out, in standard deviations.
  let worst = 0;
  let far = 0;
  for (let i = 0; i < d; i++) {
    const away = Math.abs(mean[i]) / std[i];
    if (away > far) {
      far = away;
      worst = i;
    }
  }
  if (far <= ZERO_WITHIN_STD) {
    return {
      point: new Float64Array(d),
      rule: 'zero',
      reason: `x = 0: every column's mean lies within ${ZERO_WITHIN_STD} standard deviation of 0 (the data are centred at 0 within their spread)`,
    };
  }
  const name = columns?.[worst] ?? `x${worst}`;
  return {
    point: meanPoint,
    rule: 'mean',
    reason:
      `the training rows' mean: 0 lies outside the data's spread (column "${name}" has mean ${mean[worst].toPrecision(4)} ` +
      `and standard deviation ${std[worst].toPrecision(3)}, so 0 is ${far.toPrecision(3)} standard deviations away)`,
  };
}
