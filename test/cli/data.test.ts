import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mnistTable } from '../../src/core/data/mnist';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
let dir = '';

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  dir = mkdtempSync(join(tmpdir(), 'action-lens-data-'));
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('data mnist writes the chosen digits, one named column per pixel, the same rows as the loader', () => {
  const r = cli(['data', 'mnist', '--digits', '3,0', '--size', '7', '--n', '50', '--seed', '2', '--min-ink', '0', '--out', 'sub/d.csv']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'sub/d.csv');
  assert.match(r.stderr, /50 digits \(\d+ x 0, \d+ x 3; of \d+\) as 7 x 7 pixels, 49 columns/);
  assert.match(r.stderr, /CC BY-SA 3\.0/);
  const lines = readFileSync(join(dir, 'sub', 'd.csv'), 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 51);
  const header = lines[0].split(',');
  assert.equal(header.length, 49);
  assert.equal(header[0], 'r00c00');
  assert.equal(header[8], 'r01c01');
  const t = mnistTable({ digits: [0, 3], size: 7, n: 50, seed: 2 });
  lines.slice(1).forEach((line, r) => assert.deepEqual(line.split(',').map(Number), Array.from(t.data.subarray(r * 49, (r + 1) * 49))));
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['d.csv']);
});

test('data mnist leaves out the pixels inked in fewer than --min-ink of the rows (default 5%), and learn takes the rest', () => {
  const r = cli(['data', 'mnist', '--digits', '3', '--size', '14', '--n', '300', '--seed', '4', '--out', 'ink.csv']);
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(join(dir, 'ink.csv'), 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  // Independently: count each pixel's inked rows in the loader's table.
  const t = mnistTable({ digits: [3], size: 14, n: 300, seed: 4 });
  const expected = t.columns.filter((_, i) => {
    let inked = 0;
    for (let row = 0; row < t.n; row++) if (t.data[row * t.columns.length + i] > 0) inked++;
    return inked >= 0.05 * t.n;
  });
  assert.deepEqual(header, expected);
  assert.ok(header.length < 196 && header.length > 50, `${header.length} columns`);
  assert.match(r.stderr, new RegExp(`${196 - header.length} pixels inked in fewer than 5% of the rows left out`));
  const bad = cli(['data', 'mnist', '--min-ink', '2', '--out', 'x.csv']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--min-ink/);
});

test('bad arguments and a missing package exit with code 2 and say what is wrong', () => {
  const bad = (args: string[], pattern: RegExp, env?: NodeJS.ProcessEnv): void => {
    const r = cli(['data', 'mnist', ...args, '--out', 'x.csv'], env);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  };
  bad(['--digits', '3,x'], /--digits must list digits 0\.\.9/);
  bad(['--size', '10'], /--size/);
  bad(['--n', '0'], /--n/);
  bad(['--digits', '1', '--n', '5000'], /--n must be from 1 to \d+/);
  bad([], /ACTION_LENS_MNIST=\/nonexistent-mnist/, { ...process.env, ACTION_LENS_MNIST: '/nonexistent-mnist' });
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('x.csv')), []);
});

test('learn --grid HxW puts the file\'s columns on the grid row by row; a grid too small exits with code 2', () => {
  const lines = ['a,b,c,d,e,f'];
  let s = 7;
  const next = (): number => ((s = (s * 48271) % 2147483647) / 2147483647) * 4 - 2;
  for (let r = 0; r < 300; r++) lines.push(Array.from({ length: 6 }, next).join(','));
  writeFileSync(join(dir, 'six.csv'), lines.join('\n') + '\n');
  const ok = cli(['learn', 'six.csv', '--grid', '2x3', '--order', '2', '--steps', '20', '--identify', 'off', '--quiet', '--out', 'six.json']);
  assert.equal(ok.code, 0, ok.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'six.json'), 'utf8')) as { grid: unknown; images: { dataRows: unknown[]; modelSamples: unknown[] } };
  assert.deepEqual(report.grid, { height: 2, width: 3, cells: [0, 1, 2, 3, 4, 5], source: 'option' });
  assert.equal(report.images.dataRows.length, 8);
  assert.equal(report.images.modelSamples.length, 8);
  const small = cli(['learn', 'six.csv', '--grid', '2x2', '--steps', '20', '--out', 'small.json']);
  assert.equal(small.code, 2);
  assert.match(small.stderr, /--grid 2x2 has 4 pixels, but column "e" is the file's column 5/);
  const bad = cli(['learn', 'six.csv', '--grid', '2by3', '--out', 'small.json']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--grid must be auto, off or HEIGHTxWIDTH/);
  assert.ok(!existsSync(join(dir, 'small.json')));
});
