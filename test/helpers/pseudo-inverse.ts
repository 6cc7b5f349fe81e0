import { keptEigenpairs } from '../../src/core/action/uncertainty';

/**
 * The Moore-Penrose pseudo-inverse of a symmetric positive semi-definite matrix assembled from the
 * eigenpairs the standard errors keep (eigenvalues up to relTol times the largest count as zero):
 * the tests check that selection through the matrix it implies.
 */
export function pseudoInverse(a: Float64Array, n: number, relTol: number): Float64Array {
  const { vectors, lambdas } = keptEigenpairs(a, n, relTol);
  const out = new Float64Array(n * n);
  lambdas.forEach((lambda, k) => {
    const v = vectors.subarray(k * n, (k + 1) * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] += (v[i] / lambda) * v[j];
  });
  return out;
}
