/**
 * The words of a run's progress, from the pipeline's phase strings and the trainer's progress
 * numbers. Pure: the extension's notification and the CLI's progress lines both use it, and the
 * tests check it. The pipeline names phases tersely (`start 1 of 3`, restarts.ts); what a start is
 * and what follows it is said here, where it is shown.
 */

/** The progress numbers a phase's text uses (the worker's and the trainer's progress both fit). */
export interface ProgressNumbers {
  epoch: number;
  step: number;
  maxEpochs: number;
  /** The fixed steps of a --steps run, else null. */
  totalSteps: number | null;
  valNll: number;
  bestValNll: number;
  /** The step budget (absent from older workers' messages). */
  maxSteps?: number;
  /** The step of the best held-out NLL so far. */
  bestStep?: number;
  /** Early stopping's patience in steps; null for a fixed --steps run. */
  patience?: number | null;
}

export interface StartsPhase {
  /** 1-based. */
  index: number;
  count: number;
}

/** `start 2 of 3` as numbers; null for any other phase. */
export function parseStartsPhase(phase: string): StartsPhase | null {
  const m = /^start (\d+) of (\d+)$/.exec(phase.trim());
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && index <= count ? { index, count } : null;
}

/** `training 2 of 3` (pipeline/ensemble.ts: the second of the best starts trained to convergence) as numbers; null otherwise. */
export function parseEnsemblePhase(phase: string): StartsPhase | null {
  const m = /^training (\d+) of (\d+)$/.exec(phase.trim());
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && index <= count ? { index, count } : null;
}

/** Phases in which the trainer reports progress (steps, validation NLL). */
export function isTrainingPhase(phase: string): boolean {
  return phase === 'training' || parseStartsPhase(phase) !== null || parseEnsemblePhase(phase) !== null;
}

/** An integer with thousands separators (1,500), whatever the host's locale. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * The phase in words. A start of the comparison says what it is: several starts (different random
 * structures) are each trained briefly, the best is then trained to convergence; the steps each
 * start gets come from its progress, once there is some.
 */
export function phaseText(phase: string, progress?: ProgressNumbers): string {
  const member = parseEnsemblePhase(phase);
  if (member !== null) return `training the best ${member.count} starts to convergence (${member.index} of ${member.count}; the best is reported, the others measure how far the answer moves)`;
  const start = parseStartsPhase(phase);
  if (start === null) return phase;
  const steps = progress?.totalSteps ?? progress?.maxSteps;
  const each = steps !== null && steps !== undefined && steps > 0 ? `, ${formatCount(steps)} steps each` : '';
  return `comparing ${start.count} starts (${start.index} of ${start.count}${each}; the best is then trained to convergence)`;
}

/**
 * Where the training is: `step 200/1,500` for a fixed number of steps; with early stopping, the
 * step, the best step so far and where training will stop unless it improves first
 * (`step 4,200 · best at 3,100, stops at 5,100 unless it improves (budget 50,000)`); `epoch 3/400`
 * from workers that report no step budget.
 */
export function progressCount(p: ProgressNumbers): string {
  if (p.totalSteps !== null) return `step ${formatCount(p.step)}/${formatCount(p.totalSteps)}`;
  if (p.maxSteps === undefined) return `epoch ${formatCount(p.epoch)}/${formatCount(p.maxEpochs)}`;
  // A start runs its whole budget (its patience is the budget): a plain count.
  if (p.patience !== undefined && p.patience !== null && p.patience >= p.maxSteps) return `step ${formatCount(p.step)}/${formatCount(p.maxSteps)}`;
  const budget = formatCount(p.maxSteps);
  if (p.bestStep === undefined || p.patience === undefined || p.patience === null) return `step ${formatCount(p.step)} (budget ${budget})`;
  const stopAt = Math.min(p.maxSteps, p.bestStep + p.patience);
  return `step ${formatCount(p.step)} · best at ${formatCount(p.bestStep)}, stops at ${formatCount(stopAt)} unless it improves (budget ${budget})`;
}

/**
 * How far the phase is, 0..1, where that is known: a fixed number of steps, or a start's steps.
 * Early stopping ends training at a step nobody knows in advance, so the final training has no
 * fraction (null: the notification shows an indefinite bar rather than a wrong one).
 */
export function phaseFraction(phase: string, p: ProgressNumbers | undefined): number | null {
  if (!p || !isTrainingPhase(phase)) return null;
  if (p.totalSteps !== null) return Math.min(1, Math.max(0, p.step / Math.max(1, p.totalSteps)));
  if (parseStartsPhase(phase) !== null && p.maxSteps !== undefined) return Math.min(1, Math.max(0, p.step / Math.max(1, p.maxSteps)));
  if (p.maxSteps === undefined) return Math.min(1, Math.max(0, p.epoch / Math.max(1, p.maxEpochs)));
  return null;
}

/**
 * The notification's message. `progress` must be of this phase: the caller forgets it at each phase
 * change, or the last numbers of one phase (a start's 1,500/1,500 steps) would show under the next.
 */
export function progressMessage(phase: string, progress: ProgressNumbers | undefined, cancelling = false): string {
  let text = phaseText(phase, progress);
  if (progress && isTrainingPhase(phase)) {
    const numbers = `${progressCount(progress)} · validation NLL ${progress.valNll.toFixed(4)} (best ${progress.bestValNll.toFixed(4)})`;
    text = phase === 'training' ? numbers : `${text} · ${numbers}`;
  }
  if (!cancelling) return text;
  // A cancel stops the training at once; the phases after it run (or skip their costly parts) to finish the report.
  const why = isTrainingPhase(phase) ? 'finishing the report with the best model so far' : 'finishing the report';
  return `cancelling: ${why} · ${text}`;
}
