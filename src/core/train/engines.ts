import type { Flow } from '../flow/flow';
import { InputError } from '../util/errors';
import { createTfjsEngine } from './tfjs-engine';
import { float64Engine, type EngineChoice, type EngineName, type TrainingEngine } from './engine';

export type { EngineChoice, EngineName, TrainingEngine } from './engine';

/**
 * The engine the bench measured faster for a flow of this size (docs/PERFORMANCE.md): the float64
 * engine wins every configuration measured on the reference machine, so 'auto' means float64.
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
  if (name === 'tfjs') {
    return createTfjsEngine(flow);
  }
  throw new InputError(`unknown engine "${String(name)}"; choose float64, tfjs or auto`);
}
