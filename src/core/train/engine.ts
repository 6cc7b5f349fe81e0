import type { Flow } from '../flow/flow';

/**
 * The engines a run can train with: float64 (one thread), parallel (float64 on two threads), tfjs;
 * 'auto' picks the one the bench measured faster (docs/PERFORMANCE.md).
 */
export type EngineName = 'float64' | 'parallel' | 'tfjs';
export type EngineChoice = EngineName | 'auto';

/**
 * What the trainer needs from an engine: the mean -ln p and its gradient with respect to the flow's
 * flat parameters, evaluated at the flow's *current* parameters (read on every call, so the optimizer
 * and the engine never disagree about the weights). Gradients always come back as float64 in the
 * flow's parameter layout, whatever precision the engine computes in.
 */
export interface TrainingEngine {
  /** Reported in the report's model.engine, e.g. 'float64-js' or 'tfjs-wasm'. */
  readonly name: string;
  /**
   * Mean -ln p over n rows of x (row-major n x d); writes the gradient to grad (overwritten).
   * `whileWaiting`, when given, is called at most once, where the engine would otherwise wait (the
   * two-thread engine, for its helper): the trainer gathers the next batch there. It must not touch x.
   */
  lossAndGradient(x: Float64Array, n: number, grad: Float64Array, whileWaiting?: () => void): number;
  /** Mean -ln p over n rows (the held-out criterion). */
  meanNll(x: Float64Array, n: number): number;
  /**
   * Moves the engine to another flow of the same shape (same d and parameter count), keeping what it
   * set up (the two-thread engine's helper thread). Engines without it are rebuilt instead.
   */
  retarget?(flow: Flow): Promise<void>;
  /** Releases native or GPU memory, if the engine holds any. */
  dispose?(): void;
}

/** The default engine: the flow itself, float64, analytic gradients in plain TypeScript. */
export function float64Engine(flow: Flow): TrainingEngine {
  return {
    name: 'float64-js',
    lossAndGradient: (x, n, grad) => flow.lossAndGradient(x, n, grad),
    meanNll: (x, n) => flow.meanNll(x, n),
  };
}
