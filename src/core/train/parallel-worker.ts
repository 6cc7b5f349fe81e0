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
import { releaseBlock, sharedBlock } from './halves';
import { waitUntil } from './spin';

const { model, shared } = workerData as { model: SavedModel; shared: SharedBuffers };
const control = new Int32Array(shared.control);
const { params, rows, out } = shared;
/**
 * A replica of the flow. Its parameters (copied from the shared buffer before each batch) and its
 * gradient live in this thread's own kernel heap: the shared buffers are the trainer thread's heap,
 * which this thread's kernels cannot address, so products reading the parameters in place and the
 * gradient written in place would otherwise go through staging copies, slowing this half by a tenth
 * at d = 100 (measured).
 */
function replicaOf(saved: SavedModel): { flow: Flow; grad: Float64Array } {
  const f = loadFlow(saved.flow, (saved.flow[0].structure.mean as number[]).length);
  f.bindParams(sharedBlock(f.paramCount));
  return { flow: f, grad: sharedBlock(f.paramCount) };
}
let { flow, grad } = replicaOf(model);
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
    flow.params.set(params);
    // The gradient and, after it, the loss go to the shared buffer.
    out[flow.paramCount] = flow.lossAndGradient(rows, n, grad);
    out.set(grad);
    Atomics.store(control, 1, seq);
    Atomics.notify(control, 1);
  }
}

// A new replica (the engine moved on to another flow of the same shape), then back to serving.
parentPort?.on('message', (msg: { model: SavedModel }) => {
  releaseBlock(flow.params);
  releaseBlock(grad);
  ({ flow, grad } = replicaOf(msg.model));
  parentPort?.postMessage('ready');
  serve();
});
parentPort?.postMessage('ready');
serve();
