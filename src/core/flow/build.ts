import { InputError } from '../util/errors';
import { Rng } from '../util/rng';
import { AffineLU, affineFromMatrix } from './affine';
import { Flow } from './flow';
import { layerKindNames, nonlinearKind, nonlinearKinds } from './kinds';
import type { Layer } from './layer';
import { Standardize } from './standardize';

export interface FlowOptions {
  layerKind: string;
  layers: number;
  hidden: number;
  seed: number;
  /**
   * The training rows (raw units, n x d), for a start of the first block from the data where the
   * kind has one (NonlinearKind.startFromData; the coupling kind's is in start.ts, docs/METHOD.md
   * section 3.3).
   */
  start?: { rows: Float64Array; n: number };
}

/**
 * N, then L blocks of (T_l, C_l), initialised near the identity so training starts from a Gaussian
 * fit: small strict-triangular parts, s = 0, b = 0; each kind initialises its own layer.
 */
export function buildFlow(mean: ArrayLike<number>, std: ArrayLike<number>, options: FlowOptions): Flow {
  const d = mean.length;
  const kind = nonlinearKind(options.layerKind);
  if (!kind) throw new InputError(`unknown layer kind "${options.layerKind}"; choose one of ${layerKindNames().join(', ')}`);
  if (d < kind.minDim) {
    const why = kind.minDimReason ? ` (${kind.minDimReason})` : '';
    const other = nonlinearKinds().find((k) => k.minDim <= d);
    throw new InputError(`the ${kind.name} layer kind needs at least ${kind.minDim} columns${why}; this data has ${d}.${other ? ` Use --layer-kind ${other.name}.` : ''}`);
  }
  if (!Number.isInteger(options.layers) || options.layers < 1) throw new InputError(`--layers must be a positive integer, got ${options.layers}`);
  if (!Number.isInteger(options.hidden) || options.hidden < 1) throw new InputError(`--hidden must be a positive integer, got ${options.hidden}`);
  const rng = new Rng(options.seed);
  const layers: Layer[] = [new Standardize(mean, std)];
  for (let l = 0; l < options.layers; l++) {
    const affine = new AffineLU(d, rng.permutation(d));
    const nTri = (d * (d - 1)) / 2;
    for (let k = 0; k < 2 * nTri; k++) affine.params[k] = 0.01 * rng.normal();
    const nonlinear = kind.create(d, l, options.hidden, rng);
    const fromData = l === 0 && options.start && kind.startFromData ? kind.startFromData(standardized(options.start.rows, options.start.n, mean, std), options.start.n, nonlinear, options.seed) : null;
    layers.push(fromData ? affineFromMatrix(d, fromData.matrix, fromData.bias) : affine);
    layers.push(nonlinear);
  }
  return new Flow(layers);
}

function standardized(rows: Float64Array, n: number, mean: ArrayLike<number>, std: ArrayLike<number>): Float64Array {
  const d = mean.length;
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) out[r * d + i] = (rows[r * d + i] - mean[i]) / std[i];
  return out;
}

/** Moves every parameter by scale x N(0, 1), seeded: random flows of a class (teachers, test cases) far from the identity. */
export function perturbParameters(flow: Flow, scale: number, seed: number): Flow {
  const rng = new Rng(seed);
  for (let k = 0; k < flow.params.length; k++) flow.params[k] += scale * rng.normal();
  return flow;
}
