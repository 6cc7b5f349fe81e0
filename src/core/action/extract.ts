import type { Flow } from '../flow/flow';
import { MonomialBasis } from '../poly/basis';
import type { MonomialSet } from '../poly/monomial-set';
import { axpy, constantJet, mulAdd, variableJet, type Jet } from '../poly/jet';
import { structuredActionJet } from './structured-extraction';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Which extraction route runs; tests compare the two routes, the bench measures both. */
export const extractionRoute = {
  /** Forces the generic jet route even where the structured one applies. */
  genericJetsOnly: false,
};

/**
 * The action of the coordinates that enter layer `from` of the flow (0 = the data), as a jet
 * truncated at the basis order: S_from(u) = -1/2 |z(u)|^2 - (d/2) ln 2pi + sum of ln|det| of layers
 * from..end. Exact to order K (docs/METHOD.md section 4.2). Expanded around u = `at` (default 0): the
 * jet's coefficients are those of monomials in (u - at). Forward propagation from the shifted point
 * is as exact as from 0; re-expanding a truncated jet afterwards would not be.
 */
export function actionJet(flow: Flow, basis: MonomialSet, from = 0, at?: ArrayLike<number>): Jet {
  // The structured route works on the dense basis; a sparse set (poly/monomial-set.ts) takes the generic one.
  if (!extractionRoute.genericJetsOnly && basis instanceof MonomialBasis) {
    const fast = structuredActionJet(flow.layers, flow.dim, basis, from, at);
    if (fast) return fast;
  }
  return genericActionJet(flow, basis, from, at);
}

/**
 * The generic route: every layer's jet rule, on jets over the dense basis or over a set closed
 * under division (exact on every monomial of the set).
 */
export function genericActionJet(flow: Flow, basis: MonomialSet, from = 0, at?: ArrayLike<number>): Jet {
  let coords: Jet[] = [];
  for (let i = 0; i < flow.dim; i++) coords.push(variableJet(basis, i, at ? at[i] : 0));
  const action = constantJet(basis, -flow.dim * HALF_LOG_2PI);
  for (let l = from; l < flow.layers.length; l++) {
    const { output, logDet } = flow.layers[l].jet(basis, coords);
    if (logDet) axpy(action, 1, logDet);
    coords = output;
  }
  for (const zi of coords) mulAdd(basis, action, zi, zi, -0.5);
  return action;
}

/** The latent action -1/2 |z|^2 - (d/2) ln 2pi as a jet: S after the last layer. */
export function latentActionJet(flow: Flow, basis: MonomialSet): Jet {
  return genericActionJet(flow, basis, flow.layers.length);
}
