import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { runTabularCompression } from "./tabular-compression";

const tiny = {
  seed: 3, trainSize: 40, testSize: 50, continuous: 2, nominal: 2, levels: 3, labelNoise: 0, ensembleSize: 2, memberWidths: [8, 4], teacherEpochs: 2,
  studentHidden: [3], studentSteps: 6, batchSize: 16, learningRate: 0.01, mungeP: 0.5, mungeS: 2, pseudoSize: 100,
};

test("runTabularCompression: every arm gives an accuracy in [0, 1], deterministic, no tensor left", async () => {
  await initBackend("cpu");
  const before = tf.memory().numTensors;
  const r = await runTabularCompression(tiny);
  assert.equal(tf.memory().numTensors, before);
  for (const [k, v] of Object.entries(r)) assert.ok(v >= 0 && v <= 1, `${k}=${v}`);
  assert.deepEqual(await runTabularCompression(tiny), r);
});
