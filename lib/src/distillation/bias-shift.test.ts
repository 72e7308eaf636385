/** Bias shift: a copy with shifted biases gives logits + delta; the sweep counts by hand. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { buildMlp } from "../core/models";
import { biasShiftSweep, bestBiasShift, shiftOutputBiases } from "./bias-shift";

test("shiftOutputBiases adds delta to that logit only and leaves the original alone", async () => {
  await initBackend();
  const net = buildMlp({ inputSize: 3, hidden: [4], classes: 3, seed: 7 });
  const x = tf.tensor2d([[0.2, -0.1, 0.4]]);
  const base = tf.tidy(() => net.predict(x).arraySync()[0]);
  const shifted = shiftOutputBiases(net, { 1: 2.5, 2: -1 });
  const got = tf.tidy(() => shifted.predict(x).arraySync()[0]);
  const again = tf.tidy(() => net.predict(x).arraySync()[0]);
  [0, 2.5, -1].forEach((d, k) => assert.ok(Math.abs(got[k] - base[k] - d) < 1e-5, `class ${k}`));
  assert.deepEqual(again, base);
  assert.throws(() => shiftOutputBiases(net, { 3: 1 }), /class 3 is not an integer in \[0, 2\]/);
  assert.throws(() => shiftOutputBiases(net, { 0: NaN }), /finite number, got NaN/);
  shifted.dispose();
  net.dispose();
  x.dispose();
});

test("biasShiftSweep counts class and overall accuracy by hand", () => {
  // 4 examples, 3 classes; class 2 is always second-best by 1.
  const values = [
    5, 0, 4, // y=0: correct; delta >= 1 makes it 2
    0, 5, 4.5, // y=1: correct; delta >= 0.5 makes it 2
    5, 0, 4, // y=2: wrong; delta > 1 fixes it
    0, 3, 2.9, // y=2: wrong; delta > 0.1 fixes it
  ];
  const labels = [0, 1, 2, 2];
  const sweep = biasShiftSweep({ values, classes: 3 }, labels, 2, [0, 0.3, 0.8, 1.5]);
  assert.deepEqual(sweep.map((p) => p.classAccuracy), [0, 0.5, 0.5, 1]);
  assert.deepEqual(sweep.map((p) => p.errors), [2, 1, 2, 2]);
  assert.equal(bestBiasShift(sweep).delta, 0.3);
  assert.throws(() => biasShiftSweep({ values, classes: 3 }, labels, 5, [0]), /class 5/);
  assert.throws(() => biasShiftSweep({ values: values.slice(1), classes: 3 }, labels, 2, [0]), /11 values/);
});
