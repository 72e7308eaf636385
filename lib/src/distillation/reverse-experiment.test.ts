/** Notebook 50's experiment at a tiny size: every arm for every repeat and size, accuracies in (0, 1], deterministic, no tensors left. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { ensembleAccuracy, runReverseDistillation, type ReverseDistillationConfig } from "./reverse-experiment";

const cfg: ReverseDistillationConfig = {
  seed: 50, seeds: 2, trainSizes: [60, 120], testSize: 100, teacherHidden: [8], studentHidden: [16], steps: 10, batchSize: 32, learningRate: 0.003,
  temperatures: [2], softWeights: [0.5], labelSmoothing: 0.1, bornAgainT: 1, bornAgainSoftWeight: 1, generations: 2,
  poorTeacherSteps: 2, deKdT: 2, deKdSoftWeight: 0.5, tfKdCorrectProb: 0.9, tfKdT: 2, tfKdSoftWeight: 0.5,
};

test("runReverseDistillation: arms × repeats × sizes, pairable, deterministic, flat tensor count", async () => {
  await initBackend("cpu");
  const before = tf.memory().numTensors;
  const lines: string[] = [];
  const r = await runReverseDistillation(cfg, (l) => lines.push(l));
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(r.armNames, [
    "teacher (small, hard labels)", "large, hard labels", "large, KD T=2 w=0.5", "large, label smoothing ε=0.1",
    "poorly trained teacher (large, stopped early)", "large, distilled from the poorly trained teacher (De-KD)", "large, teacher-free virtual teacher (Tf-KD)",
    "born-again small, generation 1", "born-again small, generation 2", "born-again ensemble (generations averaged)",
  ]);
  for (const n of cfg.trainSizes) {
    for (const a of r.armNames) {
      assert.equal(r.acc[n][a].length, cfg.seeds, `${a} at ${n}`);
      assert.ok(r.acc[n][a].every((v) => v > 0 && v <= 1), `${a} at ${n}: ${r.acc[n][a]}`);
    }
    assert.equal(r.trainAcc[n]["large, hard labels"].length, cfg.seeds);
  }
  assert.equal(r.epochsFor(60), Math.round((10 * 32) / 60));
  assert.equal(lines.length, cfg.seeds * cfg.trainSizes.length * r.armNames.length, "one progress line per arm (trained or ensembled)");
  const again = await runReverseDistillation(cfg);
  assert.deepEqual(again.acc, r.acc);
});

test("ensembleAccuracy: argmax of summed probabilities, by hand; mismatched sizes are named", async () => {
  await initBackend("cpu");
  // Row 0: 0.7 vs 0.3 → class 0 (label 0, right). Row 1: 0.4 vs 0.6 → class 1 (label 0, wrong). Row 2: 0.2 vs 0.8 → 1 (right).
  const p = tf.tensor2d([[0.7, 0.3], [0.4, 0.6], [0.2, 0.8]]);
  assert.equal(ensembleAccuracy(p, [0, 0, 1]), 2 / 3);
  assert.throws(() => ensembleAccuracy(p, [0, 1]), /3 rows of probabilities but 2 labels/);
  p.dispose();
});
