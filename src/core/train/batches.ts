import type { Rng } from '../util/rng';
import { gatherRows } from '../util/rows';

/** One mini-batch: its rows (row-major, in a buffer reused two batches later) and whether it opened an epoch. */
export interface Batch {
  x: Float64Array;
  rows: number;
  newEpoch: boolean;
}

/**
 * The training rows in shuffled epochs, a mini-batch at a time (the last of an epoch may be short).
 * The next batch can be gathered ahead, into the buffer the current step does not read, while the
 * engine waits for its helper thread (parallel.ts): which rows each step sees, and the shuffles, are
 * the same whether or not it was.
 */
export class Batches {
  private readonly order: Int32Array;
  /** Position in the current epoch's order; an epoch starts when it wraps. */
  private cursor: number;
  private readonly buffers: [Float64Array, Float64Array];
  /** The buffer the last batch taken lives in. */
  private current = 0;
  private ahead: Batch | null = null;

  constructor(
    private readonly data: Float64Array,
    private readonly n: number,
    private readonly d: number,
    private readonly size: number,
    private readonly rng: Rng,
  ) {
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    this.cursor = n;
    this.buffers = [new Float64Array(size * d), new Float64Array(size * d)];
  }

  /** The next batch: the one gathered ahead, or gathered now. */
  take(): Batch {
    const batch = this.ahead ?? this.gather();
    this.ahead = null;
    this.current = 1 - this.current;
    return batch;
  }

  /** Gathers the batch after the one taken last (once; take returns it). */
  prefetch(): void {
    this.ahead ??= this.gather();
  }

  /** The next rows into the buffer the last batch taken does not live in. */
  private gather(): Batch {
    let newEpoch = false;
    if (this.cursor >= this.n) {
      shuffle(this.order, this.rng);
      this.cursor = 0;
      newEpoch = true;
    }
    const rows = Math.min(this.size, this.n - this.cursor);
    const x = this.buffers[1 - this.current];
    gatherRows(this.data, this.d, this.order, this.cursor, rows, x);
    this.cursor += rows;
    return { x, rows, newEpoch };
  }
}

function shuffle(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
