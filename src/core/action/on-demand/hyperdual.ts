/**
 * The ring R_f = R[eps_1, ..., eps_f] / (eps_a^2): "hyper-dual" numbers with one nilpotent direction
 * per fixed index of a slice (docs/METHOD.md section 4.7). An element has 2^f components,
 * component s (a bitmask over the directions) is the coefficient of prod_{a in s} eps_a. Evaluating
 * a smooth function at x0 + sum_a eps_a e_(F_a) in this ring gives, in the top component (s = all
 * directions), the mixed derivative D^f S[e_(F_1), ..., e_(F_f)] exactly (repeated indices included):
 * eps_a^2 = 0 keeps only the terms linear in each direction.
 */
export type HyperDual = Float64Array;

/** out = a * b (out must not alias a or b): component s is sum over submasks t of s of a[t] b[s \ t]. */
export function hdMul(a: HyperDual, b: HyperDual, out: HyperDual): HyperDual {
  const n = a.length;
  for (let s = 0; s < n; s++) {
    let sum = 0;
    for (let t = s; ; t = (t - 1) & s) {
      sum += a[t] * b[s ^ t];
      if (t === 0) break;
    }
    out[s] = sum;
  }
  return out;
}

/** The powers delta^0 .. delta^maxPower of a nilpotent element (delta[0] = 0); delta^(f+1) = 0. */
export function hdPowers(delta: HyperDual, maxPower: number): HyperDual[] {
  const n = delta.length;
  const one = new Float64Array(n);
  one[0] = 1;
  const powers: HyperDual[] = [one];
  for (let k = 1; k <= maxPower; k++) powers.push(hdMul(powers[k - 1], delta, new Float64Array(n)));
  return powers;
}

/**
 * sum_k coef(k) delta^k for the Taylor series of a function around the real part: the function's
 * value at real part + delta, exact because delta^(f+1) = 0.
 */
export function hdSeries(powers: HyperDual[], coef: (k: number) => number): HyperDual {
  const n = powers[0].length;
  const out = new Float64Array(n);
  for (let k = 0; k < powers.length; k++) {
    const c = coef(k);
    if (c === 0) continue;
    const p = powers[k];
    for (let s = 0; s < n; s++) out[s] += c * p[s];
  }
  return out;
}

/** Every submask t of s, s itself and 0 included. */
export function submasks(s: number): number[] {
  const out: number[] = [];
  for (let t = s; ; t = (t - 1) & s) {
    out.push(t);
    if (t === 0) break;
  }
  return out;
}
