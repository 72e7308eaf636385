import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { buildMlp } from "../core/models";
import { oneHot } from "../core/train";
import { forwardLayers, objectiveOn } from "./dense";
import { pruningTestMetrics } from "./test-metrics";

test("pruningTestMetrics: the error counted by hand from the logits, the objective as objectiveOn; no tensors left", async () => {
  await initBackend("cpu");
  const rng = makeRng(5);
  const n = 40;
  const x = tf.tensor2d(Float32Array.from({ length: n * 6 }, () => rng.normal()), [n, 6]);
  const labels = Array.from({ length: n }, () => rng.int(3));
  const targets = oneHot(labels, 3) as tf.Tensor2D;
  const net = buildMlp({ inputSize: 6, hidden: [5], classes: 3, activation: "tanh", seed: 2 });
  const before = tf.memory().numTensors;
  const m = pruningTestMetrics(net.layers, { x, targets, labels }, "cross-entropy");
  assert.equal(tf.memory().numTensors, before);
  const logits = forwardLayers(net.layers, x).arraySync() as number[][];
  const wrong = logits.filter((row, i) => row.indexOf(Math.max(...row)) !== labels[i]).length;
  assert.equal(m.testError, (100 * wrong) / n);
  assert.equal(m.testObjective, objectiveOn(net.layers, { x, targets }, "cross-entropy"));
  tf.dispose([x, targets]);
  net.dispose();
});
