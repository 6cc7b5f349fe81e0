import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phi4Lattice, doubleWell, latticeDelta, latticeDeltaMinEigenvalue, siteUnimodal, type Phi4Params } from '../../src/core/theories/phi4';
import { ParameterError, type Theory } from '../../src/core/theories/theory';
import { InputError } from '../../src/core/util/errors';
import { Rng } from '../../src/core/util/rng';

function denseDelta(d: number, m2: number, kappa: number): number[][] {
  const m = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const e of latticeDelta(d, m2, kappa)) m[e.i][e.j] = e.value;
  return m;
}

test('Delta follows docs/METHOD.md section 7.1, including the d = 1 and d = 2 cases', () => {
  assert.deepEqual(denseDelta(1, 0.7, 0.3), [[0.7]]);
  const two = denseDelta(2, 0.7, 0.3);
  assert.ok(Math.abs(two[0][0] - 1.3) < 1e-15 && Math.abs(two[1][1] - 1.3) < 1e-15);
  assert.equal(two[0][1], -0.6);
  assert.equal(two[1][0], -0.6);
  // d >= 3: sum_i m2/2 x_i^2 + kappa/2 (x_{i+1} - x_i)^2, checked on a random x.
  for (const d of [3, 5]) {
    const th = phi4Lattice({ d, m2: 0.7, kappa: 0.3, g3: 0, g4: 0 });
    const x = Float64Array.from({ length: d }, (_, i) => Math.sin(1.3 * i + 0.4));
    let want = 0;
    for (let i = 0; i < d; i++) want += (0.7 / 2) * x[i] ** 2 + (0.3 / 2) * (x[(i + 1) % d] - x[i]) ** 2;
    assert.ok(Math.abs(th.energy(x) - want) < 1e-13, `d = ${d}`);
  }
});

test('the smallest eigenvalue of Delta matches the dense matrix (power iteration on a shifted matrix)', () => {
  for (const [d, m2, kappa] of [[1, 0.5, 0.3], [2, 0.5, 0.3], [3, -0.2, 0.4], [6, 0.1, -0.2]] as const) {
    const m = denseDelta(d, m2, kappa);
    const shift = 10;
    let v = Array.from({ length: d }, (_, i) => 1 + 0.1 * i);
    let lambda = 0;
    for (let it = 0; it < 3000; it++) {
      const w = v.map((_, i) => shift * v[i] - m[i].reduce((a, mij, j) => a + mij * v[j], 0));
      const norm = Math.hypot(...w);
      lambda = shift - w.reduce((a, wi, i) => a + wi * v[i], 0) / v.reduce((a, vi) => a + vi * vi, 0);
      v = w.map((wi) => wi / norm);
    }
    assert.ok(Math.abs(latticeDeltaMinEigenvalue(d, m2, kappa) - lambda) < 1e-8, `d = ${d}: ${lambda}`);
  }
});

test('the energy gradient matches central finite differences', () => {
  const rng = new Rng(11);
  for (const d of [1, 2, 3, 5]) {
    const th = phi4Lattice({ d, m2: 0.8, kappa: 0.35, g3: -0.7, g4: 1.3 });
    const x = Float64Array.from({ length: d }, () => 1.5 * rng.normal());
    const grad = new Float64Array(d);
    const e = th.energyAndGradient(x, grad);
    assert.equal(e, th.energy(x));
    const h = 1e-5;
    for (let i = 0; i < d; i++) {
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      xp[i] += h;
      xm[i] -= h;
      const fd = (th.energy(xp) - th.energy(xm)) / (2 * h);
      assert.ok(Math.abs(fd - grad[i]) < 1e-6 * (1 + Math.abs(grad[i])), `d = ${d}, i = ${i}: ${fd} vs ${grad[i]}`);
    }
  }
});

/** Central-difference stencils for derivatives of order 0..4 (coefficients at offsets -2..2, in units of h^k). */
const STENCILS: number[][] = [
  [0, 0, 1, 0, 0],
  [0, -0.5, 0, 0.5, 0],
  [0, 1, -2, 1, 0],
  [-0.5, 1, 0, -1, 0.5],
  [1, -4, 6, -4, 1],
];

/** d^|alpha| S / dx^alpha at 0 by a tensor product of stencils, Richardson-extrapolated in h. */
function derivativeAtZero(theory: Theory, alpha: number[]): number {
  const vars = alpha.map((a, i) => [i, a]).filter(([, a]) => a > 0);
  const at = (h: number): number => {
    let total = 0;
    const x = new Float64Array(theory.d);
    const rec = (k: number, weight: number): void => {
      if (k === vars.length) {
        total += weight * -theory.energy(x);
        return;
      }
      const [i, a] = vars[k];
      for (let o = -2; o <= 2; o++) {
        const w = STENCILS[a][o + 2];
        if (w === 0) continue;
        x[i] = o * h;
        rec(k + 1, weight * w);
      }
      x[i] = 0;
    };
    rec(0, 1);
    return total / h ** alpha.reduce((s, a) => s + a, 0);
  };
  // S is a quartic, so the stencil error is a polynomial in h^2 of degree 1: one Richardson step removes it.
  const h = 0.05;
  return (4 * at(h / 2) - at(h)) / 3;
}

function monomials(d: number, k: number): number[][] {
  if (k === 0) return [[]];
  return monomials(d, k - 1).flatMap((m) => {
    const out: number[][] = [];
    for (let i = m.length === 0 ? 0 : m[m.length - 1]; i < d; i++) out.push([...m, i]);
    return out;
  });
}

test('trueAction equals the Taylor coefficients of -E at 0 (d = 1, 2, 3, 5), and lists only nonzero terms', () => {
  const sets: Phi4Params[] = [
    { d: 1, m2: 0.7, kappa: 0.3, g3: 0.9, g4: 1.1 },
    { d: 2, m2: 0.7, kappa: 0.3, g3: -0.9, g4: 1.1 },
    { d: 3, m2: -0.4, kappa: 0.25, g3: 0.5, g4: 2 },
    { d: 5, m2: 1.2, kappa: -0.15, g3: 0.3, g4: 0.6 },
  ];
  for (const p of sets) {
    const th = phi4Lattice(p);
    const action = th.trueAction();
    assert.equal(action.convention, 'ln p');
    assert.equal(action.units, 'raw');
    assert.equal(action.order, 4);
    const byKey = new Map(action.terms.map((t) => [t.monomial.join(','), t.coefficient]));
    for (const t of action.terms) {
      assert.ok(t.monomial.length >= 1 && t.monomial.length <= 4);
      assert.notEqual(t.coefficient, 0);
    }
    let checked = 0;
    for (let k = 1; k <= 4; k++) {
      for (const m of monomials(p.d, k)) {
        const alpha = new Array<number>(p.d).fill(0);
        for (const i of m) alpha[i]++;
        const factorials = alpha.reduce((f, a) => f * [1, 1, 2, 6, 24][a], 1);
        const numeric = derivativeAtZero(th, alpha) / factorials;
        const stored = byKey.get(m.join(',')) ?? 0;
        assert.ok(Math.abs(numeric - stored) < 1e-6, `d = ${p.d}, monomial [${m}]: numeric ${numeric}, stored ${stored}`);
        checked++;
      }
    }
    assert.ok(checked > 0);
  }
  // The closed forms of docs/METHOD.md section 7.1, spelled out once for d = 5.
  const th = phi4Lattice(sets[3]);
  const c = new Map(th.trueAction().terms.map((t) => [t.monomial.join(','), t.coefficient]));
  assert.equal(c.get('2,2'), -(1.2 + 2 * -0.15) / 2);
  assert.equal(c.get('2,3'), -0.15);
  assert.equal(c.get('0,4'), -0.15);
  assert.equal(c.get('1,1,1'), -0.3 / 6);
  assert.equal(c.get('4,4,4,4'), -0.6 / 24);
  assert.equal(c.get('0,2'), undefined);
});

function rejects(fn: () => unknown, param: string, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ParameterError, `expected a ParameterError, got ${String(err)}`);
    assert.ok(err instanceof InputError);
    assert.equal(err.param, param);
    assert.match(err.message, pattern);
    return true;
  });
}

test('non-normalizable and malformed sets are rejected with the reason', () => {
  const base = { d: 4, m2: 1, kappa: 0.3, g3: 0.5, g4: 1 };
  rejects(() => phi4Lattice({ ...base, g4: -1 }), 'g4', /not normalizable/);
  rejects(() => phi4Lattice({ ...base, g4: 0 }), 'g3', /cubic term without a quartic.*not normalizable/);
  rejects(() => phi4Lattice({ ...base, g3: 0, g4: 0, m2: -0.1 }), 'm2', /Gaussian.*positive definite.*smallest eigenvalue/);
  rejects(() => phi4Lattice({ ...base, g3: 0, g4: 0, m2: 0.1, kappa: -0.1 }), 'kappa', /positive definite/);
  rejects(() => phi4Lattice({ ...base, d: 0 }), 'd', /integer >= 1/);
  rejects(() => phi4Lattice({ ...base, d: 2.5 }), 'd', /integer >= 1/);
  rejects(() => phi4Lattice({ ...base, m2: NaN }), 'm2', /finite/);
  rejects(() => phi4Lattice({ ...base, kappa: Infinity }), 'kappa', /finite/);
  // A Gaussian with Delta positive definite is fine.
  const gauss = phi4Lattice({ ...base, g3: 0, g4: 0 });
  assert.equal(gauss.unimodal, true);
  assert.equal(gauss.trueAction().terms.every((t) => t.monomial.length === 2), true);
});

test('unimodality is the one-site condition g3^2 < (8/3) g4 m2, with a warning and wells otherwise', () => {
  const uni = phi4Lattice({ d: 3, m2: 1, kappa: 0.3, g3: 1.5, g4: 1 }); // 2.25 < 2.667
  assert.equal(uni.unimodal, true);
  assert.equal(uni.warning, null);
  assert.equal(uni.wellOf, undefined);
  const bi = phi4Lattice({ d: 3, m2: 1, kappa: 0.3, g3: 1.7, g4: 1 }); // 2.89 > 2.667: a second well at x < 0
  assert.equal(bi.unimodal, false);
  assert.match(bi.warning ?? '', /not unimodal.*g3\^2 < \(8\/3\) g4 m2/);
  assert.ok(bi.wellOf !== undefined);
  // Site minima of this set: 0 and the far root of m2 + g3 x/2 + g4 x^2/6; the barrier lies between.
  assert.equal(bi.wellOf(Float64Array.of(0, 0, 0)), 1);
  assert.equal(bi.wellOf(Float64Array.of(-4, -4, -4)), 0);
});

test('doubleWell is the lattice with m2 < 0, g3 = 0 and its own checks', () => {
  const th = doubleWell({ d: 2, m2: -1, kappa: 0.3, g4: 1 });
  assert.equal(th.name, 'doublewell');
  assert.deepEqual({ ...th.params }, { d: 2, m2: -1, kappa: 0.3, g3: 0, g4: 1 });
  assert.equal(th.unimodal, false);
  assert.ok(th.warning !== null);
  assert.ok(th.wellOf !== undefined);
  const well = Math.sqrt(6);
  assert.equal(th.wellOf(Float64Array.of(well, well)), 1);
  assert.equal(th.wellOf(Float64Array.of(-well, -well)), 0);
  // The wells sit at +-sqrt(-6 m2 / g4) for the uniform configuration: the gradient vanishes there.
  const g = new Float64Array(2);
  th.energyAndGradient(Float64Array.of(well, well), g);
  assert.ok(Math.abs(g[0]) < 1e-12 && Math.abs(g[1]) < 1e-12);
  rejects(() => doubleWell({ d: 2, m2: 0.5, kappa: 0.3, g4: 1 }), 'm2', /< 0 for a double well/);
  rejects(() => doubleWell({ d: 2, m2: -1, kappa: 0.3, g4: 0 }), 'g4', /> 0/);
});

test('an external field h: linear terms c_(i) = h in the truth, -h in the energy gradient, and unimodality by the site cubic\'s discriminant', () => {
  const field = phi4Lattice({ d: 3, m2: 1, kappa: 0.3, g3: 0.5, g4: 1, h: 0.4 });
  const plain = phi4Lattice({ d: 3, m2: 1, kappa: 0.3, g3: 0.5, g4: 1 });
  const linear = field.trueAction().terms.filter((t) => t.monomial.length === 1);
  assert.deepEqual(linear, [0, 1, 2].map((i) => ({ monomial: [i], coefficient: 0.4 })));
  assert.equal(plain.trueAction().terms.filter((t) => t.monomial.length === 1).length, 0);
  const x = Float64Array.from([0.3, -0.7, 1.1]);
  const g1 = new Float64Array(3);
  const g0 = new Float64Array(3);
  const e1 = field.energyAndGradient(x, g1);
  const e0 = plain.energyAndGradient(x, g0);
  assert.ok(Math.abs(e1 - (e0 - 0.4 * (0.3 - 0.7 + 1.1))) < 1e-12);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(g1[i] - (g0[i] - 0.4)) < 1e-12);
  // The site condition at h = 0 is the discriminant's; a field on a double well can make it one well.
  assert.equal(siteUnimodal(1, 0.5, 1, 0), siteUnimodal(1, 0.5, 1));
  assert.equal(siteUnimodal(-1, 0, 1, 0), false);
  assert.equal(siteUnimodal(-1, 0, 1, 5), true);
  assert.equal(siteUnimodal(-1, 0, 1, 0.1), false);
});
