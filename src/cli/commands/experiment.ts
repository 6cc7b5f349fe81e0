import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPERIMENTS, findExperiment } from '../../core/experiments';
import { writeFileAtomic } from '../../core/util/atomic';
import { limitedInteger } from '../options';
import { ProgressReporter } from '../progress';
import { withInterrupt } from '../interrupt';
import { writeStandaloneReport } from '../html-export';

interface ExperimentFlags {
  quick?: boolean;
  seed: number;
  out?: string;
  html?: boolean;
  quiet?: boolean;
}

export function registerExperiment(program: Command): void {
  program
    .command('experiment')
    .description(`Run one of the paper's experiments on synthetic data with a known action: ${EXPERIMENTS.map((e) => e.id).join(', ')}.`)
    .argument('[id]', EXPERIMENTS.map((e) => `${e.id}: ${e.description}`).join('\n'), 'phi4')
    .option('--quick', 'a small version that finishes in seconds')
    .option('--seed <S>', 'random seed', limitedInteger('--seed', 'seed'), 1)
    .option('--out <dir>', 'output folder (default: experiments/<id>[-quick])')
    .option('--html', 'also write a standalone HTML report')
    .option('--quiet', 'no progress output')
    .action(async (id: string, flags: ExperimentFlags) => {
      const experiment = findExperiment(id);
      const progress = new ProgressReporter(process.stderr, flags.quiet);
      const dir = flags.out ?? join('experiments', `${id}${flags.quick ? '-quick' : ''}`);
      mkdirSync(dir, { recursive: true });
      const { report, data } = await withInterrupt(null, (signal) =>
        experiment.run({
          quick: Boolean(flags.quick),
          seed: flags.seed,
          signal,
          onPhase: (p) => progress.phase(p),
          onProgress: (p) => progress.update(p),
        }),
      );
      progress.done();
      for (const [name, text] of Object.entries(data)) await writeFileAtomic(join(dir, name), text);
      const out = join(dir, 'report.json');
      await writeFileAtomic(out, JSON.stringify(report, null, 1));
      if (flags.html) await writeStandaloneReport(report, join(dir, 'report.html'), []);
      for (const f of report.experiment?.findings ?? []) process.stderr.write(`  ${f}\n`);
      for (const w of report.warnings) process.stderr.write(`action-lens: warning: ${w}\n`);
      process.stdout.write(`${out}\n`);
    });
}
