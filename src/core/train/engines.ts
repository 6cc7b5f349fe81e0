import type { Flow } from '../flow/flow';
import { InputError } from '../util/errors';
import { createParallelEngine } from './parallel';
import { createTfjsEngine } from './tfjs-engine';
import { float64Engine, type EngineChoice, type EngineName, type TrainingEngine } from './engine';

export type { EngineChoice, EngineName, TrainingEngine } from './engine';

/**
 * From this many variables on, two threads make `learn`'s training faster (docs/PERFORMANCE.md).
 * Measured with `learn --steps 2000` on the race's data (L = 2, batch 256), medians of 3-4 fresh
 * processes, 2026-12-06, after the native kernel's wider blocks made one thread faster: at d = 100
 * one thread won for the cubic kind (1,213 against 892 steps/s) and tied for the coupling kind (835
 * against 813); at d = 160 two threads won for the coupling kind (300 against 239) and tied for the
 * cubic (515 against 529); at d = 196 two threads won for both (312 / 255, 199 / 158). (Before those
 * blocks: one thread won at d = 32 and 64, two at d = 100 by 1.0-1.1x.)
 */
export const PARALLEL_MIN_DIM = 128;

/**
 * The engine 'auto' picks (docs/PERFORMANCE.md). tfjs never won. Below PARALLEL_MIN_DIM the helper's
 * hand-offs and its start (about 0.15 s) cost more than the second core saves in the trainer, though
 * the pure step is faster on two threads at some of those d. The choice depends on d only, never on
 * the machine, so that a seed reproduces the same model everywhere (the two engines sum a batch's
 * gradient in different orders; the two-thread engine gives the same bits whether the helper or the
 * trainer's thread computed a half, parallel.ts).
 */
export function fastestEngine(flow: Flow): EngineName {
  return flow.dim >= PARALLEL_MIN_DIM ? 'parallel' : 'float64';
}

/**
 * Builds the named engine for a flow. tfjs is loaded lazily (tfjs-engine requires it at run time),
 * so the CLI neither needs nor pays for it unless asked; a missing install is an InputError naming
 * the packages.
 */
export async function createEngine(choice: EngineChoice, flow: Flow): Promise<TrainingEngine> {
  const name = choice === 'auto' ? fastestEngine(flow) : choice;
  if (name === 'float64') return float64Engine(flow);
  if (name === 'parallel') {
    // auto falls back to one thread where a helper thread cannot start (e.g. dist/ lacks its script).
    if (choice === 'auto') return createParallelEngine(flow).catch(() => float64Engine(flow));
    return createParallelEngine(flow);
  }
  if (name === 'tfjs') {
    return createTfjsEngine(flow);
  }
  throw new InputError(`unknown engine "${String(name)}"; choose float64, parallel, tfjs or auto`);
}

/**
 * One engine for the flows of a run (the starts, then the final training): built for the first flow,
 * then moved to the next with `retarget` where the engine has it (the two-thread engine keeps its
 * helper thread instead of starting a new one), rebuilt otherwise.
 */
export class EngineSession {
  private engine: TrainingEngine | null = null;

  constructor(private readonly choice: EngineChoice) {}

  async for(flow: Flow): Promise<TrainingEngine> {
    const current = this.engine;
    if (current?.retarget) {
      try {
        await current.retarget(flow);
        return current;
      } catch {
        // another shape: build anew below
      }
    }
    current?.dispose?.();
    this.engine = null;
    this.engine = await createEngine(this.choice, flow);
    return this.engine;
  }

  dispose(): void {
    this.engine?.dispose?.();
    this.engine = null;
  }
}
