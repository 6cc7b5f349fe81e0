import { createRequire } from 'node:module';
import type * as Tf from '@tensorflow/tfjs';
import type { Flow } from '../flow/flow';
import type { Layer } from '../flow/layer';
import { AffineLU } from '../flow/affine';
import { QuadraticCoupling } from '../flow/coupling';
import { CUBIC_C_FLOOR, MonotoneCubic } from '../flow/cubic';
import { Standardize } from '../flow/standardize';
import { InputError } from '../util/errors';
import type { TrainingEngine } from './engine';

type TfModule = typeof Tf;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const A_SHRINK = 0.999;

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
 * apart except by speed and precision. tfjs has no triangular solve or determinant, so the LU
 * parametrization stays (ln|det W| = sum(s); sampling, the inverse, stays in the core). Each layer
 * feeds tfjs dense tensors laid out the way its ops want them (W^T = Up^T Lo^T P^T, because the wasm
 * backend's fast matmul wants untransposed operands), and its gradients are mapped back to the flat
 * layout in JS: gathering parameters inside the graph would need UnsortedSegmentSum, which the wasm
 * backend lacks.
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

/**
 * One layer on tfjs: the tensors it is fed (built from its flat parameters), its map, and how the
 * gradients with respect to those tensors become gradients of the flat parameters.
 */
interface Builder {
  inputs(p: Float64Array): Tf.Tensor[];
  apply(x: Tf.Tensor2D, ins: Tf.Tensor[]): { y: Tf.Tensor2D; logDet: Tf.Tensor };
  gradient(gs: Float32Array[], p: Float64Array, out: Float64Array): void;
}

const f32 = (a: ArrayLike<number>): Float32Array => Float32Array.from(a);

/** Each layer kind's forward map and ln|det| in tfjs ops; the same formulas as src/core/flow. */
function layerBuilder(tf: TfModule, layer: Layer, d: number): Builder {
  if (layer instanceof Standardize) {
    const mean = tf.keep(tf.tensor1d(f32(layer.mean)));
    const std = tf.keep(tf.tensor1d(f32(layer.std)));
    let ld = 0;
    for (const s of layer.std) ld -= Math.log(s);
    return { inputs: () => [], apply: (x) => ({ y: tf.div(tf.sub(x, mean), std) as Tf.Tensor2D, logDet: tf.scalar(ld) }), gradient: () => undefined };
  }
  if (layer instanceof AffineLU) return affineBuilder(tf, layer, d);
  if (layer instanceof MonotoneCubic) {
    return {
      inputs: (p) => [tf.tensor1d(f32(p.subarray(0, d))), tf.tensor1d(f32(p.subarray(d, 2 * d)))],
      apply: (x, [gamma, beta]) => {
        const c = tf.add(tf.softplus(gamma), CUBIC_C_FLOOR);
        const a = tf.mul(tf.mul(tf.sqrt(tf.mul(3, c)), tf.tanh(beta)), A_SHRINK);
        const y = tf.add(x, tf.mul(tf.square(x), tf.add(a, tf.mul(c, x))));
        const jac = tf.add(1, tf.mul(x, tf.add(tf.mul(2, a), tf.mul(tf.mul(3, c), x))));
        return { y: y as Tf.Tensor2D, logDet: tf.sum(tf.log(jac), 1) };
      },
      gradient: ([gGamma, gBeta], _p, out) => {
        out.set(gGamma, 0);
        out.set(gBeta, d);
      },
    };
  }
  if (layer instanceof QuadraticCoupling) return couplingBuilder(tf, layer, d);
  throw new InputError(`the tfjs engine does not implement the ${layer.kind} layer kind; use --engine float64`);
}

function affineBuilder(tf: TfModule, layer: AffineLU, d: number): Builder {
  const nTri = (d * (d - 1)) / 2;
  // (P Lo)^T = Lo^T P^T with P^T[j][i] = 1 where perm[i] = j (y_i = (Lo Up x)_perm[i]).
  const pT = new Float32Array(d * d);
  for (let i = 0; i < d; i++) pT[layer.permutation[i] * d + i] = 1;
  const permT = tf.keep(tf.tensor2d(pT, [d, d]));
  const eye = tf.keep(tf.eye(d));
  return {
    inputs: (p) => {
      // Inputs: Lo^T's strict upper part and Up^T's strict lower part as dense d x d, then s and b.
      const loT = new Float32Array(d * d);
      const upT = new Float32Array(d * d);
      let k = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) loT[j * d + i] = p[k++];
      for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) upT[j * d + i] = p[k++];
      return [tf.tensor2d(loT, [d, d]), tf.tensor2d(upT, [d, d]), tf.tensor1d(f32(p.subarray(2 * nTri, 2 * nTri + d))), tf.tensor1d(f32(p.subarray(2 * nTri + d)))];
    },
    apply: (x, [loT, upT, s, b]) => {
      const up = tf.add(upT, tf.mul(eye, tf.exp(s))) as Tf.Tensor2D;
      const lo = tf.add(loT, eye) as Tf.Tensor2D;
      const wT = tf.matMul(up, tf.matMul(lo, permT));
      return { y: tf.add(tf.matMul(x, wT), b) as Tf.Tensor2D, logDet: tf.sum(s) };
    },
    gradient: ([gLoT, gUpT, gS, gB], _p, out) => {
      let k = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) out[k++] = gLoT[j * d + i];
      for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[k++] = gUpT[j * d + i];
      out.set(gS, 2 * nTri);
      out.set(gB, 2 * nTri + d);
    },
  };
}

function couplingBuilder(tf: TfModule, layer: QuadraticCoupling, d: number): Builder {
  const h = layer.hidden;
  const nA = layer.conditioner.length;
  const nB = layer.transformed.length;
  // Selection matrices (constants) instead of gathers and scatters along the feature axis.
  const selA = new Float32Array(d * nA);
  layer.conditioner.forEach((c, j) => (selA[c * nA + j] = 1));
  const putB = new Float32Array(nB * d);
  layer.transformed.forEach((t, j) => (putB[j * d + t] = 1));
  const selAT = tf.keep(tf.tensor2d(selA, [d, nA]));
  const putBT = tf.keep(tf.tensor2d(putB, [nB, d]));
  // Inputs: U^T (nA x h), c (h), V^T (h x nB), transposed in JS so every matmul is untransposed.
  return {
    inputs: (p) => {
      const uT = new Float32Array(nA * h);
      const vT = new Float32Array(h * nB);
      for (let k = 0; k < h; k++) for (let j = 0; j < nA; j++) uT[j * h + k] = p[k * nA + j];
      for (let b = 0; b < nB; b++) for (let k = 0; k < h; k++) vT[k * nB + b] = p[h * nA + h + b * h + k];
      return [tf.tensor2d(uT, [nA, h]), tf.tensor1d(f32(p.subarray(h * nA, h * nA + h))), tf.tensor2d(vT, [h, nB])];
    },
    apply: (x, [uT, c, vT]) => {
      const s = tf.add(tf.matMul(tf.matMul(x, selAT), uT as Tf.Tensor2D), c) as Tf.Tensor2D;
      const t = tf.matMul(tf.square(s), vT as Tf.Tensor2D);
      return { y: tf.add(x, tf.matMul(t, putBT)) as Tf.Tensor2D, logDet: tf.scalar(0) };
    },
    gradient: ([gUT, gC, gVT], _p, out) => {
      for (let k = 0; k < h; k++) for (let j = 0; j < nA; j++) out[k * nA + j] = gUT[j * h + k];
      out.set(gC, h * nA);
      for (let b = 0; b < nB; b++) for (let k = 0; k < h; k++) out[h * nA + h + b * h + k] = gVT[k * nB + b];
    },
  };
}
