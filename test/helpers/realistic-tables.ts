/**
 * Tables of real-looking measurements for tests and the zoo benchmark (bench/zoo.ts): columns with
 * offsets and scales from 1e-3 to 1e4, skew, heavy tails and nonlinear dependencies, seeded. What a
 * scientist brings, not the centred unit-scale data of the synthetic theories.
 */
import { Rng } from '../../src/core/util/rng';

export interface RealisticTable {
  name: string;
  columns: string[];
  rows: number;
  data: Float64Array;
}

type Shape = 'gauss' | 'skew' | 'heavy' | 'product' | 'square' | 'saturating' | 'noise';

const SHAPES: Shape[] = ['gauss', 'skew', 'heavy', 'product', 'square', 'saturating', 'noise'];
const UNITS = ['K', 'kPa', 'L/s', 'm', 'V', 'mA', 'ppm', 'Hz', 'g', 'mol/L'];

/** A log-uniform number in [lo, hi]. */
function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + rng.uniform() * (Math.log(hi) - Math.log(lo)));
}

/** Student t with nu degrees of freedom (heavy tails), by normal / sqrt(chi^2 / nu). */
function studentT(rng: Rng, nu: number): number {
  let chi = 0;
  for (let k = 0; k < nu; k++) chi += rng.normal() ** 2;
  return rng.normal() / Math.sqrt(chi / nu);
}

/**
 * A table of `rows` x `d`: each column is a standardized latent quantity of some shape, correlated
 * with earlier ones, then given a scale in [1e-3, 1e4] and an offset of up to a few hundred scales
 * (a temperature near 300 K with a spread of 2 K is an offset of 150 scales).
 */
export function realisticTable(seed: number, rows: number, d: number): RealisticTable {
  const rng = new Rng(seed);
  const shapes: Shape[] = Array.from({ length: d }, (_, j) => (j < 2 ? 'gauss' : SHAPES[rng.int(SHAPES.length)]));
  const scale = Array.from({ length: d }, () => logUniform(rng, 1e-3, 1e4));
  const offset = scale.map((s) => s * (rng.uniform() < 0.25 ? 0 : (rng.uniform() < 0.5 ? -1 : 1) * logUniform(rng, 0.5, 300)));
  const parents = Array.from({ length: d }, (_, j) => (j === 0 ? [] : [rng.int(j), rng.int(j)]));
  const weights = Array.from({ length: d }, () => 0.3 + 0.6 * rng.uniform());
  const data = new Float64Array(rows * d);
  // g: correlated standard Gaussians, one per column; each column's shape transforms its own g and
  // its parents' (never their transformed values, so shapes do not compound into 1e40s).
  const g = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) {
      const [a, b] = parents[j];
      const w = weights[j];
      const pa = j > 0 ? g[a] : 0;
      const pb = j > 0 ? g[b] : 0;
      g[j] = j > 0 ? w * pa + Math.sqrt(1 - w * w) * rng.normal() : rng.normal();
      const e = rng.normal();
      let v: number;
      switch (shapes[j]) {
        case 'gauss':
          v = g[j];
          break;
        case 'skew':
          v = Math.exp(0.6 * g[j]);
          break;
        case 'heavy':
          v = w * pa + studentT(rng, 4);
          break;
        case 'product':
          v = pa * pb + 0.5 * e;
          break;
        case 'square':
          v = w * pa * pa + 0.5 * e;
          break;
        case 'saturating':
          v = Math.tanh(1.5 * pa) + 0.3 * e;
          break;
        case 'noise':
          v = e;
          break;
      }
      data[r * d + j] = offset[j] + scale[j] * v;
    }
  }
  const columns = shapes.map((s, j) => `${s}_${j} (${UNITS[j % UNITS.length]})`);
  return { name: `realistic-s${seed}-n${rows}-d${d}`, columns, rows, data };
}

/**
 * The table of the user report that motivated the expansion point: a temperature near 300 K, a
 * pressure near 101 kPa, a flow rate near 0.05 that depends nonlinearly on the other two, a height
 * difference near -11 and a noise column; `seed` varies the draw, `rows` the size.
 */
export function plantTable(seed: number, rows: number): RealisticTable {
  const rng = new Rng(seed);
  const data = new Float64Array(rows * 5);
  for (let r = 0; r < rows; r++) {
    const zt = rng.normal();
    const zp = 0.4 * zt + Math.sqrt(1 - 0.16) * rng.normal();
    // The flow rate follows the pressure's square and the product of pressure and temperature.
    const zf = 0.8 * zp * zt + 0.6 * (zp * zp - 1) + 0.5 * rng.normal();
    const t = 300 + 2.5 * zt;
    const p = 101.3 + 0.8 * zp;
    const flow = 0.05 + 0.004 * zf;
    const h = -11 + 1.5 * (0.7 * Math.tanh(zf) + 0.7 * rng.normal());
    const noise = rng.normal();
    data.set([t, p, flow, h, noise], r * 5);
  }
  return { name: `plant-s${seed}-n${rows}`, columns: ['temp (K)', 'pressure (kPa)', 'flow rate (L/s)', 'height difference (m)', 'noise'], rows, data };
}

/** The table as CSV text (full float64 precision). */
export function tableCsv(t: RealisticTable): string {
  const d = t.columns.length;
  const lines = [t.columns.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')];
  for (let r = 0; r < t.rows; r++) lines.push(Array.from(t.data.subarray(r * d, (r + 1) * d), String).join(','));
  return lines.join('\n') + '\n';
}
