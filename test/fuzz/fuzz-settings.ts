/**
 * How many cases the fuzz tests run and from which seed. `npm test` runs a bounded, seeded number
 * (the same cases every time); `npm run fuzz` (test/fuzz/run-long.mjs) sets FUZZ_RUNS to run many
 * more and FUZZ_SEED to a fresh seed, which a failure prints so that it can be replayed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import fc from 'fast-check';

/** Cases of a property: `base` in npm test, times FUZZ_RUNS / 100 when set. */
export function runs(base: number): number {
  const scale = Number(process.env.FUZZ_RUNS ?? '');
  return Number.isFinite(scale) && scale > 0 ? Math.max(1, Math.round((base * scale) / 100)) : base;
}

/** The seed of property `k` of a file: fixed unless FUZZ_SEED is set. */
export function seed(k: number): number {
  const s = Number(process.env.FUZZ_SEED ?? '');
  return ((Number.isFinite(s) && process.env.FUZZ_SEED ? s : 20260) + 7919 * k) | 0;
}

/** A temporary folder for a test file's cases, removed at its end. */
export function scratchFolder(prefix: string): { dir: string; file: (name: string, bytes: Buffer) => string } {
  const dir = mkdtempSync(join(tmpdir(), `action-lens-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    dir,
    file: (name, bytes) => {
      const path = join(dir, `${n++}-${name}`);
      writeFileSync(path, bytes);
      return path;
    },
  };
}

/**
 * fc.assert of an async property whose failure says what failed: fast-check reports the shrunk
 * counterexample; the assertion's own message (the last error seen, which is the shrunk case's) is
 * added to it.
 */
export async function holds<T>(arbitrary: fc.Arbitrary<T>, body: (value: T) => Promise<void>, options: { seed: number; numRuns: number }): Promise<void> {
  let last: unknown;
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        try {
          await body(value);
        } catch (err) {
          last = err;
          throw err;
        }
      }),
      options,
    );
  } catch (err) {
    const detail = last instanceof Error ? last.message : String(last);
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nWhat failed on the last case: ${detail}`);
  }
}
