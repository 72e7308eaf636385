/**
 * A rank test of every input pair, in float64 on the data itself, for GMDH layers fitted without a ridge
 * that can absorb collinearity.
 *
 * Why not leave it to the Cholesky pivots: the normal equations are assembled from float32 moments whose
 * rounding depends on the BLAS kernel the CPU gets (an exact copy of a column gave a pivot of -4e-6 under
 * one kernel and +1e-6 under another). The standardised correlation r of two columns, summed here in
 * float64 over the training rows, is the same on every machine; a pair with 1 − r² inside the float32
 * noise of the moments would have a pivot that rounding can put on either side of zero, so it is
 * reported as singular before any moment is formed.
 */

/** The first pair (i < j, in pair order) whose standardised columns are collinear within `tolerance`. */
export function firstCollinearPair(
  x: Float64Array,
  m: number,
  rows: Int32Array,
  mean: Float64Array,
  std: Float64Array,
  tolerance: number,
): { i: number; j: number; correlation: number } | null {
  const n = rows.length;
  // Standardised training columns, column-major so each correlation is a contiguous dot product.
  const z = new Float64Array(m * n);
  rows.forEach((r, o) => {
    for (let c = 0; c < m; c++) z[c * n + o] = (x[r * m + c] - mean[c]) / std[c];
  });
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      let s = 0;
      for (let o = 0; o < n; o++) s += z[i * n + o] * z[j * n + o];
      const r = s / n;
      if (1 - r * r <= tolerance) return { i, j, correlation: r };
    }
  }
  return null;
}
