import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionJet } from '../../src/core/action/extract';
import { slicerFor, type ActionSlicer } from '../../src/core/action/on-demand';
import { jetToTerms } from '../../src/core/action/terms';
import type { Flow } from '../../src/core/flow/flow';
import { canonicalOrder, restoreColumns, restoreTerms } from '../../src/core/pipeline/columns';
import { MonomialBasis } from '../../src/core/poly/basis';
import type { Action, ActionTerm } from '../../src/core/report/schema';
import { randomFlow } from '../helpers/flows';

// The on-demand action (src/core/action/on-demand) against the dense structured extraction, finite
// differences of ln p and a brute-force sort. Column names are given out of order so that the
// report's columns and the model's canonical ones differ (the slicer maps indices).

interface Case {
  flow: Flow;
  slicer: ActionSlicer;
  /** The dense extraction's terms in report column order. */
  terms: ActionTerm[];
  d: number;
  K: number;
}

function makeCase(d: number, K: number, seed: number, units: 'raw' | 'standardized' = 'raw'): Case {
  const flow = randomFlow(d, 'cubic', 2, seed, 0.3);
  const columns = Array.from({ length: d }, (_, i) => `c${(i * 3 + 1) % d}`);
  const canonical = canonicalOrder(columns);
  assert.notDeepEqual(Array.from(canonical), Array.from({ length: d }, (_, i) => i), 'the test needs a non-trivial column order');
  const x0 = Float64Array.from({ length: d }, (_, i) => 0.4 * Math.sin(i + seed));
  const basis = new MonomialBasis(d, K);
  const jet = units === 'raw' ? actionJet(flow, basis, 0, x0) : actionJet(flow, basis, 1);
  const terms = restoreTerms(jetToTerms(basis, jet), canonical);
  const action: Action = { convention: 'ln p', units, order: K, expansionPoint: units === 'raw' ? Array.from(restoreColumns(x0, 1, canonical)) : new Array<number>(d).fill(0), terms, storedOrders: 2 };
  const report = units === 'raw' ? { input: { columns }, action } : { input: { columns }, action: { ...action, units: 'raw' as const }, actionStandardized: action };
  return { flow, slicer: slicerFor(flow, report, units), terms, d, K };
}

const key = (m: readonly number[]): string => m.join(',');

function scaleOf(terms: ActionTerm[]): number {
  return terms.reduce((s, t) => Math.max(s, Math.abs(t.coefficient)), 0);
}

test('coefficient() equals the dense extraction for every monomial (d = 5..8, K = 4, L = 2, nonzero x0)', () => {
  for (const [d, seed] of [[5, 3], [6, 8], [8, 21]]) {
    const c = makeCase(d, 4, seed);
    const tol = 1e-11 * scaleOf(c.terms);
    for (const t of c.terms) {
      const v = c.slicer.coefficient(t.monomial);
      assert.ok(Math.abs(v - t.coefficient) <= tol, `d=${d} [${key(t.monomial)}]: ${v} vs ${t.coefficient}`);
    }
    // Index order does not matter.
    const t = c.terms[c.terms.length - 1];
    assert.equal(c.slicer.coefficient([...t.monomial].reverse()), c.slicer.coefficient(t.monomial));
  }
});

test('slices with one, two and three indices held equal the dense extraction', () => {
  for (const [d, seed] of [[5, 4], [7, 9]]) {
    const c = makeCase(d, 4, seed);
    const dense = new Map(c.terms.map((t) => [key(t.monomial), t.coefficient]));
    const tol = 1e-11 * scaleOf(c.terms);
    const cases: Array<[number[], number]> = [[[2], 3], [[1, 3], 4], [[0, 0], 4], [[d - 1], 2], [[1, 1, 2], 4], [[3], 4]];
    for (const [fixed, order] of cases) {
      const s = c.slicer.slice(fixed, order);
      const free = order - fixed.length;
      assert.equal(s.length, d ** free);
      for (let e = 0; e < s.length; e++) {
        const idx: number[] = [];
        for (let r = free - 1, v = e; r >= 0; r--, v = Math.floor(v / d)) idx[r] = v % d;
        const m = [...fixed, ...idx].sort((a, b) => a - b);
        const want = dense.get(key(m)) ?? 0;
        assert.ok(Math.abs(s[e] - want) <= tol, `d=${d} fixed [${fixed}] order ${order} free [${idx}]: ${s[e]} vs ${want}`);
      }
    }
  }
});

test('the standardized-units slicer equals the dense extraction from the layer after the standardization', () => {
  const c = makeCase(6, 4, 13, 'standardized');
  const tol = 1e-11 * scaleOf(c.terms);
  for (const t of c.terms.filter((x) => x.monomial.length >= 3)) assert.ok(Math.abs(c.slicer.coefficient(t.monomial) - t.coefficient) <= tol);
  const s = c.slicer.slice([4], 3);
  const dense = new Map(c.terms.map((t) => [key(t.monomial), t.coefficient]));
  for (let j = 0; j < 6; j++) for (let k = 0; k < 6; k++) assert.ok(Math.abs(s[j * 6 + k] - (dense.get(key([4, j, k].sort((a, b) => a - b))) ?? 0)) <= tol);
});

test('an order-3 slice equals third differences of ln p (the weights, not the extraction)', () => {
  const d = 4;
  const flow = randomFlow(d, 'cubic', 2, 5, 0.3);
  const columns = ['a', 'b', 'c', 'd'];
  const x0 = [0.2, -0.3, 0.5, 0.1];
  const action: Action = { convention: 'ln p', units: 'raw', order: 4, expansionPoint: x0, terms: [] };
  const slicer = slicerFor(flow, { input: { columns }, action });
  const lnp = (x: number[]): number => flow.logProb(Float64Array.from(x), 1)[0];
  const h = 0.02;
  const i = 1;
  const s = slicer.slice([i], 3);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < d; k++) {
      // D^3 ln p [e_i, e_j, e_k] by central differences in each direction (error O(h^2)).
      let third = 0;
      for (const a of [-1, 1]) for (const b of [-1, 1]) for (const c of [-1, 1]) {
        const x = [...x0];
        x[i] += a * h;
        x[j] += b * h;
        x[k] += c * h;
        third += a * b * c * lnp(x);
      }
      third /= 8 * h * h * h;
      const m = [i, j, k];
      const mult = new Map<number, number>();
      for (const v of m) mult.set(v, (mult.get(v) ?? 0) + 1);
      let fact = 1;
      for (const c of mult.values()) for (let q = 2; q <= c; q++) fact *= q;
      const want = third / fact;
      assert.ok(Math.abs(s[j * d + k] - want) <= 2e-3 * (1 + Math.abs(want)), `[${i},${j},${k}]: ${s[j * d + k]} vs ${want}`);
    }
  }
});

test('topTerms: exact top k against a brute-force sort of the dense coefficients (orders 1-4)', () => {
  const c = makeCase(6, 4, 17);
  for (const order of [1, 2, 3, 4]) {
    const all = c.terms.filter((t) => t.monomial.length === order).sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient));
    const { terms, guarantee } = c.slicer.topTerms(order, 7);
    assert.match(guarantee, /^exact/);
    assert.equal(terms.length, Math.min(7, all.length));
    terms.forEach((t, r) => {
      assert.ok(Math.abs(Math.abs(t.coefficient) - Math.abs(all[r].coefficient)) <= 1e-11 * scaleOf(c.terms), `order ${order} rank ${r}`);
      assert.ok(Math.abs(t.coefficient - c.slicer.coefficient(t.monomial)) <= 1e-11 * scaleOf(c.terms));
    });
    assert.equal(new Set(terms.map((t) => key(t.monomial))).size, terms.length, 'each monomial once');
  }
});

test('topTerms under a time budget searches some held tuples and says the rest were not searched', () => {
  const c = makeCase(7, 4, 2);
  const { terms, guarantee } = c.slicer.topTerms(4, 5, { seconds: 0 });
  assert.match(guarantee, /exact among the monomials of order 4 that contain one of the 1 held pair of columns searched/);
  assert.match(guarantee, /not searched/);
  assert.equal(terms.length, 5);
  for (const t of terms) assert.equal(t.monomial.length, 4);
});

test('bad indices and orders are refused', () => {
  const c = makeCase(5, 4, 1);
  assert.throws(() => c.slicer.slice([5], 3), /column index/);
  assert.throws(() => c.slicer.slice([], 3), /holds 1 to 2/);
  assert.throws(() => c.slicer.slice([1, 2, 3], 3), /holds 1 to 2/);
  assert.throws(() => c.slicer.slice([1], 5), /order must be/);
  assert.throws(() => c.slicer.coefficient([0.5]), /column index/);
});
