/**
 * Kept rows, row-major in a Float64Array that doubles when full, so a long file costs amortised
 * O(1) per row and never more than twice its final size.
 */
export class RowStore {
  private data: Float64Array;
  private lines: Int32Array;
  private count = 0;

  constructor(readonly d: number) {
    // About 64k values to start with, whatever the width, so a very wide file does not begin big.
    const initialRows = Math.max(1, Math.floor(65536 / Math.max(1, d)));
    this.data = new Float64Array(initialRows * d);
    this.lines = new Int32Array(initialRows);
  }

  get rows(): number {
    return this.count;
  }

  /** Appends one row (values[0..d)) read from the given 1-based file line. */
  push(values: Float64Array, line: number): void {
    if (this.count === this.lines.length) this.grow();
    this.data.set(values, this.count * this.d);
    this.lines[this.count] = line;
    this.count++;
  }

  /** Value j of row r. */
  at(r: number, j: number): number {
    return this.data[r * this.d + j];
  }

  /** Exactly-sized copies (the doubling slack is given back). */
  finish(): { data: Float64Array; lines: Int32Array } {
    const size = this.count * this.d;
    const data = this.data.length === size ? this.data : this.data.slice(0, size);
    const lines = this.lines.length === this.count ? this.lines : this.lines.slice(0, this.count);
    return { data, lines };
  }

  private grow(): void {
    const capacity = Math.max(1, this.lines.length * 2);
    const data = new Float64Array(capacity * this.d);
    data.set(this.data);
    this.data = data;
    const lines = new Int32Array(capacity);
    lines.set(this.lines);
    this.lines = lines;
  }
}
