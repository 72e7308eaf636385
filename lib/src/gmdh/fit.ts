/**
 * Least squares for every candidate unit of a GMDH layer at once (Ivakhnenko 1971, "Polynomial theory
 * of complex systems": each partial description is fitted by its own normal equations).
 *
 * Why one big matrix product instead of one regression per pair: for a two-input polynomial unit,
 * every entry of the pair's normal matrix X^T X is a moment  sum_rows xi^a xj^b  and every entry of
 * X^T y is  sum_rows y xi^a xj^b.  All of them, for all m(m-1)/2 pairs, sit in ONE product
 *     L^T R,   L = [1 | X | X² | y | y·X]   R = [1 | X | X² | X³ | X⁴ | y]     (quadratic unit)
 * of size [1 + 3m + 1, 1 + 4m + 1] over the rows, computed by one tf.matMul on the backend. The per-pair
 * k×k systems (k <= 6) are then gathered from that table and solved in float64 JS by Cholesky, which
 * costs nothing next to the product. For 64 inputs and 10,000 rows that is 2016 systems from one
 * [194 × 10,000] · [10,000 × 258] product.
 *
 * The inputs are standardised (training mean and standard deviation) before the product, so float32
 * moments of degree 4 stay well scaled; the coefficients are converted back to raw units afterwards.
 */
import * as tf from "@tensorflow/tfjs";
import { MomentPowers, ReferenceFunction, coefficientCount, momentPowers } from "./polynomial";

/** The moment table of one data part (training or validation). */
export interface PartMoments {
  rows: number;
  /** Number of inputs m of the layer. */
  inputs: number;
  powers: MomentPowers;
  lcols: number;
  rcols: number;
  /** L^T R, row-major [lcols, rcols], float64 copy of the backend's float32 result. */
  table: Float64Array;
}

/** Column of L holding x_i^a (a <= lowPow); column 0 is the constant 1. */
function lCol(m: number, a: number, i: number): number {
  return a === 0 ? 0 : 1 + (a - 1) * m + i;
}
function rCol(m: number, a: number, i: number): number {
  return a === 0 ? 0 : 1 + (a - 1) * m + i;
}
function lYCol(m: number, p: MomentPowers, a: number, i: number): number {
  const y = 1 + p.lowPow * m;
  return a === 0 ? y : y + 1 + (a - 1) * m + i;
}
function rYCol(m: number, p: MomentPowers): number {
  return 1 + p.highPow * m;
}

/**
 * Form L^T R for one part. `z` holds the standardised inputs row-major [rows, m], `y` the standardised
 * target [rows]. All tensors are freed before returning.
 */
export async function partMoments(z: Float32Array, y: Float32Array, rows: number, m: number, powers: MomentPowers): Promise<PartMoments> {
  const product = tf.tidy(() => {
    const X = tf.tensor2d(z, [rows, m]);
    const Y = tf.tensor2d(y, [rows, 1]);
    const ones = tf.ones([rows, 1]);
    const pows: tf.Tensor2D[] = [X];
    for (let a = 2; a <= powers.highPow; a++) pows.push(tf.mul(pows[a - 2], X));
    const lParts: tf.Tensor2D[] = [ones as tf.Tensor2D, ...pows.slice(0, powers.lowPow), Y];
    for (let a = 1; a <= powers.yPow; a++) lParts.push(tf.mul(pows[a - 1], Y));
    const L = tf.concat(lParts, 1);
    const R = tf.concat([ones as tf.Tensor2D, ...pows.slice(0, powers.highPow), Y], 1);
    return tf.matMul(L, R, true, false);
  });
  const [lcols, rcols] = product.shape as [number, number];
  const data = await product.data();
  product.dispose();
  return { rows, inputs: m, powers, lcols, rcols, table: Float64Array.from(data) };
}

/** sum_rows x_i^a x_j^b from the table (i, j may be equal). */
export function momentXX(t: PartMoments, i: number, a: number, j: number, b: number): number {
  if (a > t.powers.lowPow) [i, a, j, b] = [j, b, i, a];
  if (a > t.powers.lowPow || b > t.powers.highPow) throw new Error(`moment x${i}^${a} x${j}^${b} is not in the table (internal error)`);
  return t.table[lCol(t.inputs, a, i) * t.rcols + rCol(t.inputs, b, j)];
}

/** sum_rows y x_i^a x_j^b from the table. */
export function momentYXX(t: PartMoments, i: number, a: number, j: number, b: number): number {
  if (a > t.powers.yPow) [i, a, j, b] = [j, b, i, a];
  if (a > t.powers.yPow || b > t.powers.highPow) throw new Error(`moment y x${i}^${a} x${j}^${b} is not in the table (internal error)`);
  return t.table[lYCol(t.inputs, t.powers, a, i) * t.rcols + rCol(t.inputs, b, j)];
}

/** sum_rows y². */
export function momentYY(t: PartMoments): number {
  return t.table[lYCol(t.inputs, t.powers, 0, 0) * t.rcols + rYCol(t.inputs, t.powers)];
}

/** The normal equations of every pair: G [pairs, k, k] = X^T X, b [pairs, k] = X^T y. */
export interface PairSystems {
  pairs: number;
  k: number;
  rows: number;
  G: Float64Array;
  b: Float64Array;
  /** sum_rows y² (the same for every pair). */
  yy: number;
}

/** All pairs (i < j) of m inputs, in the order (0,1), (0,2), ..., (m-2, m-1). */
export function allPairs(m: number): { i: Int32Array; j: Int32Array } {
  const P = (m * (m - 1)) / 2;
  const I = new Int32Array(P);
  const J = new Int32Array(P);
  let p = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) (I[p] = i), (J[p++] = j);
  return { i: I, j: J };
}

export function pairSystems(t: PartMoments, f: ReferenceFunction, I: Int32Array, J: Int32Array): PairSystems {
  const k = coefficientCount(f);
  const P = I.length;
  const G = new Float64Array(P * k * k);
  const b = new Float64Array(P * k);
  const mono = f.monomials;
  for (let p = 0; p < P; p++) {
    const i = I[p];
    const j = J[p];
    for (let r = 0; r < k; r++) {
      const [pr, qr] = mono[r];
      b[p * k + r] = momentYXX(t, i, pr, j, qr);
      for (let c = r; c < k; c++) {
        const [pc, qc] = mono[c];
        const v = momentXX(t, i, pr + pc, j, qr + qc);
        G[(p * k + r) * k + c] = v;
        G[(p * k + c) * k + r] = v;
      }
    }
  }
  return { pairs: P, k, rows: t.rows, G, b, yy: momentYY(t) };
}

/** A normal matrix that cannot be factorised: which pair, and what to do. */
export class SingularSystemError extends Error {
  constructor(
    readonly pair: number,
    message: string,
  ) {
    super(message);
    this.name = "SingularSystemError";
  }
}

/**
 * Relative rounding noise of a float32 moment summed over `rows` products, as the backend computes it:
 * unit roundoff 2^-24, growing like sqrt(rows) for the blocked sums BLAS kernels use, with a margin of 8
 * for the kernels' different blockings (OpenBLAS picks its kernels per CPU, so the noise is not the same
 * on two machines, only bounded). A pivot or a rank deficiency smaller than this is indistinguishable
 * from zero: deciding on it would let CPU rounding decide, which is what this threshold prevents.
 */
export function float32MomentNoise(rows: number): number {
  return 8 * Math.sqrt(Math.max(1, rows)) * 2 ** -24;
}

/**
 * Solve (G_p + ridge·diag(G_p) without the intercept) a_p = b_p for every pair p by Cholesky, in float64.
 * The ridge is relative to each diagonal entry, so it means the same on every scale; it keeps a pair of
 * nearly collinear inputs (common in deep layers, where survivors resemble each other) solvable.
 * `describePair(p)` names the pair in the error message. A pivot within k × the float32 noise of the
 * moments (relative to its diagonal entry) counts as zero: the column is a combination of the others.
 */
export function solveBatched(sys: PairSystems, ridge: number, describePair: (p: number) => string): Float64Array {
  const { pairs: P, k } = sys;
  const out = new Float64Array(P * k);
  const A = new Float64Array(k * k);
  const x = new Float64Array(k);
  const tolerance = k * float32MomentNoise(sys.rows);
  for (let p = 0; p < P; p++) {
    const base = p * k * k;
    for (let e = 0; e < k * k; e++) A[e] = sys.G[base + e];
    for (let d = 1; d < k; d++) A[d * k + d] *= 1 + ridge;
    // In-place Cholesky A = L L^T (lower triangle).
    for (let c = 0; c < k; c++) {
      let d = A[c * k + c];
      for (let s = 0; s < c; s++) d -= A[c * k + s] * A[c * k + s];
      const scale = sys.G[base + c * k + c];
      // A pivot that is not clearly positive relative to its own diagonal means a column is (nearly) a
      // combination of the others: a constant or duplicated input, or a square that equals an input.
      if (!(d > tolerance * Math.abs(scale)) || !Number.isFinite(d)) {
        throw new SingularSystemError(
          p,
          `the normal equations of candidate ${describePair(p)} are singular (pivot ${d.toExponential(2)} for coefficient a${c}, ` +
            `diagonal ${scale.toExponential(2)}, below the float32 rounding level ${tolerance.toExponential(1)} of the moments): its two inputs are collinear, constant or take too few distinct values on the ` +
            `training part. Raise the ridge (now ${ridge}), remove the duplicated input, or use the linear reference function.`,
        );
      }
      const l = Math.sqrt(d);
      A[c * k + c] = l;
      for (let r = c + 1; r < k; r++) {
        let v = A[r * k + c];
        for (let s = 0; s < c; s++) v -= A[r * k + s] * A[c * k + s];
        A[r * k + c] = v / l;
      }
    }
    // Forward then back substitution.
    for (let r = 0; r < k; r++) {
      let v = sys.b[p * k + r];
      for (let s = 0; s < r; s++) v -= A[r * k + s] * x[s];
      x[r] = v / A[r * k + r];
    }
    for (let r = k - 1; r >= 0; r--) {
      let v = x[r];
      for (let s = r + 1; s < k; s++) v -= A[s * k + r] * out[p * k + s];
      out[p * k + r] = v / A[r * k + r];
    }
  }
  return out;
}

/** Residual sum of squares of coefficients `coef` on a part: y'y − 2 a'b + a'G a, per pair (>= 0). */
export function residualSumOfSquares(sys: PairSystems, coef: Float64Array): Float64Array {
  const { pairs: P, k } = sys;
  const out = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    let ab = 0;
    let aGa = 0;
    for (let r = 0; r < k; r++) {
      const ar = coef[p * k + r];
      ab += ar * sys.b[p * k + r];
      let g = 0;
      for (let c = 0; c < k; c++) g += sys.G[(p * k + r) * k + c] * coef[p * k + c];
      aGa += ar * g;
    }
    // The three terms cancel when the fit is near perfect; float32 moments leave noise of order 1e-6·y'y.
    out[p] = Math.max(0, sys.yy - 2 * ab + aGa);
  }
  return out;
}

/** d'(G_A + G_B) d per pair for d = a_A − a_B: the squared disagreement of two fits over both parts. */
export function disagreement(sysA: PairSystems, sysB: PairSystems, coefA: Float64Array, coefB: Float64Array): Float64Array {
  const { pairs: P, k } = sysA;
  const out = new Float64Array(P);
  const d = new Float64Array(k);
  for (let p = 0; p < P; p++) {
    for (let r = 0; r < k; r++) d[r] = coefA[p * k + r] - coefB[p * k + r];
    let s = 0;
    for (let r = 0; r < k; r++) {
      let g = 0;
      for (let c = 0; c < k; c++) g += (sysA.G[(p * k + r) * k + c] + sysB.G[(p * k + r) * k + c]) * d[c];
      s += d[r] * g;
    }
    out[p] = Math.max(0, s);
  }
  return out;
}

export { momentPowers };
