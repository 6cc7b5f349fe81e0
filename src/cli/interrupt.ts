/**
 * Runs `work` with an AbortSignal that Ctrl-C (SIGINT) aborts, so a long run stops cleanly and keeps
 * what it has; `notice` (if any) is printed when that happens. The handler is removed afterwards.
 */
export async function withInterrupt<T>(notice: string | null, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (notice) process.stderr.write(`\naction-lens: ${notice}\n`);
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
