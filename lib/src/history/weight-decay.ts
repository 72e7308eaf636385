/**
 * Per-weight penalties that pull weights towards zero: quadratic weight decay and Weigend, Rumelhart &
 * Huberman's (1991) weight elimination (the "hyperbolic" kind below), with an exponential variant.
 * Hanson & Pratt's own biases act on hidden units, not single weights: see unit-bias.ts.
 *
 * Background: S. J. Hanson & L. Y. Pratt, "Comparing biases for minimal network construction with
 * back-propagation", NIPS 1 (1989). Back-propagation finds *a* solution; a bias term added to the
 * error steers it towards simpler solutions. Plain weight decay (the quadratic
 * bias) shrinks every weight in proportion to its size, so large useful weights are taxed as much as
 * useless small ones. Saturating penalties behave differently: the penalty of a weight stops
 * growing once it is large, so a weight the data needs pays a bounded price while the small ones
 * are still pushed to zero. After training, those near-zero weights can be deleted (compression).
 *
 * Per weight w, with strength λ ≥ 0 and scale w0 > 0 (u = (w / w0)²):
 *
 *   quadratic    B(w) = λ · w²                    dB/dw = 2λ·w
 *   hyperbolic   B(w) = λ · u / (1 + u)           dB/dw = 2λ·w / (w0² · (1 + u)²)
 *   exponential  B(w) = λ · (1 − exp(−u))         dB/dw = 2λ·w · exp(−u) / w0²
 *
 * With w0 = 1 the hyperbolic bias is λ·w²/(1+w²). Both saturating biases behave like a quadratic
 * bias of strength λ/w0² for |w| ≪ w0 and approach λ (a fixed cost per non-zero weight, a smooth
 * count of the weights) for |w| ≫ w0; w0 sets where "small" ends. The hyperbolic form is the
 * "weight elimination" penalty of Weigend, Rumelhart & Huberman (1991).
 *
 * The penalty is a sum over weights (not a mean), added to the batch-mean loss at every step. By
 * default only the weight matrices are penalised, not the biases: a bias does not connect two units.
 */
import * as tf from "@tensorflow/tfjs";
import type { DenseLayer } from "../core/models";
import type { LossFn } from "../core/train";

export const DECAY_BIASES = ["none", "quadratic", "hyperbolic", "exponential"] as const;
export type DecayBias = (typeof DECAY_BIASES)[number];

export interface WeightDecayOptions {
  /** Which bias: "none", "quadratic" (plain weight decay), "hyperbolic" or "exponential". */
  kind: DecayBias;
  /** Strength λ ≥ 0 of the penalty (ignored for "none"). */
  lambda: number;
  /** Scale w0 > 0 of the saturating biases (default 1: λ·w²/(1+w²)); ignored by "quadratic". */
  scale?: number;
  /** Penalise the bias vectors too (default false). */
  includeBiases?: boolean;
}

export function checkWeightDecayOptions(opts: WeightDecayOptions): Required<WeightDecayOptions> {
  if (!opts || typeof opts !== "object") throw new Error(`weight-decay options must be an object {kind, lambda, scale?}, got ${String(opts)}`);
  if (!(DECAY_BIASES as readonly string[]).includes(opts.kind)) {
    throw new Error(`unknown weight-decay bias ${JSON.stringify(opts.kind)}; use one of ${DECAY_BIASES.join(", ")}`);
  }
  const lambda = opts.kind === "none" ? (opts.lambda ?? 0) : opts.lambda;
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda < 0) {
    throw new Error(`weight-decay lambda=${String(lambda)} must be a finite number ≥ 0 (0 = no decay); a negative λ would reward large weights`);
  }
  const scale = opts.scale ?? 1;
  if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) {
    throw new Error(`weight-decay scale w0=${String(scale)} must be a finite number > 0 (the weight size where the ${opts.kind} bias starts to saturate)`);
  }
  return { kind: opts.kind, lambda, scale, includeBiases: opts.includeBiases ?? false };
}

/** B(w) for one weight in plain JavaScript (float64): the reference the tensor code is tested against. */
export function biasPenalty(w: number, options: WeightDecayOptions): number {
  const o = checkWeightDecayOptions(options);
  const u = (w / o.scale) ** 2;
  switch (o.kind) {
    case "none":
      return 0;
    case "quadratic":
      return o.lambda * w * w;
    case "hyperbolic":
      return (o.lambda * u) / (1 + u);
    case "exponential":
      return o.lambda * (1 - Math.exp(-u));
  }
}

/** dB/dw for one weight in plain JavaScript: the shrinking force the bias puts on that weight. */
export function biasPenaltyGradient(w: number, options: WeightDecayOptions): number {
  const o = checkWeightDecayOptions(options);
  const w02 = o.scale * o.scale;
  const u = (w * w) / w02;
  switch (o.kind) {
    case "none":
      return 0;
    case "quadratic":
      return 2 * o.lambda * w;
    case "hyperbolic":
      return (2 * o.lambda * w) / (w02 * (1 + u) ** 2);
    case "exponential":
      return (2 * o.lambda * w * Math.exp(-u)) / w02;
  }
}

/** Σ B(w) over all entries of `tensors`, as a differentiable scalar. */
export function weightDecayPenalty(tensors: tf.Tensor[], options: WeightDecayOptions): tf.Scalar {
  const o = checkWeightDecayOptions(options);
  return tf.tidy(() => {
    if (o.kind === "none" || o.lambda === 0 || tensors.length === 0) return tf.scalar(0);
    const perTensor = tensors.map((t) => {
      if (o.kind === "quadratic") return tf.sum(tf.square(t));
      const u = tf.square(tf.div(t, o.scale));
      return o.kind === "hyperbolic" ? tf.sum(tf.div(u, tf.add(1, u))) : tf.sum(tf.sub(1, tf.exp(tf.neg(u))));
    });
    return tf.mul(o.lambda, tf.addN(perTensor)) as tf.Scalar;
  });
}

/** The tensors a bias applies to: every layer's W, and b too when includeBiases. */
export function decayedTensors(layers: DenseLayer[], includeBiases = false): tf.Tensor[] {
  return layers.flatMap((l) => (includeBiases ? [l.W, l.b] : [l.W]));
}

/**
 * A loss for `trainNetwork`: the data loss plus the bias over `net`'s weights. The trainer takes
 * gradients of the returned scalar with respect to the net's variables, so the penalty's gradient
 * (the decay) is applied by the same optimizer step as the data gradient.
 */
export function withWeightDecayBias(lossFn: LossFn, net: { layers: DenseLayer[] }, options: WeightDecayOptions): LossFn {
  const o = checkWeightDecayOptions(options);
  if (!net || !Array.isArray(net.layers) || net.layers.length === 0) throw new Error("withWeightDecayBias needs a network with dense layers (an Mlp from buildMlp)");
  if (typeof lossFn !== "function") throw new Error(`withWeightDecayBias needs a loss function (targets, logits) => scalar, got ${typeof lossFn}`);
  if (o.kind === "none" || o.lambda === 0) return lossFn;
  return (targets, logits) => tf.tidy(() => tf.add(lossFn(targets, logits), weightDecayPenalty(decayedTensors(net.layers, o.includeBiases), o)) as tf.Scalar);
}

/** All weight-matrix entries of a net (no biases), flattened: for histograms and counts. */
export function weightValues(net: { layers: DenseLayer[] }): Float32Array {
  const parts = net.layers.map((l) => l.W.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** How many of `values` have |v| < threshold. */
export function countNearZero(values: ArrayLike<number>, threshold: number): number {
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new Error(`near-zero threshold=${threshold} must be a finite number > 0`);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) < threshold) n++;
  return n;
}
