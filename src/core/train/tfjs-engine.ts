import { createRequire } from 'node:module';
import type * as Tf from '@tensorflow/tfjs';
import type { Flow } from '../flow/flow';
import { layerKind } from '../flow/kinds';
import type { Layer } from '../flow/layer';
import type { TfModule, TfjsLayer } from '../flow/layer-kind';
import { InputError } from '../util/errors';
import type { TrainingEngine } from './engine';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Loads tfjs at run time, not at bundle time: tfjs-node when installed (an optionalDependency whose
 * install downloads libtensorflow and may fail), else tfjs with its WebAssembly backend. Requiring
 * through createRequire keeps esbuild from bundling either (they are resolved from node_modules).
 */
async function loadTf(): Promise<{ tf: TfModule; name: string }> {
  const runtimeRequire = createRequire(__filename);
  const load = (id: string): unknown => runtimeRequire(id);
  try {
    return { tf: load('@tensorflow/tfjs-node') as TfModule, name: 'tfjs-node' };
  } catch {
    // Not installed (the usual case): fall back to tfjs + wasm.
  }
  let tf: TfModule;
  try {
    tf = load('@tensorflow/tfjs') as TfModule;
    load('@tensorflow/tfjs-backend-wasm');
  } catch {
    throw new InputError('the tfjs engine needs @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm (npm install them), or @tensorflow/tfjs-node');
  }
  await tf.setBackend('wasm');
  await tf.ready();
  return { tf, name: 'tfjs-wasm' };
}

/**
 * The same flow on TensorFlow.js, float32, gradients by tfjs's autodiff. Reads flow.params on every
 * call and returns float64 gradients in the flow's layout, so the trainer cannot tell the engines
 * apart except by speed and precision (sampling, the inverse, stays in the core). Each layer, through
 * its kind's record (LayerKind.tfjs), feeds tfjs dense tensors laid out the way its ops want them,
 * and its gradients are mapped back to the flat layout in JS: gathering parameters inside the graph
 * would need UnsortedSegmentSum, which the wasm backend lacks.
 */
export async function createTfjsEngine(flow: Flow): Promise<TrainingEngine> {
  const { tf, name } = await loadTf();
  const d = flow.dim;
  const builders = flow.layers.map((layer) => layerBuilder(tf, layer, d));
  const offsets: number[] = [];
  let total = 0;
  for (const l of flow.layers) {
    offsets.push(total);
    total += l.paramCount;
  }
  const view = (l: number): Float64Array => flow.params.subarray(offsets[l], offsets[l] + flow.layers[l].paramCount);

  const loss = (x: Tf.Tensor2D, inputs: Tf.Tensor[][]): Tf.Scalar => {
    let cur: Tf.Tensor2D = x;
    let logDet: Tf.Tensor = tf.scalar(0);
    builders.forEach((b, l) => {
      const r = b.apply(cur, inputs[l]);
      cur = r.y;
      logDet = tf.add(logDet, r.logDet);
    });
    const q = tf.mul(0.5, tf.sum(tf.square(cur), 1));
    return tf.mean(tf.sub(tf.add(q, d * HALF_LOG_2PI), logDet)) as Tf.Scalar;
  };
  const rowsTensor = (x: Float64Array, n: number): Tf.Tensor2D => tf.tensor2d(Float32Array.from(x.subarray(0, n * d)), [n, d], 'float32');

  return {
    name,
    lossAndGradient(x, n, grad) {
      return tf.tidy(() => {
        const xt = rowsTensor(x, n);
        const inputs = builders.map((b, l) => b.inputs(view(l)));
        const flat = inputs.flat();
        const { value, grads } = tf.valueAndGrads((...ts: Tf.Tensor[]) => {
          let k = 0;
          return loss(xt, inputs.map((ins) => ins.map(() => ts[k++])));
        })(flat);
        grad.fill(0);
        let k = 0;
        builders.forEach((b, l) => {
          const gs = inputs[l].map(() => grads[k++].dataSync() as Float32Array);
          b.gradient(gs, view(l), grad.subarray(offsets[l], offsets[l] + flow.layers[l].paramCount));
        });
        return value.dataSync()[0];
      });
    },
    meanNll(x, n) {
      return tf.tidy(() => loss(rowsTensor(x, n), builders.map((b, l) => b.inputs(view(l)))).dataSync()[0]);
    },
  };
}

/** Each layer kind's forward map and ln|det| in tfjs ops, from its record (kinds.ts); the same formulas as its Layer. */
function layerBuilder(tf: TfModule, layer: Layer, d: number): TfjsLayer {
  const kind = layerKind(layer.kind);
  if (!kind?.tfjs) throw new InputError(`the tfjs engine does not implement the ${layer.kind} layer kind; use --engine float64`);
  return kind.tfjs(tf, layer, d);
}
