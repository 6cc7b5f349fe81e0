import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allMonomials, CandidateMonomials } from '../../src/core/identify/derivatives';
import { ScoreScreen } from '../../src/core/identify/forward-screen';
import { scoreMatchingGram } from '../../src/core/identify/score-matching';
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

test('forward screen: g_p and a_p of every monomial (d = 4, K = 4) match the per-row computation for a random support and fit', () => {
  const d = 4;
  const K = 4;
  const n = 300;
  const rows = skewedRows(n, d, 3);
  const monomials = allMonomials(d, K);
  const all = new CandidateMonomials(d, monomials);
  const P = all.size;
  const screen = new ScoreScreen(rows, n, d, K, 64);
  assert.equal(screen.basis.size, P + 1);
  // A random support (basis index = list index + 1) with random coefficients, not a fit.
  const rng = new Rng(11);
  const support = Array.from({ length: P }, (_, k) => k).filter(() => rng.uniform() < 0.3);
  const c = Float64Array.from(support, () => rng.normal());
  const { g, meat } = screen.gradient(support.map((k) => k + 1), c, true);
  // Brute force: per row, every monomial's derivatives; s_i = sum_S c d_i phi; psi = sum_i d_i phi s_i + lap.
  const gBrute = new Float64Array(P);
  const aBrute = new Float64Array(P);
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
      gBrute[p] += x / n;
      aBrute[p] += a / n;
    }
    for (let x = 0; x < q; x++) for (let y = 0; y < q; y++) bBrute[x * q + y] += (psi[support[x]] * psi[support[y]]) / n;
  }
  for (let p = 0; p < P; p++) {
    const scale = 1 + Math.abs(gBrute[p]);
    assert.ok(Math.abs(g[p + 1] - gBrute[p]) < 1e-10 * scale, `g of [${monomials[p]}]: ${g[p + 1]} vs ${gBrute[p]}`);
    assert.ok(Math.abs(screen.curvature[p + 1] - aBrute[p]) < 1e-10 * aBrute[p], `a of [${monomials[p]}]: ${screen.curvature[p + 1]} vs ${aBrute[p]}`);
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
