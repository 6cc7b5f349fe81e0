// `npm run fuzz`: the fuzz tests (test/fuzz) with many more cases than `npm test` runs, from a fresh
// seed unless FUZZ_SEED is given. The seed is printed first, so that a failure can be replayed with
// FUZZ_SEED=<seed> npm run fuzz (FUZZ_RUNS=100 is npm test's number of cases; the default here is 20x).
import { spawnSync } from 'node:child_process';

const seed = process.env.FUZZ_SEED ?? String(Date.now() % 2147483647);
const runs = process.env.FUZZ_RUNS ?? '2000';
process.stdout.write(`fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} (npm test runs FUZZ_RUNS=100 from the fixed seed)\n`);
const res = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'test/fuzz', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs },
});
process.exit(res.status ?? 1);
