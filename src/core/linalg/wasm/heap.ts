/**
 * The WebAssembly memory that the kernels compute in, one per thread, and an allocator on it.
 *
 * Buffers that the flow's training step reuses (activations, gradients, a layer's W) are allocated
 * here, so the kernels read and write them in place: no copies into wasm memory and back. The memory
 * is *shared* for one reason: growing a shared memory leaves every existing view valid (a plain one
 * detaches them all), so a buffer handed out stays usable while later allocations grow the heap.
 */

/** The slice of the WebAssembly API used here (the project's lib setting carries no DOM/wasm types). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

const PAGE = 65536;

/**
 * A new shared WebAssembly memory of `initial` 64 KiB pages that can grow to `maximum`; null when
 * the runtime lacks WebAssembly or shared memories.
 */
export function sharedMemory(initial: number, maximum: number): WasmMemory | null {
  const wasm = (globalThis as unknown as { WebAssembly?: { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory } }).WebAssembly;
  try {
    return wasm ? new wasm.Memory({ initial, maximum, shared: true }) : null;
  } catch {
    return null;
  }
}

/** Smallest block, in doubles: keeps every block 16-byte aligned for the SIMD loads. */
const MIN_CLASS = 5;

export class WasmHeap {
  readonly memory: WasmMemory;
  /** Free blocks by size class (2^cls doubles), as byte offsets. */
  private readonly free: number[][] = [];
  /** Size class of every live block, by byte offset. */
  private readonly live = new Map<number, number>();
  /** Bytes below `top` have been handed out at least once. Offset 0 stays unused (a null pointer). */
  private top = 64;
  /** The memory's size in bytes (it grows only here). The native kernel checks its reach against it, as wasm's own bounds checks would. */
  byteLength: number;
  /**
   * Every buffer object this memory has shown: after a growth, older views still hold an older,
   * shorter buffer object over the same memory, and their offsets stay valid.
   */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  constructor(memory: WasmMemory) {
    this.memory = memory;
    this.byteLength = memory.buffer.byteLength;
  }

  /** A view of `doubles` doubles (zeroed unless `zero` is false) that lives in wasm memory until `release`. */
  alloc(doubles: number, zero = true): Float64Array {
    const cls = Math.max(MIN_CLASS, Math.ceil(Math.log2(Math.max(1, doubles))));
    let offset = this.free[cls]?.pop();
    if (offset === undefined) {
      offset = this.top;
      const end = offset + 8 * 2 ** cls;
      const have = this.memory.buffer.byteLength;
      if (end > have) {
        this.memory.grow(Math.ceil((end - have) / PAGE));
        this.byteLength = this.memory.buffer.byteLength;
      }
      this.top = end;
    }
    this.live.set(offset, cls);
    const view = new Float64Array(this.memory.buffer, offset, doubles);
    this.buffers.add(view.buffer);
    if (zero) view.fill(0);
    return view;
  }

  /** Returns a block from `alloc` (or any view starting at its first double) to the allocator. */
  release(view: Float64Array): void {
    if (this.pointerOf(view) < 0) return;
    const cls = this.live.get(view.byteOffset);
    if (cls === undefined) return;
    this.live.delete(view.byteOffset);
    (this.free[cls] ??= []).push(view.byteOffset);
  }

  /** The byte offset of `a` in this heap, or -1 when `a` lives elsewhere. */
  pointerOf(a: Float64Array): number {
    return this.buffers.has(a.buffer) ? a.byteOffset : -1;
  }
}
