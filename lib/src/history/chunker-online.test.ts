import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { runOnlineChunker } from "./chunker-online";

const tiny = { lag: 8, words: 8, wordLength: 4, hidden: 6, chunkerHidden: 3, trainSequences: 16, testSequences: 8, batchSize: 4, maxSteps: 6, evalEvery: 2, seed: 3 };

test("runOnlineChunker: records every evalEvery steps, consistent solve steps, no tensor leak", async () => {
  await initBackend();
  runOnlineChunker(tiny); // warm-up: kernels and backend caches allocate once
  const before = tf.memory().numTensors;
  const during: number[] = [];
  const r = runOnlineChunker(tiny, () => during.push(tf.memory().numTensors));
  // While the nets train, the count is the same at every evaluation (after the first steps' optimiser slots exist).
  assert.ok(during.slice(1).every((n) => n === during[1]), `tensors at the evaluations: ${during.join(", ")}`);
  assert.equal(tf.memory().numTensors, before, "flat tensor count across a whole run");
  assert.deepEqual(r.records.map((x) => x.step), [0, 2, 4, 6]);
  for (const rec of r.records) {
    for (const k of ["plainAccuracy", "systemAccuracy", "collapsedAccuracy", "passedUpFraction", "finalSurpriseFraction"] as const) {
      assert.ok(rec[k] >= 0 && rec[k] <= 1, `${k}=${rec[k]} at step ${rec.step}`);
    }
  }
  // Step 0: an untrained A is surprised by everything, so every symbol is passed up.
  assert.equal(r.records[0].passedUpFraction, 1);
  for (const arm of ["plain", "system", "collapsed"] as const) {
    const s = r.solvedAt[arm];
    if (s >= 0) assert.ok(r.records.find((x) => x.step === s), `${arm} solved at a recorded step`);
    assert.equal(r.stepsToSolve[arm], s >= 0 ? s : tiny.maxSteps + tiny.evalEvery);
  }
  // Same seed, same run.
  assert.deepEqual(runOnlineChunker(tiny).records, r.records);
});

test("runOnlineChunker: bad configuration is rejected with the value named", () => {
  assert.throws(() => runOnlineChunker({ ...tiny, batchSize: 32 }), /batchSize=32 is larger than trainSequences=16/);
  assert.throws(() => runOnlineChunker({ ...tiny, surpriseThreshold: 1 }), /surpriseThreshold=1/);
  assert.throws(() => runOnlineChunker({ ...tiny, solveAccuracy: 0 }), /solveAccuracy=0/);
  assert.throws(() => runOnlineChunker({ ...tiny, maxSteps: 0 }), /maxSteps=0/);
});
