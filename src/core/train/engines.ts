import type { Flow } from '../flow/flow';
import { InputError } from '../util/errors';
import { createParallelEngine } from './parallel';
import { createTfjsEngine } from './tfjs-engine';
import { float64Engine, type EngineChoice, type EngineName, type TrainingEngine } from './engine';

export type { EngineChoice, EngineName, TrainingEngine } from './engine';

/**
 * The engine 'auto' picks: the one-thread float64 engine, for every size. It beat tfjs in every
 * configuration of the bench (docs/PERFORMANCE.md). Two threads were 1.1-1.2x faster at d >= 32 on
 * an idle machine but slower on a busy one (an editor is never idle), and the two sum a batch's
 * gradient in different orders, so the trained model would depend on the engine; 'parallel' stays
 * available on request.
 */
export function fastestEngine(_flow: Flow): EngineName {
  return 'float64';
}

/**
 * Builds the named engine for a flow. tfjs is loaded lazily (tfjs-engine requires it at run time),
 * so the CLI neither needs nor pays for it unless asked; a missing install is an InputError naming
 * the packages.
 */
export async function createEngine(choice: EngineChoice, flow: Flow): Promise<TrainingEngine> {
  const name = choice === 'auto' ? fastestEngine(flow) : choice;
  if (name === 'float64') return float64Engine(flow);
  if (name === 'parallel') return createParallelEngine(flow);
  if (name === 'tfjs') {
    return createTfjsEngine(flow);
  }
  throw new InputError(`unknown engine "${String(name)}"; choose float64, parallel, tfjs or auto`);
}
