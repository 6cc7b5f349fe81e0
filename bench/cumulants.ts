/**
 * Times cumulants of orders 1-4 (with block-jackknife errors) for n x d rows in its own process.
 * Usage: tsx bench/cumulants.ts --n 100000 --d 32
 */
import { cumulants } from '../src/core/cumulants';
import { Rng } from '../src/core/util/rng';
import { argValue } from './common';

const n = Number(argValue(process.argv, 'n', '100000'));
const d = Number(argValue(process.argv, 'd', '32'));
const rng = new Rng(5);
const x = Float64Array.from({ length: n * d }, () => rng.normal());
const t0 = performance.now();
const set = cumulants(x, n, d, { maxOrder: 4 });
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ n, d, maxOrder: 4, seconds, orders: set.orders?.length ?? null })}\n`);
