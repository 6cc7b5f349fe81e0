/**
 * The helper thread of the two-thread float64 engine (parallel.ts): a replica of the flow that
 * computes the second half of each mini-batch. Between batches it polls the request word for a
 * couple of milliseconds (batches follow each other within microseconds while training), then
 * sleeps in Atomics.wait.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadModel, type SavedModel } from '../flow/serialize';
import { RETARGET, STOP, type SharedBuffers } from './parallel';
import { waitUntil } from './spin';

const { model, shared } = workerData as { model: SavedModel; shared: SharedBuffers };
let flow = loadModel(model, 'replica').flow;
const control = new Int32Array(shared.control);
const params = new Float64Array(shared.params);
const rows = new Float64Array(shared.rows);
const out = new Float64Array(shared.out);
let last = 0;

/** Serves batches until the request word says STOP (returns for good) or retarget (<= RETARGET: returns to take a message). */
function serve(): void {
  while (true) {
    waitUntil(control, 0, (v) => v !== last);
    const seq = Atomics.load(control, 0);
    last = seq;
    if (seq === STOP || seq <= RETARGET) return;
    flow.params.set(params);
    const n = control[2];
    // The gradient goes straight into the shared buffer, the loss after it.
    out[flow.paramCount] = flow.lossAndGradient(rows, n, out.subarray(0, flow.paramCount));
    Atomics.store(control, 1, seq);
    Atomics.notify(control, 1);
  }
}

// A new replica (the engine moved on to another flow of the same shape), then back to serving.
parentPort?.on('message', (msg: { model: SavedModel }) => {
  flow = loadModel(msg.model, 'replica').flow;
  parentPort?.postMessage('ready');
  serve();
});
parentPort?.postMessage('ready');
serve();
