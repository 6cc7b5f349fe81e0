import { binomial } from '../poly/basis';
import { InputError } from '../util/errors';
import { reexpandAction } from '../experiments/compare';
import { scalePolynomial } from '../poly/shift';
import type { Action, ActionTerm } from '../report/schema';
import { restoreColumns } from './columns';
import { rawActionHead, standardizedActionHead, type Estimator, type EstimatorFit } from './estimator';
import type { PreparedRun } from './prepare';
import { DEFAULT_DATA_SEED, type LearnExtras, type LearnHooks, type LearnSettings } from './settings';
import { runIdentification } from './theory';

/**
 * The direct estimator of `identify` (docs/METHOD.md section 9): no network. The polynomial action is
 * fitted by score matching and its terms selected with Holm's error control; the report's action is
 * the dense direct fit of every candidate where it was computed (else the identified theory), its
 * theory section the identified theory, and its cumulants those of HMC samples of the theory.
 */
export const directEstimator: Estimator = {
  name: 'score-matching',
  async fit(run: PreparedRun, settings: LearnSettings, hooks: LearnHooks, extras: LearnExtras): Promise<EstimatorFit> {
    const { d, order: K, canonical, x0, std, mean } = run;
    if (run.storedOrders < K) {
      throw new InputError(`the direct fit on ${d} columns at order ${K} has ${(binomial(d + K, K) - 1).toLocaleString('en-US')} candidate monomials, too many to fit; use a lower --order, fewer columns, or learn`, { file: run.table.path });
    }
    hooks.onPhase?.('fitting the polynomial action (score matching) and selecting its terms');
    const { theory, drawn } = runIdentification({
      d,
      order: K,
      train: run.train,
      nTrain: run.nTrain,
      val: run.val,
      nVal: run.nVal,
      x0,
      scale: std,
      canonical,
      seed: settings.seed,
      truth: extras.truth,
      settings: { screen: 'all' },
    });
    const terms: ActionTerm[] = theory.dense ?? theory.terms;
    const action: Action = {
      ...rawActionHead(run),
      terms,
      stdErrMethod: theory.dense
        ? 'sandwich (Godambe) standard errors of the score-matching fit of every candidate monomial (the dense direct fit, before selection)'
        : 'sandwich (Godambe) standard errors of the identified theory',
    };
    // A polynomial re-expands exactly: the standardized action is this one around the mean, in units of the spreads.
    const reportStd = Array.from(restoreColumns(Float64Array.from(std), 1, canonical));
    const reportMean = Array.from(restoreColumns(Float64Array.from(mean), 1, canonical));
    const atMean = reexpandAction({ ...action, terms: terms.filter((t) => t.monomial.length > 0) }, reportMean);
    return {
      model: {
        estimator: 'score-matching',
        order: K,
        seed: settings.seed,
        dataSeed: settings.dataSeed ?? DEFAULT_DATA_SEED,
        standardization: { mean: reportMean, std: reportStd },
        candidates: theory.candidates,
        alpha: theory.alpha,
      },
      action,
      actionStandardized: {
        ...standardizedActionHead(run),
        terms: scalePolynomial(atMean.terms, reportStd),
      },
      convergence: { radius: null, radiusStandardized: null, method: 'a polynomial: its series is itself and converges everywhere' },
      layers: [],
      draw: () => drawn ?? null,
      warnings: [...theory.warnings],
      theory,
    };
  },
};
