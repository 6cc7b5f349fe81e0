import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allMonomials, CandidateMonomials } from '../../src/core/identify/derivatives';
import { forwardScreen, ScoreScreen, screenThreshold } from '../../src/core/identify/forward-screen';
import { DEFAULT_IDENTIFY, fitCoordinates, identifyTheory } from '../../src/core/identify/identify';
import { scoreMatchingGram } from '../../src/core/identify/score-matching';
import { cholesky, choleskySolve } from '../../src/core/linalg/cholesky';
import { binomial } from '../../src/core/poly/basis';
import { hmc } from '../../src/core/sampling';
import { phi4Lattice } from '../../src/core/theories/phi4';
import { polynomialTheory } from '../../src/core/theories/polynomial';
import type { Theory } from '../../src/core/theories/theory';
import { Rng } from '../../src/core/util/rng';

/** Skewed, correlated rows (not Gaussian, so that odd moments are not 0). */
function skewedRows(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    let prev = 0;
    for (let i = 0; i < d; i++) {
      const e = rng.normal();
      const x = 0.7 * e + 0.4 * prev + 0.2 * e * e;
      out[r * d + i] = x;
      prev = x;
    }
  }
  return out;
}

for (const [d, K] of [[4, 4], [3, 3], [5, 2], [3, 1]]) test(`forward screen: g_p, a_p and Var(psi_p) of every monomial (d = ${d}, K = ${K}) match the per-row computation for a random support and fit`, () => {
  const n = 300;
  const rows = skewedRows(n, d, 3 + K);
  const monomials = allMonomials(d, K);
  const all = new CandidateMonomials(d, monomials);
  const P = all.size;
  const screen = new ScoreScreen(rows, n, d, K, 64);
  assert.equal(screen.basis.size, P + 1);
  // A random support (basis index = list index + 1) with random coefficients, not a fit.
  const rng = new Rng(11);
  const support = Array.from({ length: P }, (_, k) => k).filter((k) => k === 0 || rng.uniform() < 0.3);
  const c = Float64Array.from(support, () => rng.normal());
  const { g, meat } = screen.gradient(support.map((k) => k + 1), c, true);
  const everyMonomial = Array.from({ length: P }, (_, k) => k + 1);
  const variance = screen.scoreVariance(support.map((k) => k + 1), c, everyMonomial);
  // Brute force: per row, every monomial's derivatives; s_i = sum_S c d_i phi; psi = sum_i d_i phi s_i + lap.
  const gBrute = new Float64Array(P);
  const aBrute = new Float64Array(P);
  const psiSq = new Float64Array(P);
  const q = support.length;
  const bBrute = new Float64Array(q * q);
  const table = new Float64Array(d * (K + 1));
  for (let r = 0; r < n; r++) {
    const grad = new Float64Array(d * P);
    const lap = new Float64Array(P);
    all.powerTable(rows.subarray(r * d, r * d + d), table);
    all.derivatives(table, grad, 0, P, lap);
    const s = new Float64Array(d);
    for (let i = 0; i < d; i++) support.forEach((k, j) => (s[i] += c[j] * grad[i * P + k]));
    const psi = new Float64Array(P);
    for (let p = 0; p < P; p++) {
      let x = lap[p];
      let a = 0;
      for (let i = 0; i < d; i++) {
        x += grad[i * P + p] * s[i];
        a += grad[i * P + p] ** 2;
      }
      psi[p] = x;
      psiSq[p] += (x * x) / n;
      gBrute[p] += x / n;
      aBrute[p] += a / n;
    }
    for (let x = 0; x < q; x++) for (let y = 0; y < q; y++) bBrute[x * q + y] += (psi[support[x]] * psi[support[y]]) / n;
  }
  for (let p = 0; p < P; p++) {
    const scale = 1 + Math.abs(gBrute[p]);
    assert.ok(Math.abs(g[p + 1] - gBrute[p]) < 1e-10 * scale, `g of [${monomials[p]}]: ${g[p + 1]} vs ${gBrute[p]}`);
    assert.ok(Math.abs(screen.curvature[p + 1] - aBrute[p]) < 1e-10 * aBrute[p], `a of [${monomials[p]}]: ${screen.curvature[p + 1]} vs ${aBrute[p]}`);
    const varBrute = psiSq[p] - gBrute[p] ** 2;
    assert.ok(Math.abs(variance[p] - varBrute) <= 1e-9 * psiSq[p] + 1e-14, `Var psi of [${monomials[p]}]: ${variance[p]} vs ${varBrute}`);
  }
  assert.ok(meat);
  for (let k = 0; k < q * q; k++) assert.ok(Math.abs(meat[k] - bBrute[k]) < 1e-9 * (1 + Math.abs(bBrute[k])), `meat ${k}: ${meat[k]} vs ${bBrute[k]}`);
});

test('forward screen: A and b on a support match the dense gram of the score-matching fit, and g vanishes on the support at the fit', () => {
  const d = 5;
  const K = 4;
  const n = 400;
  const rows = skewedRows(n, d, 5);
  const screen = new ScoreScreen(rows, n, d, K, 32);
  const rng = new Rng(2);
  const monomials = allMonomials(d, K);
  const support = Array.from({ length: monomials.length }, (_, k) => k + 1).filter((p) => p <= d || rng.uniform() < 0.25);
  const { a, b } = screen.gram(support);
  const candidates = new CandidateMonomials(d, support.map((p) => monomials[p - 1]));
  const dense = scoreMatchingGram(rows, n, candidates, new Int32Array(n), 1);
  const q = support.length;
  for (let k = 0; k < q * q; k++) assert.ok(Math.abs(a[k] - dense.a[k]) < 1e-10 * (1 + Math.abs(dense.a[k])), `A ${k}: ${a[k]} vs ${dense.a[k]}`);
  for (let k = 0; k < q; k++) assert.ok(Math.abs(b[k] - dense.b[k]) < 1e-10 * (1 + Math.abs(dense.b[k])), `b ${k}`);
  // Solve A c = -b by Gaussian elimination (independent of the Cholesky code) and check g_S = 0.
  const m = Array.from({ length: q }, (_, i) => [...Array.from(a.subarray(i * q, (i + 1) * q)), -b[i]]);
  for (let col = 0; col < q; col++) {
    let piv = col;
    for (let r = col + 1; r < q; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    [m[col], m[piv]] = [m[piv], m[col]];
    for (let r = 0; r < q; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let k = col; k <= q; k++) m[r][k] -= f * m[col][k];
    }
  }
  const c = m.map((row, i) => row[q] / row[i]);
  const { g } = screen.gradient(support, c);
  const scale = Math.max(...Array.from(g, Math.abs));
  for (const p of support) assert.ok(Math.abs(g[p]) < 1e-8 * scale, `g of support member ${p}: ${g[p]}`);
});

test('forward screen: on Gaussian rows fitted with their true (quadratic) support, the robust statistic of the null monomials has unit spread; the curvature one does not', () => {
  const d = 6;
  const n = 20000;
  const rng = new Rng(8);
  const rows = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    let prev = 0;
    for (let i = 0; i < d; i++) {
      prev = 0.6 * prev + 0.8 * rng.normal();
      rows[r * d + i] = prev;
    }
  }
  const screen = new ScoreScreen(rows, n, d, 4);
  const support = Array.from({ length: screen.basis.start[3] - 1 }, (_, k) => k + 1);
  const { a, b } = screen.gram(support);
  const q = support.length;
  const l = cholesky(a, q);
  assert.ok(l);
  const c = Array.from(choleskySolve(l, q, b), (x) => -x);
  const { g } = screen.gradient(support, c);
  const nulls = Array.from({ length: screen.basis.size - 1 - q }, (_, k) => q + 1 + k);
  const variance = screen.scoreVariance(support, c, nulls);
  for (const order of [3, 4]) {
    const these = nulls.map((p, k) => ({ p, k })).filter(({ p }) => screen.basis.monomial(p).length === order);
    const rms = (t: number[]): number => Math.sqrt(t.reduce((s, x) => s + x * x, 0) / t.length);
    const robust = rms(these.map(({ p, k }) => (Math.sqrt(n) * g[p]) / Math.sqrt(variance[k])));
    const curvature = rms(these.map(({ p }) => (Math.sqrt(n) * g[p]) / Math.sqrt(screen.curvature[p])));
    assert.ok(robust > 0.6 && robust < 1.2, `order ${order}: rms of the robust statistic ${robust}`);
    assert.ok(curvature > 1.3 * robust, `order ${order}: rms of the curvature statistic ${curvature} vs robust ${robust}`);
  }
});

/**
 * Rows of a theory by HMC, in the fit's coordinates (x0 = 0, unit spread per column), with its
 * true monomials.
 */
function theoryRows(theory: Theory, n: number, seed: number): { x: Float64Array; v: Float64Array; scale: number[]; truth: Set<string> } {
  const d = theory.d;
  const x = hmc(theory, { n, seed }).samples;
  const scale = Array.from({ length: d }, (_, i) => {
    let s1 = 0;
    let s2 = 0;
    for (let r = 0; r < n; r++) {
      s1 += x[r * d + i];
      s2 += x[r * d + i] ** 2;
    }
    return Math.sqrt(s2 / n - (s1 / n) ** 2);
  });
  const v = fitCoordinates(x, n, d, new Array<number>(d).fill(0), scale);
  return { x, v, scale, truth: new Set(theory.trueAction().terms.map((t) => t.monomial.join())) };
}

function screenAndIdentify(theory: Theory, n: number): void {
  const d = theory.d;
  const { x, v, scale, truth } = theoryRows(theory, n, 1);
  const screened = forwardScreen(v, n, d, 4);
  const keys = screened.monomials.map((m) => m.join());
  // Sorted index tuples, graded lexicographic, no repeats, within the cap.
  for (const m of screened.monomials) for (let t = 1; t < m.length; t++) assert.ok(m[t - 1] <= m[t]);
  const before = (a: number[], b: number[]): boolean => {
    if (a.length !== b.length) return a.length < b.length;
    const t = a.findIndex((x, k) => x !== b[k]);
    return t >= 0 && a[t] < b[t];
  };
  for (let k = 1; k < screened.monomials.length; k++) assert.ok(before(screened.monomials[k - 1], screened.monomials[k]), `order of [${screened.monomials[k - 1]}] and [${screened.monomials[k]}]`);
  assert.ok(screened.monomials.length <= 600);
  const inScreen = new Set(keys);
  const missing = [...truth].filter((m) => !inScreen.has(m));
  assert.deepEqual(missing, [], 'every true monomial is in the screen');
  // Moderate: the theory plus a few extras, out of all C(d+4, 4) - 1.
  assert.ok(screened.monomials.length <= 1.5 * truth.size + 10, `${screened.monomials.length} candidates for ${truth.size} true terms`);
  assert.match(screened.description, new RegExp(`${binomial(d + 4, 4) - 1} monomials of orders 1\\.\\.4 in ${d} variables, ${n} rows`));
  assert.match(screened.description, new RegExp(`at least ${Number(screenThreshold('auto', binomial(d + 4, 4) - 1).toFixed(2))}`));
  const res = identifyTheory(x, n, d, new Array<number>(d).fill(0), scale, { ...DEFAULT_IDENTIFY, order: 4, seed: 1 }, screened);
  const found = new Set(res.section.terms.map((t) => t.monomial.join()));
  const missed = [...truth].filter((m) => !found.has(m));
  const spurious = [...found].filter((m) => !truth.has(m));
  assert.deepEqual(missed, [], 'no true term missed');
  assert.ok(spurious.length <= 1, `spurious: ${spurious.join(' ')}`);
  assert.equal(res.section.screen, screened.description);
}

test('forward screen then identification: a phi^4 lattice with a field (d = 12, N = 20,000 HMC rows) is recovered from the screen', () => {
  screenAndIdentify(phi4Lattice({ d: 12, m2: 1, kappa: 0.3, g3: 0.8, g4: 1.6, h: 0.3 }), 20000);
});

test('forward screen then identification: mixed cubic and quartic terms (x_i^2 x_j, x_i x_j x_k, x_i^2 x_j^2; d = 10) are screened in and recovered', () => {
  const d = 10;
  const terms = new Map<string, { monomial: number[]; coefficient: number }>();
  const add = (monomial: number[], coefficient: number): void => {
    const m = [...monomial].sort((a, b) => a - b);
    const t = terms.get(m.join());
    if (t) t.coefficient += coefficient;
    else terms.set(m.join(), { monomial: m, coefficient });
  };
  for (const t of phi4Lattice({ d, m2: 1, kappa: 0.3, g3: 0.8, g4: 1.6 }).trueAction().terms) add(t.monomial, t.coefficient);
  for (let i = 0; i < d; i++) {
    const j = (i + 1) % d;
    add([i, i, j], 0.45);
    add([i, i, j, j], -0.15);
    if (i % 3 === 0) add([i, j, (i + 2) % d], 0.3);
  }
  screenAndIdentify(polynomialTheory({ convention: 'ln p', units: 'raw', order: 4, terms: [...terms.values()] }, d, 'mixed'), 20000);
});
