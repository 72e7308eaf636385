import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { normalisedAdjacency } from "./adjacency";
import { stochasticBlockModel } from "./sbm";
import { nodeMask, nodeSplit, nodeTensors, trainGcnTeacher, trainNodeMlp } from "./node-training";
import { runGraphDistillationSeed } from "./distillation-run";

before(async () => {
  await initBackend();
});

const graphCfg = { nodes: 240, classes: 3, meanDegree: 8, homophily: 0.85, featureSize: 16, signal: 0.3, seed: 2 };
const train = { epochs: 60, learningRate: 0.01, weightDecay: 5e-4, patience: 0, seed: 0 };

test("split: labelsPerClass per class, disjoint parts covering every node, unseen carved from the test", () => {
  const g = stochasticBlockModel(graphCfg);
  const s = nodeSplit(g.labels, g.classes, { labelsPerClass: 5, validation: 30, unseenFraction: 0.5, seed: 1 });
  assert.equal(s.train.length, 15);
  const perClass = [0, 0, 0];
  s.train.forEach((i) => perClass[g.labels[i]]++);
  assert.deepEqual(perClass, [5, 5, 5]);
  const all = [...s.train, ...s.val, ...s.test, ...s.unseen];
  assert.equal(new Set(all).size, 240);
  assert.equal(s.unseen.length, Math.floor((240 - 45) / 2));
  assert.throws(() => nodeSplit(g.labels, g.classes, { labelsPerClass: 5, validation: 300, seed: 1 }), /leaves no test nodes/);
  assert.throws(() => nodeSplit(g.labels, g.classes, { labelsPerClass: 100, validation: 3, seed: 1 }), /class \d has only 80 node\(s\)/);
});

test("node mask: 1/|idx| on the chosen nodes", () => {
  const m = nodeMask(4, Int32Array.from([1, 3]));
  assert.deepEqual(Array.from(m.dataSync()), [0, 0.5, 0, 0.5]);
  m.dispose();
  assert.throws(() => nodeMask(3, Int32Array.from([5])), /node 5 is outside 0..2/);
});

test("GCN teacher beats a feature-only MLP on a homophilous block model; tensor count stays flat", () => {
  const g = stochasticBlockModel(graphCfg);
  const split = nodeSplit(g.labels, g.classes, { labelsPerClass: 10, validation: 40, unseenFraction: 0.3, seed: 0 });
  const t = nodeTensors(normalisedAdjacency(g), g.features, g.featureSize, g.labels, g.classes);
  const before = tf.memory().numTensors;
  const gcn = trainGcnTeacher(t, split, { ...train, hidden: 16, dropout: 0.5 });
  const afterGcn = tf.memory().numTensors;
  const mlp = trainNodeMlp(t, split, { kind: "hard" }, { ...train, hidden: [32], dropout: 0.5 });
  const z = gcn.logits();
  const kd = trainNodeMlp(t, split, { kind: "distilled", teacherLogits: z, lambda: 0, temperature: 1 }, { ...train, hidden: [32], dropout: 0.5 });
  z.dispose();
  assert.ok(gcn.accuracy.test > mlp.accuracy.test + 0.05, `GCN ${gcn.accuracy.test} vs MLP ${mlp.accuracy.test}`);
  assert.ok(Number.isFinite(kd.accuracy.unseen) && kd.accuracy.test > mlp.accuracy.test, `distilled ${kd.accuracy.test} vs hard ${mlp.accuracy.test}`);
  assert.equal(gcn.params, 16 * 16 + 16 + 16 * 3 + 3);
  mlp.dispose();
  kd.dispose();
  assert.equal(tf.memory().numTensors, afterGcn, "students leave nothing behind");
  gcn.dispose();
  assert.equal(tf.memory().numTensors, before, "the teacher leaves nothing behind");
  t.dispose();
});

test("the distilled student never trains on unseen nodes: changing their teacher labels changes nothing", () => {
  const g = stochasticBlockModel(graphCfg);
  const split = nodeSplit(g.labels, g.classes, { labelsPerClass: 10, validation: 40, unseenFraction: 0.5, seed: 0 });
  const t = nodeTensors(normalisedAdjacency(g), g.features, g.featureSize, g.labels, g.classes);
  const base = tf.randomNormal([240, 3], 0, 1, "float32", 5) as tf.Tensor2D;
  const noise = new Float32Array(240 * 3);
  split.unseen.forEach((i) => [0, 1, 2].forEach((k) => (noise[i * 3 + k] = 5 * (k - 1))));
  const changed = tf.add(base, tf.tensor2d(noise, [240, 3])) as tf.Tensor2D;
  const cfg = { ...train, epochs: 10, hidden: [8], dropout: 0 };
  const a = trainNodeMlp(t, split, { kind: "distilled", teacherLogits: base, lambda: 0.5, temperature: 2 }, cfg);
  const b = trainNodeMlp(t, split, { kind: "distilled", teacherLogits: changed, lambda: 0.5, temperature: 2 }, cfg);
  const [la, lb] = [a.logits(), b.logits()];
  assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(la, lb))).dataSync()[0]) < 1e-5);
  [la, lb, base, changed].forEach((x) => x.dispose());
  a.dispose();
  b.dispose();
  assert.throws(() => trainNodeMlp(t, split, { kind: "distilled", teacherLogits: tf.zeros([3, 3]) as tf.Tensor2D, lambda: 0, temperature: 1 }, cfg), /teacher logits have shape \[3, 3\], expected \[240, 3\]/);
  assert.throws(() => trainNodeMlp(t, split, { kind: "distilled", teacherLogits: tf.zeros([240, 3]) as tf.Tensor2D, lambda: 2, temperature: 1 }, cfg), /lambda=2 must be in \[0, 1\]/);
  t.dispose();
});

test("one seed of the experiment returns finite scores for the three models and disposes everything", () => {
  const before = tf.memory().numTensors;
  const r = runGraphDistillationSeed({ ...graphCfg, labelsPerClass: 10, validation: 40, unseenFraction: 0.5, gcnHidden: 8, mlpHidden: [16], dropout: 0.5, epochs: 20, learningRate: 0.01, weightDecay: 5e-4, patience: 10, lambda: 0, temperature: 1 }, 3);
  for (const m of [r.gcn, r.mlpHard, r.mlpDistilled]) for (const v of [m.train, m.val, m.test, m.unseen]) assert.ok(v >= 0 && v <= 1);
  assert.ok(r.featureBayes!.unseen > 0 && r.featureBayes!.unseen <= 1);
  assert.equal(tf.memory().numTensors, before);
});

test("distilOnGraph runs the three models on a graph that is not from the block model", async () => {
  const { buildGraph } = await import("./graph");
  const { distilOnGraph } = await import("./distillation-run");
  const g0 = stochasticBlockModel(graphCfg);
  // The same nodes handed over as a user would: plain arrays, no generator patterns.
  const g = buildGraph({ nodes: g0.nodes, edges: g0.edges, features: Array.from({ length: g0.nodes }, (_, i) => Array.from(g0.features.subarray(i * 16, i * 16 + 16))), labels: g0.labels });
  const before = tf.memory().numTensors;
  const r = distilOnGraph(g, { labelsPerClass: 10, validation: 40, unseenFraction: 0, gcnHidden: 8, mlpHidden: [16], dropout: 0.5, epochs: 15, learningRate: 0.01, weightDecay: 5e-4, patience: 0, lambda: 0.5, temperature: 2 }, 0);
  assert.equal(r.featureBayes, undefined);
  assert.equal(r.split.unseen, 0);
  assert.ok(Number.isNaN(r.mlpDistilled.unseen) && r.mlpDistilled.test >= 0);
  assert.equal(tf.memory().numTensors, before);
});
