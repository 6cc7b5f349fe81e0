/**
 * Writes a seeded n x d CSV of correlated, mildly non-Gaussian rows (for the memory measurement of
 * learn at a size the sampler would take long to produce). Usage: tsx bench/make-csv.ts --n 100000 --d 100 --out f.csv
 */
import { createWriteStream } from 'node:fs';
import { Rng } from '../src/core/util/rng';
import { argValue } from './common';

const n = Number(argValue(process.argv, 'n', '100000'));
const d = Number(argValue(process.argv, 'd', '100'));
const out = createWriteStream(argValue(process.argv, 'out', 'data.csv'));
const rng = new Rng(21);
out.write(`${Array.from({ length: d }, (_, i) => `x${String(i).padStart(3, '0')}`).join(',')}\n`);
for (let r = 0; r < n; r++) {
  const row: string[] = [];
  let prev = 0;
  for (let i = 0; i < d; i++) {
    const v = rng.normal() + 0.4 * prev;
    prev = v;
    row.push((v + 0.05 * v * v * v).toPrecision(8));
  }
  out.write(`${row.join(',')}\n`);
}
out.end();
