/**
 * Column helpers for preparing GMDH inputs. A constant column cannot enter a unit (its normal equations
 * are singular), and downsampled digit images have constant border pixels, so notebooks drop them first.
 */

/** Indices of the columns of a row-major [rows, cols] matrix whose standard deviation exceeds minStd. */
export function varyingColumns(data: ArrayLike<number>, rows: number, cols: number, minStd = 1e-6): number[] {
  if (data.length !== rows * cols) throw new Error(`data has ${data.length} values, expected rows×cols = ${rows * cols}.`);
  const keep: number[] = [];
  for (let c = 0; c < cols; c++) {
    let s = 0;
    let s2 = 0;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + c];
      s += v;
      s2 += v * v;
    }
    const mean = s / rows;
    if (Math.sqrt(Math.max(0, s2 / rows - mean * mean)) > minStd) keep.push(c);
  }
  return keep;
}

/** The given columns of a row-major [rows, cols] matrix, as a new row-major Float64Array [rows, columns.length]. */
export function selectColumns(data: ArrayLike<number>, rows: number, cols: number, columns: number[]): Float64Array {
  const out = new Float64Array(rows * columns.length);
  for (const c of columns) if (!(Number.isInteger(c) && c >= 0 && c < cols)) throw new Error(`column ${c} is outside 0..${cols - 1}.`);
  for (let r = 0; r < rows; r++) columns.forEach((c, o) => (out[r * columns.length + o] = data[r * cols + c]));
  return out;
}
