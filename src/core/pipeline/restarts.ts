import { buildFlow } from '../flow/build';
import type { Flow } from '../flow/flow';
import type { ReportTraining } from '../report/schema';
import type { EngineSession } from '../train/engines';
import { train } from '../train/trainer';
import type { LearnHooks, LearnSettings } from './settings';
import { trainOptionsFor } from './train-options';

/** One start after its brief training: its network (best weights on the held-out rows) and where it got. */
export interface TrainedStart {
  flow: Flow;
  structureSeed: number;
  valNll: number;
}

export interface StartComparison {
  /** Best held-out NLL first (the start order breaks ties). */
  starts: TrainedStart[];
  summary: ReportTraining['restarts'];
}

/** The structure seed of start r: the run's seed for the first, derived from it for the others (runs stay reproducible). */
export function structureSeedOf(seed: number, r: number): number {
  return r === 0 ? seed : (seed + 7919 * r) >>> 0;
}

/**
 * Several starts, each trained briefly, compared on held-out rows. Where a start's structure decides
 * which optimum training reaches (for the coupling kind, which directions the first block conditions
 * on: its start from the data, flow/start.ts, now takes that choice away from the seed), the starts
 * still differ in the rest of their weights. Each start gets enough steps to leave the Gaussian
 * saddle before they are compared. The best few are then trained to convergence (ensemble.ts).
 */
export async function compareStarts(
  settings: LearnSettings,
  hidden: number,
  mean: number[],
  std: number[],
  rows: { trainRows: Float64Array; nTrain: number; val: Float64Array; nVal: number },
  engines: EngineSession,
  hooks: LearnHooks,
): Promise<StartComparison> {
  const count = settings.steps !== undefined ? 1 : Math.max(1, settings.restarts);
  const starts: TrainedStart[] = [];
  for (let r = 0; r < count; r++) {
    const structureSeed = structureSeedOf(settings.seed, r);
    // The training rows for the kinds that start their first block from the data (flow/start.ts).
    const flow = buildFlow(mean, std, { layerKind: settings.layerKind, layers: settings.layers, hidden, seed: structureSeed, start: { rows: rows.trainRows, n: rows.nTrain } });
    if (count === 1) return { starts: [{ flow, structureSeed, valNll: Number.NaN }], summary: undefined };
    hooks.onPhase?.(`start ${r + 1} of ${count}`);
    // Each start keeps its best weights on the held-out rows (not its last): a start that overfits or
    // blows up on a few rows must not be carried into the final training.
    const options = trainOptionsFor(settings, hooks, { steps: undefined, maxSteps: settings.restartSteps, patience: settings.restartSteps, seed: structureSeed, engine: await engines.for(flow) });
    const res = await train(flow, rows.trainRows, rows.nTrain, rows.val, rows.nVal, options);
    starts.push({ flow, structureSeed, valNll: res.valNll });
    if (hooks.signal?.aborted) break;
  }
  if (starts.length === 0) throw new Error('no start could be trained');
  const candidates = starts.map(({ structureSeed, valNll }) => ({ structureSeed, valNll }));
  // A stable sort: equal NLLs keep the start order. NaN (a start that never evaluated) goes last.
  const ranked = starts.map((s, r) => ({ s, r })).sort((a, b) => rankNll(a.s.valNll) - rankNll(b.s.valNll) || a.r - b.r);
  return { starts: ranked.map((x) => x.s), summary: { candidates, chosen: ranked[0].r, stepsEach: settings.restartSteps } };
}

const rankNll = (v: number): number => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : v);
