import { kernelHeap } from './wasm/kernel';
import type { WasmHeap } from './wasm/heap';

/**
 * Named buffers reused across calls (grown, never shrunk). With the WebAssembly kernel they live in
 * its heap, so products read and write them in place; a finalizer returns them when the owner is
 * collected. A view from `get` is valid until the next `get` of the same name with a larger size.
 */
export class Scratch {
  private readonly buffers = new Map<string, Float64Array>();
  private readonly heap: WasmHeap | null = kernelHeap();

  get(name: string, size: number): Float64Array {
    let b = this.buffers.get(name);
    if (!b || b.length < size) {
      if (this.heap) {
        if (b) this.heap.release(b);
        b = this.heap.alloc(size);
        if (this.buffers.size === 0) heapScratchFinalizer.register(this, { heap: this.heap, buffers: this.buffers });
      } else b = new Float64Array(size);
      this.buffers.set(name, b);
    }
    return b.length === size ? b : b.subarray(0, size);
  }
}

/** Gives a collected Scratch's heap blocks back (the Map it holds is its own, not the Scratch). */
const heapScratchFinalizer = new FinalizationRegistry<{ heap: WasmHeap; buffers: Map<string, Float64Array> }>(({ heap, buffers }) => {
  for (const b of buffers.values()) heap.release(b);
});
