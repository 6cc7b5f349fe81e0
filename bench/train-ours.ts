/**
 * One timed repeat of Action Lens's training step (loss + gradient + clipping + Adam), in its own
 * process: warm-up, then steps until at least --seconds have passed. Prints one JSON line.
 * Usage: node bench/out/train-ours.js (built by node scripts/build.mjs --bench; or tsx bench/train-ours.ts) --d 32 --layers 2 --kind cubic --batch 256 --seconds 1 [--engine float64|tfjs]
 */
import { Adam, clipGradient } from '../src/core/train/adam';
import { argValue, parseConfig, RACE_ROWS, raceBatch, raceData, raceFlow } from './common';
import { createEngine, type EngineName } from '../src/core/train/engines';
import { kernelsInUse } from '../src/core/linalg/wasm/kernel';

async function main(): Promise<void> {
  const cfg = parseConfig(process.argv);
  const seconds = Number(argValue(process.argv, 'seconds', '1'));
  const engineName = argValue(process.argv, 'engine', 'float64') as EngineName;
  const data = raceData(cfg.d);
  const flow = raceFlow(cfg, data);
  const engine = await createEngine(engineName, flow);
  const grad = new Float64Array(flow.paramCount);
  const adam = new Adam(flow.paramCount, 1e-3);
  // The batches are cut once, as the PyTorch peer does (torch_peer.py), so that neither side times copying them.
  const batches = Array.from({ length: Math.floor(RACE_ROWS / cfg.batch) }, (_, k) => {
    const batch = new Float64Array(cfg.batch * cfg.d);
    raceBatch(data, cfg.d, cfg.batch, k, batch);
    return batch;
  });
  let b = 0;
  let loss = 0;
  const step = (): void => {
    loss = engine.lossAndGradient(batches[b++ % batches.length], cfg.batch, grad);
    clipGradient(grad, 100);
    adam.step(flow.params, grad);
  };
  const warm = performance.now();
  while (performance.now() - warm < 300 || b < 5) step();
  const t0 = performance.now();
  let steps = 0;
  while (performance.now() - t0 < seconds * 1000) {
    step();
    steps++;
  }
  const elapsed = (performance.now() - t0) / 1000;
  engine.dispose?.();
  process.stdout.write(`${JSON.stringify({ side: engine.name, kernels: kernelsInUse(), ...cfg, steps, seconds: elapsed, stepsPerSecond: steps / elapsed, lastLoss: loss })}\n`);
}

void main();
