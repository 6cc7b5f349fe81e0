import type { Flow } from '../flow/flow';
import type { EngineSession } from '../train/engines';
import { train, type TrainResult } from '../train/trainer';
import { polish, polishBudget } from '../train/polish';
import type { TrainedStart } from './restarts';
import type { LearnHooks, LearnSettings } from './settings';
import { trainOptionsFor } from './train-options';

/** One start trained to convergence. */
export interface EnsembleMember {
  flow: Flow;
  structureSeed: number;
  /** Its rank among the briefly trained starts (0 = the best of them). */
  startRank: number;
  result: TrainResult;
}

/** Members whose held-out NLL is within this many nats per row of the reported one are equally good: they enter the spread. */
export const ENSEMBLE_TOLERANCE = 0.01;

/** `training 2 of 3`: the phase of the second of three starts trained to convergence. */
export const ensemblePhase = (index: number, count: number): string => `training ${index} of ${count}`;

/**
 * The best `settings.ensemble` starts, each trained to convergence, the reported network first, then
 * by held-out NLL. The best start trains with the run's seed (its batches are those of a single-start
 * run); the others with their own structure seeds. A cancel ends the member in training and skips the rest.
 */
export async function trainEnsemble(
  starts: readonly TrainedStart[],
  settings: LearnSettings,
  rows: { train: Float64Array; nTrain: number; val: Float64Array; nVal: number },
  engines: EngineSession,
  hooks: LearnHooks,
): Promise<{ members: EnsembleMember[]; engineName: string }> {
  const count = settings.steps !== undefined ? 1 : Math.max(1, Math.min(settings.ensemble ?? 1, starts.length));
  const members: EnsembleMember[] = [];
  let engineName = '';
  for (let k = 0; k < count; k++) {
    if (k > 0 && hooks.signal?.aborted) break;
    const { flow, structureSeed } = starts[k];
    hooks.onPhase?.(count === 1 ? 'training' : ensemblePhase(k + 1, count));
    const engine = await engines.for(flow);
    if (k === 0) engineName = engine.name;
    const seed = k === 0 ? settings.seed : structureSeed;
    const result = await train(flow, rows.train, rows.nTrain, rows.val, rows.nVal, trainOptionsFor(settings, hooks, { steps: settings.steps, seed, engine }));
    if (polishes(settings, result)) {
      hooks.onPhase?.(count === 1 ? 'polishing' : `polishing ${k + 1} of ${count}`);
      const p = polish(flow, rows, polishBudget(result.steps, result.batch, rows.nTrain, flow.paramCount), hooks.signal);
      result.polish = p;
      if (p.kept) {
        result.valNll = p.valNll[1];
        result.trainNll = p.trainNll[1];
      }
    }
    members.push({ flow, structureSeed, startRank: k, result });
  }
  // A member cancelled part-way is still a trained network, but not a converged one: it is kept only
  // when it is the first (the report needs a model), never as evidence of another optimum.
  const converged = members.filter((m, k) => k === 0 || m.result.stoppedBecause !== 'cancelled');
  return { members: reportedFirst(converged, ENSEMBLE_TOLERANCE), engineName };
}

/**
 * The member to report first, then the others by held-out NLL. Differences within the tolerance say
 * nothing about which optimum is better, so the best-ranked start stays the reported network (the one
 * a single-start run reports, so its numbers stay as they were) unless another member ends more than
 * the tolerance below it.
 */
export function reportedFirst(members: readonly EnsembleMember[], tolerance: number): EnsembleMember[] {
  const ranked = members.map((m, k) => ({ m, k })).sort((a, b) => rank(a.m.result.valNll) - rank(b.m.result.valNll) || a.k - b.k);
  const best = ranked[0];
  const first = best.m.result.valNll < rank(members[0].result.valNll) - tolerance ? best.m : members[0];
  return [first, ...ranked.map((x) => x.m).filter((m) => m !== first)];
}

/**
 * Whether a trained network is polished (train/polish.ts): after stochastic training that ended on its
 * own terms, unless turned off. A fixed --steps run keeps its final weights, as asked; a cancelled or
 * diverged one keeps its best.
 */
function polishes(settings: LearnSettings, result: TrainResult): boolean {
  return (settings.polish ?? true) && settings.steps === undefined && result.stoppedBecause !== 'cancelled' && result.stoppedBecause !== 'diverged';
}

const rank = (v: number): number => (Number.isFinite(v) ? v : Number.POSITIVE_INFINITY);
