import type { Flow } from '../flow/flow';
import { MonotoneCubic } from '../flow/cubic';
import { MonomialBasis } from '../poly/basis';
import { variableJet, type Jet } from '../poly/jet';
import type { ConvergenceInfo } from '../report/schema';

/**
 * Radius of convergence of the order-K series of S around x = 0 (docs/METHOD.md section 4.6).
 * -1/2|f|^2 is a polynomial; each cubic unit adds ln(1 + 2 a u + 3 c u^2), singular at the complex
 * roots u* = (-a +- i sqrt(3c - a^2)) / (3c). With u = u0 + grad.x + ..., the series converges in the
 * Euclidean ball |x| < |u* - u0| / |grad|. For the first cubic layer u is affine in x and this radius
 * is exact; deeper units are reached through polynomials, and the radius is the linearised estimate.
 */
export function convergenceRadius(flow: Flow): ConvergenceInfo {
  const basis = new MonomialBasis(flow.dim, 1);
  let coords: Jet[] = Array.from({ length: flow.dim }, (_, i) => variableJet(basis, i));
  let radius: number | null = null;
  let limitingLayer: number | undefined;
  let limitingUnit: number | undefined;
  let linearised = false;
  let seenNonlinear = false;
  for (let l = 0; l < flow.layers.length; l++) {
    const layer = flow.layers[l];
    if (layer instanceof MonotoneCubic) {
      for (let i = 0; i < flow.dim; i++) {
        const { a, c } = layer.coefficients(i);
        const u = coords[i];
        let g2 = 0;
        for (let k = 0; k < flow.dim; k++) g2 += u[1 + k] * u[1 + k];
        const re = -a / (3 * c) - u[0];
        const im2 = (3 * c - a * a) / (9 * c * c);
        const r = g2 > 0 ? Math.sqrt(re * re + im2) / Math.sqrt(g2) : Number.POSITIVE_INFINITY;
        if (radius === null || r < radius) {
          radius = r;
          limitingLayer = l;
          limitingUnit = i;
          linearised = seenNonlinear;
        }
      }
    }
    if (layer.kind !== 'standardize' && layer.kind !== 'affine') seenNonlinear = true;
    coords = layer.jet(basis, coords).output;
  }
  if (radius === null) return { radius: null, method: 'polynomial flow: ln p is a polynomial, its series converges everywhere' };
  return {
    radius,
    method: linearised
      ? 'nearest complex singularity of ln(1 + 2au + 3cu^2), mapped to data units by the linearisation of u(x) at 0 (an estimate: the limiting unit sits behind a nonlinear layer)'
      : 'nearest complex singularity of ln(1 + 2au + 3cu^2), mapped to data units exactly (u is affine in x)',
    limitingLayer,
    limitingUnit,
  };
}
