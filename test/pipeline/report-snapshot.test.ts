// The report of `learn` on the bundled example with the default settings, against a committed
// snapshot: every number equal to the bit, so that a change meant to keep the arithmetic (a move, a
// refactoring) shows it did. Fields that hold times are left out, and so is where the CSV was read
// from. The kernels' arithmetic decides the last bits (docs/TESTING.md,
// "The kernel re-runs: native, WebAssembly, plain JavaScript"): the native kernel and the WebAssembly
// kernel with fused multiply-adds agree to the bit and share one snapshot; the plain-JavaScript paths
// (`--no-wasm`) have their own; unfused kernels have none.
// After a change that is meant to move numbers: UPDATE_SNAPSHOT=1 npm run test:unit -- report-snapshot
// (and once more with --no-wasm), and say why in the commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../../src/core/data/csv';
import { DEFAULT_LEARN_SETTINGS, learn } from '../../src/core/pipeline/learn';
import { ROOT } from '../helpers/cli';

const EXAMPLE = 'examples/phi4-lattice-d4.csv';

/** The snapshot for the arithmetic of these kernels (kernelsInUse), or null where there is none. */
function snapshotFile(kernels: string): string | null {
  if (kernels === 'js') return join(ROOT, 'test', 'fixtures', 'example.report.snapshot.js.json');
  if (kernels === 'wasm-plain' || kernels === 'native-baseline') return null;
  return join(ROOT, 'test', 'fixtures', 'example.report.snapshot.json');
}

/** The report as written (JSON), without times and without what names this machine or checkout. */
function comparable(report: unknown): unknown {
  return JSON.parse(JSON.stringify(report), (key, value: unknown) => {
    if (key === 'createdAt' || /seconds/i.test(key)) return undefined;
    return value;
  });
}

test('learn on the bundled example reproduces the committed report to the bit (times aside)', async (t) => {
  const table = await readCsv(join(ROOT, EXAMPLE));
  const { report } = await learn(table, { ...DEFAULT_LEARN_SETTINGS, seed: 1 });
  report.input.path = EXAMPLE;
  const kernels = report.model.kernels ?? 'js';
  const file = snapshotFile(kernels);
  if (!file) {
    t.skip(`no snapshot for the unfused kernels (${kernels})`);
    return;
  }
  // The fused variants (native-avx512, native-avx2, wasm-fma, ...) compute the same bits.
  report.model.kernels = kernels === 'js' ? 'js' : 'fused';
  const actual = comparable(report);
  if (process.env.UPDATE_SNAPSHOT === '1' || !existsSync(file)) {
    writeFileSync(file, `${JSON.stringify(actual, null, 1)}\n`);
    if (process.env.UPDATE_SNAPSHOT !== '1') assert.fail(`${file} did not exist; written now, commit it`);
  }
  const expected: unknown = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepStrictEqual(actual, expected);
});
