import type { Flow } from '../flow/flow';
import { layerKind } from '../flow/kinds';
import { Standardize } from '../flow/standardize';
import { isLinear } from '../flow/structured';
import { MonomialBasis } from '../poly/basis';
import { variableJet, type Jet } from '../poly/jet';
import type { ConvergenceInfo } from '../report/schema';

/**
 * Radius of convergence of the order-K series of S around the expansion point x0 (docs/METHOD.md
 * section 4.6). -1/2|f|^2 is a polynomial; each unit of a kind with singularities (its record's
 * `singularities`) adds a log-det term singular at complex points u*: a cubic unit adds
 * ln(1 + 2 a u + 3 c u^2), singular at u* = (-a +- i sqrt(3c - a^2)) / (3c). With
 * u = u0 + grad.(x - x0) + ..., the series converges in the ball |x - x0| < |u* - u0| / |grad|. For the first nonlinear layer u is
 * affine in x and this radius is exact; deeper units are reached through polynomials, and the radius
 * is the linearised estimate. The same ball is also measured in standardized units ((x - x0) / std per column), where
 * the distance of a row from x0 means the same for every column whatever its units.
 */
export function convergenceRadius(flow: Flow, at?: ArrayLike<number>): ConvergenceInfo {
  const basis = new MonomialBasis(flow.dim, 1);
  let coords: Jet[] = Array.from({ length: flow.dim }, (_, i) => variableJet(basis, i, at ? at[i] : 0));
  const first = flow.layers[0];
  const std = first instanceof Standardize ? first.std : null;
  let radius: number | null = null;
  let radiusStandardized: number | null = null;
  let limitingLayer: number | undefined;
  let limitingUnit: number | undefined;
  let limitingTerm = '';
  let linearised = false;
  let seenNonlinear = false;
  for (let l = 0; l < flow.layers.length; l++) {
    const layer = flow.layers[l];
    const singularities = layerKind(layer.kind)?.singularities;
    if (singularities) {
      for (let i = 0; i < flow.dim; i++) {
        const u = coords[i];
        let g2 = 0;
        let g2std = 0;
        for (let k = 0; k < flow.dim; k++) {
          g2 += u[1 + k] * u[1 + k];
          if (std) g2std += (u[1 + k] * std[k]) ** 2;
        }
        const distance = singularities.distance(layer, i, u[0]);
        const r = g2 > 0 ? distance / Math.sqrt(g2) : Number.POSITIVE_INFINITY;
        if (radius === null || r < radius) {
          radius = r;
          limitingLayer = l;
          limitingUnit = i;
          limitingTerm = singularities.term;
          linearised = seenNonlinear;
        }
        const rs = g2std > 0 ? distance / Math.sqrt(g2std) : Number.POSITIVE_INFINITY;
        if (std && (radiusStandardized === null || rs < radiusStandardized)) radiusStandardized = rs;
      }
    }
    if (!isLinear(layer)) seenNonlinear = true;
    coords = layer.jet(basis, coords).output;
  }
  if (radius === null) return { radius: null, radiusStandardized: null, method: 'polynomial flow: ln p is a polynomial, its series converges everywhere' };
  return {
    radius,
    ...(std ? { radiusStandardized } : {}),
    method: linearised
      ? `nearest complex singularity of ${limitingTerm}, mapped to data units by the linearisation of u(x) at the expansion point (an estimate: the limiting unit sits behind a nonlinear layer)`
      : `nearest complex singularity of ${limitingTerm}, mapped to data units exactly (u is affine in x)`,
    limitingLayer,
    limitingUnit,
  };
}
