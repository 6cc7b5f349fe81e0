import { buildFlow } from '../flow/build';
import type { Flow } from '../flow/flow';
import type { Report } from '../report/schema';
import type { EngineSession } from '../train/engines';
import { train } from '../train/trainer';
import type { LearnHooks, LearnSettings } from './settings';
import { trainOptionsFor } from './train-options';

/**
 * Several starts, each trained briefly, the best on held-out rows kept. The fixed permutation of
 * each affine layer decides which linear combinations a coupling layer can reach cheaply; with an
 * unlucky one, training settles in a local optimum (seen on teacher data: 0.06 nats per row worse
 * for about half of the seeds, however long it trains). Each start gets enough steps to leave the
 * Gaussian saddle before they are compared. Starts are seeded from the run's seed, so runs stay reproducible.
 */
export async function chooseStart(
  settings: LearnSettings,
  hidden: number,
  mean: number[],
  std: number[],
  rows: { trainRows: Float64Array; nTrain: number; val: Float64Array; nVal: number },
  engines: EngineSession,
  hooks: LearnHooks,
): Promise<{ flow: Flow; summary: Report['training']['restarts'] }> {
  const count = settings.steps !== undefined ? 1 : Math.max(1, settings.restarts);
  const candidates: Array<{ structureSeed: number; valNll: number }> = [];
  let best: Flow | null = null;
  let bestNll = Number.POSITIVE_INFINITY;
  let chosen = 0;
  for (let r = 0; r < count; r++) {
    const structureSeed = r === 0 ? settings.seed : (settings.seed + 7919 * r) >>> 0;
    // The training rows for the kinds that start their first block from the data (flow/start.ts).
    const flow = buildFlow(mean, std, { layerKind: settings.layerKind, layers: settings.layers, hidden, seed: structureSeed, start: { rows: rows.trainRows, n: rows.nTrain } });
    if (count === 1) return { flow, summary: undefined };
    hooks.onPhase?.(`start ${r + 1} of ${count}`);
    // Each start keeps its best weights on the held-out rows (not its last): a start that overfits or
    // blows up on a few rows must not be carried into the final training.
    const options = trainOptionsFor(settings, hooks, { steps: undefined, maxSteps: settings.restartSteps, patience: settings.restartSteps, seed: structureSeed, engine: await engines.for(flow) });
    const res = await train(flow, rows.trainRows, rows.nTrain, rows.val, rows.nVal, options);
    candidates.push({ structureSeed, valNll: res.valNll });
    if (res.valNll < bestNll) {
      bestNll = res.valNll;
      best = flow;
      chosen = r;
    }
    if (hooks.signal?.aborted) break;
  }
  if (!best) throw new Error('no start could be trained');
  return { flow: best, summary: { candidates, chosen, stepsEach: settings.restartSteps } };
}
