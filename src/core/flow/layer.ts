import type { MonomialSet } from '../poly/monomial-set';
import type { Jet } from '../poly/jet';

/**
 * One invertible layer of the flow, after zuko's transforms: a small object with forward, inverse,
 * log-det, gradient and jet rule. Batches are row-major n x dim Float64Arrays. Trainable parameters
 * live in `params`, a view into the flow's flat parameter vector; gradients go to the matching view
 * of the flow's gradient vector.
 *
 * The diagram rule (docs/METHOD.md section 5) needs nothing more than the jet rule: the layer map's
 * homogeneous parts are read off the jet of the identity, so a new kind only implements this.
 */
export interface Layer {
  /** The name of the layer's kind (kinds.ts): how the layer is saved, rebuilt and named in reports. */
  readonly kind: string;
  readonly dim: number;
  readonly paramCount: number;
  /** Bound by the flow to its slice of the flat parameter vector. */
  params: Float64Array;

  /** y = g(x) for n rows; adds ln|det dg/dx| of each row to logDet[r]. */
  forward(x: Float64Array, n: number, y: Float64Array, logDet: Float64Array): void;

  /** x = g^{-1}(y), exact (to float64 precision) for every y. */
  inverse(y: Float64Array, n: number, x: Float64Array): void;

  /**
   * Back-propagation through forward(x): given gy = dL/dy and a weight w = dL/d(logDet of each row),
   * adds dL/dparams to gParams and writes dL/dx to gx. It follows forward on the same rows x (as in
   * Flow.lossAndGradient), so a layer may reuse what that forward computed, after checking that x is
   * the same buffer region and its parameters are unchanged. gx is empty (length 0) when no layer below
   * needs dL/dx (the lowest trainable layer): a layer may then skip that work.
   */
  backward(x: Float64Array, n: number, gy: Float64Array, w: number, gParams: Float64Array, gx: Float64Array): void;

  /** The jet rule: output coordinates and ln|det| as jets, given the input coordinates as jets. */
  jet(basis: MonomialSet, input: Jet[]): { output: Jet[]; logDet: Jet | null };
}

/**
 * What rebuilds a layer without its parameters, as saved in a model file: its kind's name and
 * whatever that kind keeps (a permutation, the halves of a coupling layer). Each kind reads and writes
 * its own (layer-kind.ts, toStructure and fromStructure).
 */
export interface LayerStructure {
  kind: string;
  [field: string]: unknown;
}
