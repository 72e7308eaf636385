import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { VirtualTeacher } from "./reverse-experiment-virtual-teacher";

test("VirtualTeacher: softmax of its logits is a on the label and (1 − a)/(K − 1) elsewhere (hand arithmetic)", async () => {
  await initBackend();
  const t = new VirtualTeacher([2, 0], 4, 0.9);
  const before = tf.memory().numTensors;
  const p = tf.tidy(() => tf.softmax(t.predict(tf.zeros([2, 5]))).arraySync() as number[][]);
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  const lo = 0.1 / 3;
  const expect = [[lo, lo, 0.9, lo], [0.9, lo, lo, lo]];
  p.forEach((row, i) => row.forEach((v, k) => assert.ok(Math.abs(v - expect[i][k]) < 1e-6, `row ${i} class ${k}: ${v} vs ${expect[i][k]}`)));
  // At temperature T = 2 the tempered target is p^(1/2) renormalised: 0.9^0.5 / (0.9^0.5 + 3 (0.1/3)^0.5).
  const q = tf.tidy(() => tf.softmax(tf.div(t.predict(tf.zeros([2, 5])), 2)).arraySync() as number[][]);
  const ref = Math.sqrt(0.9) / (Math.sqrt(0.9) + 3 * Math.sqrt(lo));
  assert.ok(Math.abs(q[0][2] - ref) < 1e-6);
});

test("VirtualTeacher: bad inputs are named", () => {
  assert.throws(() => new VirtualTeacher([0], 4, 0.2), /correctProb=0.2 must be in \(1\/4, 1\)/);
  assert.throws(() => new VirtualTeacher([0], 4, 1), /correctProb=1/);
  assert.throws(() => new VirtualTeacher([4], 4, 0.9), /label 0 is 4/);
  assert.throws(() => new VirtualTeacher([], 4, 0.9), /no labels/);
  assert.throws(() => new VirtualTeacher([0, 1], 4, 0.9).predict(tf.zeros([3, 2])), /asked for 3 rows but built for 2/);
});
