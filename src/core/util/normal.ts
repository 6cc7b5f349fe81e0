/**
 * The standard normal distribution's tail and quantile in float64, for z-score thresholds with a
 * stated error rate (cumulant agreement, term selection). Tails far out (p ~ 1e-300) are needed:
 * Holm's procedure compares p-values of |z| = 30 and beyond.
 */

const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);

/** erfc(x) for x >= 0: the power series of erf below 2.5 (it loses at most ~3 digits there), a continued fraction above. */
function erfcNonNegative(x: number): number {
  if (x < 2.5) {
    // erf(x) = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / SQRT_PI) * sum;
  }
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...))))), by Lentz's method.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z >= 0) return 0.5 * erfcNonNegative(z / SQRT2);
  return 1 - 0.5 * erfcNonNegative(-z / SQRT2);
}

/** P(|Z| > |z|): the two-sided p-value of a z-score. */
export function twoSidedP(z: number): number {
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}

/**
 * The z with P(Z > z) = p, for 0 < p < 1: Acklam's rational start, then Newton steps on the tail
 * (relative accuracy near float64's).
 */
export function upperQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`upperQuantile needs 0 < p < 1, got ${p}`);
  if (p > 0.5) return -upperQuantile(1 - p);
  // Acklam's approximation of the lower quantile at q = p (the upper quantile is its negative).
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const dd = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const q = Math.sqrt(-2 * Math.log(p));
  let z = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((dd[0] * q + dd[1]) * q + dd[2]) * q + dd[3]) * q + 1);
  if (p > 0.02425) {
    const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
    const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const r = p - 0.5;
    const s = r * r;
    z = -((((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r) / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
  }
  // Newton on ln Q(z) = ln p (the log keeps far tails well scaled): d ln Q / dz = -phi(z) / Q(z).
  for (let it = 0; it < 4; it++) {
    const tail = normalUpperTail(z);
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const step = (Math.log(tail) - Math.log(p)) / (density / tail);
    z += step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}

/**
 * The |z| above which any of `tests` independent-looking standard normal entries would lie with
 * probability `alpha` (Bonferroni): a family-wise cut for "differs by more than sampling error".
 */
export function bonferroniZ(alpha: number, tests: number): number {
  return upperQuantile(alpha / (2 * Math.max(1, tests)));
}
