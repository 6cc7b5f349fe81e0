/**
 * The helper thread of the two-thread float64 engine (parallel.ts): a replica of the flow that
 * computes the second half of each mini-batch. Between batches it polls the request word for a
 * couple of milliseconds (batches follow each other within microseconds while training), then
 * sleeps in Atomics.wait.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadModel, type SavedModel } from '../flow/serialize';
import type { SharedBuffers } from './parallel';
import { waitUntil } from './spin';

const { model, shared } = workerData as { model: SavedModel; shared: SharedBuffers };
const { flow } = loadModel(model, 'replica');
const control = new Int32Array(shared.control);
const params = new Float64Array(shared.params);
const rows = new Float64Array(shared.rows);
const out = new Float64Array(shared.out);
const grad = new Float64Array(flow.paramCount);
parentPort?.postMessage('ready');

let last = 0;
while (true) {
  waitUntil(control, 0, (v) => v !== last);
  const seq = Atomics.load(control, 0);
  if (seq < 0) break;
  last = seq;
  flow.params.set(params);
  const n = control[2];
  const loss = flow.lossAndGradient(rows, n, grad);
  out.set(grad);
  out[flow.paramCount] = loss;
  Atomics.store(control, 1, seq);
  Atomics.notify(control, 1);
}
