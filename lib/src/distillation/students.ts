/**
 * Students and the three ways of training them compared in Hinton, Vinyals & Dean (2015), section 3:
 * on hard labels (cross-entropy), by distillation from a teacher's soft targets at temperature T, and
 * (Ba & Caruana 2014) by matching the teacher's logits. One function per arm, sharing the trainer, so
 * every arm gets the same budget and its own learning rate.
 */
import * as tf from "@tensorflow/tfjs";
import type { ImageDataset } from "@kdh/datasets";
import { buildMlp, Mlp, MlpSpec } from "../core/models";
import { crossEntropyLoss, oneHot, trainNetwork, TrainConfig, TrainHistory, TrainHooks } from "../core/train";
import { evaluateClassifier, ClassifierScores } from "../core/evaluate";
import { makeDistillationLoss, makeLogitMatchingLoss, SoftTerm } from "./losses";
import { Teacher, transferTargets, teacherOutputs } from "./teachers";

/** Student widths used in the paper and in the notebooks, by name. */
export const STUDENT_WIDTHS: Record<string, number[]> = {
  "1200-1200": [1200, 1200],
  "800-800": [800, 800],
  "300-300": [300, 300],
  "100-100": [100, 100],
  "30-30": [30, 30],
  "10-10": [10, 10],
};

/** An unregularised ReLU student (no dropout, no max-norm), as in the paper's hard-label baseline. */
export function buildStudent(opts: { hidden: number[]; inputSize: number; classes: number; seed: number; activation?: MlpSpec["activation"] }): Mlp {
  return buildMlp({ inputSize: opts.inputSize, hidden: opts.hidden, classes: opts.classes, activation: opts.activation ?? "relu", seed: opts.seed });
}


export interface ArmResult {
  net: Mlp;
  history: TrainHistory;
  test: ClassifierScores;
  /** Test errors after each epoch when a test set was given for learning curves. */
  testErrorsByEpoch: number[];
}

export interface ArmData {
  /** Transfer / training inputs [n, features]. */
  x: tf.Tensor2D;
  /** Their labels, or null for an unlabelled transfer set (distillation with softWeight = 1 only). */
  labels: ArrayLike<number> | null;
  testX: tf.Tensor2D;
  testLabels: ArrayLike<number>;
  classes: number;
}

async function runArm(net: Mlp, data: ArmData, targets: tf.Tensor2D, loss: (t: tf.Tensor2D, l: tf.Tensor2D) => tf.Scalar, cfg: Partial<TrainConfig>, hooks: TrainHooks, curve: boolean): Promise<ArmResult> {
  const testErrorsByEpoch: number[] = [];
  const userEnd = hooks.onEpochEnd;
  const history = await trainNetwork(net, { x: data.x, targets, labels: data.labels ?? undefined }, loss, cfg, {
    ...hooks,
    onEpochEnd: (r) => {
      if (curve) testErrorsByEpoch.push(evaluateClassifier(net, data.testX, data.testLabels).errors);
      return userEnd?.(r);
    },
  });
  return { net, history, test: evaluateClassifier(net, data.testX, data.testLabels), testErrorsByEpoch };
}

/** Train `net` on hard labels with cross-entropy. */
export async function trainOnHardLabels(net: Mlp, data: ArmData, cfg: Partial<TrainConfig>, hooks: TrainHooks = {}, curve = true): Promise<ArmResult> {
  if (!data.labels) throw new Error("training on hard labels needs labels; this transfer set has none");
  const targets = oneHot(data.labels, data.classes);
  try {
    return await runArm(net, data, targets, crossEntropyLoss, cfg, hooks, curve);
  } finally {
    targets.dispose();
  }
}

export interface DistillOptions {
  T: number;
  /** Weight of the T^2-scaled soft term; 1 for an unlabelled transfer set. */
  softWeight: number;
  softTerm?: SoftTerm;
}

/**
 * Distil `teacher` into `net` on the transfer set data.x: the teacher's outputs are computed once here
 * (not per batch), concatenated with the one-hot labels, and fed to the trainer with the KD loss.
 */
export async function distillInto(net: Mlp, teacher: Teacher, data: ArmData, kd: DistillOptions, cfg: Partial<TrainConfig>, hooks: TrainHooks = {}, curve = true): Promise<ArmResult> {
  if (!data.labels && kd.softWeight !== 1) throw new Error(`the transfer set is unlabelled but softWeight = ${kd.softWeight}; use softWeight = 1`);
  const { targets, teacherIs } = transferTargets(teacher, data.x, data.labels, kd.T);
  try {
    const loss = makeDistillationLoss({ T: kd.T, softWeight: kd.softWeight, teacherIs, classes: data.classes, softTerm: kd.softTerm });
    return await runArm(net, data, targets, loss, cfg, hooks, curve);
  } finally {
    targets.dispose();
  }
}

/** Train `net` to match the teacher's logits (squared error; Ba & Caruana 2014). */
export async function matchLogitsInto(net: Mlp, teacher: Teacher, data: ArmData, cfg: Partial<TrainConfig>, opts: { zeroMean?: boolean } = {}, hooks: TrainHooks = {}, curve = true): Promise<ArmResult> {
  const t = teacherOutputs(teacher, data.x, 1);
  try {
    if (t.teacherIs !== "logits") throw new Error("logit matching needs a teacher with logits (a network, or an ensemble with combine: \"logits\")");
    return await runArm(net, data, t.outputs, makeLogitMatchingLoss({ classes: data.classes, zeroMean: opts.zeroMean }), cfg, hooks, curve);
  } finally {
    t.outputs.dispose();
  }
}

/** Mean and sample standard deviation. */
export function meanSd(values: number[]): { mean: number; sd: number; n: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}
