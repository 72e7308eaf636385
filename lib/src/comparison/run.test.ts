import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { COMPARISON_DEFAULTS, ComparisonConfig } from "./methods";
import { runComparison } from "./run";
import { loadComparisonTask } from "./task";
import { summarizeComparison } from "./summary";

// A tiny comparison (a few hundred digits, 8x8 pixels, one-epoch nets) exercising every row that
// trains an MLP, twice: the second run must load every row from the row cache with the same numbers,
// and neither run may leave tensors behind.
const tiny: ComparisonConfig = {
  ...COMPARISON_DEFAULTS,
  trainSize: 300,
  validationSize: 100,
  testSize: 100,
  imageSide: 8,
  seeds: [3],
  teacherHidden: [24, 24],
  teacherEpochs: 1,
  ensembleSize: 2,
  studentHidden: [8],
  studentEpochs: 1,
  temperatures: [2, 4],
  largeStudentEpochs: 1,
  pruneRounds: 2,
  retrainEpochs: 1,
  gmdhSide: 4,
  gmdhKeep: 4,
  gmdhMaxLayers: 2,
};

test("runComparison: rows are computed once, then all loaded from the cache; no tensors leak", async () => {
  await initBackend();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-cmp-"));
  const prevCache = process.env.KDH_CACHE_DIR;
  process.env.KDH_CACHE_DIR = dir; // the teacher cache too
  const task = loadComparisonTask(tiny);
  try {
    const before = tf.memory().numTensors;
    const first = await runComparison(task, tiny, { log: () => {}, progress: null });
    assert.equal(tf.memory().numTensors, before, "first run leaves no tensors");
    const done = first.filter((e) => e.result);
    assert.ok(done.length >= 10, `expected at least 10 rows, got ${done.length}`);
    assert.ok(done.every((e) => e.result!.source === "computed"));
    for (const e of done) {
      const r = e.result!.row;
      assert.ok(r.accuracy >= 0 && r.accuracy <= 1, `${e.method}: accuracy ${r.accuracy}`);
      assert.ok(r.nonZeroParams > 0 && r.nonZeroParams <= r.totalParams, `${e.method}: ${r.nonZeroParams} of ${r.totalParams}`);
    }
    // The pruning rows removed the configured fraction (to rounding).
    for (const m of ["obd", "magnitudePruning"]) {
      const r = done.find((e) => e.method === m)!.result!.row;
      assert.ok(Math.abs(1 - r.nonZeroParams / r.totalParams - tiny.pruneSparsity) < 0.01, `${m}: sparsity ${1 - r.nonZeroParams / r.totalParams}`);
    }
    const second = await runComparison(task, tiny, { log: () => {}, progress: null });
    assert.equal(tf.memory().numTensors, before, "second run leaves no tensors");
    const again = second.filter((e) => e.result);
    assert.ok(again.every((e) => e.result!.source === "cached" && e.result!.recordHash === e.result!.configHash));
    assert.deepEqual(again.map((e) => e.result!.row.accuracy), done.map((e) => e.result!.row.accuracy));
    const summary = summarizeComparison(second);
    assert.ok(summary.some((s) => s.onParetoFront));
  } finally {
    task.dispose();
    if (prevCache === undefined) delete process.env.KDH_CACHE_DIR;
    else process.env.KDH_CACHE_DIR = prevCache;
  }
});
