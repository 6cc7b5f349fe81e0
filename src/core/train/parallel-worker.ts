/**
 * The helper thread of the two-thread float64 engine (parallel.ts): a replica of the flow that
 * computes the second half of each mini-batch. Between batches it polls the request word for a
 * couple of milliseconds (batches follow each other within microseconds while training), then
 * sleeps in Atomics.wait.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Flow } from '../flow/flow';
import { loadFlow, type SavedModel } from '../flow/serialize';
import { CLAIM, RETARGET, STOP, type SharedBuffers } from './parallel';
import { waitUntil } from './spin';

const { model, shared } = workerData as { model: SavedModel; shared: SharedBuffers };
const control = new Int32Array(shared.control);
const { params, rows, out } = shared;
/** A replica of the flow whose parameters are the shared buffer the trainer's thread writes before each batch. */
function replicaOf(saved: SavedModel): Flow {
  const f = loadFlow(saved.flow, (saved.flow[0].structure.mean as number[]).length);
  f.bindParams(params);
  return f;
}
let flow = replicaOf(model);
let last = 0;

/** Serves batches until the request word says STOP (returns for good) or retarget (<= RETARGET: returns to take a message). */
function serve(): void {
  while (true) {
    waitUntil(control, 0, (v) => v !== last);
    const seq = Atomics.load(control, 0);
    last = seq;
    if (seq === STOP || seq <= RETARGET) return;
    // The trainer's thread took this batch's second half itself (it was done with its own first).
    if (Atomics.compareExchange(control, CLAIM, seq - 1, seq) !== seq - 1) continue;
    const n = control[2];
    // The gradient and, after it, the loss go to the shared buffer.
    out[flow.paramCount] = flow.lossAndGradient(rows, n, out.subarray(0, flow.paramCount));
    Atomics.store(control, 1, seq);
    Atomics.notify(control, 1);
  }
}

// A new replica (the engine moved on to another flow of the same shape), then back to serving.
parentPort?.on('message', (msg: { model: SavedModel }) => {
  flow = replicaOf(msg.model);
  parentPort?.postMessage('ready');
  serve();
});
parentPort?.postMessage('ready');
serve();
