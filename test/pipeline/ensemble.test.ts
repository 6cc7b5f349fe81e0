import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disagreements, ensembleSpread } from '../../src/core/action/ensemble-spread';
import { actionJet } from '../../src/core/action/extract';
import { readCsv } from '../../src/core/data/csv';
import { tableFromRows } from '../../src/core/data/memory';
import { MonomialBasis } from '../../src/core/poly/basis';
import { reportedFirst, type EnsembleMember } from '../../src/core/pipeline/ensemble';
import { DISAGREEMENT_THRESHOLD, ENSEMBLE_TOLERANCE, summarizeEnsemble } from '../../src/core/pipeline/ensemble-report';
import { DEFAULT_LEARN_SETTINGS, learn } from '../../src/core/pipeline/learn';
import type { TrainResult } from '../../src/core/train/trainer';
import { randomFlow } from '../helpers/flows';

test('ensembleSpread is the largest deviation from the reference; disagreements are the spreads beyond the threshold in standard errors', () => {
  const ref = [1, 2, 3, 4];
  const spread = ensembleSpread(ref, [
    [1.1, 2, 2.5, 4],
    [0.8, 2.05, 3, 4],
  ]);
  assert.deepEqual(Array.from(spread, (v) => Number(v.toFixed(12))), [0.2, 0.05, 0.5, 0]);
  assert.deepEqual(Array.from(ensembleSpread(ref, [])), [0, 0, 0, 0]);
  assert.throws(() => ensembleSpread(ref, [[1, 2]]), /2 coefficients/);
  const found = disagreements(spread, [0.05, 0.05, 0.1, Number.NaN], 2, (m) => m === 1);
  // 0: 4 se; 1: skipped; 2: 5 se; 3: no standard error.
  assert.deepEqual(found.map((f) => f.index), [2, 0]);
  assert.ok(Math.abs(found[0].ratio - 5) < 1e-12);
});

function trainResult(valNll: number, steps = 1000): TrainResult {
  return { epochs: 10, steps, batch: 256, learningRate: 1e-3, trainNll: valNll, valNll, bestEpoch: 9, bestStep: steps, history: [], stoppedBecause: 'early-stopping', divergenceEvents: 0, trainSeconds: 1 };
}

test('reportedFirst keeps the best-ranked start unless another member ends more than the tolerance below it', () => {
  const flow = randomFlow(2, 'cubic', 1, 1);
  const member = (valNll: number, startRank: number): EnsembleMember => ({ flow, structureSeed: startRank, startRank, result: trainResult(valNll) });
  const order = (nlls: number[]): number[] => reportedFirst(nlls.map((v, k) => member(v, k)), 0.01).map((m) => m.startRank);
  assert.deepEqual(order([2.0, 1.995, 2.1]), [0, 1, 2]);
  assert.deepEqual(order([2.0, 1.98, 1.985]), [1, 2, 0]);
  assert.deepEqual(order([Number.NaN, 2.0]), [1, 0]);
  assert.deepEqual(order([2.0]), [0]);
});

test('summarizeEnsemble: the spread over kept members only, the disagreeing terms named by column, a worse optimum said', () => {
  const d = 3;
  const basis = new MonomialBasis(d, 4);
  const x0 = Float64Array.from([0.2, -0.1, 0.3]);
  const best = randomFlow(d, 'cubic', 1, 5);
  // Another network of the same structure, one unit's parameters moved: an optimum nearby.
  const near = randomFlow(d, 'cubic', 1, 5);
  const cubic = near.layers.findIndex((l) => l.kind === 'cubic');
  near.layers[cubic].params[0] += 0.05;
  // A network far away, whose held-out NLL is beyond the tolerance: it must not enter the spread.
  const far = randomFlow(d, 'cubic', 1, 9);
  const members: EnsembleMember[] = [
    { flow: best, structureSeed: 1, startRank: 1, result: trainResult(2.5) },
    { flow: near, structureSeed: 2, startRank: 0, result: trainResult(2.5 + ENSEMBLE_TOLERANCE / 2) },
    { flow: far, structureSeed: 3, startRank: 2, result: trainResult(2.5 + 3 * ENSEMBLE_TOLERANCE) },
  ];
  const raw = actionJet(best, basis, 0, x0);
  const standardized = actionJet(best, basis, 1);
  const stdErr = new Float64Array(basis.size).fill(1e-3);
  // Canonical column c is report column canonical[c].
  const canonical = Int32Array.from([2, 0, 1]);
  const columns = ['T', 'P', 'rho'];
  const out = summarizeEnsemble(members, basis, x0, { raw, standardized, stdErr }, { canonical, columns });

  const nearRaw = actionJet(near, basis, 0, x0);
  for (let m = 0; m < basis.size; m++) assert.equal(out.rawSpread?.[m], Math.abs(nearRaw[m] - raw[m]), `monomial ${basis.monomial(m).join(',')}`);
  assert.deepEqual(out.summary?.members.map((m) => m.kept), [true, true, false]);
  assert.equal(out.summary?.tolerance, ENSEMBLE_TOLERANCE);

  const expected = [];
  for (let m = 1; m < basis.size; m++) if (Math.abs(nearRaw[m] - raw[m]) > DISAGREEMENT_THRESHOLD * 1e-3) expected.push(m);
  assert.ok(expected.length > 0, 'the moved unit changes some coefficients beyond the threshold');
  assert.equal(out.summary?.disagreeing.length, expected.length);
  const top = out.summary?.disagreeing[0];
  assert.ok(top);
  // Named in report columns: canonical indices mapped and sorted, then by name in the warning.
  const names = top.monomial.map((c) => columns[c]).join(', ');
  const warning = out.warnings.find((w) => w.startsWith('Starts that fit equally well'));
  assert.ok(warning?.includes(`c(${names})`), warning);
  assert.ok(out.warnings.some((w) => /1 of 3 starts trained to convergence ended in a worse optimum \(held-out NLL \+0\.030/.test(w)), out.warnings.join('\n'));
  assert.match(out.spreadMethod, /1 other start .*\(3 trained, 2 kept\)/);
});

test('learn: every coefficient carries its spread over the kept starts, and the summary agrees with the warnings', async () => {
  const table = await readCsv('examples/phi4-lattice-d4.csv');
  const { report } = await learn(table, { ...DEFAULT_LEARN_SETTINGS, seed: 1, identify: 'off', modelSamples: 2000 });
  const ensemble = report.training.ensemble;
  assert.ok(ensemble);
  assert.equal(ensemble.members.length, DEFAULT_LEARN_SETTINGS.ensemble);
  // The reported network is the first member; none ends more than the tolerance below it.
  assert.equal(ensemble.members[0].valNll, report.training.valNll);
  for (let k = 1; k < ensemble.members.length; k++) assert.ok(ensemble.members[k].valNll >= ensemble.members[0].valNll - ensemble.tolerance);
  const kept = ensemble.members.filter((m) => m.kept).length;
  for (const action of [report.action, report.actionStandardized]) {
    assert.ok(action);
    for (const t of action.terms) {
      if (t.monomial.length === 0) continue;
      if (kept > 1) assert.ok(t.spread !== undefined && Number.isFinite(t.spread) && t.spread >= 0, `spread of ${t.monomial.join(',')}`);
      else assert.equal(t.spread, undefined);
    }
  }
  for (const t of ensemble.disagreeing) assert.ok(t.spread > ensemble.threshold * t.stdErr);
  assert.equal(report.warnings.some((w) => w.startsWith('Starts that fit equally well')), ensemble.disagreeing.length > 0);

  const single = await learn(table, { ...DEFAULT_LEARN_SETTINGS, seed: 1, identify: 'off', modelSamples: 2000, ensemble: 1 });
  assert.equal(single.report.training.ensemble, undefined);
  assert.ok(single.report.action.terms.every((t) => t.spread === undefined));
  assert.match(single.report.action.spreadMethod ?? '', /^not computed/);
});

test('learn on few rows: equally good starts disagree far beyond their standard errors, and the warning names the terms', async () => {
  // 300 rows of the example at 45 parameters per layer: the likelihood is flat along directions the
  // data cannot pin down, and starts stop at different points of it (measured: c(phi0,phi1,phi2,phi3)
  // spreads by about 50 standard errors at seed 0 with the split of data seed 0). Without the polish
  // (section 3.6.1), which on these rows converges for some starts and not for others: this test is
  // about what the report says when starts disagree, whatever made them.
  const full = await readCsv('examples/phi4-lattice-d4.csv');
  const rows = 300;
  const table = tableFromRows('first 300 rows', full.columns, full.data.slice(0, rows * full.d), rows);
  const { report } = await learn(table, { ...DEFAULT_LEARN_SETTINGS, seed: 0, dataSeed: 0, identify: 'off', modelSamples: 1000, polish: false });
  const ensemble = report.training.ensemble;
  assert.ok(ensemble);
  assert.ok(ensemble.members.filter((m) => m.kept).length >= 2);
  assert.ok(ensemble.disagreeing.length > 0, 'some coefficient disagrees across the kept starts');
  const worst = ensemble.disagreeing.reduce((a, b) => (b.spread / b.stdErr > a.spread / a.stdErr ? b : a));
  assert.ok(worst.spread > 5 * worst.stdErr, `worst disagreement ${worst.spread / worst.stdErr} standard errors`);
  const warning = report.warnings.find((w) => w.startsWith('Starts that fit equally well'));
  assert.ok(warning, report.warnings.join('\n'));
  const name = `c(${worst.monomial.map((c) => report.input.columns[c]).join(', ')})`;
  assert.ok(warning.includes(name), `${name} in: ${warning}`);
  // The spread of that coefficient is in the action, next to its standard error.
  const term = report.action.terms.find((t) => t.monomial.join(',') === worst.monomial.join(','));
  assert.ok(term?.spread !== undefined && term.stdErr !== undefined && term.spread > 5 * term.stdErr);
});
