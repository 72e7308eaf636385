/**
 * The max-norm constraint of dropout training (Srebro & Shraibman 2005; Hinton et al. 2012; Srivastava et al.
 * 2014): after each update, every unit's vector of incoming weights whose L2 norm exceeds c is scaled back to
 * norm c. For W of shape [in, out], unit j's incoming weights are column j, and it is scaled by
 * min(1, c / max(norm_j, 1e-12)) (the guard keeps an all-zero column at zero).
 *
 * Two paths, same rule: on the `blas` backend one native kernel (native/kdh_dropout.c) sums the column norms
 * in double in one read of W and, only when some column exceeds c, writes the rescaled matrix into a fresh
 * tensor that is assigned to the variable (a fresh one because another tensor may share the variable's
 * memory). Elsewhere the norms are computed by tfjs ops in float32 and read back, and the multiply and assign
 * run only when a column exceeds c. The teacher of Hinton, Vinyals & Dean (2015) has 2.4 M weights; as tfjs
 * ops this cost about 2 ms of a 21 ms step.
 */
import * as tf from "@tensorflow/tfjs";

/** The `blas` backend's max-norm kernel: input {w} ([in, out] float32), attrs MaxNormKernelAttrs; outputs [rescaled w, int32 count of columns above c]. */
export const MAX_NORM_KERNEL = "KdhMaxNorm";

export interface MaxNormKernelAttrs {
  c: number;
}

let nativeEnabled = true;

/** Use the native kernel where the backend has one (default) or tfjs ops everywhere: tests compare both paths. */
export function setNativeMaxNorm(on: boolean): void {
  nativeEnabled = on;
}

/** Whether applyMaxNorm takes the native kernel on the active backend right now. */
export function nativeMaxNormActive(): boolean {
  return nativeEnabled && tf.getKernel(MAX_NORM_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * Scale the columns of W ([in, out]) whose norm exceeds c to norm c, in place on the variable; returns how
 * many columns were above c (0: W was left untouched). A NaN column norm counts as above c and its column
 * becomes NaN, as min(1, c / NaN) is NaN: divergence shows instead of being masked.
 */
export function applyMaxNorm(W: tf.Variable, c: number): number {
  if (!(c > 0) || !Number.isFinite(c)) throw new Error(`max-norm c=${c} must be a finite number > 0 (0 or less turns the constraint off in the network's spec)`);
  if (W.rank !== 2 || W.dtype !== "float32") throw new Error(`max-norm takes a float32 [in, out] weight matrix, got ${W.dtype} [${W.shape}]`);
  if (nativeMaxNormActive()) {
    const [out, count] = tf.engine().runKernel(MAX_NORM_KERNEL, { w: W }, { c } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    const exceeding = count.dataSync()[0];
    if (exceeding > 0) W.assign(out);
    tf.dispose([out, count]);
    return exceeding;
  }
  const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(W), 0)));
  const n = norms.dataSync() as Float32Array;
  norms.dispose();
  let scale: Float32Array | undefined;
  let exceeding = 0;
  for (let j = 0; j < n.length; j++) {
    const s = Math.min(1, c / Math.max(n[j], 1e-12));
    if (s < 1 || Number.isNaN(s)) {
      (scale ??= new Float32Array(n.length).fill(1))[j] = s;
      exceeding++;
    }
  }
  if (scale) {
    const factors = scale;
    tf.tidy(() => W.assign(tf.mul(W, tf.tensor2d(factors, [1, factors.length]))));
  }
  return exceeding;
}
