/**
 * Rows 0..count-1 of out = rows order[from], order[from + 1], ... of data (row-major, row length d).
 * Short rows are copied entry by entry: a subarray per row (an object to allocate and collect) costs
 * more than copying a few dozen numbers, and the trainer gathers a batch this way on every step.
 */
export function gatherRows(data: Float64Array, d: number, order: ArrayLike<number>, from: number, count: number, out: Float64Array): void {
  if (d >= 64) {
    for (let r = 0; r < count; r++) out.set(data.subarray(order[from + r] * d, order[from + r] * d + d), r * d);
    return;
  }
  for (let r = 0; r < count; r++) {
    const src = order[from + r] * d;
    const dst = r * d;
    for (let i = 0; i < d; i++) out[dst + i] = data[src + i];
  }
}
