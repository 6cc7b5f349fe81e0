/**
 * npm run zoo: the default `learn` on a zoo of generated real-looking tables (test/helpers/
 * realistic-tables.ts: offsets and scales from 1e-3 to 1e4, skew, heavy tails, nonlinear
 * dependencies; 500 to 1e5 rows, 2 to 30 columns). Does training end by early stopping, does the
 * fit reproduce the data's cumulants, and are the coefficients on the scale the columns' spreads set?
 * Prints a Markdown table and writes bench/zoo-results.json.
 *
 * Options: --quick (fewer tables), --seeds N (tables per size, default 2).
 */
import { writeFileSync } from 'node:fs';
import { tableFromRows } from '../src/core/data/memory';
import { DEFAULT_LEARN_SETTINGS, learn } from '../src/core/pipeline/learn';
import { plantTable, realisticTable, type RealisticTable } from '../test/helpers/realistic-tables';
import { argValue } from './common';

const quick = process.argv.includes('--quick');
const seeds = Number(argValue(process.argv, 'seeds', quick ? '1' : '2'));
const sizes = quick ? [500, 5000] : [500, 2000, 10000, 100000];
const widths = quick ? [2, 5, 10] : [2, 5, 10, 20, 30];

interface ZooRow {
  table: string;
  rows: number;
  d: number;
  stoppedBecause: string;
  steps: number;
  seconds: number;
  valNll: number;
  gaussianValNll: number;
  verdict: string;
  maxAbsZ: number[];
  /** Largest |c_m| prod_{i in m} std_i over orders 1..2: the coefficients in units the spreads set. */
  largestScaledCoefficient: number;
  expansion: string;
}

function scaledCoefficient(report: Awaited<ReturnType<typeof learn>>['report']): number {
  const std = report.model.standardization.std;
  let worst = 0;
  for (const t of report.action.terms) {
    if (t.monomial.length === 0 || t.monomial.length > 2) continue;
    let c = Math.abs(t.coefficient);
    for (const i of t.monomial) c *= std[i];
    worst = Math.max(worst, c);
  }
  return worst;
}

async function runOne(t: RealisticTable): Promise<ZooRow> {
  const t0 = Date.now();
  const { report } = await learn(tableFromRows(t.name, t.columns, t.data, t.rows), { ...DEFAULT_LEARN_SETTINGS, seed: 1 });
  const tr = report.training;
  return {
    table: t.name,
    rows: t.rows,
    d: t.columns.length,
    stoppedBecause: tr.stoppedBecause,
    steps: tr.steps,
    seconds: (Date.now() - t0) / 1000,
    valNll: tr.valNll,
    gaussianValNll: tr.gaussianValNll,
    verdict: report.fit?.verdict ?? '-',
    maxAbsZ: report.cumulants.comparisons[0]?.orders.map((o) => o.maxAbsZ) ?? [],
    largestScaledCoefficient: scaledCoefficient(report),
    expansion: report.action.expansionReason?.split(':')[0] ?? '-',
  };
}

async function main(): Promise<void> {
  const tables: RealisticTable[] = [plantTable(11, 3000)];
  for (const n of sizes) for (const d of widths) for (let s = 0; s < seeds; s++) tables.push(realisticTable(1000 * d + 10 * s + n, n, d));
  const rows: ZooRow[] = [];
  console.log('| table | rows | d | stopped | steps | s | held-out NLL | Gaussian | fit | max abs z by order | max c*std |');
  console.log('|---|---:|---:|---|---:|---:|---:|---:|---|---|---:|');
  for (const t of tables) {
    const r = await runOne(t);
    rows.push(r);
    console.log(
      `| ${r.table} | ${r.rows} | ${r.d} | ${r.stoppedBecause} | ${r.steps} | ${r.seconds.toFixed(1)} | ${r.valNll.toFixed(3)} | ${r.gaussianValNll.toFixed(3)} | ${r.verdict} | ` +
        `${r.maxAbsZ.map((z) => z.toFixed(1)).join(' / ')} | ${r.largestScaledCoefficient.toPrecision(3)} |`,
    );
  }
  const early = rows.filter((r) => r.stoppedBecause === 'early-stopping').length;
  const good = rows.filter((r) => r.verdict === 'good').length;
  console.log(`\n${early} of ${rows.length} runs ended by early stopping; ${good} of ${rows.length} reproduce the data's cumulants within sampling error.`);
  writeFileSync('bench/zoo-results.json', JSON.stringify({ date: new Date().toISOString(), defaults: { maxSteps: DEFAULT_LEARN_SETTINGS.maxSteps, patience: DEFAULT_LEARN_SETTINGS.patience }, rows }, null, 1) + '\n');
}

void main();
