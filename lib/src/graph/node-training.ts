/**
 * Semi-supervised node classification: the split, a full-batch trainer, and the three models the
 * graph-distillation notebook compares — a GCN teacher (gcn.ts), an MLP on node features trained on the
 * labelled nodes, and the same MLP distilled from the GCN's soft labels on every node, as in Zhang, Liu,
 * Sun & Shah (2022), "Graph-less Neural Networks: teaching old MLPs new tricks via distillation" (GLNN):
 *
 *   L = λ · Σ_{v labelled} CE(y_v, ŷ_v) + (1 − λ) · Σ_{v ∈ V} KL(z_v ‖ ŷ_v)
 *
 * with z_v the teacher's softmax at temperature T and ŷ_v the student's (GLNN: the hard and soft terms
 * are means over their node sets). The student sees each node's own features only; it never sees an
 * edge, so at inference it needs no graph.
 *
 * Training, for all three: one full-batch Adam step per epoch (Kipf & Welling 2017: all nodes in one
 * batch), L2 weight decay on the first layer, dropout, and early stopping on the validation nodes' loss
 * (the weights of the best epoch are kept).
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed, makeRng, permutation } from "@kdh/datasets";
import { Mlp } from "../core/models";
import { disposeOptimizer } from "../core/train";
import { Gcn } from "./gcn";

export interface NodeSplit {
  train: Int32Array;
  val: Int32Array;
  /** Test nodes whose features (not labels) the distilled student may see: GLNN's transductive test. */
  test: Int32Array;
  /** Test nodes held out of the student's training altogether: GLNN's inductive test (may be empty). */
  unseen: Int32Array;
}

/**
 * The split of Kipf & Welling's Planetoid experiments: `labelsPerClass` labelled nodes per class, then
 * `validation` nodes for early stopping, the rest for the test (drawn in a seeded order); of the test
 * nodes, the fraction `unseenFraction` is held out of the distilled student's training (inductive test).
 */
export function nodeSplit(labels: Int32Array, classes: number, opts: { labelsPerClass: number; validation: number; unseenFraction?: number; seed: number }): NodeSplit {
  const unseenFraction = opts.unseenFraction ?? 0;
  if (!(unseenFraction >= 0 && unseenFraction < 1)) throw new Error(`unseenFraction=${unseenFraction} must be in [0, 1).`);
  const n = labels.length;
  if (!Number.isInteger(opts.labelsPerClass) || opts.labelsPerClass < 1) throw new Error(`labelsPerClass=${opts.labelsPerClass} must be a positive whole number.`);
  if (!Number.isInteger(opts.validation) || opts.validation < 1) throw new Error(`validation=${opts.validation} must be a positive whole number of nodes.`);
  const order = permutation(n, makeRng(deriveSeed(opts.seed, "split")));
  const taken = new Array<number>(classes).fill(0);
  const train: number[] = [];
  const rest: number[] = [];
  for (const i of order) {
    if (taken[labels[i]] < opts.labelsPerClass) {
      taken[labels[i]]++;
      train.push(i);
    } else rest.push(i);
  }
  taken.forEach((t, k) => {
    if (t < opts.labelsPerClass) throw new Error(`class ${k} has only ${t} node(s), fewer than labelsPerClass=${opts.labelsPerClass}.`);
  });
  if (rest.length < opts.validation + 1) throw new Error(`validation=${opts.validation} leaves no test nodes: only ${rest.length} nodes remain after the labelled ones.`);
  const test = rest.slice(opts.validation);
  const unseenCount = Math.floor(unseenFraction * test.length);
  return {
    train: Int32Array.from(train),
    val: Int32Array.from(rest.slice(0, opts.validation)),
    test: Int32Array.from(test.slice(unseenCount)),
    unseen: Int32Array.from(test.slice(0, unseenCount)),
  };
}

export interface NodeTrainConfig {
  /** Most epochs (= full-batch steps). */
  epochs: number;
  learningRate: number;
  /** L2 weight decay on the first layer's weights (Kipf & Welling: 5e-4, as weightDecay · ‖W‖²/2). */
  weightDecay: number;
  /** Stop after this many epochs without a lower validation loss (0 = never). */
  patience: number;
  seed: number;
}

export function checkNodeTrainConfig(c: NodeTrainConfig): NodeTrainConfig {
  if (!Number.isInteger(c.epochs) || c.epochs < 1) throw new Error(`epochs=${c.epochs} must be a positive whole number.`);
  if (!(c.learningRate > 0) || !Number.isFinite(c.learningRate)) throw new Error(`learningRate=${c.learningRate} must be a finite number > 0.`);
  if (!(c.weightDecay >= 0) || !Number.isFinite(c.weightDecay)) throw new Error(`weightDecay=${c.weightDecay} must be a finite number ≥ 0.`);
  if (!Number.isInteger(c.patience) || c.patience < 0) throw new Error(`patience=${c.patience} must be a whole number ≥ 0.`);
  return c;
}

export interface NodeTrainResult {
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  seconds: number;
}

/** A 0/1 column [n, 1] selecting `idx`, divided by its count: the masked mean of Kipf & Welling's code
 * (a mask rather than a gather, whose gradient some backends lack). */
export function nodeMask(n: number, idx: Int32Array): tf.Tensor2D {
  if (idx.length === 0) throw new Error("a node mask needs at least one node");
  const m = new Float32Array(n);
  for (const i of idx) {
    if (!(i >= 0 && i < n)) throw new Error(`node ${i} is outside 0..${n - 1}`);
    m[i] = 1 / idx.length;
  }
  return tf.tensor2d(m, [n, 1]);
}

/** Mean cross-entropy over the nodes of a mask made by nodeMask. */
function crossEntropyOn(logits: tf.Tensor2D, mask: tf.Tensor2D, oneHotAll: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.sum(tf.mul(mask, tf.mul(oneHotAll, tf.logSoftmax(logits))))) as tf.Scalar;
}

/**
 * Full-batch training: `forward(training, seed)` gives logits for every node, `loss(logits)` the
 * objective. Early stopping on the validation nodes' cross-entropy; the best epoch's weights are restored.
 */
export function trainFullBatch(
  variables: tf.Variable[],
  decayed: tf.Variable,
  forward: (training: boolean, seed: number) => tf.Tensor2D,
  loss: (logits: tf.Tensor2D) => tf.Scalar,
  val: { mask: tf.Tensor2D; oneHot: tf.Tensor2D },
  cfg: NodeTrainConfig,
): NodeTrainResult {
  checkNodeTrainConfig(cfg);
  const t0 = Date.now();
  const opt = tf.train.adam(cfg.learningRate);
  let best = { loss: Infinity, epoch: 0, weights: variables.map((v) => v.dataSync().slice() as Float32Array) };
  let epoch = 0;
  try {
    for (epoch = 1; epoch <= cfg.epochs; epoch++) {
      const seed = deriveSeed(cfg.seed, `epoch:${epoch}`);
      const cost = tf.tidy(() =>
        opt.minimize(() => tf.add(loss(forward(true, seed)), tf.mul(cfg.weightDecay / 2, tf.sum(tf.square(decayed)))) as tf.Scalar, true, variables)!.dataSync()[0],
      );
      if (!Number.isFinite(cost)) throw new Error(`training diverged: the loss became ${cost} at epoch ${epoch}; lower learningRate (now ${cfg.learningRate}) or check the features for NaN.`);
      const vl = tf.tidy(() => crossEntropyOn(forward(false, 0), val.mask, val.oneHot).dataSync()[0]);
      if (vl < best.loss) best = { loss: vl, epoch, weights: variables.map((v) => v.dataSync().slice() as Float32Array) };
      if (cfg.patience > 0 && epoch - best.epoch >= cfg.patience) break;
    }
  } finally {
    disposeOptimizer(opt);
  }
  tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(best.weights[i], v.shape))));
  return { epochsRun: Math.min(epoch, cfg.epochs), bestEpoch: best.epoch, bestValLoss: best.loss, seconds: (Date.now() - t0) / 1000 };
}

/** Accuracy of logits on a set of nodes. */
export function nodeAccuracy(logits: tf.Tensor2D, labels: Int32Array, idx: Int32Array): number {
  const pred = tf.tidy(() => tf.argMax(tf.gather(logits, tf.tensor1d(idx, "int32")), 1).dataSync());
  let right = 0;
  idx.forEach((node, i) => (right += pred[i] === labels[node] ? 1 : 0));
  return right / idx.length;
}

/** Tensors of one graph, made once and shared by every model trained on it. */
export interface NodeTensors {
  adj: tf.Tensor2D;
  x: tf.Tensor2D;
  oneHot: tf.Tensor2D;
  labels: Int32Array;
  classes: number;
  dispose(): void;
}

export function nodeTensors(adj: Float32Array, features: Float32Array, featureSize: number, labels: Int32Array, classes: number): NodeTensors {
  const n = labels.length;
  if (adj.length !== n * n) throw new Error(`the adjacency holds ${adj.length} values; ${n} nodes need ${n * n}.`);
  if (features.length !== n * featureSize) throw new Error(`the features hold ${features.length} values; ${n} nodes × ${featureSize} features need ${n * featureSize}.`);
  const t = {
    adj: tf.tensor2d(adj, [n, n]),
    x: tf.tensor2d(features, [n, featureSize]),
    oneHot: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), classes).toFloat() as tf.Tensor2D),
    labels,
    classes,
    dispose: () => [t.adj, t.x, t.oneHot].forEach((v) => v.dispose()),
  };
  return t;
}

export interface TrainedNodeModel {
  /** Logits of every node (no dropout); the caller disposes them. */
  logits(): tf.Tensor2D;
  /** Accuracy on each part of the split (unseen: NaN when the split holds none). */
  accuracy: { train: number; val: number; test: number; unseen: number };
  training: NodeTrainResult;
  params: number;
  dispose(): void;
}

function scored(logits: () => tf.Tensor2D, t: NodeTensors, split: NodeSplit): { train: number; val: number; test: number; unseen: number } {
  const z = logits();
  try {
    return {
      train: nodeAccuracy(z, t.labels, split.train),
      val: nodeAccuracy(z, t.labels, split.val),
      test: nodeAccuracy(z, t.labels, split.test),
      unseen: split.unseen.length ? nodeAccuracy(z, t.labels, split.unseen) : NaN,
    };
  } finally {
    z.dispose();
  }
}

export interface GcnTeacherConfig extends NodeTrainConfig {
  hidden: number;
  dropout: number;
}

/** Train Kipf & Welling's GCN on the labelled nodes. */
export function trainGcnTeacher(t: NodeTensors, split: NodeSplit, cfg: GcnTeacherConfig): TrainedNodeModel & { model: Gcn } {
  const model = new Gcn({ inputSize: t.x.shape[1], hidden: cfg.hidden, classes: t.classes, dropout: cfg.dropout, seed: deriveSeed(cfg.seed, "gcn") });
  const n = t.labels.length;
  const trainMask = nodeMask(n, split.train);
  const valMask = nodeMask(n, split.val);
  try {
    const training = trainFullBatch(
      model.variables,
      model.W0,
      (tr, seed) => model.forward(t.adj, t.x, { training: tr, dropoutSeed: seed }),
      (z) => crossEntropyOn(z, trainMask, t.oneHot),
      { mask: valMask, oneHot: t.oneHot },
      cfg,
    );
    const logits = () => model.forward(t.adj, t.x);
    return { model, logits, accuracy: scored(logits, t, split), training, params: model.countParams(), dispose: () => model.dispose() };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    trainMask.dispose();
    valMask.dispose();
  }
}

export interface MlpStudentConfig extends NodeTrainConfig {
  hidden: number[];
  dropout: number;
}

/**
 * What the node MLP learns from: the labelled nodes' classes only ("hard"), or GLNN's mix of those and
 * the teacher's soft labels on every node ("distilled": weight λ on the hard term, temperature T).
 */
export type NodeTargets = { kind: "hard" } | { kind: "distilled"; teacherLogits: tf.Tensor2D; lambda: number; temperature: number };

/** Train an MLP on node features (no edges) on hard labels or distilled from a teacher. */
export function trainNodeMlp(t: NodeTensors, split: NodeSplit, targets: NodeTargets, cfg: MlpStudentConfig): TrainedNodeModel & { model: Mlp } {
  if (targets.kind === "distilled") {
    if (!(targets.lambda >= 0 && targets.lambda <= 1)) throw new Error(`lambda=${targets.lambda} must be in [0, 1] (the weight of the hard-label term).`);
    if (!(targets.temperature > 0) || !Number.isFinite(targets.temperature)) throw new Error(`temperature=${targets.temperature} must be a finite number > 0.`);
    const s = targets.teacherLogits.shape;
    if (s[0] !== t.labels.length || s[1] !== t.classes) throw new Error(`teacher logits have shape [${s.join(", ")}], expected [${t.labels.length}, ${t.classes}] (every node, every class).`);
  }
  const model = new Mlp({ inputSize: t.x.shape[1], hidden: cfg.hidden, classes: t.classes, dropout: cfg.dropout, activation: "relu", seed: deriveSeed(cfg.seed, "mlp") });
  const n = t.labels.length;
  const trainMask = nodeMask(n, split.train);
  const valMask = nodeMask(n, split.val);
  const unseenSet = new Set(split.unseen);
  const soft = targets.kind === "distilled" ? tf.tidy(() => tf.softmax(tf.div(targets.teacherLogits, targets.temperature))) : undefined;
  // The soft term covers every node except the unseen (inductive) test nodes.
  const observed = Int32Array.from({ length: n }, (_, i) => i).filter((i) => !unseenSet.has(i));
  const observedMask = nodeMask(n, observed);
  try {
    const loss = (z: tf.Tensor2D): tf.Scalar => {
      const hard = crossEntropyOn(z, trainMask, t.oneHot);
      if (targets.kind === "hard" || !soft) return hard;
      const T = targets.temperature;
      // KL(p ‖ q) over all nodes, scaled by T² as in Hinton et al. so its gradient does not shrink with T.
      const kl = tf.sum(tf.mul(observedMask, tf.mul(soft, tf.sub(tf.log(tf.add(soft, 1e-12)), tf.logSoftmax(tf.div(z, T))))));
      return tf.add(tf.mul(targets.lambda, hard), tf.mul((1 - targets.lambda) * T * T, kl)) as tf.Scalar;
    };
    const training = trainFullBatch(model.variables, model.layers[0].W, (tr, seed) => model.forward(t.x, { training: tr, dropoutSeed: seed }), loss, { mask: valMask, oneHot: t.oneHot }, cfg);
    const logits = () => model.predict(t.x);
    return { model, logits, accuracy: scored(logits, t, split), training, params: model.countParams(), dispose: () => model.dispose() };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    trainMask.dispose();
    valMask.dispose();
    observedMask.dispose();
    soft?.dispose();
  }
}
