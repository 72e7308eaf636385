/**
 * The diagonal of the Hessian of the training objective by second-order backpropagation.
 *
 * Becker & LeCun (1988), "Improving the convergence of back-propagation learning with second order
 * methods"; LeCun, Denker & Solla (1989), "Optimal Brain Damage", eqs. (7)–(9). For a dense unit
 * z_j = Σ_i a_i w_ij + b_j, a_j = f(z_j):
 *
 *   ∂²E/∂w_ij² = a_i² · ∂²E/∂z_j²                    (z_j is linear in w_ij: exact)
 *   ∂²E/∂b_j²  = ∂²E/∂z_j²
 *   ∂²E/∂z_j²  ≈ f'(z_j)² · ∂²E/∂a_j²                (drops f''(z_j)·∂E/∂a_j)
 *   ∂²E/∂a_i²  ≈ Σ_j w_ij² · ∂²E/∂z_j²               (drops the cross terms ∂²E/∂z_j∂z_k, j≠k)
 *
 * Dropping the f'' terms is the Levenberg–Marquardt (Gauss–Newton) approximation: it keeps the
 * estimate non-negative (so saliencies ½h·θ² are ≥ 0) and it is exact wherever the network is linear
 * between the parameter and the loss. Dropping the cross terms is what makes the pass one backward
 * sweep: each layer needs only the diagonal of the layer above.
 *
 * At the output, the objective's own second derivative with respect to each output y_k:
 * - squared error ½Σ(y−t)²: exactly 1;
 * - softmax cross-entropy −Σ t log softmax(y): the Hessian with respect to the logits is
 *   (Σ_k t_k)·(diag(p) − p pᵀ). Its diagonal is p_k(1 − p_k) (times Σt = 1 for one-hot or
 *   probability targets). We keep only that diagonal, for the same reason the paper drops cross
 *   terms everywhere else: the backward recursion carries one number per unit. It is the exact
 *   curvature of the loss along each logit on its own, it is ≥ 0, and it makes the last layer's
 *   diagonal exact (w_ij reaches the loss only through z_j, so ∂²E/∂w_ij² = a_i²·p_j(1−p_j)).
 *   Using the per-sample p(1−p) rather than a constant is what makes confident samples contribute
 *   little curvature, as they do in the true Hessian.
 *
 * The whole data set is processed in batches; per batch the work is one forward pass and, per layer,
 * two matrix products of the same shapes as backprop's (squares of activations times the output
 * curvatures, and curvatures times squared weights), so the cost is close to one gradient pass.
 * The result is the mean over samples, matching objectives that are means over samples.
 */
import * as tf from "@tensorflow/tfjs";
import {
  LayerParams,
  PrunableLayer,
  PruningData,
  PruningLoss,
  activate,
  batchRanges,
  checkBatchSize,
  checkData,
  checkLayers,
  checkLoss,
  perSampleLoss,
} from "./dense";

export interface HessianOptions {
  /** Samples per batch; only memory and speed depend on it, not the result. */
  batchSize?: number;
}

/** f'(z) expressed through the activation a = f(z) where that is cheaper, [batch, units]. */
function activationDerivative(activation: string, z: tf.Tensor, a: tf.Tensor): tf.Tensor {
  switch (activation) {
    case "tanh":
      return tf.sub(1, tf.square(a));
    case "sigmoid":
      return tf.mul(a, tf.sub(1, a));
    case "relu":
      // f'' is zero except at 0, so for ReLU the LM form drops nothing there.
      return tf.cast(tf.greater(z, 0), "float32");
    case "linear":
      return tf.onesLike(z);
    default:
      throw new Error(`activation ${JSON.stringify(activation)} has no derivative here.`);
  }
}

/** ∂²E/∂y_k² per sample at the network output y, [batch, out] (see the header). */
function outputCurvature(loss: PruningLoss, y: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor {
  if (loss === "squared-error") return tf.onesLike(y);
  const p = tf.softmax(y);
  return tf.mul(tf.mul(p, tf.sub(1, p)), tf.sum(targets, 1, true));
}

/**
 * The Levenberg–Marquardt diagonal of the Hessian of the mean objective over `data`, for every weight
 * and bias. Returns plain arrays laid out like the layers (W row-major [in, out], b [out]).
 */
export function hessianDiagonal(layersIn: PrunableLayer[], data: PruningData, lossIn: PruningLoss, options: HessianOptions = {}): LayerParams {
  const layers = checkLayers(layersIn);
  const loss = checkLoss(lossIn);
  const n = checkData(layers, data);
  const batchSize = checkBatchSize(options.batchSize ?? 512);
  const L = layers.length;

  // Running sums over batches, one tensor per parameter block; replaced (and the old one disposed)
  // after each batch so the tensor count stays flat.
  let accW: tf.Tensor[] = layers.map((l) => tf.zeros(l.W.shape));
  let accB: tf.Tensor[] = layers.map((l) => tf.zeros(l.b.shape));

  for (const [s, e] of batchRanges(n, batchSize)) {
    const [newW, newB] = tf.tidy(() => {
      const xb = data.x.slice([s, 0], [e - s, -1]);
      const tb = data.targets.slice([s, 0], [e - s, -1]);
      // Forward, keeping every layer's input a and pre-activation z.
      const inputs: tf.Tensor2D[] = [];
      const pre: tf.Tensor[] = [];
      const post: tf.Tensor[] = [];
      let a: tf.Tensor2D = xb;
      for (const layer of layers) {
        inputs.push(a);
        const z = tf.add(tf.matMul(a, layer.W as tf.Tensor2D), layer.b);
        pre.push(z);
        a = activate(z, layer.activation) as tf.Tensor2D;
        post.push(a);
      }
      // Backward: hz holds ∂²E/∂z² for the current layer's units, [batch, out].
      const dOut = activationDerivative(layers[L - 1].activation, pre[L - 1], post[L - 1]);
      let hz = tf.mul(outputCurvature(loss, a, tb), tf.square(dOut));
      const nextW: tf.Tensor[] = new Array(L);
      const nextB: tf.Tensor[] = new Array(L);
      for (let l = L - 1; l >= 0; l--) {
        // Σ over samples of a_i² hz_j: [in, batch]ᵀ-product → [in, out], the same shape as the gradient.
        nextW[l] = tf.add(accW[l], tf.matMul(tf.square(inputs[l]), hz as tf.Tensor2D, true, false));
        nextB[l] = tf.add(accB[l], tf.sum(hz, 0));
        if (l > 0) {
          const ha = tf.matMul(hz as tf.Tensor2D, tf.square(layers[l].W) as tf.Tensor2D, false, true); // [batch, in]
          hz = tf.mul(ha, tf.square(activationDerivative(layers[l - 1].activation, pre[l - 1], post[l - 1])));
        }
      }
      return [nextW, nextB];
    });
    accW.forEach((t) => t.dispose());
    accB.forEach((t) => t.dispose());
    accW = newW;
    accB = newB;
  }

  const out: LayerParams = layers.map((_, l) => ({
    W: tf.tidy(() => tf.div(accW[l], n).dataSync().slice() as Float32Array),
    b: tf.tidy(() => tf.div(accB[l], n).dataSync().slice() as Float32Array),
  }));
  accW.forEach((t) => t.dispose());
  accB.forEach((t) => t.dispose());
  return out;
}

/**
 * One plain gradient pass over the same data in the same batches (sum of per-batch gradients of the
 * summed loss), the yardstick for the Hessian pass's cost. Returns the mean gradient.
 */
export function gradientPass(layersIn: PrunableLayer[], data: PruningData, lossIn: PruningLoss, options: HessianOptions = {}): LayerParams {
  const layers = checkLayers(layersIn);
  const loss = checkLoss(lossIn);
  const n = checkData(layers, data);
  const batchSize = checkBatchSize(options.batchSize ?? 512);
  const vars = layers.flatMap((l) => [l.W, l.b]);
  let acc: tf.Tensor[] = vars.map((v) => tf.zeros(v.shape));
  for (const [s, e] of batchRanges(n, batchSize)) {
    const next = tf.tidy(() => {
      const xb = data.x.slice([s, 0], [e - s, -1]);
      const tb = data.targets.slice([s, 0], [e - s, -1]);
      const { grads } = tf.variableGrads(() => {
        let a: tf.Tensor = xb;
        for (const layer of layers) a = activate(tf.add(tf.matMul(a as tf.Tensor2D, layer.W as tf.Tensor2D), layer.b), layer.activation);
        return tf.sum(perSampleLoss(loss, tb, a as tf.Tensor2D)) as tf.Scalar;
      }, vars);
      return vars.map((v, i) => tf.add(acc[i], grads[v.name]));
    });
    acc.forEach((t) => t.dispose());
    acc = next;
  }
  const flat = acc.map((t) => tf.tidy(() => tf.div(t, n).dataSync().slice() as Float32Array));
  acc.forEach((t) => t.dispose());
  return layers.map((_, l) => ({ W: flat[2 * l], b: flat[2 * l + 1] }));
}
