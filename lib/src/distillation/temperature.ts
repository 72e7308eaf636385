/**
 * Softmax with a temperature, the device of Hinton, Vinyals & Dean (2015), "Distilling the Knowledge in
 * a Neural Network", eq. 1:  q_i = exp(z_i / T) / sum_j exp(z_j / T).
 *
 * T = 1 is the ordinary softmax; a larger T flattens the distribution and raises the small
 * probabilities a trained net gives to wrong-but-similar classes ("dark knowledge") to a level a
 * student can learn from; T -> 0 approaches the one-hot argmax.
 *
 * Everything is computed as exp(logSoftmax(z / T)), which subtracts the row maximum first, so logits of
 * 1e4 at T = 1e-2 (z / T = 1e6) stay finite.
 */
import * as tf from "@tensorflow/tfjs";

/** Throws unless T is a finite number > 0, naming the value. `what` names the parameter in the message. */
export function checkTemperature(T: number, what = "temperature T"): number {
  if (typeof T !== "number" || !Number.isFinite(T) || T <= 0) {
    throw new Error(`${what} must be a finite number > 0, got ${String(T)}; Hinton et al. (2015) use values from 1 to 20.`);
  }
  return T;
}

/** Throws unless `x` is a 2-D tensor [batch, classes] with at least one class. */
export function check2d(x: tf.Tensor, what: string): tf.Tensor2D {
  if (!(x instanceof tf.Tensor)) throw new Error(`${what} must be a tf.Tensor of shape [batch, classes], got ${typeof x}`);
  if (x.rank !== 2 || (x.shape[1] ?? 0) < 1) {
    throw new Error(`${what} must have shape [batch, classes], got [${x.shape.join(", ")}]; reshape it to 2-D.`);
  }
  return x as tf.Tensor2D;
}

/** log softmax(z / T) along the class axis. logits: [batch, classes]. */
export function logSoftmaxWithTemperature(logits: tf.Tensor, T: number): tf.Tensor2D {
  checkTemperature(T);
  check2d(logits, "logits");
  return tf.tidy(() => tf.logSoftmax(T === 1 ? logits : tf.div(logits, T), -1) as tf.Tensor2D);
}

/** softmax(z / T) along the class axis: [batch, classes] -> [batch, classes], rows sum to 1. */
export function softmaxWithTemperature(logits: tf.Tensor, T: number): tf.Tensor2D {
  return tf.tidy(() => tf.exp(logSoftmaxWithTemperature(logits, T)) as tf.Tensor2D);
}

/**
 * Re-temper a distribution given as probabilities at T = 1: softmax(log p / T) = p^(1/T) / sum p^(1/T).
 * This is what softmaxWithTemperature would give from the logits that produced p (logits are only
 * defined up to a per-row constant, which the softmax ignores). Zero probabilities stay zero.
 */
export function retemperProbabilities(probs: tf.Tensor, T: number): tf.Tensor2D {
  checkTemperature(T);
  check2d(probs, "probabilities");
  return tf.tidy(() => {
    // p = 0 must stay exactly 0 at every T (a clamp such as log(1e-38) / 1000 would not): mask it to
    // -inf, which exp() after the max-subtraction turns into 0.
    const positive = tf.greater(probs, 0);
    const scaled = tf.div(tf.log(tf.where(positive, probs, tf.onesLike(probs))), T);
    return tf.softmax(tf.where(positive, scaled, tf.fill(probs.shape, -Infinity)), -1) as tf.Tensor2D;
  });
}
