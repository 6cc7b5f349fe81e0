import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Flow } from '../flow/flow';
import { saveModel, type SavedModel } from '../flow/serialize';
import type { TrainingEngine } from './engine';
import { waitUntil } from './spin';
import { weightedSum } from '../linalg/rowwise';
import { kernelHeap } from '../linalg/wasm/kernel';

/** Control words in the shared Int32Array. */
const REQUEST = 0;
const DONE = 1;
const ROWS = 2;
/** Below this many rows per half, the hand-off costs more than the second core saves. */
const MIN_HALF = 32;
/**
 * Request words: a batch sequence number (> 0), STOP, or a retarget number (<= RETARGET, a new one
 * each time: the helper waits for the word to change, so two retargets in a row need two values).
 */
export const STOP = -1;
export const RETARGET = -2;

/**
 * Shared memory between the trainer's thread and the helper thread (see parallel-worker.ts): the
 * control words, the parameters, the helper's rows, and its gradient followed by its loss.
 */
export interface SharedBuffers {
  control: SharedArrayBuffer;
  params: Float64Array;
  rows: Float64Array;
  out: Float64Array;
}

/**
 * The float64 engine on two cores: each mini-batch is split in halves, a helper thread (a replica
 * of the flow, rebuilt from its saved form) computes the second half's loss and gradient while this
 * thread computes the first, and the two are combined weighted by their rows. The same float64
 * arithmetic as the single-thread engine, summed in a different order (differences ~1e-16 relative).
 * The hand-off is shared memory and Atomics.wait/notify, not messages: a few microseconds per batch.
 * The shared buffers live in this thread's kernel heap (a shared WebAssembly memory) when there is
 * one, so that combining the halves' gradients runs in wasm.
 */
export async function createParallelEngine(first: Flow, maxRows = 4096): Promise<TrainingEngine> {
  let flow = first;
  const d = flow.dim;
  const p = flow.paramCount;
  const heap = kernelHeap();
  const block = (doubles: number): Float64Array => (heap ? heap.alloc(doubles) : new Float64Array(new SharedArrayBuffer(8 * doubles)));
  const shared: SharedBuffers = { control: new SharedArrayBuffer(4 * 4), params: block(p), rows: block(maxRows * d), out: block(p + 1) };
  const control = new Int32Array(shared.control);
  const { params, rows, out } = shared;
  /** This thread's half of the gradient, then the weighted sum of both halves. */
  const mine = block(p);
  const replica = (f: Flow): SavedModel => saveModel(f, { layerKind: 'replica', layers: 0, hidden: 0, seed: 0, columns: [] });
  const worker = startWorker({ model: replica(flow), shared });
  worker.unref();
  const ready = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      worker.once('message', () => {
        worker.off('error', reject);
        resolve();
      });
      worker.once('error', reject);
    });
  await ready();
  let seq = 0;
  let retargets = 0;
  let alive = true;

  return {
    name: 'float64-js-2threads',
    lossAndGradient(x, n, grad) {
      const n2 = Math.floor(n / 2);
      const n1 = n - n2;
      if (!alive || n2 < MIN_HALF || n2 > maxRows) return flow.lossAndGradient(x, n, grad);
      params.set(flow.params);
      rows.set(x.subarray(n1 * d, n * d));
      control[ROWS] = n2;
      seq++;
      Atomics.store(control, REQUEST, seq);
      Atomics.notify(control, REQUEST);
      const l1 = flow.lossAndGradient(x, n1, mine);
      waitUntil(control, DONE, (v) => v === seq);
      const w1 = n1 / n;
      const w2 = n2 / n;
      weightedSum(p, mine, w1, out, w2);
      grad.set(mine);
      return w1 * l1 + w2 * out[p];
    },
    meanNll: (x, n) => flow.meanNll(x, n),
    async retarget(next) {
      if (next.dim !== d || next.paramCount !== p) throw new RangeError(`the two-thread engine was built for ${d} variables and ${p} parameters, not ${next.dim} and ${next.paramCount}`);
      flow = next;
      if (!alive) return;
      // The helper leaves its polling loop on RETARGET, takes the new replica from this message, and
      // answers when it is polling again (the message is queued before the word is set).
      const answered = ready();
      worker.postMessage({ model: replica(next) });
      Atomics.store(control, REQUEST, RETARGET - (retargets++ % 1_000_000));
      Atomics.notify(control, REQUEST);
      await answered;
    },
    dispose() {
      if (!alive) return;
      alive = false;
      Atomics.store(control, REQUEST, STOP);
      Atomics.notify(control, REQUEST);
      // The heap blocks go back once the helper can no longer touch them.
      void worker.terminate().then(() => {
        if (heap) for (const b of [params, rows, out, mine]) heap.release(b);
      });
    },
  };
}

/**
 * Starts the helper: the script beside the bundle in dist/ (built by scripts/build.mjs), or, when this
 * module itself runs from source (tests, bench), the TypeScript source through tsx's require hook
 * (a Worker cannot load .ts by itself).
 */
function startWorker(workerData: unknown): Worker {
  if (__filename.endsWith('.ts')) {
    const src = join(__dirname, 'parallel-worker.ts');
    return new Worker(`require('tsx/cjs'); require(${JSON.stringify(src)});`, { eval: true, workerData });
  }
  const bundled = join(__dirname, 'parallel-worker.js');
  if (!existsSync(bundled)) throw new Error(`the two-thread engine needs ${bundled} (run npm run build)`);
  return new Worker(bundled, { workerData });
}
