/**
 * The words of a run's progress, from the core's phase strings and its progress numbers. Pure (no
 * vscode): the extension's notification and the CLI's progress lines both use it, and the tests
 * check it. The core names phases tersely (`start 1 of 3`, src/core/pipeline/restarts.ts); what a
 * start is and what follows it is said here, where it is shown.
 */

/** The progress numbers a phase's text uses (the worker's and the trainer's progress both fit). */
export interface ProgressNumbers {
  epoch: number;
  step: number;
  maxEpochs: number;
  totalSteps: number | null;
  valNll: number;
  bestValNll: number;
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

/** Phases in which the trainer reports progress (steps, validation NLL). */
export function isTrainingPhase(phase: string): boolean {
  return phase === 'training' || parseStartsPhase(phase) !== null;
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
  const start = parseStartsPhase(phase);
  if (start === null) return phase;
  const steps = progress?.totalSteps;
  const each = steps !== null && steps !== undefined && steps > 0 ? `, ${formatCount(steps)} steps each` : '';
  return `comparing ${start.count} starts (${start.index} of ${start.count}${each}; the best is then trained to convergence)`;
}

/** Where the training is: `epoch 3 · step 200/1,500`, or `epoch 3/400` without a step budget. */
export function progressCount(p: ProgressNumbers): string {
  return p.totalSteps !== null ? `epoch ${formatCount(p.epoch)} · step ${formatCount(p.step)}/${formatCount(p.totalSteps)}` : `epoch ${formatCount(p.epoch)}/${formatCount(p.maxEpochs)}`;
}

/** How far the phase is, 0..1 (null outside training phases or before their first progress). */
export function phaseFraction(phase: string, p: ProgressNumbers | undefined): number | null {
  if (!p || !isTrainingPhase(phase)) return null;
  const f = p.totalSteps !== null ? p.step / Math.max(1, p.totalSteps) : p.epoch / Math.max(1, p.maxEpochs);
  return Math.min(1, Math.max(0, f));
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
