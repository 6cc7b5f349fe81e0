/**
 * What a finished or failed run tells the user, as pure functions of the report or the error (no
 * vscode, so they are unit-tested): where "Go to Line" puts the selection, and the notice after a
 * cancelled run, which follows the report rather than the moment the cancel was asked for.
 */

import type { Report, ReportTraining } from '../core/report/schema';

/** A 0-based span on one line of a document, as "Go to Line" selects it. */
export interface LineSpan {
  line: number;
  start: number;
  end: number;
}

/**
 * The span to select for an error at 1-based `line` and `column` spanning `length` characters: the
 * cell, clamped to the document (it may have changed since it was read); the whole line when the
 * error has no column.
 */
export function errorSpan(
  where: { line: number; column?: number; length?: number },
  doc: { lineCount: number; lineLength: (line: number) => number },
): LineSpan {
  const line = Math.max(0, Math.min(doc.lineCount - 1, where.line - 1));
  const width = doc.lineLength(line);
  if (where.column === undefined) return { line, start: 0, end: width };
  const start = Math.max(0, Math.min(width, where.column - 1));
  const end = Math.max(start, Math.min(width, start + Math.max(0, where.length ?? 0)));
  return { line, start, end };
}

/** Why training ended, in words, for a training that was not cancelled. */
const FINISHED_BECAUSE: Record<Exclude<ReportTraining['stoppedBecause'], 'cancelled'>, string> = {
  'early-stopping': 'early stopping',
  'step-limit': 'step budget reached',
  'time-limit': 'time limit reached',
  'max-epochs': 'epoch limit reached',
  steps: 'its fixed number of steps done',
  diverged: 'stopped after diverging',
};

/** Where the kept model was found: its step (reports with a step budget) or its epoch (older ones). */
function kept(t: ReportTraining): string {
  return t.bestStep !== undefined ? `step ${t.bestStep.toLocaleString('en-US')}` : `epoch ${t.bestEpoch}`;
}

/** A report warning in the middle of a sentence: no final period, a lower-case first letter unless it starts an acronym. */
function clause(w: string): string {
  const t = w.trim().replace(/\.$/, '');
  return /^[A-Z][a-z]/.test(t) ? t[0].toLowerCase() + t.slice(1) : t;
}

/**
 * The notice after a run the user cancelled. When the cancel stopped the training, it says where
 * and what is kept. When it came after training had ended (early stopping, a limit) it says so, and
 * what the cancel skipped, as the report's warnings tell it (the core names what it left out).
 */
export function cancelNotice(report: Report, reportName: string): string {
  const t = report.training;
  if (!t) return `the run was cancelled; the report is in ${reportName}.`;
  const nll = Number.isFinite(t.valNll) ? t.valNll.toFixed(4) : String(t.valNll);
  if (t.stoppedBecause === 'cancelled') {
    if (t.epochs === 0) {
      return `training was cancelled while comparing starts; the best start so far (validation NLL ${nll}), only briefly trained, is kept in ${reportName}.`;
    }
    const at = t.bestStep !== undefined ? `step ${t.steps.toLocaleString('en-US')}` : `epoch ${t.epochs}`;
    return `training was cancelled at ${at}; the best model so far (${kept(t)}, validation NLL ${nll}) is kept in ${reportName}.`;
  }
  const skipped = report.warnings.filter((w) => /cancel/i.test(w)).map(clause);
  const what = skipped.length > 0 ? skipped.join('; ') : 'nothing was skipped';
  return `cancelled after training had finished (${FINISHED_BECAUSE[t.stoppedBecause]}, ${kept(t)} kept); ${what}. The report is in ${reportName}.`;
}
