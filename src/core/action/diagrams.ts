import type { Flow } from '../flow/flow';
import type { MonomialBasis } from '../poly/basis';
import { axpy, homogeneousPart, mulAdd, norm, variableJet, zeroJet, type Jet } from '../poly/jet';
import type { DiagramClass } from '../report/schema';
import { largestTerms } from './terms';

export interface LayerDiagrams {
  classes: Array<{ vertexOrder: number; legs: number[]; resultOrder: number; contribution: Jet }>;
  logDet: Jet;
  remainder: Jet;
}

/**
 * Pulls S_out back through layer g (docs/METHOD.md section 5) and sorts the result into diagram classes.
 * Each leg of a vertex of S_out goes through one homogeneous part of the layer map: degree 0
 * terminates (a constant), 1 passes, 2 splits in two, 3 in three. The parts are read off the layer's
 * jet rule applied to the identity, so any layer kind gets diagrams for free. Classes (k; legs) sum
 * the contributions of all vertices of order k; the remainder is what the exact S_in holds beyond
 * the classes and the layer's own log-det vertices: the vertices of S_out above order K that
 * terminate down (zero when the layer has no constants). actionIn is expanded around `inputPoint`
 * (default 0) and actionOut around 0 of the layer's output coordinates.
 */
export function layerDiagrams(flow: Flow, basis: MonomialBasis, layerIndex: number, actionOut: Jet, actionIn: Jet, inputPoint?: ArrayLike<number>): LayerDiagrams {
  const K = basis.order;
  const d = flow.dim;
  const layer = flow.layers[layerIndex];
  // The layer map expanded around the point actionIn is expanded around (0 unless given): its
  // constant part is what legs terminate on.
  const identity = Array.from({ length: d }, (_, i) => variableJet(basis, i, inputPoint ? inputPoint[i] : 0));
  const { output, logDet } = layer.jet(basis, identity);
  // parts[i][j]: the degree-j part of the layer map's i-th output, or null when it vanishes.
  const parts: Array<Array<Jet | null>> = output.map((g) =>
    Array.from({ length: K + 1 }, (_, j) => {
      const p = homogeneousPart(basis, g, j);
      return p.some((v) => v !== 0) ? p : null;
    }),
  );
  const classes = new Map<string, { vertexOrder: number; legs: number[]; resultOrder: number; contribution: Jet }>();
  for (let m = 0; m < basis.size; m++) {
    const c = actionOut[m];
    if (c === 0) continue;
    const k = basis.deg[m];
    // Expand the product over the vertex's legs, tracking how many legs use each part degree.
    let states = new Map<string, { legs: number[]; order: number; jet: Jet }>();
    const one = zeroJet(basis);
    one[0] = 1;
    states.set('', { legs: new Array<number>(K + 1).fill(0), order: 0, jet: one });
    for (const i of basis.monomial(m)) {
      const next = new Map<string, { legs: number[]; order: number; jet: Jet }>();
      for (const s of states.values()) {
        for (let j = 0; j <= K - s.order; j++) {
          const part = parts[i][j];
          if (!part) continue;
          const legs = s.legs.slice();
          legs[j]++;
          const key = legs.join(',');
          let target = next.get(key);
          if (!target) {
            target = { legs, order: s.order + j, jet: zeroJet(basis) };
            next.set(key, target);
          }
          mulAdd(basis, target.jet, s.jet, part);
        }
      }
      states = next;
    }
    for (const s of states.values()) {
      const key = `${k}|${s.legs.join(',')}`;
      let cls = classes.get(key);
      if (!cls) {
        cls = { vertexOrder: k, legs: s.legs, resultOrder: s.order, contribution: zeroJet(basis) };
        classes.set(key, cls);
      }
      axpy(cls.contribution, c, s.jet);
    }
  }
  const ld = logDet ?? zeroJet(basis);
  const remainder = Float64Array.from(actionIn);
  axpy(remainder, -1, ld);
  for (const cls of classes.values()) axpy(remainder, -1, cls.contribution);
  const sorted = [...classes.values()].sort((a, b) => a.vertexOrder - b.vertexOrder || a.resultOrder - b.resultOrder || b.legs.join(',').localeCompare(a.legs.join(',')));
  return { classes: sorted, logDet: ld, remainder };
}

/** The report's form of the classes (norms and their largest entries). */
export function diagramClassesForReport(basis: MonomialBasis, diagrams: LayerDiagrams, entryLimit: number): DiagramClass[] {
  return diagrams.classes
    .map((c) => ({
      vertexOrder: c.vertexOrder,
      legs: trimTrailingZeros(c.legs),
      resultOrder: c.resultOrder,
      norm: norm(c.contribution),
      ...largestTerms(basis, c.contribution, entryLimit),
    }))
    .filter((c) => c.norm > 0);
}

function trimTrailingZeros(legs: number[]): number[] {
  let end = legs.length;
  while (end > 2 && legs[end - 1] === 0) end--;
  return legs.slice(0, end);
}
