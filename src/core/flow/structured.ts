import type { Layer } from './layer';

/**
 * Optional structure a layer may expose so that exact extraction can take a fast route
 * (action/structured-extraction.ts). Neither is part of the Layer interface: a kind that offers
 * neither is extracted through its generic jet rule, exactly as before, only slower at large d.
 */

/** y = W x + b with a constant ln|det|. */
export interface LinearStructure {
  linearMap(): { matrix: Float64Array; bias: Float64Array; logDet: number };
}

/** y_i = g_i(x_i) per unit, ln|det| = sum_i ln g_i'(x_i). */
export interface UnitStructure {
  /**
   * Taylor coefficients (orders 0..order) around u0 of unit i's map g_i and of ln g_i', i.e.
   * value[k] = g_i^(k)(u0) / k! and logDet[k] = (ln g_i')^(k)(u0) / k!.
   */
  unitSeries(i: number, u0: number, order: number): { value: Float64Array; logDet: Float64Array };
}

export function isLinear(layer: Layer): layer is Layer & LinearStructure {
  return typeof (layer as Partial<LinearStructure>).linearMap === 'function';
}

export function isUnitwise(layer: Layer): layer is Layer & UnitStructure {
  return typeof (layer as Partial<UnitStructure>).unitSeries === 'function';
}

/** Every layer is linear or unitwise: extraction through them can take the structured route (action/structured-extraction.ts). */
export function hasStructuredRoute(layers: readonly Layer[]): boolean {
  return layers.every((l) => isLinear(l) || isUnitwise(l));
}

/** Taylor coefficients of ln f for a series f with f[0] > 0, to the given order: k h_k = k f_k - sum_j j h_j f_(k-j), over f_0. */
export function seriesLog(f: ArrayLike<number>, order: number): Float64Array {
  const h = new Float64Array(order + 1);
  const f0 = f[0];
  h[0] = Math.log(f0);
  for (let k = 1; k <= order; k++) {
    let s = k * (k < f.length ? f[k] : 0);
    for (let j = 1; j < k; j++) s -= j * h[j] * (k - j < f.length ? f[k - j] : 0);
    h[k] = s / (k * f0);
  }
  return h;
}
