/**
 * Cholesky factorisation A = L L^T of a symmetric positive definite matrix (row-major, n x n), and
 * solves with it: the direct fit's normal equations (docs/METHOD.md section 9) are of this form.
 */

/**
 * The lower factor L (row-major; the strict upper triangle is zero), or null when A is not positive
 * definite to working precision: a pivot at or below relTol times the largest diagonal entry (a
 * monomial that is, on these rows, a combination of the others).
 */
export function cholesky(a: Float64Array, n: number, relTol = 1e-13): Float64Array | null {
  const res = choleskyOrPivot(a, n, relTol);
  return typeof res === 'number' ? null : res;
}

/**
 * The lower factor, or the index of the first column whose pivot fails: that column is (to working
 * precision) a combination of the columns before it, which tells a caller which variable to drop.
 */
export function choleskyOrPivot(a: Float64Array, n: number, relTol = 1e-13): Float64Array | number {
  const l = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, a[i * n + i]);
  if (!(maxDiag > 0)) return n === 0 ? l : 0;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j];
    for (let k = 0; k < j; k++) s -= l[rj + k] * l[rj + k];
    if (!(s > relTol * maxDiag)) return j;
    const ljj = Math.sqrt(s);
    l[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= l[ri + k] * l[rj + k];
      l[ri + j] = t / ljj;
    }
  }
  return l;
}

/** x with L L^T x = b (b is not changed). */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * y[k];
    y[i] = s / l[i * n + i];
  }
  return y;
}

/** L^-1 of a lower-triangular L (row-major), column by column of the identity. */
export function lowerInverse(l: Float64Array, n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= l[i * n + k] * m[k * n + c];
      m[i * n + c] = s / l[i * n + i];
    }
  }
  return m;
}

/** A^-1 from A's Cholesky factor: L^-T L^-1, symmetric. */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const m = lowerInverse(l, n);
  // A^-1 = M^T M: entry (i, j) = sum_{k >= max(i, j)} M[k, i] M[k, j].
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += m[k * n + i] * m[k * n + j];
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}
