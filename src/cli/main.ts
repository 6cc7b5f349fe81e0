import { Command, CommanderError } from 'commander';
import { InputError } from '../core/util/errors';
import { TOOL_VERSION } from '../core/version';
import { commands } from './commands/index';

/**
 * The command-line face of Action Lens. Exit codes: 0 success, 2 bad input (the message names the
 * file, line and column at fault), 1 anything else.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('action-lens')
    .description('Learn the interacting theory (the action ln p(x)) behind a CSV with an invertible network.')
    .version(TOOL_VERSION)
    .exitOverride()
    .showHelpAfterError();
  // Subcommands (learn, logp, sample, experiment) are listed in ./commands/index.
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
    return 2;
  }
  if (err instanceof InputError) {
    process.stderr.write(`action-lens: ${err.message}\n`);
    return 2;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`action-lens: internal error: ${message}\n`);
  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.exitCode = reportError(err);
    },
  );
}
