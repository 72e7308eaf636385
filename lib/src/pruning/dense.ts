/**
 * What the pruning methods need from a network, and the objective they measure.
 *
 * Optimal Brain Damage (LeCun, Denker & Solla, 1989) is defined for a feed-forward net of dense
 * layers: z = a·W + b, a' = f(z). The pruning code works on that contract only (`DenseLayer[]` as
 * built by core `buildMlp`: W a tf.Variable [in, out], b [out], an activation name), so it runs on a
 * hand-made layer list as well as on an `Mlp`. Anything else (a conv kernel, a missing bias, an
 * activation whose derivative we do not know) is rejected here with a message naming the layer.
 *
 * Parameters are addressed per layer as `{W, b}` flat Float32Arrays in W's row-major [in, out] order;
 * Hessian diagonals, saliencies and masks all use that same shape (`LayerParams`).
 */
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { applyActivation, type Activation } from "../core/models";

export const SUPPORTED_ACTIVATIONS = ["tanh", "sigmoid", "relu", "linear"] as const;
export type PrunableActivation = (typeof SUPPORTED_ACTIVATIONS)[number];

/** The `DenseLayer` contract of core/models, structurally: an `Mlp.layers` array satisfies it. */
export interface PrunableLayer {
  W: tf.Variable;
  b: tf.Variable;
  activation: string;
}

/** One number per parameter, laid out like the network: W row-major [in, out], b [out]. */
export type LayerParams = Array<{ W: Float32Array; b: Float32Array }>;

/**
 * The objectives the second-order backprop knows, both averaged over samples:
 * - "squared-error": ½ Σ_k (y_k − t_k)² per sample (the paper's mean-squared-error objective,
 *   with the ½ so that its second derivative with respect to an output is exactly 1);
 * - "cross-entropy": −Σ_k t_k log softmax(y)_k per sample (targets one-hot or probabilities).
 */
export const PRUNING_LOSSES = ["squared-error", "cross-entropy"] as const;
export type PruningLoss = (typeof PRUNING_LOSSES)[number];

/** A data set as tensors: inputs [n, in] and targets [n, out] (one-hot for classification). */
export interface PruningData {
  x: tf.Tensor2D;
  targets: tf.Tensor2D;
}

export function checkLoss(loss: string): PruningLoss {
  if (!(PRUNING_LOSSES as readonly string[]).includes(loss)) {
    throw new Error(`loss ${JSON.stringify(loss)} is not supported by the pruning code; expected one of ${PRUNING_LOSSES.join(", ")}.`);
  }
  return loss as PruningLoss;
}

/**
 * Check that `layers` is a chain of dense layers the method supports; returns it typed.
 * Throws naming the first offending layer, what it has and what was expected.
 */
export function checkLayers(layers: unknown): PrunableLayer[] {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new Error(
      `expected a non-empty array of dense layers {W: tf.Variable [in,out], b: tf.Variable [out], activation}; got ${describe(layers)}. ` +
        `Pass an Mlp's .layers.`,
    );
  }
  let prevOut: number | undefined;
  layers.forEach((layer: any, i: number) => {
    const where = `layer ${i}`;
    if (!layer || typeof layer !== "object") throw new Error(`${where} is ${describe(layer)}, not a dense layer {W, b, activation}.`);
    if (!(layer.W instanceof tf.Variable) || !(layer.b instanceof tf.Variable)) {
      throw new Error(
        `${where} has no W/b tf.Variables (keys: ${Object.keys(layer).join(", ") || "none"}); only dense layers ` +
          `{W: [in,out], b: [out], activation} are supported by OBD here (no conv, no layers without bias).`,
      );
    }
    if (layer.W.rank !== 2) {
      throw new Error(`${where} has W of shape [${layer.W.shape}] (rank ${layer.W.rank}); only dense layers with a rank-2 [in, out] kernel are supported (a conv kernel is rank 4).`);
    }
    const [inSize, outSize] = layer.W.shape as [number, number];
    if (layer.b.rank !== 1 || layer.b.shape[0] !== outSize) {
      throw new Error(`${where} has b of shape [${layer.b.shape}] but W is [${inSize}, ${outSize}]; b must be [${outSize}].`);
    }
    if (prevOut !== undefined && inSize !== prevOut) {
      throw new Error(`${where} takes ${inSize} inputs but the previous layer gives ${prevOut}; the layers do not chain.`);
    }
    if (!(SUPPORTED_ACTIVATIONS as readonly string[]).includes(layer.activation)) {
      throw new Error(
        `${where} has activation ${JSON.stringify(layer.activation)}; the second-order backprop supports ${SUPPORTED_ACTIVATIONS.join(", ")}.`,
      );
    }
    prevOut = outSize;
  });
  return layers as PrunableLayer[];
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return "null";
  if (v && typeof v === "object") return `an object (${(v as object).constructor?.name ?? "Object"})`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

export function checkData(layers: PrunableLayer[], data: PruningData): number {
  const { x, targets } = data ?? ({} as PruningData);
  if (!(x instanceof tf.Tensor) || !(targets instanceof tf.Tensor) || x.rank !== 2 || targets.rank !== 2) {
    throw new Error(`data must be {x: tf.Tensor2D [n, in], targets: tf.Tensor2D [n, out]}; got x ${x?.shape ? `[${x.shape}]` : describe(x)}, targets ${targets?.shape ? `[${targets.shape}]` : describe(targets)}.`);
  }
  const inSize = layers[0].W.shape[0];
  const outSize = layers[layers.length - 1].W.shape[1];
  if (x.shape[1] !== inSize) throw new Error(`data.x has ${x.shape[1]} features per sample but the first layer expects ${inSize}.`);
  if (targets.shape[1] !== outSize) throw new Error(`data.targets has ${targets.shape[1]} columns but the network has ${outSize} outputs.`);
  if (targets.shape[0] !== x.shape[0]) throw new Error(`data.x has ${x.shape[0]} samples but data.targets has ${targets.shape[0]}.`);
  if (x.shape[0] === 0) throw new Error("data is empty (0 samples); the Hessian diagonal is an average over samples.");
  return x.shape[0];
}

export function checkBatchSize(batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new Error(`batchSize must be a positive integer, got ${batchSize}.`);
  return batchSize;
}

export function activate(z: tf.Tensor, activation: string): tf.Tensor {
  if (!(SUPPORTED_ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new Error(`activation ${JSON.stringify(activation)} is not one of ${SUPPORTED_ACTIVATIONS.join(", ")}.`);
  }
  return applyActivation(z, activation as Activation);
}

/** Network outputs [n, out] for inputs [n, in] (no dropout: pruning looks at the trained function). */
export function forwardLayers(layers: PrunableLayer[], x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    let a: tf.Tensor = x;
    for (const layer of layers) a = activate(tf.add(tf.matMul(a as tf.Tensor2D, layer.W as tf.Tensor2D), layer.b), layer.activation);
    return a as tf.Tensor2D;
  });
}

/** Per-sample loss [n] for outputs y [n, out]. */
export function perSampleLoss(loss: PruningLoss, targets: tf.Tensor2D, outputs: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    if (loss === "squared-error") return tf.mul(0.5, tf.sum(tf.square(tf.sub(outputs, targets)), 1)) as tf.Tensor1D;
    return tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(outputs)), 1)) as tf.Tensor1D;
  });
}

/**
 * The objective as a trainer loss function `(targets, outputs) → scalar` (mean over the batch), so a
 * network can be trained on exactly the objective whose Hessian OBD approximates.
 */
export function pruningObjective(loss: PruningLoss): (targets: tf.Tensor, outputs: tf.Tensor) => tf.Scalar {
  checkLoss(loss);
  return (targets, outputs) => tf.tidy(() => tf.mean(perSampleLoss(loss, targets as tf.Tensor2D, outputs as tf.Tensor2D)) as tf.Scalar);
}

/** Row ranges [start, end) covering n samples in batches. */
export function batchRanges(n: number, batchSize: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let s = 0; s < n; s += batchSize) out.push([s, Math.min(n, s + batchSize)]);
  return out;
}

/** The objective averaged over the whole data set, as a number. */
export function objectiveOn(layers: PrunableLayer[], data: PruningData, loss: PruningLoss, batchSize = 1024): number {
  checkLayers(layers);
  checkLoss(loss);
  const n = checkData(layers, data);
  checkBatchSize(batchSize);
  let total = 0;
  for (const [s, e] of batchRanges(n, batchSize)) {
    total += tf.tidy(() => {
      const xb = data.x.slice([s, 0], [e - s, -1]);
      const tb = data.targets.slice([s, 0], [e - s, -1]);
      return tf.sum(perSampleLoss(loss, tb, forwardLayers(layers, xb))).dataSync()[0];
    });
  }
  return total / n;
}

/** Current parameter values, copied out of the variables. */
export function readParams(layers: PrunableLayer[]): LayerParams {
  return layers.map((l) => ({ W: l.W.dataSync().slice() as Float32Array, b: l.b.dataSync().slice() as Float32Array }));
}

/** Write parameter values back into the variables (shapes must match). */
export function writeParams(layers: PrunableLayer[], params: LayerParams): void {
  layers.forEach((l, i) => {
    tf.tidy(() => {
      l.W.assign(tf.tensor(params[i].W, l.W.shape));
      l.b.assign(tf.tensor(params[i].b, l.b.shape));
    });
  });
}

export function countParams(layers: PrunableLayer[]): number {
  return layers.reduce((s, l) => s + l.W.size + l.b.size, 0);
}

/** Flatten LayerParams in the fixed order layer 0 W, layer 0 b, layer 1 W, ... */
export function flattenParams(p: LayerParams): Float64Array {
  const n = p.reduce((s, l) => s + l.W.length + l.b.length, 0);
  const out = new Float64Array(n);
  let k = 0;
  for (const l of p) {
    out.set(l.W, k);
    k += l.W.length;
    out.set(l.b, k);
    k += l.b.length;
  }
  return out;
}

/** Names for flat indices, e.g. "layer 1 W[3,7]", for tables and error messages. */
export function paramName(layers: PrunableLayer[], flatIndex: number): string {
  let k = flatIndex;
  for (let i = 0; i < layers.length; i++) {
    const [inSize, outSize] = layers[i].W.shape as [number, number];
    if (k < inSize * outSize) return `layer ${i} W[${Math.floor(k / outSize)},${k % outSize}]`;
    k -= inSize * outSize;
    if (k < outSize) return `layer ${i} b[${k}]`;
    k -= outSize;
  }
  throw new Error(`parameter index ${flatIndex} is out of range; the network has ${countParams(layers)} parameters.`);
}

/**
 * A chain of dense layers with seeded Gaussian weights (std `scale`/√fan-in) and small biases: for
 * tests, benchmarks and examples that need a network without the trainer. Dispose with
 * `disposeLayers`.
 */
export function randomDenseLayers(sizes: number[], activations: string[], seed: number, scale = 1): PrunableLayer[] {
  if (sizes.length < 2 || activations.length !== sizes.length - 1) {
    throw new Error(`randomDenseLayers needs sizes [in, ..., out] and one activation per layer; got ${sizes.length} sizes and ${activations.length} activations.`);
  }
  const rng = makeRng(seed);
  const layers = activations.map((activation, l) => {
    const [ni, no] = [sizes[l], sizes[l + 1]];
    const w = new Float32Array(ni * no).map(() => (scale * rng.normal()) / Math.sqrt(ni));
    const b = new Float32Array(no).map(() => 0.1 * rng.normal());
    // tf.tidy never disposes variables, so the initial values are freed and the variables kept.
    return tf.tidy(() => ({ W: tf.variable(tf.tensor2d(w, [ni, no])), b: tf.variable(tf.tensor1d(b)), activation }));
  });
  return checkLayers(layers);
}

export function disposeLayers(layers: PrunableLayer[]): void {
  for (const l of layers) {
    l.W.dispose();
    l.b.dispose();
  }
}
