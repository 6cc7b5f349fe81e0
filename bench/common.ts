/**
 * Shared set-up of the training race: the same data, initial weights and batches for Action Lens
 * and the PyTorch peer. Everything is seeded, so a fresh process rebuilds exactly the same problem.
 */
import { buildFlow } from '../src/core/flow/build';
import type { Flow } from '../src/core/flow/flow';
import { Rng } from '../src/core/util/rng';

export interface RaceConfig {
  d: number;
  layers: number;
  kind: string;
  batch: number;
}

export const RACE_ROWS = 4096;

/**
 * Non-Gaussian rows (a cubic twist of correlated, truncated normals), so the flow's nonlinearity is
 * exercised; truncated at 3 sigma so that six cubic layers at their initial weights stay finite.
 */
export function raceData(d: number, seed = 7): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(RACE_ROWS * d);
  for (let r = 0; r < RACE_ROWS; r++) {
    let prev = 0;
    for (let i = 0; i < d; i++) {
      let e = rng.normal();
      while (Math.abs(e) > 3) e = rng.normal();
      const v = 0.8 * e + 0.5 * prev;
      x[r * d + i] = v + 0.05 * v * v * v;
      prev = v;
    }
  }
  return x;
}

/** The flow of a configuration with seeded initial weights (hidden width h = d), standardized on the data. */
export function raceFlow(cfg: RaceConfig, data: Float64Array): Flow {
  const { d } = cfg;
  const n = data.length / d;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i] += data[r * d + i] / n;
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) std[i] += (data[r * d + i] - mean[i]) ** 2 / n;
  for (let i = 0; i < d; i++) std[i] = Math.sqrt(std[i]);
  const flow = buildFlow(mean, std, { layerKind: cfg.kind, layers: cfg.layers, hidden: d, seed: 11 });
  // Move off the near-identity start so every term of the gradient is non-trivial in the check.
  const rng = new Rng(99);
  for (let k = 0; k < flow.params.length; k++) flow.params[k] += 0.02 * rng.normal();
  // Weaker cubic terms (c ~ 0.003 instead of 0.01): compounded over six layers, the default start
  // blows the tails of the data up to 1e80, which measures overflow rather than training.
  for (const layer of flow.layers) if (layer.kind === 'cubic') for (let i = 0; i < d; i++) layer.params[i] = -6 + 0.02 * rng.normal();
  return flow;
}

/** Batch b of the race: rows b*batch .. (b+1)*batch cyclically, the same on both sides. */
export function raceBatch(data: Float64Array, d: number, batch: number, b: number, out: Float64Array): void {
  const start = (b * batch) % RACE_ROWS;
  for (let r = 0; r < batch; r++) {
    const src = ((start + r) % RACE_ROWS) * d;
    out.set(data.subarray(src, src + d), r * d);
  }
}

export function parseConfig(argv: string[]): RaceConfig {
  const get = (name: string, dflt: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : dflt;
  };
  return { d: Number(get('d', '8')), layers: Number(get('layers', '2')), kind: get('kind', 'cubic'), batch: Number(get('batch', '256')) };
}

export function argValue(argv: string[], name: string, dflt: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
}
