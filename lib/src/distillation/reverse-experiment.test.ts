/** Notebook 50's experiment at a tiny size: every arm for every repeat and size, accuracies in (0, 1], deterministic, no tensors left. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { runReverseDistillation, type ReverseDistillationConfig } from "./reverse-experiment";

const cfg: ReverseDistillationConfig = {
  seed: 50, seeds: 2, trainSizes: [60, 120], testSize: 100, teacherHidden: [8], studentHidden: [16], steps: 10, batchSize: 32, learningRate: 0.003,
  temperatures: [2], softWeights: [0.5], labelSmoothing: 0.1, bornAgainT: 1, bornAgainSoftWeight: 1, generations: 2,
};

test("runReverseDistillation: arms × repeats × sizes, pairable, deterministic, flat tensor count", async () => {
  await initBackend("cpu");
  const before = tf.memory().numTensors;
  const lines: string[] = [];
  const r = await runReverseDistillation(cfg, (l) => lines.push(l));
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(r.armNames, ["teacher (small, hard labels)", "large, hard labels", "large, KD T=2 w=0.5", "large, label smoothing ε=0.1", "born-again small, generation 1", "born-again small, generation 2"]);
  for (const n of cfg.trainSizes) {
    for (const a of r.armNames) {
      assert.equal(r.acc[n][a].length, cfg.seeds, `${a} at ${n}`);
      assert.ok(r.acc[n][a].every((v) => v > 0 && v <= 1), `${a} at ${n}: ${r.acc[n][a]}`);
    }
    assert.equal(r.trainAcc[n]["large, hard labels"].length, cfg.seeds);
  }
  assert.equal(r.epochsFor(60), Math.round((10 * 32) / 60));
  assert.equal(lines.length, cfg.seeds * cfg.trainSizes.length * r.armNames.length, "one progress line per trained arm");
  const again = await runReverseDistillation(cfg);
  assert.deepEqual(again.acc, r.acc);
});
