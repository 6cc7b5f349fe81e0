import { disagreements, ensembleSpread } from '../action/ensemble-spread';
import { actionJet } from '../action/extract';
import type { MonomialBasis } from '../poly/basis';
import type { EnsembleSummary } from '../report/schema';
import { ENSEMBLE_TOLERANCE, type EnsembleMember } from './ensemble';

export { ENSEMBLE_TOLERANCE } from './ensemble';

/** Spreads beyond this many standard errors are named in the report's warnings. */
export const DISAGREEMENT_THRESHOLD = 2;
const NAMED = 6;

export interface EnsembleOutcome {
  /** Per coefficient (canonical basis order, raw units around x0 and standardized around the mean); absent with one member. */
  rawSpread?: Float64Array;
  standardizedSpread?: Float64Array;
  summary?: EnsembleSummary;
  spreadMethod: string;
  warnings: string[];
}

/**
 * The ensemble's part of the report: which members are kept (within the tolerance of the best held-out
 * NLL), the spread of each coefficient across them (exact extractions of each kept network), and the
 * coefficients on which they disagree beyond their standard errors, named in words. `members[0]` is the
 * reported network (ensemble.ts, reportedFirst), whose jets are `best`.
 */
export function summarizeEnsemble(
  members: readonly EnsembleMember[],
  basis: MonomialBasis,
  x0: Float64Array,
  best: { raw: Float64Array; standardized: Float64Array; stdErr?: Float64Array },
  describe: { canonical: Int32Array; columns: readonly string[] },
): EnsembleOutcome {
  if (members.length < 2) {
    return { spreadMethod: 'not computed: one start was trained to convergence (--ensemble 1, or a fixed number of --steps)', warnings: [] };
  }
  // The reported network's held-out NLL: a member within the tolerance of it (above or below) is as good.
  const bestNll = members[0].result.valNll;
  const kept = members.map((m, k) => k === 0 || m.result.valNll <= bestNll + ENSEMBLE_TOLERANCE);
  const others = members.filter((_, k) => k > 0 && kept[k]);
  const name = (m: number): number[] => basis.monomial(m).map((c) => describe.canonical[c]).sort((a, b) => a - b);
  const summaryOf = (found: Array<{ index: number; spread: number; stdErr: number }>): EnsembleSummary => ({
    members: members.map((m, k) => ({
      structureSeed: m.structureSeed,
      valNll: m.result.valNll,
      steps: m.result.steps,
      stoppedBecause: m.result.stoppedBecause,
      kept: kept[k],
    })),
    tolerance: ENSEMBLE_TOLERANCE,
    threshold: DISAGREEMENT_THRESHOLD,
    disagreeing: found.map((f) => ({ monomial: name(f.index), spread: f.spread, stdErr: f.stdErr })),
  });
  const warnings = worseOptimumWarning(members, kept, bestNll);
  if (others.length === 0) {
    return {
      summary: summaryOf([]),
      spreadMethod: `not computed: none of the other ${members.length - 1} starts trained to convergence came within ${ENSEMBLE_TOLERANCE} nats per row of the best held-out NLL`,
      warnings,
    };
  }
  const rawSpread = ensembleSpread(best.raw, others.map((m) => actionJet(m.flow, basis, 0, x0)));
  const standardizedSpread = ensembleSpread(best.standardized, others.map((m) => actionJet(m.flow, basis, 1)));
  const found = best.stdErr ? disagreements(rawSpread, best.stdErr, DISAGREEMENT_THRESHOLD, (m) => m === 0) : [];
  const summary = summaryOf(found);
  if (found.length > 0) {
    const label = (m: number): string => `c(${name(m).map((c) => describe.columns[c] ?? `x${c}`).join(', ')})`;
    const listed = found.slice(0, NAMED).map((f) => `${label(f.index)}: spread ${f.spread.toPrecision(2)} = ${f.ratio.toFixed(1)} standard errors`);
    const more = found.length > NAMED ? ` and ${found.length - NAMED} more` : '';
    warnings.push(
      `Starts that fit equally well (held-out NLL within ${ENSEMBLE_TOLERANCE} nats per row) disagree beyond ${DISAGREEMENT_THRESHOLD} standard errors on ` +
        `${found.length} coefficient${found.length === 1 ? '' : 's'}: ${listed.join('; ')}${more}. ` +
        'These are set by the optimiser as much as by the data: read them with their spread, not only their standard error.',
    );
  }
  const keptCount = others.length + 1;
  const spreadMethod =
    `the largest difference from the reported coefficient among ${keptCount - 1} other start${keptCount === 2 ? '' : 's'} trained to convergence ` +
    `with held-out NLL within ${ENSEMBLE_TOLERANCE} nats per row of the best (${members.length} trained, ${keptCount} kept); exact extraction of each`;
  return { rawSpread, standardizedSpread, summary, spreadMethod, warnings };
}

function worseOptimumWarning(members: readonly EnsembleMember[], kept: boolean[], bestNll: number): string[] {
  const worse = members.filter((_, k) => !kept[k]);
  if (worse.length === 0) return [];
  const gaps = worse.map((m) => `+${(m.result.valNll - bestNll).toFixed(3)}`).join(', ');
  return [
    `${worse.length} of ${members.length} starts trained to convergence ended in a worse optimum (held-out NLL ${gaps} nats per row against the best): ` +
      'the likelihood has several optima; the best is reported, and a run with fewer starts may have landed in another.',
  ];
}
