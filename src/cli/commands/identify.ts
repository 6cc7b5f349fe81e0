import type { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ExpansionRequest } from '../../core/action/expansion';
import { DEFAULT_DATA_SEED, DEFAULT_LEARN_SETTINGS, identify, type LearnSettings } from '../../core/pipeline/learn';
import { writeFileAtomic } from '../../core/util/atomic';
import { writeStandaloneReport } from '../html-export';
import { withInterrupt } from '../interrupt';
import { expansionOption, limitedInteger, listOption, numberOption } from '../options';
import { ProgressReporter } from '../progress';
import { columnsSummary, defaultReportPath, readRunInput, refuseOverwritingInput } from '../table-input';
import { theorySummary } from '../theory-summary';

interface IdentifyFlags {
  order: number;
  seed: number;
  dataSeed: number;
  columns?: string[];
  valFraction: number;
  skipInvalid?: boolean;
  expandAt: ExpansionRequest;
  out?: string;
  html?: string;
  quiet?: boolean;
  dequantize?: boolean;
}

/**
 * `action-lens identify <file.csv>`: the direct estimator alone (docs/METHOD.md section 9). The
 * polynomial action is fitted by score matching and its terms selected with a stated error control,
 * without training a network: fast, and the report has no layers or training.
 */
export function registerIdentify(program: Command): void {
  const s = DEFAULT_LEARN_SETTINGS;
  program
    .command('identify')
    .description('Fit the polynomial action directly (score matching, no network) and keep the fewest terms that explain the data, with standard errors and a stated error control.')
    .argument('<file.csv>', 'the data: one row per sample, one numeric column per variable (header optional)')
    .option('--order <K>', 'highest order of the action', limitedInteger('--order', 'order'), s.order)
    .option('--seed <S>', 'random seed (the half-samples, the samples of the theory)', limitedInteger('--seed', 'seed'), 1)
    .option('--data-seed <S>', 'random seed of the split into training and held-out rows (and of --dequantize\'s noise)', limitedInteger('--data-seed', 'seed'), DEFAULT_DATA_SEED)
    .option('--columns <list>', 'columns to use, by name or 0-based index, comma-separated', listOption)
    .option('--val-fraction <f>', 'fraction of rows held out for validation', numberOption('--val-fraction', (v) => v > 0 && v < 0.9, 'a number in (0, 0.9)'), s.valFraction)
    .option('--skip-invalid', 'skip (and record) rows with non-numeric cells instead of stopping')
    .option('--dequantize', "add seeded uniform noise of one level's width to discrete columns (at most 256 distinct values)")
    .option('--expand-at <point>', "expansion point x0: auto (the data's mean unless 0 lies within every column's spread), zero, mean, or one number per column", expansionOption, 'auto')
    .option('--out <report.json>', 'where to write the report (default: beside the CSV, <name>.report.json)')
    .option('--html <report.html>', 'also write a standalone HTML report')
    .option('--quiet', 'no progress output')
    .action(async (file: string, flags: IdentifyFlags) => runIdentify(file, flags));
}

async function runIdentify(file: string, flags: IdentifyFlags): Promise<void> {
  const progress = new ProgressReporter(process.stderr, flags.quiet);
  const out = flags.out ?? defaultReportPath(file);
  refuseOverwritingInput(file, [out, flags.html]);
  const { table, truth } = await readRunInput(file, flags, progress);
  const settings: LearnSettings = {
    ...DEFAULT_LEARN_SETTINGS,
    order: flags.order,
    seed: flags.seed,
    dataSeed: flags.dataSeed,
    valFraction: flags.valFraction,
    expansion: flags.expandAt,
    dequantize: flags.dequantize ?? false,
  };
  const { report } = await withInterrupt('cancelling', (signal) => identify(table, settings, { signal, onPhase: (p) => progress.phase(p) }, { truth }));
  progress.done();
  await mkdir(dirname(out) || '.', { recursive: true });
  await writeFileAtomic(out, JSON.stringify(report, null, 1), [file]);
  if (flags.html) {
    await mkdir(dirname(flags.html) || '.', { recursive: true });
    await writeStandaloneReport(report, flags.html, [file, out]);
  }
  process.stderr.write(`action-lens: ${table.rows} rows x ${columnsSummary(report.input)}; direct fit of ${report.theory?.candidates ?? 0} candidate monomials in ${(report.theory?.seconds ?? 0).toFixed(1)} s\n`);
  for (const w of report.warnings) process.stderr.write(`action-lens: warning: ${w}\n`);
  if (report.theory) for (const line of theorySummary(report.theory, report.input.columns)) if (!line.startsWith('warning:')) process.stderr.write(`action-lens: ${line}\n`);
  process.stdout.write(`${out}\n`);
}
