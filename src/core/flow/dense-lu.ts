/**
 * LU factorisation with partial (row) pivoting of small dense matrices, in plain float64 loops: the
 * dense affine layer's log-determinant, solve and inverse (dense.ts), and the factorisation that turns
 * a matrix into the affine layer's P Lo Up form (affineFromMatrix in affine.ts).
 */

/**
 * LU factorisation with partial (row) pivoting of a d x d matrix: P W = L U with L unit lower and U
 * upper triangular, packed into one array; pivots[k] is the row swapped with row k at step k.
 * ln|det W| = sum ln|U_kk|; a singular W gives -Infinity.
 */
export function luFactor(d: number, w: ArrayLike<number>): { lu: Float64Array; pivots: Int32Array; logAbsDet: number } {
  const a = Float64Array.from(w as ArrayLike<number>);
  const pivots = new Int32Array(d);
  let logAbsDet = 0;
  for (let k = 0; k < d; k++) {
    let p = k;
    let best = Math.abs(a[k * d + k]);
    for (let i = k + 1; i < d; i++) {
      const v = Math.abs(a[i * d + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    pivots[k] = p;
    if (p !== k) {
      for (let j = 0; j < d; j++) {
        const t = a[k * d + j];
        a[k * d + j] = a[p * d + j];
        a[p * d + j] = t;
      }
    }
    const pivot = a[k * d + k];
    logAbsDet += Math.log(Math.abs(pivot));
    if (pivot === 0) continue;
    for (let i = k + 1; i < d; i++) {
      const f = (a[i * d + k] /= pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < d; j++) a[i * d + j] -= f * a[k * d + j];
    }
  }
  return { lu: a, pivots, logAbsDet };
}

/** Solves W x = g in place, from luFactor's factors. */
export function luSolve(d: number, lu: Float64Array, pivots: Int32Array, g: Float64Array): void {
  for (let k = 0; k < d; k++) {
    const p = pivots[k];
    if (p !== k) {
      const t = g[k];
      g[k] = g[p];
      g[p] = t;
    }
  }
  unitLowerSolve(d, lu, g);
  upperSolve(d, lu, g, g, 0);
}

/** Solves L h = g in place, L unit lower triangular: reads only the strict lower part of `l` (d x d, row-major). */
export function unitLowerSolve(d: number, l: ArrayLike<number>, g: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = g[i];
    for (let j = 0; j < i; j++) s -= l[i * d + j] * g[j];
    g[i] = s;
  }
}

/**
 * Solves U x = h, U upper triangular (its diagonal and upper part of `u`, d x d, row-major), into
 * out[offset], ..., out[offset + d - 1]; `out` may be `h` itself at offset 0 (in place).
 */
export function upperSolve(d: number, u: ArrayLike<number>, h: Float64Array, out: Float64Array, offset: number): void {
  for (let i = d - 1; i >= 0; i--) {
    let s = h[i];
    for (let j = i + 1; j < d; j++) s -= u[i * d + j] * out[offset + j];
    out[offset + i] = s / u[i * d + i];
  }
}

/** W^-1 (row-major) from luFactor's factors. */
export function luInverse(d: number, lu: Float64Array, pivots: Int32Array): Float64Array {
  const inv = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    col.fill(0);
    col[j] = 1;
    luSolve(d, lu, pivots, col);
    for (let i = 0; i < d; i++) inv[i * d + j] = col[i];
  }
  return inv;
}

/**
 * The same factorisation as a row order: rows order[0], order[1], ... of W are the rows of L U (the
 * pivots' swaps applied in turn to 0..d-1).
 */
export function pivotedLu(d: number, w: ArrayLike<number>): { lu: Float64Array; order: Int32Array } {
  const { lu, pivots } = luFactor(d, w);
  const order = Int32Array.from({ length: d }, (_, i) => i);
  for (let k = 0; k < d; k++) {
    const p = pivots[k];
    if (p !== k) [order[k], order[p]] = [order[p], order[k]];
  }
  return { lu, order };
}
