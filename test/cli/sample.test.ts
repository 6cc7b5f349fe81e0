import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTheory } from '../../src/core/theories/registry';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
let dir = '';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  dir = mkdtempSync(join(tmpdir(), 'action-lens-sample-'));
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('sample phi4 writes the CSV at full precision and the truth beside it', () => {
  const r = cli('sample', 'phi4', '--n', '300', '--seed', '5', '--out', 'p.csv');
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(join(dir, 'p.csv'), 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'x0,x1,x2,x3');
  assert.equal(lines.length, 301);
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    assert.equal(cells.length, 4);
    // String(number) round-trips: nothing was rounded on the way out.
    for (const c of cells) assert.equal(String(Number(c)), c);
  }
  const truth = JSON.parse(readFileSync(join(dir, 'p.csv.truth.json'), 'utf8'));
  assert.deepEqual(truth.action, createTheory('phi4').trueAction());
  assert.deepEqual(truth.theory.params, { d: 4, m2: 1, kappa: 0.3, g3: 0.5, g4: 1 });
  assert.equal(truth.theory.name, 'phi4');
  assert.equal(truth.theory.unimodal, true);
  const s = truth.sampler;
  assert.equal(s.method, 'hmc');
  assert.equal(s.layout, 'chain-blocks');
  assert.ok(s.acceptance > 0.7 && s.acceptance < 0.95);
  assert.ok(Number.isInteger(s.thinning) && s.thinning >= 1);
  assert.equal(s.ess.length, 4);
  assert.equal(s.chainLengths.reduce((a: number, v: number) => a + v, 0), 300);
  // Quiet progress off a terminal: one line per phase, then the summary.
  const progress = r.stderr.trimEnd().split('\n');
  assert.deepEqual(
    progress.map((l) => l.split(':')[0] + ':' + l.split(':')[1]),
    ['sample: warm-up (step size, trajectory length)', 'sample: pilot (autocorrelation time for the thinning)', 'sample: sampling', `sample: wrote p.csv (300 rows) and p.csv.truth.json; acceptance ${s.acceptance.toFixed(2)}, thinning ${s.thinning}, min ESS ${Math.round(Math.min(...s.ess))}`],
  );
  // Only the two outputs: no temporary files left behind.
  assert.deepEqual(readdirSync(dir).sort(), ['p.csv', 'p.csv.truth.json']);
});

test('the same seed writes the same bytes', () => {
  assert.equal(cli('sample', 'phi4', '--d', '2', '--n', '200', '--seed', '9', '--out', 'a.csv').code, 0);
  assert.equal(cli('sample', 'phi4', '--d', '2', '--n', '200', '--seed', '9', '--out', 'b.csv').code, 0);
  assert.equal(readFileSync(join(dir, 'a.csv'), 'utf8'), readFileSync(join(dir, 'b.csv'), 'utf8'));
  assert.equal(cli('sample', 'phi4', '--d', '2', '--n', '200', '--seed', '10', '--out', 'c.csv').code, 0);
  assert.notEqual(readFileSync(join(dir, 'a.csv'), 'utf8'), readFileSync(join(dir, 'c.csv'), 'utf8'));
});

test('doublewell with negative option values: a warning on stderr and the wells in the truth', () => {
  const r = cli('sample', 'doublewell', '--d', '2', '--m2', '-1.5', '--kappa', '0.2', '--n', '400', '--seed', '3', '--out', 'dw.csv');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: doublewell: not unimodal/);
  assert.match(r.stderr, /well crossings/);
  const truth = JSON.parse(readFileSync(join(dir, 'dw.csv.truth.json'), 'utf8'));
  assert.deepEqual(truth.theory.params, { d: 2, m2: -1.5, kappa: 0.2, g3: 0, g4: 1 });
  assert.equal(truth.theory.unimodal, false);
  assert.ok(truth.sampler.wells.crossings > 0);
  assert.equal(truth.sampler.wells.fractions.length, 2);
  const c = new Map(truth.action.terms.map((t: { monomial: number[]; coefficient: number }) => [t.monomial.join(','), t.coefficient]));
  assert.equal(c.get('0,1'), 0.4); // d = 2: -Delta_01 = 2 kappa
  assert.equal(c.get('0,0'), -(-1.5 + 0.4) / 2);
});

test('bad arguments exit 2 with a message naming the option', () => {
  const cases: Array<[string[], RegExp]> = [
    [['sample', 'phi4', '--n', '0', '--out', 'x.csv'], /--n: expected an integer >= 1, got '0'/],
    [['sample', 'phi4', '--n', 'many', '--out', 'x.csv'], /--n: expected a number, got 'many'/],
    [['sample', 'phi4', '--d', '0', '--out', 'x.csv'], /--d: expected an integer >= 1/],
    [['sample', 'phi4', '--d', '2.5', '--out', 'x.csv'], /--d: expected an integer >= 1/],
    [['sample', 'phi4', '--m2', 'abc', '--out', 'x.csv'], /--m2: expected a number, got 'abc'/],
    [['sample', 'phi4', '--seed', '-3', '--out', 'x.csv'], /--seed: expected an integer >= 0/],
    [['sample', 'phi4', '--g4', '-1', '--out', 'x.csv'], /--g4: must be >= 0.*not normalizable/],
    [['sample', 'phi4', '--g4', '0', '--out', 'x.csv'], /--g3: must be 0 when g4 = 0.*not normalizable/],
    [['sample', 'phi4', '--g3', '0', '--g4', '0', '--m2', '-1', '--out', 'x.csv'], /--m2: .*positive definite/],
    [['sample', 'doublewell', '--m2', '1', '--out', 'x.csv'], /--m2: must be < 0 for a double well/],
    [['sample', 'doublewell', '--g3', '0.5', '--out', 'x.csv'], /--g3: is not a parameter of doublewell/],
    [['sample', 'phi6', '--out', 'x.csv'], /unknown theory 'phi6'; known theories: phi4, doublewell/],
    [['sample', 'phi4'], /required option '--out <file.csv>'/],
    [['sample', 'phi4', '--out', join('no-such-folder', 'x.csv')], /--out: the folder .*no-such-folder does not exist/],
  ];
  for (const [args, pattern] of cases) {
    const r = cli(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(' '));
  }
  assert.equal(existsSync(join(dir, 'x.csv')), false);
});

test('--help lists the theories with their defaults', () => {
  const r = cli('sample', '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Usage: action-lens sample \[options\] <theory>/);
  assert.match(r.stdout, /phi4: .*\n\s+--d 4 {2}--m2 1 {2}--kappa 0.3 {2}--g3 0.5 {2}--g4 1/);
  assert.match(r.stdout, /doublewell: .*\n\s+--d 4 {2}--m2 -1 {2}--kappa 0.3 {2}--g4 1/);
});
