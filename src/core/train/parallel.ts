import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Flow } from '../flow/flow';
import { saveModel, type SavedModel } from '../flow/serialize';
import type { TrainingEngine } from './engine';
import { waitUntil } from './spin';
import { combineHalves, halvesOf, MAX_HALF, releaseBlock, sharedBlock } from './halves';

/** Control words in the shared Int32Array. */
const REQUEST = 0;
const DONE = 1;
const ROWS = 2;
/**
 * The last batch sequence number claimed. Whoever moves it from seq - 1 to seq (compareExchange)
 * computes that batch's second half: the helper when it is there in time, else this thread, after
 * its own half. On a busy machine the helper may not run for milliseconds; the batch then goes on
 * at one thread's speed instead of waiting for it, with the same bits either way.
 */
export const CLAIM = 3;
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
 * The float64 engine on two cores: each mini-batch is split in halves (halves.ts), a helper thread
 * (a replica of the flow, rebuilt from its saved form) computes the second half's loss and gradient
 * while this thread computes the first, and the two are combined weighted by their rows: the same
 * bits whichever thread computed a half (the one-thread engine sums the whole batch at once and so
 * rounds differently, ~1e-16 relative). The hand-off is shared memory and Atomics, not messages: a
 * few microseconds per batch. When the helper has not taken the second half by the time the first is
 * done, this thread takes it (CLAIM).
 */
export async function createParallelEngine(first: Flow): Promise<TrainingEngine> {
  let flow = first;
  const d = flow.dim;
  const p = flow.paramCount;
  const shared: SharedBuffers = { control: new SharedArrayBuffer(4 * 4), params: sharedBlock(p), rows: sharedBlock(MAX_HALF * d), out: sharedBlock(p + 1) };
  const control = new Int32Array(shared.control);
  const { params, rows, out } = shared;
  /** This thread's half of the gradient, then the weighted sum of both halves. */
  const mine = sharedBlock(p);
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
  const pace = new PaceKeeper();

  return {
    name: 'float64-js-2threads',
    lossAndGradient(x, n, grad, whileWaiting) {
      const h = halvesOf(n);
      if (!alive || !h) return flow.lossAndGradient(x, n, grad);
      const second = x.subarray(h.n1 * d, n * d);
      const t0 = performance.now();
      // On two threads the helper is asked for the second half; on one (the machine is busy,
      // PaceKeeper) it sleeps and this thread computes both, to the same bits.
      const twoThreads = pace.twoThreads();
      if (twoThreads) {
        params.set(flow.params);
        rows.set(second);
        control[ROWS] = h.n2;
        seq++;
        Atomics.store(control, REQUEST, seq);
        Atomics.notify(control, REQUEST);
      }
      const l1 = flow.lossAndGradient(x, h.n1, mine);
      // The second half is computed here when on one thread, or when the helper has not started it.
      let aside = 0;
      if (!twoThreads || Atomics.compareExchange(control, CLAIM, seq - 1, seq) === seq - 1) out[p] = flow.lossAndGradient(second, h.n2, out.subarray(0, p));
      else {
        const t1 = performance.now();
        whileWaiting?.();
        aside = performance.now() - t1;
        waitUntil(control, DONE, (v) => v === seq);
      }
      const loss = combineHalves(p, h.n1, l1, mine, h.n2, out, grad);
      // The trainer's work done while waiting is not the engine's: on one thread it runs outside.
      pace.record(performance.now() - t0 - aside);
      return loss;
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
        for (const b of [params, rows, out, mine]) releaseBlock(b);
      });
    },
  };
}

/** Batches between trials of the other way of running (at first; doubled after every trial it loses, up to MAX_TRIAL_EVERY), and a trial's length. */
const TRIAL_EVERY = 200;
const MAX_TRIAL_EVERY = 6400;
const TRIAL_LENGTH = 20;

/**
 * Whether a batch runs on two threads or on this one alone. Two threads lose when the machine is busy
 * (a third process on two cores: the helper is descheduled for milliseconds at a time, and its polling
 * takes time from this thread). Both ways give the same bits, so the engine times them: it runs the
 * faster (by the mean time per batch, smoothed), and tries the other for TRIAL_LENGTH batches now and
 * then, so that it follows the machine as its load changes; a way that keeps losing is tried less often.
 */
export class PaceKeeper {
  private current: 'two' | 'one' = 'two';
  private using: 'two' | 'one' = 'two';
  private every = TRIAL_EVERY;
  /** Batches since the last trial ended. */
  private since = 0;
  private readonly mean = { two: Number.NaN, one: Number.NaN };

  /** The way the next batch runs. */
  twoThreads(): boolean {
    const inTrial = this.since >= this.every - TRIAL_LENGTH;
    this.using = inTrial ? other(this.current) : this.current;
    return this.using === 'two';
  }

  /** The milliseconds the batch took; at the end of a trial, the faster way becomes the current one. */
  record(ms: number): void {
    const m = this.mean[this.using];
    // The first batches of a way include its warm-up: a short memory lets the mean forget them.
    this.mean[this.using] = Number.isNaN(m) ? ms : 0.8 * m + 0.2 * ms;
    if (++this.since < this.every) return;
    this.since = 0;
    const rival = other(this.current);
    if (this.mean[rival] < this.mean[this.current]) {
      this.current = rival;
      this.every = TRIAL_EVERY;
    } else {
      this.every = Math.min(MAX_TRIAL_EVERY, 2 * this.every);
    }
  }
}

const other = (way: 'two' | 'one'): 'two' | 'one' => (way === 'two' ? 'one' : 'two');

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
