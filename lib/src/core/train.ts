/**
 * One trainer for teachers and students. Mini-batch gradient descent with seeded shuffling, seeded
 * dropout and seeded input jitter (so one seed repeats a run on one backend), SGD / momentum / Adam
 * with a per-epoch learning-rate decay, a held-out validation part with early stopping on its loss,
 * a progress line per epoch, and checkpoints at epoch boundaries that a killed run resumes from.
 *
 * The loss is any `(targets, logits) => scalar`: one-hot labels for ordinary training, a teacher's
 * outputs concatenated with labels for distillation (targets are computed once for the whole transfer
 * set, never per batch).
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed, makeRng, permutation } from "@kdh/datasets";
import { Network } from "./models";
import { readBlobSet, stableHash, writeBlobSet } from "./store";
import { packFloat32, unpackFloat32 } from "./network-store";
import { resolveConfig } from "./config";
import { fusedCrossEntropy, fusedCrossEntropyApplies } from "./fused-cross-entropy";

export type OptimizerName = "sgd" | "momentum" | "adam";

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** Momentum coefficient for "momentum". */
  momentum: number;
  /** Multiply the learning rate by this after every epoch (1 = constant). */
  lrDecay: number;
  seed: number;
  /** Fraction of the training set held out for validation and early stopping (0 = none). */
  validationFraction: number;
  /** Stop after this many epochs without a better validation loss and keep the best weights (0 = never). */
  patience: number;
  /** Shift each training image by up to this many pixels in x and y (Hinton et al.'s jitter); 0 = off. */
  jitterPixels: number;
  /** Side of the square images, needed for jitter (e.g. 28). */
  imageSize: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  epochs: 10,
  batchSize: 128,
  optimizer: "momentum",
  learningRate: 0.05,
  momentum: 0.9,
  lrDecay: 1,
  seed: 0,
  validationFraction: 0,
  patience: 0,
  jitterPixels: 0,
  imageSize: 28,
};

export type LossFn = (targets: tf.Tensor2D, logits: tf.Tensor2D) => tf.Scalar;

export interface TrainSet {
  /** Inputs [n, features]. */
  x: tf.Tensor2D;
  /** What the loss compares the logits with, [n, anything]. */
  targets: tf.Tensor2D;
  /** True classes, for validation accuracy (optional). */
  labels?: ArrayLike<number>;
}

export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  valLoss?: number;
  valAccuracy?: number;
  learningRate: number;
  seconds: number;
}

export interface TrainHistory {
  records: EpochRecord[];
  /** Epoch whose weights the network holds at the end (the best validation epoch with early stopping). */
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Epoch the run resumed after, when it continued from a checkpoint. */
  resumedFrom?: number;
  seconds: number;
  steps: number;
  config: TrainConfig;
}

export interface ProgressSink {
  update(text: string): void;
  done(text: string): void;
}

export interface TrainHooks {
  /** Called after every optimizer step (after constraints), e.g. to re-apply pruning masks. */
  afterStep?: (net: Network) => void;
  /** Called after every epoch; return false to stop training. */
  onEpochEnd?: (record: EpochRecord) => void | boolean;
  /** Folder for epoch-boundary checkpoints; a run started again with the same config resumes there. */
  checkpointDir?: string;
  /** Shown in progress lines. */
  label?: string;
  /** Where progress goes; default: a live line in notebooks, a bar in terminals. `null` silences it. */
  progress?: ProgressSink | null;
}

export function checkTrainConfig(cfg: TrainConfig): TrainConfig {
  const posInt = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${what}=${v} must be a positive whole number`);
  };
  posInt(cfg.epochs, "epochs");
  posInt(cfg.batchSize, "batchSize");
  if (!["sgd", "momentum", "adam"].includes(cfg.optimizer)) throw new Error(`optimizer=${JSON.stringify(cfg.optimizer)} is not one of sgd, momentum, adam`);
  if (!(cfg.learningRate > 0) || !Number.isFinite(cfg.learningRate)) throw new Error(`learningRate=${cfg.learningRate} must be a finite number > 0`);
  if (!(cfg.momentum >= 0 && cfg.momentum < 1)) throw new Error(`momentum=${cfg.momentum} must be in [0, 1)`);
  if (!(cfg.lrDecay > 0 && cfg.lrDecay <= 1)) throw new Error(`lrDecay=${cfg.lrDecay} must be in (0, 1]`);
  if (!(cfg.validationFraction >= 0 && cfg.validationFraction < 1)) throw new Error(`validationFraction=${cfg.validationFraction} must be in [0, 1)`);
  if (!Number.isInteger(cfg.patience) || cfg.patience < 0) throw new Error(`patience=${cfg.patience} must be a whole number ≥ 0`);
  if (!Number.isInteger(cfg.jitterPixels) || cfg.jitterPixels < 0) throw new Error(`jitterPixels=${cfg.jitterPixels} must be a whole number ≥ 0`);
  if (!Number.isInteger(cfg.seed) || cfg.seed < 0) throw new Error(`seed=${cfg.seed} must be a non-negative whole number`);
  return cfg;
}

function makeOptimizer(cfg: TrainConfig): tf.Optimizer {
  switch (cfg.optimizer) {
    case "sgd":
      return tf.train.sgd(cfg.learningRate);
    case "momentum":
      return tf.train.momentum(cfg.learningRate, cfg.momentum);
    case "adam":
      return tf.train.adam(cfg.learningRate);
  }
}

/** tfjs 4.22's MomentumOptimizer.dispose() forgets the learning-rate scalar it inherits from SGD. */
export function disposeOptimizer(opt: tf.Optimizer): void {
  opt.dispose();
  const c = (opt as unknown as { c?: tf.Tensor }).c;
  if (c && !c.isDisposed) c.dispose();
}

function setLearningRate(opt: tf.Optimizer, lr: number): void {
  // SGD and momentum cache the rate in a scalar (setLearningRate); Adam reads the field each step.
  const o = opt as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof o.setLearningRate === "function") o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** Shift each square image of a batch by a random integer offset in [-p, p]², filling with zeros. */
export function jitterBatch(x: Float32Array, size: number, maxShift: number, seed: number): Float32Array {
  const px = size * size;
  if (x.length % px !== 0) throw new Error(`jitter needs ${size}x${size} images, but a batch row has ${x.length} values in all (not a multiple of ${px}); set imageSize`);
  const out = new Float32Array(x.length);
  const rng = makeRng(seed);
  for (let i = 0; i < x.length / px; i++) {
    const dy = rng.int(2 * maxShift + 1) - maxShift;
    const dx = rng.int(2 * maxShift + 1) - maxShift;
    const o = i * px;
    for (let r = 0; r < size; r++) {
      const sr = r - dy;
      if (sr < 0 || sr >= size) continue;
      for (let c = 0; c < size; c++) {
        const sc = c - dx;
        if (sc >= 0 && sc < size) out[o + r * size + c] = x[o + sr * size + sc];
      }
    }
  }
  return out;
}

interface Split {
  trainIdx: Int32Array;
  valIdx: Int32Array;
}

function splitIndices(n: number, fraction: number, seed: number): Split {
  const perm = permutation(n, makeRng(deriveSeed(seed, "validation-split")));
  const nVal = Math.round(n * fraction);
  if (fraction > 0 && (nVal < 1 || n - nVal < 1)) throw new Error(`validationFraction=${fraction} of ${n} examples leaves an empty training or validation part`);
  return { valIdx: perm.slice(0, nVal), trainIdx: perm.slice(nVal) };
}

function defaultProgress(label: string): ProgressSink {
  try {
    // display.ts knows whether we run inside a notebook kernel or a terminal.
    const display = require("./display") as { progressLine?: (label: string) => ProgressSink };
    if (display.progressLine) return display.progressLine(label);
  } catch {
    /* fall through to plain lines */
  }
  return { update: () => undefined, done: (t) => console.log(`${label}: ${t}`) };
}

const fmt = (v: number | undefined, d = 4) => (v === undefined ? "-" : v.toFixed(d));

/**
 * Train `net` in place on `data` with `loss`. Returns the per-epoch history. With a validation part
 * and patience > 0 it restores the weights of the best validation epoch before returning.
 */
export async function trainNetwork(net: Network, data: TrainSet, loss: LossFn, config: Partial<TrainConfig>, hooks: TrainHooks = {}): Promise<TrainHistory> {
  const cfg = checkTrainConfig(resolveConfig(DEFAULT_TRAIN_CONFIG, config as Record<string, unknown>, "the training config"));
  const n = data.x.shape[0];
  if (n === 0) throw new Error("the training set is empty (0 examples)");
  if (data.targets.shape[0] !== n) throw new Error(`inputs have ${n} rows but targets have ${data.targets.shape[0]}; they must match`);
  if (data.labels && data.labels.length !== n) throw new Error(`inputs have ${n} rows but labels have ${data.labels.length}`);
  if (cfg.jitterPixels > 0 && data.x.shape[1] !== cfg.imageSize * cfg.imageSize) {
    throw new Error(`jitterPixels=${cfg.jitterPixels} needs ${cfg.imageSize}x${cfg.imageSize} images, but inputs have ${data.x.shape[1]} features; set imageSize or jitterPixels=0`);
  }
  const label = hooks.label ?? net.describe();
  const progress = hooks.progress === null ? undefined : hooks.progress ?? defaultProgress(label);

  const { trainIdx, valIdx } = splitIndices(n, cfg.validationFraction, cfg.seed);
  const [xVal, tVal] = valIdx.length ? tf.tidy(() => [tf.gather(data.x, valIdx), tf.gather(data.targets, valIdx)]) : [undefined, undefined];
  const valLabels = data.labels && valIdx.length ? Array.from(valIdx, (i) => Number(data.labels![i])) : undefined;

  const optimizer = makeOptimizer(cfg);
  const history: TrainHistory = { records: [], bestEpoch: 0, stoppedEarly: false, seconds: 0, steps: 0, config: cfg };
  let best: { loss: number; epoch: number; weights?: Float32Array[] } = { loss: Infinity, epoch: 0 };
  let startEpoch = 1;
  const runKey = stableHash({ cfg, n, net: net.kind, shapes: net.variables.map((v) => v.shape), x: data.x.shape, t: data.targets.shape });

  if (hooks.checkpointDir) {
    const resumed = await restoreCheckpoint(hooks.checkpointDir, runKey, net, optimizer);
    if (resumed) {
      startEpoch = resumed.epoch + 1;
      history.records = resumed.records;
      history.resumedFrom = resumed.epoch;
      best = resumed.best;
      progress?.update(`resumed after epoch ${resumed.epoch} from ${hooks.checkpointDir}`);
    }
  }

  const t0 = Date.now();
  const stepsPerEpoch = Math.ceil(trainIdx.length / cfg.batchSize);
  try {
    for (let epoch = startEpoch; epoch <= cfg.epochs; epoch++) {
      const lr = cfg.learningRate * Math.pow(cfg.lrDecay, epoch - 1);
      setLearningRate(optimizer, lr);
      const te = Date.now();
      // The order depends only on (seed, epoch), so a resumed run sees the same batches.
      const order = permutation(trainIdx.length, makeRng(deriveSeed(cfg.seed, `epoch:${epoch}`)));
      let lossSum = 0;
      for (let step = 0; step < stepsPerEpoch; step++) {
        const idx = new Int32Array(Math.min(cfg.batchSize, trainIdx.length - step * cfg.batchSize));
        for (let i = 0; i < idx.length; i++) idx[i] = trainIdx[order[step * cfg.batchSize + i]];
        const stepSeed = deriveSeed(cfg.seed, `step:${epoch}:${step}`);
        const value = tf.tidy(() => {
          let xb = tf.gather(data.x, idx) as tf.Tensor2D;
          if (cfg.jitterPixels > 0) xb = tf.tensor2d(jitterBatch(xb.dataSync() as Float32Array, cfg.imageSize, cfg.jitterPixels, stepSeed), xb.shape);
          const tb = tf.gather(data.targets, idx) as tf.Tensor2D;
          const cost = optimizer.minimize(() => loss(tb, net.forward(xb, { training: true, dropoutSeed: stepSeed })), true, net.variables);
          return cost!.dataSync()[0];
        });
        if (!Number.isFinite(value)) {
          throw new Error(
            `training ${label} diverged: the loss became ${value} at epoch ${epoch}, step ${step + 1}. ` +
              `Lower learningRate (now ${lr}) or check the inputs and targets for NaN/Infinity.`,
          );
        }
        lossSum += value;
        net.applyConstraints();
        hooks.afterStep?.(net);
        history.steps++;
      }
      const record: EpochRecord = { epoch, loss: lossSum / stepsPerEpoch, learningRate: lr, seconds: (Date.now() - te) / 1000 };
      if (xVal && tVal) {
        const [vl, va] = validationScores(net, xVal, tVal, loss, valLabels);
        record.valLoss = vl;
        record.valAccuracy = va;
      }
      history.records.push(record);
      const score = record.valLoss ?? record.loss;
      if (score < best.loss) best = { loss: score, epoch, weights: cfg.patience > 0 && xVal ? snapshot(net) : undefined };
      progress?.update(
        `epoch ${epoch}/${cfg.epochs}  loss ${fmt(record.loss)}  val loss ${fmt(record.valLoss)}  val acc ${fmt(record.valAccuracy, 4)}  lr ${lr.toPrecision(3)}  ${record.seconds.toFixed(1)} s`,
      );
      const stop = hooks.onEpochEnd?.(record) === false || (cfg.patience > 0 && xVal !== undefined && epoch - best.epoch >= cfg.patience);
      if (hooks.checkpointDir) await saveCheckpoint(hooks.checkpointDir, runKey, net, optimizer, epoch, history.records, best);
      if (stop) {
        history.stoppedEarly = epoch < cfg.epochs;
        break;
      }
    }
    if (best.weights) restore(net, best.weights);
    history.bestEpoch = best.weights ? best.epoch : history.records.length ? history.records[history.records.length - 1].epoch : 0;
    history.seconds = (Date.now() - t0) / 1000;
    const last = history.records[history.records.length - 1];
    progress?.done(
      `${history.records.length} epochs in ${history.seconds.toFixed(1)} s; final loss ${fmt(last?.loss)}` +
        (last?.valAccuracy !== undefined ? `, val acc ${fmt(last.valAccuracy)}` : "") +
        (history.stoppedEarly ? `; stopped early, kept epoch ${history.bestEpoch}` : ""),
    );
    return history;
  } finally {
    disposeOptimizer(optimizer);
    xVal?.dispose();
    tVal?.dispose();
  }
}

function validationScores(net: Network, x: tf.Tensor2D, t: tf.Tensor2D, loss: LossFn, labels?: number[]): [number, number | undefined] {
  return tf.tidy(() => {
    const logits = net.predict(x);
    const l = loss(t, logits).dataSync()[0];
    if (!labels) return [l, undefined];
    const pred = tf.argMax(logits, 1).dataSync();
    let right = 0;
    for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) right++;
    return [l, right / labels.length];
  });
}

function snapshot(net: Network): Float32Array[] {
  return net.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
}

function restore(net: Network, weights: Float32Array[]): void {
  tf.tidy(() => net.variables.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape))));
}

interface CheckpointMeta {
  runKey: string;
  epoch: number;
  records: EpochRecord[];
  bestLoss: number;
  bestEpoch: number;
  optimizerNames: string[];
  optimizerShapes: number[][];
  hasBest: boolean;
}

async function saveCheckpoint(
  dir: string,
  runKey: string,
  net: Network,
  optimizer: tf.Optimizer,
  epoch: number,
  records: EpochRecord[],
  best: { loss: number; epoch: number; weights?: Float32Array[] },
): Promise<void> {
  const opt = await optimizer.getWeights();
  const meta: CheckpointMeta = {
    runKey,
    epoch,
    records,
    bestLoss: best.loss,
    bestEpoch: best.epoch,
    optimizerNames: opt.map((w) => w.name),
    optimizerShapes: opt.map((w) => w.tensor.shape.slice()),
    hasBest: !!best.weights,
  };
  const blobs: Record<string, Uint8Array> = {
    "weights.bin": packFloat32(snapshot(net)),
    "optimizer.bin": packFloat32(opt.map((w) => Float32Array.from(w.tensor.dataSync() as Float32Array))),
  };
  if (best.weights) blobs["best.bin"] = packFloat32(best.weights);
  writeBlobSet(dir, blobs, meta as unknown as Record<string, unknown>);
}

async function restoreCheckpoint(
  dir: string,
  runKey: string,
  net: Network,
  optimizer: tf.Optimizer,
): Promise<{ epoch: number; records: EpochRecord[]; best: { loss: number; epoch: number; weights?: Float32Array[] } } | undefined> {
  const read = readBlobSet(dir);
  if (!read.ok) return undefined;
  const meta = read.meta as unknown as CheckpointMeta;
  if (meta.runKey !== runKey) {
    console.log(`checkpoint in ${dir} belongs to a different run (config or data changed); starting afresh`);
    return undefined;
  }
  const shapes = net.variables.map((v) => v.shape.slice());
  restore(net, unpackFloat32(read.blobs["weights.bin"], shapes));
  if (meta.optimizerNames.length) {
    const values = unpackFloat32(read.blobs["optimizer.bin"], meta.optimizerShapes);
    const named = meta.optimizerNames.map((name, i) => ({ name, tensor: tf.tensor(values[i], meta.optimizerShapes[i]) }));
    await optimizer.setWeights(named);
    // The optimizer copied them into its own variables.
    named.forEach((w) => w.tensor.dispose());
  }
  const bestWeights = meta.hasBest && read.blobs["best.bin"] ? unpackFloat32(read.blobs["best.bin"], shapes) : undefined;
  return { epoch: meta.epoch, records: meta.records, best: { loss: meta.bestLoss, epoch: meta.bestEpoch, weights: bestWeights } };
}

/** Mean cross-entropy between softmax(logits) and target distributions (one-hot or soft). */
export const crossEntropyLoss: LossFn = (targets, logits) =>
  tf.tidy(() => {
    if (targets.shape[1] !== logits.shape[1]) {
      throw new Error(`cross-entropy targets have ${targets.shape[1]} classes but logits have ${logits.shape[1]}`);
    }
    // One kernel with an analytic gradient where the backend has it (fused-cross-entropy.ts).
    if (fusedCrossEntropyApplies(targets, logits)) return fusedCrossEntropy(targets, logits);
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });

/** One-hot rows [n, classes] for integer labels, checking their range. */
export function oneHot(labels: ArrayLike<number>, classes: number): tf.Tensor2D {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes) throw new Error(`label ${y} at index ${i} is outside 0..${classes - 1}`);
  }
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels), "int32"), classes).toFloat() as tf.Tensor2D);
}
