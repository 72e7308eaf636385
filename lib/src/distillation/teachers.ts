/**
 * Teachers for knowledge distillation (Hinton, Vinyals & Dean, 2015, section 3):
 *  - the paper's large MLP teacher: two hidden layers of 1200 ReLU units, dropout on hidden units
 *    (and inputs), a max-norm constraint on each unit's incoming weights (Srivastava et al., 2014),
 *    inputs jittered by up to two pixels;
 *  - an ensemble teacher averaging its members' outputs (probabilities by default, logits as an option);
 *  - the transfer set's targets, computed once from a teacher and reused for every batch and epoch.
 */
import * as tf from "@tensorflow/tfjs";
import { buildMlp, Mlp, MlpSpec, Network } from "../core/models";
import { buildCnn, Cnn, CnnSpec } from "../core/cnn";
import { requireConvolutionTraining } from "../core/backend";
import { crossEntropyLoss, oneHot, trainNetwork, TrainConfig, TrainHistory, TrainHooks } from "../core/train";
import { cachedTeacher, dataFingerprint } from "./cache";
import { buildDistillationTargets, TeacherOutputKind } from "./losses";
import { checkTemperature, softmaxWithTemperature } from "./temperature";

/** The paper's MNIST teacher architecture (section 3). Only inputSize, classes and seed are missing. */
export const PAPER_TEACHER: Omit<MlpSpec, "inputSize" | "classes" | "seed"> = {
  hidden: [1200, 1200],
  activation: "relu",
  // Dropout 0.5 on hidden units and 0.2 on inputs, as in Hinton et al. (2012)/Srivastava et al. (2014).
  dropout: 0.5,
  inputDropout: 0.2,
  // Max-norm radius c of Srivastava et al. (2014), who found c in [3, 4] to work for MNIST MLPs.
  maxNorm: 3.5,
};

/** The paper's teacher training: inputs jittered by up to two pixels in any direction. */
export const PAPER_TEACHER_JITTER_PIXELS = 2;

/** Anything that maps inputs [batch, features] to logits [batch, classes]. */
export interface Predictor {
  predict(x: tf.Tensor, batchSize?: number): tf.Tensor2D;
}

export type EnsembleCombine = "probs" | "logits";

/**
 * An ensemble of trained networks used as one teacher.
 * combine = "probs" (default): the ensemble's distribution at temperature T is the average of its
 * members' tempered distributions, mean_m softmax(v_m / T); its logits (for argmax evaluation) are
 * log of the T = 1 average. combine = "logits": one distribution softmax(mean_m v_m / T).
 */
export class EnsembleTeacher implements Predictor {
  readonly kind = "ensemble";
  constructor(
    readonly members: Network[],
    readonly combine: EnsembleCombine = "probs",
  ) {
    if (!Array.isArray(members) || members.length === 0) throw new Error(`an ensemble needs at least one member network, got ${members?.length}`);
    if (combine !== "probs" && combine !== "logits") throw new Error(`ensemble combine must be "probs" or "logits", got ${JSON.stringify(combine)}`);
  }

  /** The ensemble's distribution at temperature T: [batch, classes]. The caller owns the result. */
  softTargets(x: tf.Tensor, T: number, batchSize = 1024): tf.Tensor2D {
    checkTemperature(T);
    const logits = this.members.map((m) => m.predict(x, batchSize));
    try {
      return tf.tidy(() => {
        const classes = new Set(logits.map((l) => l.shape[1]));
        if (classes.size !== 1) throw new Error(`ensemble members disagree on the number of classes: ${[...classes].join(", ")}`);
        if (this.combine === "logits") return softmaxWithTemperature(tf.div(tf.addN(logits), logits.length), T);
        return tf.div(tf.addN(logits.map((l) => softmaxWithTemperature(l, T))), logits.length) as tf.Tensor2D;
      });
    } finally {
      tf.dispose(logits);
    }
  }

  /** Logits whose softmax is the ensemble's T = 1 distribution (for argmax and evaluation). */
  predict(x: tf.Tensor, batchSize = 1024): tf.Tensor2D {
    if (this.combine === "logits") {
      const logits = this.members.map((m) => m.predict(x, batchSize));
      try {
        return tf.tidy(() => tf.div(tf.addN(logits), logits.length) as tf.Tensor2D);
      } finally {
        tf.dispose(logits);
      }
    }
    return tf.tidy(() => tf.log(tf.maximum(this.softTargets(x, 1, batchSize), 1e-30)) as tf.Tensor2D);
  }

  /** Same as predict, so the ensemble can be passed where a network's forward pass is expected. */
  forward(x: tf.Tensor): tf.Tensor2D {
    return this.predict(x);
  }

  dispose(): void {
    this.members.forEach((m) => m.dispose());
  }
}

export type Teacher = Predictor | EnsembleTeacher;

/**
 * A teacher network whose logits on one input tensor (the transfer set) are computed the first time they
 * are asked for and copied out on every later call. A grid of student runs distilled from one teacher
 * would otherwise run it over the whole transfer set once per run (for a CNN teacher on 60,000 images,
 * seconds each). Any other input goes to the network. The caller owns each result; dispose() frees the
 * kept logits (the network stays the caller's).
 */
export class TransferSetLogits implements Predictor {
  private logits: tf.Tensor2D | null = null;

  constructor(
    readonly net: Predictor,
    readonly transferX: tf.Tensor,
  ) {}

  predict(x: tf.Tensor, batchSize = 1024): tf.Tensor2D {
    if (x !== this.transferX) return this.net.predict(x, batchSize);
    if (this.logits === null || this.logits.isDisposed) this.logits = tf.keep(this.net.predict(x, batchSize));
    return this.logits.clone();
  }

  dispose(): void {
    this.logits?.dispose();
    this.logits = null;
  }
}

export interface TeacherOutputs {
  /** Shape [n, classes]: logits, or probabilities at temperature T (see teacherIs). */
  outputs: tf.Tensor2D;
  teacherIs: TeacherOutputKind;
  /** The temperature the outputs are tied to (probabilities), or null for logits (any T). */
  T: number | null;
}

/**
 * The teacher's outputs on the transfer set, computed once. A single network gives logits (valid at any
 * T: the loss tempers them); a probability-averaging ensemble gives its tempered distribution at T.
 */
export function teacherOutputs(teacher: Teacher, x: tf.Tensor, T: number, batchSize = 1024): TeacherOutputs {
  checkTemperature(T);
  if (teacher instanceof EnsembleTeacher && teacher.combine === "probs") {
    return { outputs: teacher.softTargets(x, T, batchSize), teacherIs: "probs", T };
  }
  return { outputs: teacher.predict(x, batchSize), teacherIs: "logits", T: null };
}

/**
 * The full targets tensor for the trainer, [n, 2 * classes] = [teacher outputs | one-hot labels], and
 * the teacherIs to give makeDistillationLoss. labels = null for an unlabelled transfer set.
 */
export function transferTargets(teacher: Teacher, x: tf.Tensor, labels: ArrayLike<number> | null, T: number, batchSize = 1024): { targets: tf.Tensor2D; teacherIs: TeacherOutputKind } {
  const t = teacherOutputs(teacher, x, T, batchSize);
  try {
    return { targets: buildDistillationTargets(t.outputs, t.teacherIs, labels), teacherIs: t.teacherIs };
  } finally {
    t.outputs.dispose();
  }
}

/**
 * Average soft-target similarity between classes (notebook 01's "dark knowledge" heatmap):
 * entry [a][b] = mean over examples of true class a of the teacher's probability for class b at T.
 */
export function classSimilarity(teacher: Teacher, x: tf.Tensor, labels: ArrayLike<number>, T: number, classes: number): number[][] {
  const probs = teacher instanceof EnsembleTeacher ? teacher.softTargets(x, T) : tf.tidy(() => softmaxWithTemperature(teacher.predict(x), T));
  try {
    if (probs.shape[1] !== classes) throw new Error(`the teacher gives ${probs.shape[1]} classes, expected ${classes}`);
    if (labels.length !== probs.shape[0]) throw new Error(`got ${labels.length} labels for ${probs.shape[0]} inputs`);
    const p = probs.dataSync();
    const sum = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
    const count = new Array<number>(classes).fill(0);
    for (let i = 0; i < labels.length; i++) {
      const y = labels[i];
      if (!Number.isInteger(y) || y < 0 || y >= classes) throw new Error(`label ${i} is ${y}, expected an integer in [0, ${classes - 1}]`);
      count[y]++;
      for (let k = 0; k < classes; k++) sum[y][k] += p[i * classes + k];
    }
    return sum.map((row, a) => row.map((s) => (count[a] ? s / count[a] : NaN)));
  } finally {
    probs.dispose();
  }
}

/**
 * Train a teacher MLP (or load it from the teacher cache when this exact recipe, data and seed were
 * trained before). `spec` is the architecture without input/class counts (e.g. PAPER_TEACHER).
 */
export async function trainTeacher(opts: {
  name: string;
  trainX: tf.Tensor2D;
  trainLabels: Uint8Array;
  classes: number;
  spec: Omit<MlpSpec, "inputSize" | "classes" | "seed">;
  train: Partial<TrainConfig>;
  seed: number;
  hooks?: TrainHooks;
  log?: (line: string) => void;
}): Promise<{ net: Mlp; fromCache: boolean; note: string; history: TrainHistory | null }> {
  const inputSize = opts.trainX.shape[1];
  const spec: MlpSpec = { ...opts.spec, inputSize, classes: opts.classes, seed: opts.seed };
  const data = dataFingerprint({ x: opts.trainX.dataSync() as Float32Array, y: opts.trainLabels });
  const cfg = { ...opts.train, seed: opts.seed };
  const r = await cachedTeacher(
    { name: opts.name, config: { spec, train: cfg }, data, seed: opts.seed },
    async () => {
      const net = buildMlp(spec);
      return { net, extra: await trainOnLabels(net, opts.trainX, opts.trainLabels, opts.classes, cfg, { label: `teacher ${opts.name}`, ...opts.hooks }) };
    },
    { log: opts.log },
  );
  return { net: r.net as Mlp, fromCache: r.fromCache, note: r.note, history: (r.extra as TrainHistory | null) ?? null };
}

/** Cross-entropy training of a teacher on hard labels (the one-hot targets live only for the run). */
async function trainOnLabels(net: Network, x: tf.Tensor2D, labels: Uint8Array, classes: number, cfg: Partial<TrainConfig>, hooks: TrainHooks): Promise<TrainHistory> {
  const targets = oneHot(labels, classes);
  try {
    return await trainNetwork(net, { x, targets, labels }, crossEntropyLoss, cfg, hooks);
  } finally {
    targets.dispose();
  }
}

/**
 * Train a small convolutional teacher (core/cnn.ts) on flat [n, rows*cols] images, or load it from the
 * teacher cache (key: spec, training config, data fingerprint, seed). Not in the 2015 paper: on
 * Fashion-MNIST the paper's MLP teacher is barely better than an MLP student (an independent PyTorch
 * check), and distillation needs a teacher that is clearly stronger than its student.
 */
export async function trainCnnTeacher(opts: {
  name: string;
  trainX: tf.Tensor2D;
  trainLabels: Uint8Array;
  classes: number;
  /** Image side: trainX must be [n, imageSize * imageSize]; a multiple of 4 (two 2x2 pools). */
  imageSize: number;
  spec: Omit<CnnSpec, "rows" | "cols" | "classes" | "seed">;
  train: Partial<TrainConfig>;
  seed: number;
  hooks?: TrainHooks;
  log?: (line: string) => void;
}): Promise<{ net: Cnn; fromCache: boolean; note: string; history: TrainHistory | null; seconds: number }> {
  const side = opts.imageSize;
  if (opts.trainX.shape[1] !== side * side) throw new Error(`trainCnnTeacher: trainX has ${opts.trainX.shape[1]} features, expected imageSize^2 = ${side * side}; load the data at imageSize ${side}`);
  const spec: CnnSpec = { ...opts.spec, rows: side, cols: side, classes: opts.classes, seed: opts.seed };
  const data = dataFingerprint({ x: opts.trainX.dataSync() as Float32Array, y: opts.trainLabels });
  const cfg = { ...opts.train, seed: opts.seed, imageSize: side };
  const t0 = Date.now();
  const r = await cachedTeacher(
    { name: opts.name, config: { kind: "cnn", spec, train: cfg }, data, seed: opts.seed },
    async () => {
      requireConvolutionTraining(`training the CNN teacher ${opts.name}`);
      const net = buildCnn(spec);
      return { net, extra: await trainOnLabels(net, opts.trainX, opts.trainLabels, opts.classes, cfg, { label: `teacher ${opts.name}`, ...opts.hooks }) };
    },
    { log: opts.log },
  );
  return { net: r.net as Cnn, fromCache: r.fromCache, note: r.note, history: (r.extra as TrainHistory | null) ?? null, seconds: (Date.now() - t0) / 1000 };
}
