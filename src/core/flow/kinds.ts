import type { Rng } from '../util/rng';
import { MonotoneCubic, inverseSoftplus, CUBIC_C_FLOOR } from './cubic';
import { QuadraticCoupling } from './coupling';
import type { Layer, LayerStructure } from './layer';

/**
 * The nonlinear layer kinds a flow can be built from. A third kind is one more entry here: the trainer,
 * jets, diagrams and report only see the Layer interface.
 */
export interface NonlinearKind {
  readonly name: string;
  readonly minDim: number;
  readonly description: string;
  /** The index-th nonlinear layer of a flow over d variables, with its parameters initialised near the identity. */
  create(d: number, index: number, hidden: number, rng: Rng): Layer;
  /** Rebuilds a layer from its saved structure (parameters are set by the caller). */
  fromStructure(d: number, structure: LayerStructure): Layer | null;
}

const cubic: NonlinearKind = {
  name: 'cubic',
  minDim: 1,
  description: 'monotone cubic activation u + a u^2 + c u^3 per unit',
  create(d, _index, _hidden, rng) {
    const layer = new MonotoneCubic(d);
    // c near 0.01 (smaller values stall, docs/METHOD.md section 3.3); a starts near zero with a small random tilt.
    const gamma = inverseSoftplus(0.01 - CUBIC_C_FLOOR);
    for (let i = 0; i < d; i++) {
      layer.params[i] = gamma;
      layer.params[d + i] = 0.01 * rng.normal();
    }
    return layer;
  },
  fromStructure(d, s) {
    return s.kind === 'cubic' ? new MonotoneCubic(d) : null;
  },
};

const coupling: NonlinearKind = {
  name: 'coupling',
  minDim: 2,
  description: 'quadratic coupling y_B = x_B + V (U x_A + c)^2',
  create(d, index, hidden, rng) {
    // Alternate which half conditions, so that every unit is transformed.
    const half = Math.floor(d / 2);
    const first = Array.from({ length: half }, (_, i) => i);
    const second = Array.from({ length: d - half }, (_, i) => half + i);
    const [conditioner, transformed] = index % 2 === 0 ? [first, second] : [second, first];
    const layer = new QuadraticCoupling(d, conditioner, transformed, hidden);
    // U, V near 0.1: the output is third order in the weights, so ~0.01 sits on the Gaussian saddle.
    for (let k = 0; k < layer.paramCount; k++) layer.params[k] = 0.1 * rng.normal();
    return layer;
  },
  fromStructure(d, s) {
    return s.kind === 'coupling' ? new QuadraticCoupling(d, s.conditioner, s.transformed, s.hidden) : null;
  },
};

export const NONLINEAR_KINDS: ReadonlyMap<string, NonlinearKind> = new Map([
  [cubic.name, cubic],
  [coupling.name, coupling],
]);
