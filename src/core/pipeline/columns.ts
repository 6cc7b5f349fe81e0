import type { ActionTerm } from '../report/schema';

/**
 * The model sees the columns in a canonical order (sorted by name), so that permuting the CSV's
 * columns permutes the coefficients and changes nothing else, bit for bit: the network is trained on
 * the same matrix whatever the file's order. `toCanonical[c]` is the selection index of the c-th
 * canonical column.
 */
export function canonicalOrder(names: readonly string[]): Int32Array {
  const idx = Array.from(names.keys());
  idx.sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : a - b));
  return Int32Array.from(idx);
}

/** Rows re-ordered into canonical column order. */
export function reorderColumns(data: Float64Array, n: number, order: Int32Array): Float64Array {
  const d = order.length;
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) out[r * d + c] = data[r * d + order[c]];
  return out;
}

/** Rows from canonical order back to the selection's order. */
export function restoreColumns(data: Float64Array, n: number, order: Int32Array): Float64Array {
  const d = order.length;
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) out[r * d + order[c]] = data[r * d + c];
  return out;
}

/** Terms over canonical indices → terms over selection indices, sorted by order then lexicographically. */
export function restoreTerms<T extends ActionTerm>(terms: T[], order: Int32Array): T[] {
  const mapped = terms.map((t) => ({ ...t, monomial: t.monomial.map((c) => order[c]).sort((a, b) => a - b) }));
  return sortTerms(mapped);
}

export function sortTerms<T extends ActionTerm>(terms: T[]): T[] {
  return terms.sort((a, b) => {
    if (a.monomial.length !== b.monomial.length) return a.monomial.length - b.monomial.length;
    for (let i = 0; i < a.monomial.length; i++) if (a.monomial[i] !== b.monomial[i]) return a.monomial[i] - b.monomial[i];
    return 0;
  });
}
