/**
 * Hanson & Pratt's biases on hidden units: a penalty per unit, not per weight, so that whole units die.
 *
 * S. J. Hanson & L. Y. Pratt, "Comparing biases for minimal network construction with
 * back-propagation", NIPS 1 (1989). Following Rumelhart's proposal, the bias added to the error is a
 * function of each hidden unit's total incoming weight, s_i = Σ_j |w_ji| (the column of W that feeds
 * unit i; the unit's own bias term is not counted). Because the penalty saturates in s_i, a unit the
 * data need (a large total) pays a bounded price, while a unit with a small total is pushed towards
 * s_i = 0 with all its incoming weights at once: the unit then outputs a constant and can be removed,
 * its constant folded into the next layer's biases. Their aim was fewer hidden units.
 *
 * Per hidden unit, with strength λ ≥ 0 and scale s0 > 0 (x = s_i / s0):
 *
 *   hyperbolic   B(s) = λ · x / (1 + x)          dB/ds = λ / (s0 · (1 + x)²)
 *   exponential  B(s) = λ · (1 − exp(−x))        dB/ds = λ · exp(−x) / s0
 *
 * They applied the bias as weight decay: every incoming weight of unit i decays at the unit's rate
 * ε_i = dB/ds(s_i), i.e. the update adds −η·ε_i·w_ji. (Read literally as the gradient of B, the force
 * would be ε_i·sign(w_ji), an L1 pull that leaves every weight jittering around zero under stochastic
 * gradient descent, so no unit empties; the decay form shrinks a weak unit's weights geometrically.)
 * For s ≪ s0 the rate is λ/s0 for the hyperbolic bias and λ/s0 for the exponential one; for s ≫ s0 it
 * vanishes, so strong units keep their weights while weak ones are pulled to nothing. The value B(s)
 * tends to λ per unit: a smooth count of the live hidden units.
 * (The per-weight hyperbolic form λ·u/(1+u), u = (w/w0)², in weight-decay.ts is Weigend, Rumelhart &
 * Huberman's 1991 weight elimination, not this unit-level bias.)
 *
 * The bias applies to every layer that feeds a hidden unit (all layers but the output layer).
 */
import * as tf from "@tensorflow/tfjs";
import { Mlp, type DenseLayer } from "../core/models";
import type { LossFn } from "../core/train";

export const UNIT_BIASES = ["hyperbolic", "exponential"] as const;
export type UnitBias = (typeof UNIT_BIASES)[number];

export interface UnitBiasOptions {
  kind: UnitBias;
  /** Strength λ ≥ 0 (the price of one fully alive unit). */
  lambda: number;
  /** Scale s0 > 0 of a unit's summed |incoming weight| where the bias starts to saturate. */
  scale: number;
}

export function checkUnitBiasOptions(opts: UnitBiasOptions): UnitBiasOptions {
  if (!opts || typeof opts !== "object") throw new Error(`unit-bias options must be an object {kind, lambda, scale}, got ${String(opts)}`);
  if (!(UNIT_BIASES as readonly string[]).includes(opts.kind)) throw new Error(`unknown unit bias ${JSON.stringify(opts.kind)}; use one of ${UNIT_BIASES.join(", ")}`);
  if (typeof opts.lambda !== "number" || !Number.isFinite(opts.lambda) || opts.lambda < 0) {
    throw new Error(`unit-bias lambda=${String(opts.lambda)} must be a finite number ≥ 0 (0 = no bias)`);
  }
  if (typeof opts.scale !== "number" || !Number.isFinite(opts.scale) || opts.scale <= 0) {
    throw new Error(`unit-bias scale s0=${String(opts.scale)} must be a finite number > 0 (the summed |incoming weight| where the bias saturates)`);
  }
  return { kind: opts.kind, lambda: opts.lambda, scale: opts.scale };
}

/** B(s) for one unit's summed |incoming weight| s, in plain JavaScript (float64): the test reference. */
export function unitBiasValue(s: number, options: UnitBiasOptions): number {
  const o = checkUnitBiasOptions(options);
  if (!(s >= 0) || !Number.isFinite(s)) throw new Error(`a unit's summed |incoming weight| must be a finite number ≥ 0, got ${s}`);
  const x = s / o.scale;
  return o.kind === "hyperbolic" ? (o.lambda * x) / (1 + x) : o.lambda * (1 - Math.exp(-x));
}

/** dB/ds for one unit, in plain JavaScript: the decay rate every incoming weight of that unit feels. */
export function unitBiasSlope(s: number, options: UnitBiasOptions): number {
  const o = checkUnitBiasOptions(options);
  if (!(s >= 0) || !Number.isFinite(s)) throw new Error(`a unit's summed |incoming weight| must be a finite number ≥ 0, got ${s}`);
  const x = s / o.scale;
  return o.kind === "hyperbolic" ? o.lambda / (o.scale * (1 + x) ** 2) : (o.lambda * Math.exp(-x)) / o.scale;
}

/** The identity whose gradient is zero: the decay rates are read from the weights but not differentiated. */
const stopGradient = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([]);
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;

/** Per-unit decay rates ε_i = dB/ds at s_i = Σ_j |w_ji| (one per column of W [in, out]). */
export function unitDecayRates(W: tf.Tensor, options: UnitBiasOptions): tf.Tensor1D {
  const o = checkUnitBiasOptions(options);
  if (W.rank !== 2) throw new Error(`unit bias needs weight matrices [in, out], got shape [${W.shape.join(", ")}]`);
  return tf.tidy(() => {
    const x = tf.div(tf.sum(tf.abs(W), 0), o.scale);
    const r = o.kind === "hyperbolic" ? tf.div(o.lambda / o.scale, tf.square(tf.add(1, x))) : tf.mul(o.lambda / o.scale, tf.exp(tf.neg(x)));
    return r as tf.Tensor1D;
  });
}

/**
 * The training term of the unit bias: Σ_i ε_i · ½ Σ_j w_ji² with the rates ε_i held constant, so its
 * gradient is exactly the decay ε_i · w_ji of every weight. Its value is not B; use unitBiasTotal for that.
 */
export function unitBiasPenalty(matrices: tf.Tensor[], options: UnitBiasOptions): tf.Scalar {
  const o = checkUnitBiasOptions(options);
  return tf.tidy(() => {
    if (o.lambda === 0 || matrices.length === 0) return tf.scalar(0);
    const parts = matrices.map((W) => {
      const rates = stopGradient(unitDecayRates(W, o));
      return tf.mul(0.5, tf.sum(tf.mul(tf.sum(tf.square(W), 0), rates)));
    });
    return tf.addN(parts) as tf.Scalar;
  });
}

/** Σ_units B(s_unit) in plain JavaScript over a net's hidden units: the bias's value (a smooth count of live units). */
export function unitBiasTotal(net: { layers: DenseLayer[] }, options: UnitBiasOptions): number {
  let t = 0;
  for (let l = 0; l < net.layers.length - 1; l++) for (const s of unitIncomingTotals(net, l)) t += unitBiasValue(s, options);
  return t;
}

/** The layers whose weight matrices feed hidden units: all but the output layer. */
export function hiddenFeedLayers(layers: DenseLayer[]): DenseLayer[] {
  return layers.slice(0, -1);
}

/** A loss for `trainNetwork`: the data loss plus the unit bias over `net`'s hidden units. */
export function withUnitBias(lossFn: LossFn, net: { layers: DenseLayer[] }, options: UnitBiasOptions): LossFn {
  const o = checkUnitBiasOptions(options);
  if (typeof lossFn !== "function") throw new Error(`withUnitBias needs a loss function (targets, logits) => scalar, got ${typeof lossFn}`);
  if (!net || !Array.isArray(net.layers) || net.layers.length < 2) throw new Error("withUnitBias needs a network with at least one hidden layer (an Mlp from buildMlp with hidden: [n])");
  if (o.lambda === 0) return lossFn;
  const feeds = hiddenFeedLayers(net.layers);
  return (targets, logits) => tf.tidy(() => tf.add(lossFn(targets, logits), unitBiasPenalty(feeds.map((l) => l.W), o)) as tf.Scalar);
}

/** Summed |incoming weight| of every unit of hidden layer `layer` (0 = the first hidden layer). */
export function unitIncomingTotals(net: { layers: DenseLayer[] }, layer = 0): Float64Array {
  if (!Number.isInteger(layer) || layer < 0 || layer >= net.layers.length - 1) throw new Error(`hidden layer ${layer} does not exist; this net has ${net.layers.length - 1} hidden layer(s)`);
  const W = net.layers[layer].W;
  const [fin, fout] = W.shape as [number, number];
  const w = W.dataSync();
  const s = new Float64Array(fout);
  for (let r = 0; r < fin; r++) for (let c = 0; c < fout; c++) s[c] += Math.abs(w[r * fout + c]);
  return s;
}

/** Indices of the units of the single hidden layer whose summed |incoming weight| is below `threshold`. */
export function deadUnits(net: { layers: DenseLayer[] }, threshold: number): number[] {
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new Error(`dead-unit threshold=${threshold} must be a finite number > 0 (a unit's summed |incoming weight|)`);
  const s = unitIncomingTotals(net, 0);
  const out: number[] = [];
  s.forEach((v, i) => v < threshold && out.push(i));
  return out;
}

/**
 * A copy of a one-hidden-layer MLP without the given hidden units. A removed unit i is replaced by a
 * constant output c_i (default act(b_i), exact for a unit whose incoming weights are all zero; pass the
 * unit's mean activation over the data for a unit that is nearly constant), and c_i times its outgoing
 * weights is folded into the output biases. The caller owns (and disposes) the result.
 */
export function removeHiddenUnits(net: Mlp, units: number[], constants?: ArrayLike<number>): Mlp {
  if (net.layers.length !== 2) throw new Error(`removeHiddenUnits handles one hidden layer; this net has ${net.layers.length - 1}`);
  const [L1, L2] = net.layers;
  const [fin, h] = L1.W.shape as [number, number];
  const classes = L2.W.shape[1] as number;
  if (constants !== undefined && constants.length !== h) throw new Error(`constants must give one output per hidden unit (${h}), got ${constants.length}`);
  const drop = new Set<number>();
  for (const u of units) {
    if (!Number.isInteger(u) || u < 0 || u >= h) throw new Error(`hidden unit ${u} does not exist; units are 0..${h - 1}`);
    drop.add(u);
  }
  if (drop.size >= h) throw new Error(`removing all ${h} hidden units leaves no network; keep at least one`);
  const keep = Array.from({ length: h }, (_, i) => i).filter((i) => !drop.has(i));
  const W1 = L1.W.dataSync(), b1 = L1.b.dataSync(), W2 = L2.W.dataSync(), b2 = Float32Array.from(L2.b.dataSync());
  const act = (z: number) => (L1.activation === "tanh" ? Math.tanh(z) : L1.activation === "relu" ? Math.max(0, z) : L1.activation === "sigmoid" ? 1 / (1 + Math.exp(-z)) : z);
  for (const i of drop) {
    const a = constants ? constants[i] : act(b1[i]);
    if (!Number.isFinite(a)) throw new Error(`the constant output of hidden unit ${i} is ${a}; it must be a finite number`);
    for (let k = 0; k < classes; k++) b2[k] += a * W2[i * classes + k];
  }
  const nW1 = new Float32Array(fin * keep.length), nb1 = new Float32Array(keep.length), nW2 = new Float32Array(keep.length * classes);
  keep.forEach((i, c) => {
    for (let r = 0; r < fin; r++) nW1[r * keep.length + c] = W1[r * h + i];
    nb1[c] = b1[i];
    for (let k = 0; k < classes; k++) nW2[c * classes + k] = W2[i * classes + k];
  });
  return new Mlp({ ...net.spec, hidden: [keep.length] }, [nW1, nb1, nW2, b2]);
}

/** Mean activation of every hidden unit of a one-hidden-layer MLP over the inputs x (the constants to fold). */
export function meanHiddenActivations(net: Mlp, x: tf.Tensor2D): Float32Array {
  if (net.layers.length !== 2) throw new Error(`meanHiddenActivations handles one hidden layer; this net has ${net.layers.length - 1}`);
  const L1 = net.layers[0];
  return tf.tidy(() => {
    const z = tf.add(tf.matMul(x, L1.W), L1.b);
    const a = L1.activation === "tanh" ? tf.tanh(z) : L1.activation === "relu" ? tf.relu(z) : L1.activation === "sigmoid" ? tf.sigmoid(z) : z;
    return tf.mean(a, 0).dataSync() as Float32Array;
  });
}

/**
 * How many hidden units can go: units are removed weakest first (smallest summed |incoming weight|),
 * each replaced by its mean activation over `x`, and the count is the longest such prefix whose
 * reduced net still scores `score(net) ≥ floor`. Returns the count and the reduced net's score.
 */
export function removableUnits(net: Mlp, x: tf.Tensor2D, score: (n: Mlp) => number, floor: number): { removed: number; score: number } {
  if (typeof score !== "function") throw new Error("removableUnits needs a score function (net) => number, e.g. validation accuracy");
  if (!Number.isFinite(floor)) throw new Error(`removableUnits floor=${floor} must be a finite number (the lowest acceptable score)`);
  const totals = unitIncomingTotals(net, 0);
  const order = Array.from(totals.keys()).sort((a, b) => totals[a] - totals[b]);
  const constants = meanHiddenActivations(net, x);
  let best = { removed: 0, score: score(net) };
  for (let k = 1; k < order.length; k++) {
    const small = removeHiddenUnits(net, order.slice(0, k), constants);
    const s = score(small);
    small.dispose();
    if (s < floor) break;
    best = { removed: k, score: s };
  }
  return best;
}
