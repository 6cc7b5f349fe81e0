import type * as Tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';
import type { Layer, LayerStructure } from './layer';

/**
 * What a kind of layer is, beyond the Layer interface its layers implement: how it is saved and
 * rebuilt and what optional abilities it has. The registry (kinds.ts) holds one record per kind; the
 * trainer, extraction, diagrams, serialization, the convergence radius, the tfjs engine, the CLI's
 * and the extension's choices all read it, so a new kind is its own file and one line there.
 */
export interface LayerKind<L extends Layer = Layer> {
  /** The name layers carry in `kind`, model files in `structure.kind` and reports in `layerKind`. */
  readonly name: string;
  /** The saved structure of a layer (without its parameters): `{ kind: name, ... }`. */
  toStructure(layer: L): LayerStructure;
  /** A layer over d variables rebuilt from its saved structure; the caller sets its parameters. */
  fromStructure(d: number, structure: LayerStructure): L;
  /**
   * What is wrong with a saved structure from a file (the model loader asks before fromStructure),
   * as `field: why`, or null. A kind whose structure is its name alone needs none.
   */
  checkStructure?(d: number, structure: LayerStructure): string | null;
  /**
   * Where the series of ln p stops converging (docs/METHOD.md section 4.6), for kinds whose ln|det|
   * has complex singularities in a unit's input; a kind without them leaves the series entire.
   */
  singularities?: {
    /** The log-det term as the report's convergence method names it, e.g. 'ln(1 + 2au + 3cu^2)'. */
    readonly term: string;
    /** |u* - u0| for the complex singularity u* of unit `unit`'s log-det term nearest to u0 (Infinity if none). */
    distance(layer: L, unit: number, u0: number): number;
  };
  /** The layer on TensorFlow.js (the tfjs engine, src/core/train/tfjs-engine.ts); without it that engine refuses the kind. */
  tfjs?(tf: TfModule, layer: L, d: number): TfjsLayer;
}

/** A kind a user chooses for the nonlinear layers of a flow (--layer-kind, actionLens.layerKind). */
export interface NonlinearKind<L extends Layer = Layer> extends LayerKind<L> {
  /** One sentence for the settings UI (package.json's enumDescriptions, which a test holds to this). */
  readonly description: string;
  /** A few words for the CLI's --help: "<name> (<summary>)". */
  readonly summary: string;
  /** The line under the kind's name in the extension's settings quick pick. */
  readonly pickDescription: string;
  /** The fewest variables it works on, and why (named in the error for fewer). */
  readonly minDim: number;
  readonly minDimReason?: string;
  /** The index-th nonlinear layer of a flow over d variables, with its parameters initialised near the identity. */
  create(d: number, index: number, hidden: number, rng: Rng): L;
  /**
   * Optional: a start of the first block from the data (docs/METHOD.md section 3.3). Given the
   * standardized training rows (n x d) and the first nonlinear layer as create made it, sets that
   * layer's parameters and returns the first affine layer's W and b (on standardized rows; the LU
   * factorisation of W with partial pivoting must have a positive diagonal), or null to keep the
   * usual start. Seeded: the same rows and seed give the same start.
   */
  startFromData?(rows: Float64Array, n: number, layer: L, seed: number): { matrix: Float64Array; bias: Float64Array } | null;
}

export type TfModule = typeof Tf;

/**
 * One layer on tfjs: the tensors it is fed (built from its flat parameters), its map and ln|det|,
 * and how the gradients with respect to those tensors become gradients of the flat parameters.
 */
export interface TfjsLayer {
  inputs(p: Float64Array): Tf.Tensor[];
  apply(x: Tf.Tensor2D, ins: Tf.Tensor[]): { y: Tf.Tensor2D; logDet: Tf.Tensor };
  gradient(gs: Float32Array[], p: Float64Array, out: Float64Array): void;
}
