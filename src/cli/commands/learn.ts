import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { InputError } from '../../core/util/errors';
import { parseGridOption, type GridRequest } from '../../core/data/grid';
import { layerKindNames, nonlinearKinds } from '../../core/flow/kinds';
import { DEFAULT_DATA_SEED, DEFAULT_LEARN_SETTINGS, learn, type LearnSettings } from '../../core/pipeline/learn';
import type { FlowReport, LayerKindName } from '../../core/report/schema';
import type { EngineChoice } from '../../core/train/engines';
import { writeFileAtomic } from '../../core/util/atomic';
import { choiceOption, expansionOption, limitedInteger, listOption, numberOption, orList } from '../options';
import type { ExpansionRequest } from '../../core/action/expansion';
import { ProgressReporter } from '../progress';
import { withInterrupt } from '../interrupt';
import { writeStandaloneReport } from '../html-export';
import { columnsSummary, defaultReportPath, readRunInput, refuseOverwritingInput } from '../table-input';
import { theorySummary } from '../theory-summary';

interface LearnFlags {
  layerKind: LayerKindName;
  layers: number;
  hidden?: number;
  order: number;
  onDemandSeconds?: number;
  maxSteps: number;
  epochs?: number;
  maxSeconds?: number;
  batch: number;
  lr: number;
  patience: number;
  steps?: number;
  restarts: number;
  ensemble: number;
  seed: number;
  dataSeed: number;
  /** commander's --no-polish: false when given. */
  polish: boolean;
  columns?: string[];
  valFraction: number;
  skipInvalid?: boolean;
  modelSamples: number;
  out?: string;
  html?: string;
  quiet?: boolean;
  engine: EngineChoice;
  expandAt: ExpansionRequest;
  identify: 'auto' | 'off';
  grid: GridRequest;
  dequantize?: boolean;
}

export function registerLearn(program: Command): void {
  const s = DEFAULT_LEARN_SETTINGS;
  program
    .command('learn')
    .description('Train an invertible network on a CSV and extract its action ln p(x) exactly up to order K.')
    .argument('[file.csv]', 'the data: one row per sample, one numeric column per variable (header optional); default: the bundled example (a 4-site phi^3 + phi^4 lattice)')
    .option('--layer-kind <kind>', `nonlinear layer kind: ${orList(nonlinearKinds().map((k) => `${k.name} (${k.summary})`))}`, choiceOption('--layer-kind', layerKindNames()), s.layerKind)
    .option('--layers <L>', 'number of (affine, nonlinear) blocks', limitedInteger('--layers', 'layers'), s.layers)
    .option('--hidden <H>', 'hidden width of coupling layers (default: number of columns)', limitedInteger('--hidden', 'hidden'))
    .option('--order <K>', 'highest order of the extracted action', limitedInteger('--order', 'order'), s.order)
    .option('--max-steps <N>', 'training budget in optimizer steps (early stopping on the held-out rows normally ends sooner)', limitedInteger('--max-steps', 'maxSteps'), s.maxSteps)
    .option('--max-seconds <T>', 'also stop after T seconds of training (the result then depends on the machine\'s speed)', numberOption('--max-seconds', (v) => v > 0, 'a positive number'))
    .option('--epochs <E>', 'also stop after E passes over the training rows (default: no such limit)', limitedInteger('--epochs', 'epochs'))
    .option('--batch <B>', 'mini-batch size', limitedInteger('--batch', 'batch'), s.batch)
    .option('--lr <rate>', 'Adam learning rate', numberOption('--lr', (v) => v > 0 && v < 10, 'a positive number'), s.learningRate)
    .option('--patience <P>', 'early stopping: optimizer steps without held-out improvement', limitedInteger('--patience', 'patience'), s.patience)
    .option('--steps <N>', 'train for exactly N optimizer steps, no early stopping, no polish (keeps the final weights)', limitedInteger('--steps', 'steps'))
    .option('--no-polish', 'keep the early-stopped weights instead of polishing them to the training rows\' maximum likelihood with L-BFGS (docs/METHOD.md section 3.6.1)')
    .option('--restarts <R>', 'starts (random structures) trained briefly and compared on the held-out rows', limitedInteger('--restarts', 'restarts'), s.restarts)
    .option('--ensemble <N>', 'the best N starts are trained to convergence: the best is reported, the others give each coefficient\'s spread (optimisation error); 1 trains one', limitedInteger('--ensemble', 'ensemble'), s.ensemble ?? 1)
    .option('--seed <S>', 'random seed of the optimisation: starts, initial weights, batches (a run is reproducible from it and --data-seed)', limitedInteger('--seed', 'seed'), 1)
    .option('--data-seed <S>', 'random seed of the split into training and held-out rows (and of --dequantize\'s noise); runs at different --seed fit the same rows', limitedInteger('--data-seed', 'seed'), DEFAULT_DATA_SEED)
    .option('--identify <mode>', 'identify the theory after learning (score matching with a stated error control; docs/METHOD.md section 9): auto or off', choiceOption('--identify', ['auto', 'off'] as const), 'auto')
    .option('--expand-at <point>', 'expansion point x0 of the action: auto (the data\'s mean unless 0 lies within every column\'s spread), zero, mean, or one number per column, comma-separated', expansionOption, 'auto')
    .option('--grid <HxW>', 'the columns are the pixels of an image: auto (when every column is named like r07c13: row 7, column 13), off, or HEIGHTxWIDTH (the file\'s columns fill it row by row); the panel then draws images', gridOption, 'auto')
    .option('--columns <list>', 'columns to use, by name or 0-based index, comma-separated', listOption)
    .option('--val-fraction <f>', 'fraction of rows held out for validation', numberOption('--val-fraction', (v) => v > 0 && v < 0.9, 'a number in (0, 0.9)'), s.valFraction)
    .option('--skip-invalid', 'skip (and record) rows with non-numeric cells instead of stopping')
    .option('--dequantize', "add seeded uniform noise of one level's width to discrete columns (at most 256 distinct values) and report the held-out NLL in bits per dimension")
    .option('--model-samples <N>', 'exact model samples for the cumulant comparison', limitedInteger('--model-samples', 'modelSamples'), s.modelSamples)
    .option('--out <report.json>', 'where to write the report (default: beside the CSV, <name>.report.json); the model goes to <report>.model.json')
    .option('--html <report.html>', 'also write a standalone HTML report')
    .option('--engine <name>', 'training engine: float64 (TypeScript + wasm kernels, one thread), parallel (the same on two threads), tfjs (TensorFlow.js: tfjs-node if installed, else wasm; float32) or auto (the fastest for this d, per docs/PERFORMANCE.md)', choiceOption('--engine', ['auto', 'float64', 'parallel', 'tfjs'] as const), 'auto')
    .option('--on-demand-seconds <T>', 'where orders are computed on demand (hundreds of columns), seconds per order spent finding their strongest terms for the report', numberOption('--on-demand-seconds', (v) => v >= 0, 'a number >= 0'))
    .option('--quiet', 'no progress output')
    .action(async (file: string | undefined, flags: LearnFlags) => {
      if (file !== undefined) return runLearn(file, flags);
      // No CSV: learn the bundled example so a new user sees a result at once; the report goes to
      // the current folder, not into the installation.
      const example = bundledExample();
      process.stderr.write(`action-lens: no CSV given; learning the bundled example ${example}\n`);
      await runLearn(example, { ...flags, out: flags.out ?? `${basename(example, '.csv')}.report.json` });
    });
}

/** examples/phi4-lattice-d4.csv beside dist/ (bundled CLI) or at the project root (sources through tsx). */
function bundledExample(): string {
  const candidates = [join(__dirname, '..', 'examples', EXAMPLE), join(__dirname, '..', '..', '..', 'examples', EXAMPLE)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new InputError(`no CSV given and the bundled example was not found (looked in ${candidates.join(', ')})`);
  return found;
}

const EXAMPLE = 'phi4-lattice-d4.csv';

function gridOption(value: string): GridRequest {
  const v = value.trim();
  return v === 'auto' || v === 'off' ? v : parseGridOption(v);
}

async function runLearn(file: string, flags: LearnFlags): Promise<void> {
  const progress = new ProgressReporter(process.stderr, flags.quiet);
  const out = flags.out ?? defaultReportPath(file);
  const modelPath = `${out.replace(/\.json$/i, '')}.model.json`;
  refuseOverwritingInput(file, [out, modelPath, flags.html]);
  const { table, truth } = await readRunInput(file, { ...flags, order: flags.order }, progress);
  const settings: LearnSettings = {
    ...DEFAULT_LEARN_SETTINGS,
    layerKind: flags.layerKind,
    layers: flags.layers,
    hidden: flags.hidden,
    order: flags.order,
    maxSteps: flags.maxSteps,
    epochs: flags.epochs,
    maxSeconds: flags.maxSeconds,
    batch: flags.batch,
    learningRate: flags.lr,
    patience: flags.patience,
    steps: flags.steps,
    restarts: flags.restarts,
    ensemble: flags.ensemble,
    ...(flags.onDemandSeconds !== undefined ? { onDemandSeconds: flags.onDemandSeconds } : {}),
    seed: flags.seed,
    dataSeed: flags.dataSeed,
    polish: flags.polish,
    valFraction: flags.valFraction,
    modelSamples: flags.modelSamples,
    engine: flags.engine,
    expansion: flags.expandAt,
    identify: flags.identify,
    grid: flags.grid,
    dequantize: flags.dequantize ?? false,
  };
  const { report, model } = await withInterrupt('cancelling; the best model so far is kept', (signal) =>
    learn(
      table,
      settings,
      {
        signal,
        onProgress: (p) => progress.update(p),
        onPhase: (p) => progress.phase(p),
      },
      { truth },
    ),
  );
  progress.done();
  await mkdir(dirname(out) || '.', { recursive: true });
  report.model.weightsFile = relative(dirname(out) || '.', modelPath) || basename(modelPath);
  await writeFileAtomic(modelPath, JSON.stringify(model), [file]);
  await writeFileAtomic(out, JSON.stringify(report, null, 1), [file]);
  if (flags.html) {
    await mkdir(dirname(flags.html) || '.', { recursive: true });
    await writeStandaloneReport(report, flags.html, [file, out, modelPath]);
  }
  const t = report.training;
  const bits = t.valBitsPerDim !== undefined ? ` = ${t.valBitsPerDim.toFixed(4)} bits/dim of the levels` : '';
  process.stderr.write(
    `action-lens: ${table.rows} rows x ${columnsSummary(report.input)}; ${t.steps} steps in ${t.trainSeconds.toFixed(2)} s (${t.stoppedBecause}); ` +
      `held-out NLL ${t.valNll.toFixed(4)}${bits} (Gaussian fit ${t.gaussianValNll.toFixed(4)})\n`,
  );
  const p = t.polish;
  if (p) {
    const what = p.kept ? `polished to the training rows' maximum likelihood (training NLL ${p.trainNll[0].toFixed(5)} -> ${p.trainNll[1].toFixed(5)})` : `polish undone (${p.stoppedBecause}; held-out NLL ${p.valNll[0].toFixed(4)} -> ${p.valNll[1].toFixed(4)})`;
    process.stderr.write(`action-lens: ${what}, ${p.evaluations} passes in ${(p.seconds ?? 0).toFixed(2)} s\n`);
  }
  const ensembleLine = ensembleSummary(report);
  if (ensembleLine) process.stderr.write(`action-lens: ${ensembleLine}\n`);
  for (const w of report.warnings) process.stderr.write(`action-lens: warning: ${w}\n`);
  if (report.theory) for (const line of theorySummary(report.theory, report.input.columns)) process.stderr.write(`action-lens: ${line}\n`);
  process.stdout.write(`${out}\n${modelPath}\n`);
}

/** One line on the starts trained to convergence: how many kept, how far their coefficients spread against the standard errors. */
function ensembleSummary(report: FlowReport): string | null {
  const e = report.training.ensemble;
  if (!e) return null;
  const kept = e.members.filter((m) => m.kept).length;
  const nlls = e.members.map((m) => m.valNll.toFixed(4)).join(', ');
  let ratio = 0;
  for (const t of report.action.terms) if (t.spread !== undefined && t.stdErr) ratio = Math.max(ratio, t.spread / t.stdErr);
  const spread = kept > 1 && ratio > 0 ? `; coefficients spread up to ${ratio.toFixed(1)} standard errors across them` : '';
  return `${e.members.length} starts trained to convergence (held-out NLL ${nlls}), ${kept} within ${e.tolerance} nats per row of the reported one${spread}`;
}
