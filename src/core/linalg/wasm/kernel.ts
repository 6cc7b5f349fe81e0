import { setFlagsFromString } from 'node:v8';
import { GEMM_WASM_BASE64 } from './gemm-bytes';
import { GEMM_FMA_WASM_BASE64 } from './gemm-fma-bytes';
import { sharedMemory, WasmHeap } from './heap';
import { UNITWISE_WASM_BASE64 } from './unitwise-bytes';
import { UNITWISE_FMA_WASM_BASE64 } from './unitwise-fma-bytes';
import { loadNativeGemm, type NativeGemm } from './native';
import type { GemmExports, UnitwiseExports } from './exports';

export type { GemmExports, UnitwiseExports } from './exports';

/**
 * The WebAssembly SIMD kernels (gemm.wat: products; unitwise.wat: the training step's elementwise
 * passes), instantiated synchronously on first use on one shared memory, the kernel heap. null when
 * the runtime lacks WebAssembly SIMD or shared memory, or when ACTION_LENS_NO_WASM is set (to
 * measure the plain-JS path); callers then use their JS loops. ACTION_LENS_NO_FMA keeps the
 * kernels on separate multiplies and adds. Where the native product kernel was built (native.ts),
 * it takes over gemmStrided, the training step's products, and Adam's step, on the same heap and
 * with the same results to the bit; ACTION_LENS_NO_NATIVE keeps the wasm ones.
 */
export type KernelVariant = 'native' | 'fma' | 'plain';

interface KernelSet {
  gemm: GemmExports;
  unitwise: UnitwiseExports;
}

export interface Kernels extends KernelSet {
  /**
   * The variant in use: the native products where built (with the wasm elementwise kernels), else
   * fused multiply-adds where the runtime has relaxed SIMD, else plain.
   */
  variant: KernelVariant;
  /** Every variant (null where unavailable), for tests and the bench to compare. */
  variants: { native: KernelSet | null; fma: KernelSet | null; plain: KernelSet };
  /** The native kernel's instruction set ('avx512', 'avx2', 'baseline'), null when it is not in use. */
  nativeIsa: string | null;
  /** The native kernel itself (null when it is not in use), for the tests' switch between its AVX-512 code and other machines'. */
  native: NativeGemm | null;
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
    let plainModules: [object, object];
    let fmaModules: [object, object] | null = null;
    try {
      plainModules = [new wasm.Module(Buffer.from(GEMM_WASM_BASE64, 'base64')), new wasm.Module(Buffer.from(UNITWISE_WASM_BASE64, 'base64'))];
      if (!process.env.ACTION_LENS_NO_FMA) {
        const gemm = compileRelaxed(wasm, GEMM_FMA_WASM_BASE64);
        const unitwise = gemm ? compileRelaxed(wasm, UNITWISE_FMA_WASM_BASE64) : null;
        fmaModules = gemm && unitwise ? [gemm, unitwise] : null;
      }
    } finally {
      setFlagsFromString('--liftoff');
    }
    const memory = sharedMemory(16, 65536);
    if (!memory) return null;
    const imports = { env: { memory } };
    const instantiate = ([gemm, unitwise]: [object, object]): KernelSet => ({
      gemm: new wasm.Instance(gemm, imports).exports as GemmExports,
      unitwise: new wasm.Instance(unitwise, imports).exports as UnitwiseExports,
    });
    const plain = instantiate(plainModules);
    const fma = fmaModules ? instantiate(fmaModules) : null;
    const wasmSet = fma ?? plain;
    const heap = new WasmHeap(memory);
    const native = loadNativeGemm(heap);
    // Only where its arithmetic is the wasm variant's (fused with fma, unfused with plain): then a seed
    // gives the same model with or without it. A mismatch (an unfused build beside relaxed SIMD, a
    // fused one where the runtime lacks it or ACTION_LENS_NO_FMA is set) keeps the wasm kernel.
    const useNative = native && native.fused === (fma !== null) ? native : null;
    const nativeSet = useNative ? { gemm: { gemmNT: wasmSet.gemm.gemmNT, gemmStrided: useNative.gemmStrided }, unitwise: { ...wasmSet.unitwise, adam: useNative.adam } } : null;
    kernels = {
      ...(nativeSet ?? wasmSet),
      variant: nativeSet ? 'native' : fma ? 'fma' : 'plain',
      variants: { native: nativeSet, fma, plain },
      nativeIsa: useNative?.isa ?? null,
      native: useNative,
      heap,
    };
  } catch {
    kernels = null;
  }
  return kernels;
}

/**
 * Compiles a module that uses relaxed SIMD (f64x2.relaxed_madd). Runtimes with a newer V8 (Electron's,
 * Node 22) have it; Node 20's V8 has it behind a flag, which is switched on for this (it only adds
 * instructions to what wasm modules may use). null when neither works.
 */
function compileRelaxed(wasm: WasmApi, base64: string): object | null {
  const bytes = Buffer.from(base64, 'base64');
  try {
    return new wasm.Module(bytes);
  } catch {
    try {
      setFlagsFromString('--experimental-wasm-relaxed-simd');
      return new wasm.Module(bytes);
    } catch {
      return null;
    }
  }
}

/** Switches the kernels between the native, the fused and the plain variant (tests compare them). */
export function useKernelVariant(variant: KernelVariant): boolean {
  const k = loadKernels();
  const chosen = k?.variants[variant];
  if (!k || !chosen) return false;
  k.gemm = chosen.gemm;
  k.unitwise = chosen.unitwise;
  k.variant = variant;
  return true;
}

export function wasmAvailable(): boolean {
  return loadKernels() !== null;
}

/** The heap the kernels compute in (null without them): buffers allocated there are used in place. */
export function kernelHeap(): WasmHeap | null {
  return loadKernels()?.heap ?? null;
}

/** What runs the training step's arithmetic, for the bench's record: 'native-avx512', 'native-avx2', 'native-baseline', 'wasm-fma', 'wasm-plain' or 'js'. */
export function kernelsInUse(): string {
  const k = loadKernels();
  if (!k) return 'js';
  return k.variant === 'native' ? `native-${k.nativeIsa}` : `wasm-${k.variant}`;
}
