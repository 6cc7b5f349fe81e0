/**
 * The one pass over the rows behind cumulants(): per contiguous block of rows, the sums of
 * y_i, y_i y_j, y_i y_j y_k and y_i y_j y_k y_l over all sorted index tuples (lexicographic order),
 * with y = x - ref.
 *
 * Layout of the work. Rows are taken in chunks (inside one block, small enough to stay in cache) and
 * copied column-major into a buffer with an extra column of ones and one of zeros. For each pair
 * i <= j the weight w = y_i y_j is formed once per row; then every higher sum for that pair is an
 * entry of the weighted Gram matrix G[a][c] = sum_r w_r u_a u_c over the columns
 * u = (1, y_j, y_{j+1}, ..., y_{d-1}):
 *   G[0][0]               = sum w                 -> kappa2 tuple (i, j)
 *   G[0][c], c >= 1        = sum w y_k             -> kappa3 tuple (i, j, k),     k = j + c - 1
 *   G[a][c], 1 <= a <= c   = sum w y_k y_l         -> kappa4 tuple (i, j, k, l),  l = j + c - 1
 * The upper triangle of G is computed in 2 x 4 register tiles (7 loads feed 8 multiply-adds; columns
 * past the end read the zero column), so each order-4 tuple costs about one multiply-add per row and
 * orders 2 and 3 come almost free. The tiles run in WebAssembly SIMD (weightedGram in unitwise.wat,
 * two rows per instruction) when the kernels are available, with the chunk in the kernel heap;
 * otherwise in the JS loops below. The two sum the rows in different orders (equal to rounding).
 */

import { loadKernels } from '../linalg/wasm/kernel';
import { tupleCount } from './tuples';

/** Per-block sums of products about the reference point, one array per order (block-major). */
export interface BlockSums {
  d: number;
  maxOrder: number;
  blocks: number;
  /** counts[k-1] = number of sorted k-tuples. */
  counts: number[];
  /** sums[k-1][b * counts[k-1] + t]. */
  sums: Float64Array[];
  /** totals[k-1][t] = sum over blocks. */
  totals: Float64Array[];
  /** Rows per block. */
  rows: Int32Array;
}

/** Doubles per chunk buffer (128 KiB), so that a chunk's columns stay in L2 while G is formed. */
const CHUNK_DOUBLES = 16384;

/**
 * data: row-major, d values a row (rows starts[0] .. starts[blocks]-1 are used); ref: the reference point subtracted from every row; starts: block b is
 * rows starts[b] .. starts[b+1]-1. useKernels: false keeps the tiles in JS (tests compare the two).
 */
export function accumulate(
  data: Float64Array,
  d: number,
  ref: Float64Array,
  maxOrder: number,
  starts: Int32Array,
  useKernels = true,
): BlockSums {
  const blocks = starts.length - 1;
  const counts: number[] = [];
  for (let k = 1; k <= maxOrder; k++) counts.push(tupleCount(d, k));
  const sums = counts.map((c) => new Float64Array(blocks * c));
  const rows = new Int32Array(blocks);
  for (let b = 0; b < blocks; b++) rows[b] = starts[b + 1] - starts[b];

  const c2 = maxOrder >= 2 ? counts[1] : 0;
  const c3 = maxOrder >= 3 ? counts[2] : 0;
  const c4 = maxOrder >= 4 ? counts[3] : 0;
  const s1 = sums[0];
  const s2 = maxOrder >= 2 ? sums[1] : s1;
  const s3 = maxOrder >= 3 ? sums[2] : s1;
  const s4 = maxOrder >= 4 ? sums[3] : s1;
  // start4[t3] = rank of the first order-4 tuple (i, j, k, k) for the order-3 tuple t3 = (i, j, k).
  const start4 = new Int32Array(c3);
  if (maxOrder >= 4) {
    let t3 = 0;
    let t4 = 0;
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        for (let k = j; k < d; k++) {
          start4[t3++] = t4;
          t4 += d - k;
        }
      }
    }
  }

  const len = Math.max(16, Math.min(4096, Math.floor(CHUNK_DOUBLES / (d + 2))));
  const kernels = useKernels ? loadKernels() : null;
  const heap = kernels?.heap ?? null;
  const doubles = (size: number): Float64Array => (heap ? heap.alloc(size) : new Float64Array(size));
  // Column 0: ones; columns 1..d: y; column d+1: zeros (padding for tiles past the end). One spare
  // row, so that the SIMD tiles can take rows in pairs (its weight is 0).
  const buf = doubles((d + 2) * (len + 1));
  const stride = len + 1;
  buf.fill(1, 0, stride);
  const zero = (d + 1) * stride;
  const w = doubles(stride);
  const off = new Int32Array(d + 6);
  const tile = new Float64Array(8);
  // For the SIMD tiles: column offsets in bytes (i32, in the heap) and the Gram matrix they fill.
  const ldG = d + 5;
  const gram = heap ? doubles((d + 3) * ldG) : null;
  const offBlock = heap ? doubles(Math.ceil((d + 6) / 2)) : null;
  const offBytes = heap && offBlock ? new Int32Array(offBlock.buffer, offBlock.byteOffset, d + 6) : null;

  for (let b = 0; b < blocks; b++) {
    for (let cs = starts[b], be = starts[b + 1]; cs < be; cs += len) {
      const m = Math.min(len, be - cs);
      for (let r = 0; r < m; r++) {
        const o = (cs + r) * d;
        for (let i = 0; i < d; i++) buf[(i + 1) * stride + r] = data[o + i] - ref[i];
      }
      for (let i = 0; i < d; i++) {
        const io = (i + 1) * stride;
        let s = 0;
        for (let r = 0; r < m; r++) s += buf[io + r];
        s1[b * d + i] += s;
      }
      if (maxOrder < 2) continue;

      let t2 = 0;
      let t3 = 0;
      for (let i = 0; i < d; i++) {
        const io = (i + 1) * stride;
        for (let j = i; j < d; j++) {
          const jo = (j + 1) * stride;
          if (maxOrder === 2) {
            let s = 0;
            for (let r = 0; r < m; r++) s += buf[io + r] * buf[jo + r];
            s2[b * c2 + t2++] += s;
            continue;
          }
          for (let r = 0; r < m; r++) w[r] = buf[io + r] * buf[jo + r];
          w[m] = 0;
          // Columns of G: u_0 = ones, u_a = y_{j+a-1} (buffer column j + a), then zero padding.
          const cols = d - j + 1;
          off[0] = 0;
          for (let a = 1; a < cols; a++) off[a] = (j + a) * stride;
          for (let a = cols; a < cols + 4; a++) off[a] = zero;
          const rowsG = maxOrder >= 4 ? cols : 1;
          const scatter = (aa: number, cc: number, val: number): void => {
            if (aa > 0) s4[b * c4 + start4[t3 + aa - 1] + cc - aa] += val;
            else if (cc > 0) s3[b * c3 + t3 + cc - 1] += val;
            else s2[b * c2 + t2] += val;
          };
          if (kernels && gram && offBytes) {
            for (let a = 0; a < cols + 4; a++) offBytes[a] = 8 * off[a];
            kernels.unitwise.weightedGram(m + (m & 1), w.byteOffset, buf.byteOffset, offBytes.byteOffset, cols, rowsG, gram.byteOffset, ldG);
            for (let aa = 0; aa < rowsG; aa++) for (let cc = aa; cc < cols; cc++) scatter(aa, cc, gram[aa * ldG + cc]);
          } else {
            for (let a = 0; a < rowsG; a += 2) {
              for (let c = a; c < cols; c += 4) {
                if (rowsG === 1) tile1x4(w, buf, off[c], off[c + 1], off[c + 2], off[c + 3], m, tile);
                else tile2x4(w, buf, off[a], off[a + 1], off[c], off[c + 1], off[c + 2], off[c + 3], m, tile);
                for (let u = 0; u < 2; u++) {
                  const aa = a + u;
                  if (aa >= rowsG) break;
                  for (let v = 0; v < 4; v++) {
                    const cc = c + v;
                    if (cc < aa || cc >= cols) continue;
                    scatter(aa, cc, tile[u * 4 + v]);
                  }
                }
              }
            }
          }
          t2++;
          t3 += d - j;
        }
      }
    }
  }
  if (heap) for (const block of [buf, w, gram, offBlock]) if (block) heap.release(block);

  const totals = counts.map((c, k) => {
    const t = new Float64Array(c);
    const s = sums[k];
    for (let b = 0; b < blocks; b++) {
      const o = b * c;
      for (let u = 0; u < c; u++) t[u] += s[o + u];
    }
    return t;
  });
  return { d, maxOrder, blocks, counts, sums, totals, rows };
}

/** out[v] = sum_r w[r] * buf[cv + r] for the four column offsets c0..c3 (row a = 0, the ones column). */
function tile1x4(w: Float64Array, buf: Float64Array, c0: number, c1: number, c2: number, c3: number, m: number, out: Float64Array): void {
  let z0 = 0;
  let z1 = 0;
  let z2 = 0;
  let z3 = 0;
  for (let r = 0; r < m; r++) {
    const q = w[r];
    z0 += q * buf[c0 + r];
    z1 += q * buf[c1 + r];
    z2 += q * buf[c2 + r];
    z3 += q * buf[c3 + r];
  }
  out[0] = z0;
  out[1] = z1;
  out[2] = z2;
  out[3] = z3;
}

/** out[u * 4 + v] = sum_r w[r] * buf[au + r] * buf[cv + r], rows a0, a1 by columns c0..c3. */
function tile2x4(
  w: Float64Array,
  buf: Float64Array,
  a0: number,
  a1: number,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  m: number,
  out: Float64Array,
): void {
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  let q3 = 0;
  for (let r = 0; r < m; r++) {
    const wr = w[r];
    const x = wr * buf[a0 + r];
    const y = wr * buf[a1 + r];
    const v0 = buf[c0 + r];
    const v1 = buf[c1 + r];
    const v2 = buf[c2 + r];
    const v3 = buf[c3 + r];
    p0 += x * v0;
    p1 += x * v1;
    p2 += x * v2;
    p3 += x * v3;
    q0 += y * v0;
    q1 += y * v1;
    q2 += y * v2;
    q3 += y * v3;
  }
  out[0] = p0;
  out[1] = p1;
  out[2] = p2;
  out[3] = p3;
  out[4] = q0;
  out[5] = q1;
  out[6] = q2;
  out[7] = q3;
}
