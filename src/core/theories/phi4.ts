import type { Action, ActionTerm } from '../report/schema';
import { ParameterError, requireFinite, requirePositiveInteger, type Theory } from './theory';

export interface Phi4Params {
  d: number;
  m2: number;
  kappa: number;
  g3: number;
  g4: number;
  /** An external field: E gains -h sum_i x_i, S the linear terms c_(i) = h. Default 0. */
  h?: number;
}

/** One nonzero entry of the symmetric coupling matrix Delta. */
interface Entry {
  i: number;
  j: number;
  value: number;
}

/**
 * Delta = (m2 + 2 kappa) I - kappa (shift_+ + shift_-), with the cyclic shifts taken literally
 * (docs/METHOD.md section 7.1). Building it from the shifts, rather than from the d >= 3 stencil, gives
 * the special cases for free: for d = 2 both shifts are the swap (off-diagonal -2 kappa), for d = 1 both
 * are the identity (Delta = m2).
 */
export function latticeDelta(d: number, m2: number, kappa: number): Entry[] {
  // Count how often the two shifts hit each entry first, then scale once: for d = 1 the diagonal is
  // m2 + kappa (2 - 2), exactly m2, where adding -kappa twice to m2 + 2 kappa would round.
  const hits = new Map<number, number>();
  for (let i = 0; i < d; i++) {
    for (const j of [(i + 1) % d, (i + d - 1) % d]) hits.set(i * d + j, (hits.get(i * d + j) ?? 0) + 1);
  }
  const out: Entry[] = [];
  for (let i = 0; i < d; i++) {
    const value = m2 + kappa * (2 - (hits.get(i * d + i) ?? 0));
    if (value !== 0) out.push({ i, j: i, value });
  }
  for (const [key, count] of hits) {
    const i = Math.floor(key / d);
    const j = key % d;
    if (i !== j && kappa !== 0) out.push({ i, j, value: -kappa * count });
  }
  out.sort((a, b) => a.i - b.i || a.j - b.j);
  return out;
}

/** Delta is circulant, so its eigenvalues are m2 + 2 kappa (1 - cos(2 pi k / d)) for every d >= 1. */
export function latticeDeltaMinEigenvalue(d: number, m2: number, kappa: number): number {
  let min = Infinity;
  for (let k = 0; k < d; k++) min = Math.min(min, m2 + 2 * kappa * (1 - Math.cos((2 * Math.PI * k) / d)));
  return min;
}

/**
 * The one-site condition of docs/METHOD.md section 7.1: E_site'(x) = x (m2 + g3 x / 2 + g4 x^2 / 6)
 * has no root besides 0 when g3^2 < (8/3) g4 m2. (On the boundary the extra stationary point is an
 * inflection, so the strict form errs on the cautious side.) It says nothing beyond one site: for the
 * lattice it is the site condition, which for kappa >= 0 is what decides the uniform direction x_i = t.
 * With a field h, E_site'(x) = m2 x + g3 x^2 / 2 + g4 x^3 / 6 - h is a general cubic: one real root
 * (a single well) exactly when its discriminant is negative; at h = 0 that is the condition above.
 */
export function siteUnimodal(m2: number, g3: number, g4: number, h = 0): boolean {
  if (g4 === 0 && g3 === 0) return m2 > 0;
  if (h === 0) return g3 * g3 < (8 / 3) * g4 * m2;
  const [a, b, c, e] = [g4 / 6, g3 / 2, m2, -h];
  const discriminant = 18 * a * b * c * e - 4 * b ** 3 * e + b * b * c * c - 4 * a * c ** 3 - 27 * a * a * e * e;
  return discriminant < 0;
}

function validate(p: Phi4Params): void {
  requirePositiveInteger('d', p.d);
  for (const name of ['m2', 'kappa', 'g3', 'g4'] as const) requireFinite(name, p[name]);
  requireFinite('h', p.h ?? 0);
  if (p.g4 < 0) {
    throw new ParameterError('g4', `must be >= 0 (got ${p.g4}): with a negative quartic, E falls without bound and exp(-E) is not normalizable`);
  }
  if (p.g4 === 0 && p.g3 !== 0) {
    throw new ParameterError('g3', `must be 0 when g4 = 0 (got ${p.g3}): a cubic term without a quartic makes E unbounded below, so exp(-E) is not normalizable`);
  }
  if (p.g4 === 0) {
    const lambda = latticeDeltaMinEigenvalue(p.d, p.m2, p.kappa);
    if (!(lambda > 0)) {
      const param = p.m2 <= 0 ? 'm2' : 'kappa';
      throw new ParameterError(
        param,
        `with g3 = g4 = 0 the theory is Gaussian and needs Delta positive definite, but its smallest eigenvalue is ${lambda} (m2 = ${p.m2}, kappa = ${p.kappa}, d = ${p.d}): not normalizable`,
      );
    }
  }
}

/** The middle stationary point of the site potential: the barrier between its two wells. */
function siteBarrier(m2: number, g3: number, g4: number, h: number): number {
  const a = g4 / 6;
  const b = g3 / 2;
  if (h === 0) {
    const disc = b * b - 4 * a * m2;
    const s = Math.sqrt(Math.max(0, disc));
    const roots = [0, (-b - s) / (2 * a), (-b + s) / (2 * a)].sort((u, v) => u - v);
    return roots[1];
  }
  // Three real roots of a x^3 + b x^2 + m2 x - h (trigonometric form of the depressed cubic); the middle one.
  const p = (3 * a * m2 - b * b) / (3 * a * a);
  const q = (2 * b ** 3 - 9 * a * b * m2 - 27 * a * a * h) / (27 * a ** 3);
  const r = 2 * Math.sqrt(Math.max(0, -p / 3));
  const phi = Math.acos(Math.max(-1, Math.min(1, (3 * q) / (p * r)))) / 3;
  const roots = [0, 1, 2].map((k) => r * Math.cos(phi - (2 * Math.PI * k) / 3) - b / (3 * a)).sort((u, v) => u - v);
  return roots[1];
}

/**
 * The phi^3 + phi^4 theory on a periodic 1-D lattice of d sites (docs/METHOD.md section 7.1):
 * E(x) = 1/2 x^T Delta x + (g3/3!) sum_i x_i^3 + (g4/4!) sum_i x_i^4, S = -E.
 * Rejects sets whose exp(-E) is not normalizable. `unimodal` is the one-site condition.
 */
export function phi4Lattice(p: Phi4Params, name = 'phi4'): Theory {
  validate(p);
  const { d, m2, kappa, g3, g4 } = p;
  const h = p.h ?? 0;
  const delta = latticeDelta(d, m2, kappa);
  const rowStart = new Int32Array(d + 1);
  const cols = new Int32Array(delta.length);
  const vals = new Float64Array(delta.length);
  delta.forEach((e, k) => {
    rowStart[e.i + 1]++;
    cols[k] = e.j;
    vals[k] = e.value;
  });
  for (let i = 0; i < d; i++) rowStart[i + 1] += rowStart[i];
  const c3 = g3 / 6;
  const c4 = g4 / 24;

  const energyAndGradient = (x: Float64Array, grad: Float64Array): number => {
    let e = 0;
    for (let i = 0; i < d; i++) {
      let dx = 0;
      for (let k = rowStart[i]; k < rowStart[i + 1]; k++) dx += vals[k] * x[cols[k]];
      const xi = x[i];
      const x2 = xi * xi;
      e += 0.5 * xi * dx + c3 * x2 * xi + c4 * x2 * x2 - h * xi;
      grad[i] = dx + 0.5 * g3 * x2 + (g4 / 6) * x2 * xi - h;
    }
    return e;
  };
  const scratch = new Float64Array(d);
  const energy = (x: Float64Array): number => energyAndGradient(x, scratch);

  const unimodal = siteUnimodal(m2, g3, g4, h);
  const barrier = unimodal ? 0 : siteBarrier(m2, g3, g4, h);
  const theory: Theory = {
    name,
    d,
    params: Object.freeze<Record<string, number>>(h === 0 ? { d, m2, kappa, g3, g4 } : { d, m2, kappa, g3, g4, h }),
    energy,
    energyAndGradient,
    trueAction: () => phi4TrueAction(d, delta, g3, g4, h),
    unimodal,
    warning: unimodal
      ? null
      : h !== 0
        ? `${name}: not unimodal: one site's potential m2 x^2/2 + g3 x^3/6 + g4 x^4/24 - h x has two wells (its derivative has three real roots), ` +
          `so exp(-E) has two wells (along the uniform direction x_i = t for d > 1); the sampler reports how often its chains cross between them`
        : `${name}: not unimodal: one site fails the condition g3^2 < (8/3) g4 m2 (here ${fmt(g3 * g3)} >= ${fmt((8 / 3) * g4 * m2)}), ` +
          `so exp(-E) has two wells (along the uniform direction x_i = t for d > 1); the sampler reports how often its chains cross between them`,
  };
  if (!unimodal) {
    // The mean field against the site barrier: the order parameter that separates the two wells.
    theory.wellOf = (x: Float64Array): 0 | 1 => {
      let s = 0;
      for (let i = 0; i < d; i++) s += x[i];
      return s / d > barrier ? 1 : 0;
    };
  }
  return theory;
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

function phi4TrueAction(d: number, delta: Entry[], g3: number, g4: number, h: number): Action {
  const terms: ActionTerm[] = [];
  if (h !== 0) for (let i = 0; i < d; i++) terms.push({ monomial: [i], coefficient: h });
  for (const e of delta) {
    if (e.i === e.j) terms.push({ monomial: [e.i, e.i], coefficient: -e.value / 2 });
    else if (e.i < e.j) terms.push({ monomial: [e.i, e.j], coefficient: -e.value });
  }
  if (g3 !== 0) for (let i = 0; i < d; i++) terms.push({ monomial: [i, i, i], coefficient: -g3 / 6 });
  if (g4 !== 0) for (let i = 0; i < d; i++) terms.push({ monomial: [i, i, i, i], coefficient: -g4 / 24 });
  terms.sort(compareMonomials);
  return { convention: 'ln p', units: 'raw', order: 4, terms };
}

/** Order first, then lexicographic: the order the report lists terms in. */
function compareMonomials(a: ActionTerm, b: ActionTerm): number {
  if (a.monomial.length !== b.monomial.length) return a.monomial.length - b.monomial.length;
  for (let k = 0; k < a.monomial.length; k++) if (a.monomial[k] !== b.monomial[k]) return a.monomial[k] - b.monomial[k];
  return 0;
}

export interface DoubleWellParams {
  d: number;
  m2: number;
  kappa: number;
  g4: number;
}

/**
 * The double well (docs/METHOD.md section 7.2): the phi^4 lattice with m2 < 0 and g3 = 0, so each site
 * has two symmetric wells at x = +-sqrt(-6 m2 / g4), separated by a barrier of (3/2) m2^2 / g4 per site.
 */
export function doubleWell(p: DoubleWellParams): Theory {
  requireFinite('m2', p.m2);
  if (!(p.m2 < 0)) throw new ParameterError('m2', `must be < 0 for a double well (got ${p.m2}); use phi4 for m2 >= 0`);
  requireFinite('g4', p.g4);
  if (!(p.g4 > 0)) throw new ParameterError('g4', `must be > 0 for a double well (got ${p.g4}): without a quartic, exp(-E) is not normalizable`);
  return phi4Lattice({ d: p.d, m2: p.m2, kappa: p.kappa, g3: 0, g4: p.g4 }, 'doublewell');
}
