import type { CumulantComparison, FitAssessment, ReportTraining } from '../report/schema';
import { bonferroniZ } from '../util/normal';

/** Family-wise error rate of "the model misses a cumulant by more than sampling error", per order. */
export const CUMULANT_ALPHA = 0.01;
/** Entries named in a finding. */
const NAMED = 3;

/**
 * Does the trained model reproduce the data? In words, for the report and the panel: whether training
 * ended by early stopping or ran out of budget, whether its held-out NLL beats a Gaussian's, and,
 * order by order, whether any cumulant of the model differs from the held-out data's by more than
 * sampling error explains. The cut per order is Bonferroni's at CUMULANT_ALPHA over that order's
 * entries: with a good fit, the chance that any entry of the order exceeds it is at most 1%.
 */
export function assessFit(
  training: Pick<ReportTraining, 'stoppedBecause' | 'steps' | 'maxSteps' | 'valNll' | 'gaussianValNll'> | undefined,
  dataVsModel: CumulantComparison | undefined,
  columns: readonly string[],
): FitAssessment {
  const findings: string[] = [];
  const advice = new Set<string>();
  let poor = false;
  const budgetRanOut = training !== undefined && (training.stoppedBecause === 'step-limit' || training.stoppedBecause === 'time-limit' || training.stoppedBecause === 'max-epochs');
  if (training && budgetRanOut) {
    const limit = training.stoppedBecause === 'step-limit' ? `its budget of ${training.steps.toLocaleString('en-US')} steps` : training.stoppedBecause === 'time-limit' ? 'its time limit' : 'its epoch limit';
    findings.push(`Training was still improving on the held-out rows when it reached ${limit}; the model may not have converged.`);
    advice.add(training.stoppedBecause === 'step-limit' ? `a larger step budget (--max-steps ${2 * (training.maxSteps ?? training.steps)})` : 'a larger time or epoch limit');
  }
  if (training && training.valNll > training.gaussianValNll) {
    poor = true;
    findings.push(`The held-out NLL (${training.valNll.toFixed(4)}) is worse than a Gaussian fit's (${training.gaussianValNll.toFixed(4)}): the network fits the training rows but not new ones.`);
    advice.add('fewer layers or more rows');
  }
  const failed: number[] = [];
  for (const o of dataVsModel?.orders ?? []) {
    const m = o.entries.length;
    if (m === 0) continue;
    const cut = bonferroniZ(CUMULANT_ALPHA, m);
    const bad = o.entries.filter((e) => !(Math.abs(e.z) <= cut));
    if (bad.length === 0) continue;
    failed.push(o.order);
    bad.sort((p, q) => Math.abs(q.z) - Math.abs(p.z));
    const named = bad.slice(0, NAMED).map((e) => `κ${o.order}(${e.index.map((i) => columns[i] ?? `x${i}`).join(', ')}) at |z| = ${Math.abs(e.z).toFixed(1)}`);
    findings.push(
      `The model's order-${o.order} cumulants differ from the held-out data's by more than sampling error: ${bad.length} of ${m} entries beyond |z| = ${cut.toFixed(1)} ` +
        `(the 1% family-wise cut for ${m} entries), the largest ${named.join('; ')}.`,
    );
  }
  if (failed.length > 0) {
    poor = true;
    advice.add('more layers (--layers) or the other layer kind (--layer-kind)');
    if (failed.every((k) => k >= 3)) advice.add('more rows, if the data allow: higher cumulants need many samples to pin down');
  }
  const verdict: FitAssessment['verdict'] = poor ? 'poor' : budgetRanOut ? 'unconverged' : 'good';
  if (verdict === 'good') {
    const orders = (dataVsModel?.orders ?? []).map((o) => o.order);
    findings.push(
      orders.length > 0
        ? `The model reproduces the held-out data's cumulants of orders ${orders.join(', ')} within sampling error (no entry beyond the 1% family-wise cut)${training ? ', and training ended by early stopping' : ''}.`
        : training
          ? 'Training ended by early stopping; no cumulant comparison was made.'
          : 'No cumulant comparison was made.',
    );
  }
  return { verdict, findings, advice: [...advice], alpha: CUMULANT_ALPHA };
}
