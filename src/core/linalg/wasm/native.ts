import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GemmExports, UnitwiseExports } from './exports';
import type { WasmHeap } from './heap';

/**
 * The native product kernel (native/gemm.c, built by scripts/build-native.mjs into dist/native/):
 * gemm.wat's gemmStrided and unitwise.wat's adam on the CPU's own vectors, computing in the kernel
 * heap's memory by the same byte offsets. Optional: where it was not built (no C compiler, another
 * platform) the wasm kernel runs, with the same results to the bit.
 */
interface NativeModule {
  /** Binds this thread's calls to the heap memory (a view at its offset 0) and the argument block. */
  bind(memory: Float64Array, argsOffset: number): void;
  /**
   * Runs gemmStrided with the 15 integers in the argument block; the 16th is the heap's size in bytes,
   * and a product that would reach outside it throws a RangeError instead of running.
   */
  run(): void;
  /** Runs Adam's step with the integers (count, p, g, m, v, ..., heap size) and the seven constants after them in the argument block. */
  adam(): void;
  /** The instruction set the dispatcher chose: 'avx512', 'avx2', 'neon' (with FMA) or 'baseline' (without). */
  isa(): string;
  /** The AVX-512 code where the CPU has it (true), else the code of other machines; returns whether AVX-512's runs. */
  blocks(wide: boolean): boolean;
}

export interface NativeGemm {
  gemmStrided: GemmExports['gemmStrided'];
  /** Adam's step, to the bit the wasm kernel's (no fused multiply-adds there on any build). */
  adam: UnitwiseExports['adam'];
  /** 'avx512' | 'avx2' | 'neon' (fused multiply-adds) or 'baseline' (separate multiplies and adds). */
  isa: string;
  /** Whether its arithmetic is fused, i.e. which wasm variant it matches bit for bit. */
  fused: boolean;
  /**
   * Runs the AVX-512 code (8 x 24 product blocks, eight-wide Adam) where the CPU has it (wide = true,
   * the default), or the code AVX2 and other machines run; returns whether the AVX-512 code runs. The
   * tests switch to compare both with the wasm kernel on one machine.
   */
  useWideCode(wide: boolean): boolean;
}

/**
 * Where the built module is: ACTION_LENS_NATIVE_GEMM (a path, to test another build of the kernel),
 * else beside the bundles (dist/native, bench/out/native) or, run from the sources, in dist/.
 */
function modulePath(): string | null {
  const candidates = [process.env.ACTION_LENS_NATIVE_GEMM, join(__dirname, 'native', 'gemm.node'), join(__dirname, '..', '..', '..', '..', 'dist', 'native', 'gemm.node')];
  for (const p of candidates) if (p && existsSync(p)) return p;
  return null;
}

/** The native kernel bound to `heap`, or null when it is turned off (ACTION_LENS_NO_NATIVE), not built or not loadable here. */
export function loadNativeGemm(heap: WasmHeap): NativeGemm | null {
  if (process.env.ACTION_LENS_NO_NATIVE) return null;
  const path = modulePath();
  if (!path) return null;
  let native: NativeModule;
  try {
    native = createRequire(__filename)(path) as NativeModule;
  } catch {
    // Built for another platform or Node ABI: the wasm kernel runs.
    return null;
  }
  // A module built from an older source (one ACTION_LENS_NATIVE_GEMM names, a stale copy) lacks functions.
  if (!(['run', 'adam', 'blocks', 'bind', 'isa'] as const).every((f) => typeof native[f] === 'function')) return null;
  // The argument block lives in the heap, so each call passes nothing through N-API's argument list:
  // 16 integers, then (for adam) 7 doubles.
  const block = heap.alloc(16);
  const args = new Int32Array(block.buffer, block.byteOffset, 16);
  const constants = new Float64Array(block.buffer, block.byteOffset + 64, 7);
  native.bind(new Float64Array(heap.memory.buffer, 0, 1), block.byteOffset);
  const isa = native.isa();
  const run = native.run;
  const adam = native.adam;
  return {
    isa,
    fused: isa !== 'baseline',
    useWideCode: (wide) => native.blocks(wide),
    gemmStrided(n, m, k, a, sar, saj, b, ldb, out, ldo, bias, mode, tri, aux, auxMode) {
      args[0] = n;
      args[1] = m;
      args[2] = k;
      args[3] = a;
      args[4] = sar;
      args[5] = saj;
      args[6] = b;
      args[7] = ldb;
      args[8] = out;
      args[9] = ldo;
      args[10] = bias;
      args[11] = mode;
      args[12] = tri;
      args[13] = aux;
      args[14] = auxMode;
      args[15] = heap.byteLength;
      run();
    },
    adam(count, p, g, m, v, b1, b2, a1, a2, step, invRoot, eps) {
      args[0] = count;
      args[1] = p;
      args[2] = g;
      args[3] = m;
      args[4] = v;
      args[15] = heap.byteLength;
      constants[0] = b1;
      constants[1] = b2;
      constants[2] = a1;
      constants[3] = a2;
      constants[4] = step;
      constants[5] = invRoot;
      constants[6] = eps;
      adam();
    },
  };
}
