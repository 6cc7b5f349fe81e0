import { setFlagsFromString } from 'node:v8';
import { GEMM_WASM_BASE64 } from './gemm-bytes';
import { sharedMemory, WasmHeap } from './heap';
import { UNITWISE_WASM_BASE64 } from './unitwise-bytes';

/**
 * The WebAssembly SIMD kernels (gemm.wat: products; unitwise.wat: the training step's elementwise
 * passes), instantiated synchronously on first use on one shared memory, the kernel heap. null when
 * the runtime lacks WebAssembly SIMD or shared memory, or when ACTION_LENS_NO_WASM is set (to
 * measure the plain-JS path); callers then use their JS loops.
 */
export interface GemmExports {
  gemmNT: (n: number, m: number, k: number, a: number, b: number, out: number) => void;
  gemmStrided: (n: number, m: number, k: number, a: number, sar: number, saj: number, b: number, out: number, bias: number, mode: number, tri: number) => void;
}

export interface UnitwiseExports {
  cubicForward: (n: number, d: number, x: number, y: number, a: number, c: number, prod: number, expo: number) => void;
  cubicBackward: (n: number, d: number, x: number, gy: number, gx: number, a: number, c: number, w: number, ga: number, gc: number) => void;
  standardize: (n: number, d: number, x: number, y: number, mean: number, inv: number) => void;
  columnSums: (n: number, d: number, src: number, dst: number) => void;
  gaussianHead: (n: number, d: number, z: number, g: number, logDet: number, scale: number, c: number) => number;
}

export interface Kernels {
  gemm: GemmExports;
  unitwise: UnitwiseExports;
  heap: WasmHeap;
}

/** The slice of the WebAssembly API used here (the project's lib setting carries no DOM/wasm types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

let kernels: Kernels | null | undefined;

export function loadKernels(): Kernels | null {
  if (kernels !== undefined) return kernels;
  kernels = null;
  if (process.env.ACTION_LENS_NO_WASM) return null;
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) return null;
    // Compile straight to optimized code: V8 starts wasm in its baseline tier (Liftoff, several times
    // slower for SIMD) and cannot swap a running call over, so one long extraction product would run
    // entirely unoptimized. The flag only affects modules compiled while it is set.
    setFlagsFromString('--no-liftoff');
    let gemm: object;
    let unitwise: object;
    try {
      gemm = new wasm.Module(Buffer.from(GEMM_WASM_BASE64, 'base64'));
      unitwise = new wasm.Module(Buffer.from(UNITWISE_WASM_BASE64, 'base64'));
    } finally {
      setFlagsFromString('--liftoff');
    }
    const memory = sharedMemory(16, 65536);
    if (!memory) return null;
    const imports = { env: { memory } };
    kernels = {
      gemm: new wasm.Instance(gemm, imports).exports as GemmExports,
      unitwise: new wasm.Instance(unitwise, imports).exports as UnitwiseExports,
      heap: new WasmHeap(memory),
    };
  } catch {
    kernels = null;
  }
  return kernels;
}

export function wasmAvailable(): boolean {
  return loadKernels() !== null;
}

/** The heap the kernels compute in (null without them): buffers allocated there are used in place. */
export function kernelHeap(): WasmHeap | null {
  return loadKernels()?.heap ?? null;
}
