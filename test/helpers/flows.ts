import { buildFlow, perturbParameters } from '../../src/core/flow/build';
import type { Flow } from '../../src/core/flow/flow';
import { Rng } from '../../src/core/util/rng';

/** A flow with every parameter perturbed away from its near-identity start, so every term is exercised. */
export function randomFlow(d: number, layerKind: string, layers: number, seed: number, scale = 0.3, hidden = d): Flow {
  const mean = Array.from({ length: d }, (_, i) => 0.3 * (i + 1) - 0.5);
  const std = Array.from({ length: d }, (_, i) => 0.7 + 0.2 * i);
  return perturbParameters(buildFlow(mean, std, { layerKind, layers, hidden, seed }), scale, seed + 1000);
}

export function randomRows(n: number, d: number, seed: number, scale = 1): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n * d }, () => scale * rng.normal());
}
