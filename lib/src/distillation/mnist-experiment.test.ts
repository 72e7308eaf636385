/**
 * The section-3 experiment at a tiny size: every arm runs for every seed and reports a test score, the
 * ensemble has its members, the optimizer-interaction runs are there, the learning-rate search tries
 * the whole grid, the run is deterministic for a seed, and no tensor is left behind.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { loadExperimentData } from "./transfer";
import { bestTemperature, runCnnTeacherArm, runSection3, runsPerArm, type CnnArmResult, type Section3Config } from "./mnist-experiment";

process.env.KDH_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-mnist-experiment-"));

const cfg: Section3Config = {
  teacherHidden: [16], teacherDropout: 0.1, teacherInputDropout: 0, teacherMaxNorm: 3.5, teacherEpochs: 2, teacherLr: 0.01, jitterPixels: 0,
  ensembleSize: 2, studentHidden: [8], studentEpochs: 2, batchSize: 32, lrGrid: [0.003, 0.01], validationFraction: 0.2,
  T: 4, softWeight: 0.7, seeds: [0, 1], sgdLr: 0.01, sgdMomentum: 0.9,
};

test("runSection3: arms × seeds, ensemble members, SGD runs, the lr grid; deterministic; flat tensor count", async () => {
  await initBackend("cpu");
  const data = loadExperimentData({ source: "digits", trainSize: 160, testSize: 80, imageSize: 7, seed: 0 });
  const before = tf.memory().numTensors;
  const quiet = () => {};
  const r = await runSection3(data, cfg, quiet);
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
  assert.deepEqual(r.arms.map((a) => a.arm), ["hard labels", "distilled (teacher)", "distilled (ensemble)"]);
  for (const a of r.arms) {
    assert.equal(a.errors.length, cfg.seeds.length, `${a.arm}: one score per seed`);
    assert.ok(a.errors.every((e) => Number.isInteger(e) && e >= 0 && e <= r.testN), `${a.arm}: errors ${a.errors}`);
    assert.deepEqual(a.lrSearch.map((s) => s.lr), cfg.lrGrid, `${a.arm}: every learning rate tried`);
    assert.ok(cfg.lrGrid.includes(a.learningRate));
    assert.equal(a.curves.length, cfg.seeds.length);
    // Seed 0's final run is the search's run at the chosen rate: the same validation accuracy, not a second run.
    assert.equal(a.valAccuracies[0], a.lrSearch.find((s) => s.lr === a.learningRate)!.valAccuracy, `${a.arm}: seed 0 reuses its search run`);
    assert.ok(a.valAccuracies.every((v) => v >= 0 && v <= 1), `${a.arm}: every seed held out the validation split (${a.valAccuracies})`);
  }
  assert.equal(r.ensemble.members.length, cfg.ensembleSize);
  assert.equal(r.sgd.length, 3);
  assert.equal(r.testN, 80);
  // Every finished student run is in the run cache: 2 distilled arms × (2 learning rates + the one seed
  // the search did not train) + 2 distilled SGD runs under the teacher's key, the hard-label arm's 3 runs
  // + its SGD run under a key without a teacher.
  const runsDir = path.join(process.env.KDH_CACHE_DIR!, "runs", "s3-digits");
  const hardDir = path.join(process.env.KDH_CACHE_DIR!, "runs", "s3-hard-digits");
  const count = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".json")).length;
  assert.equal(count(runsDir), 8);
  assert.equal(count(hardDir), 4);
  // Without the run cache, the teachers come from the teacher cache and the students retrain with the same seeds: the same numbers.
  fs.rmSync(runsDir, { recursive: true });
  fs.rmSync(hardDir, { recursive: true });
  const again = await runSection3(data, cfg, quiet);
  assert.equal(again.teacher.fromCache, true);
  assert.deepEqual(again.arms.map((a) => a.errors), r.arms.map((a) => a.errors));
  // With it, a rerun (or a run resumed after a kill) reuses them: the same numbers again, no tensors left.
  const cached = await runSection3(data, cfg, quiet);
  assert.deepEqual(cached.arms.map((a) => [a.errors, a.curves, a.learningRate]), r.arms.map((a) => [a.errors, a.curves, a.learningRate]));
  assert.deepEqual(cached.sgd, again.sgd);
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
  data.dispose();
});

test("the CNN-teacher section reuses the hard-label runs of the MLP section on the same images (no teacher in their key)", async () => {
  await initBackend("cpu");
  const data = loadExperimentData({ source: "digits", trainSize: 160, testSize: 80, imageSize: 8, seed: 1 });
  const before = tf.memory().numTensors;
  const quiet = () => {};
  const mlp = await runSection3(data, cfg, quiet);
  const hardDir = path.join(process.env.KDH_CACHE_DIR!, "runs", "s3-hard-digits");
  const hardRuns = fs.readdirSync(hardDir).length;
  const cnn = await runCnnTeacherArm(data, cfg, { channels: [2, 4], dense: 8, dropout: 0, epochs: 1, learningRate: 0.01, batchSize: 32, temperatures: [4], lrGrid: cfg.lrGrid }, quiet);
  assert.equal(fs.readdirSync(hardDir).length, hardRuns, "no hard-label run trained twice");
  const cnnRuns = fs.readdirSync(path.join(process.env.KDH_CACHE_DIR!, "runs", "s3cnn-digits")).filter((f) => f.endsWith(".json")).length;
  assert.equal(cnnRuns, 3, "the CNN section trained only its distilled arm (2 learning rates + the second seed)");
  assert.equal(cnn.bestT, 4, "the only temperature tried is the best on validation");
  const hard = (arms: { arm: string; errors: number[]; learningRate: number }[]) => arms.find((a) => a.arm === "hard labels")!;
  assert.deepEqual([hard(cnn.arms).errors, hard(cnn.arms).learningRate], [hard(mlp.arms).errors, hard(mlp.arms).learningRate]);
  assert.deepEqual(cnn.arms.map((a) => a.arm), ["hard labels", "distilled (CNN, T = 4)"]);
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
  data.dispose();
});

test("runsPerArm: the search's run at the chosen rate is the first seed's run", () => {
  for (const [grid, seeds, runs] of [[[0.1], [0, 1, 2], 3], [[0.1, 0.3], [0, 1, 2], 4], [[0.1, 0.3, 1], [0], 3], [[0.1, 0.3], [5, 6], 3]] as [number[], number[], number][]) {
    assert.equal(runsPerArm(grid, seeds), runs, `grid ${grid}, seeds ${seeds}`);
  }
});

test("bestTemperature: the distilled arm with the highest mean validation accuracy; hard labels and unmeasured arms never win", () => {
  const arm = (T: number | null, valAccuracies: number[]): CnnArmResult["arms"][number] => ({ arm: T === null ? "hard labels" : `distilled (CNN, T = ${T})`, T, learningRate: 0.001, lrSearch: [], errors: [], valAccuracies, curves: [] });
  const cases: [string, CnnArmResult["arms"], number | null][] = [
    ["mean decides, not the best seed", [arm(null, [0.99, 0.99]), arm(20, [0.95, 0.80]), arm(4, [0.90, 0.89])], 4],
    ["hard labels are not a temperature", [arm(null, [0.99]), arm(20, [0.5])], 20],
    ["a tie keeps the first listed", [arm(20, [0.9, 0.8]), arm(4, [0.8, 0.9])], 20],
    ["no validation split: nothing to choose on", [arm(null, [NaN]), arm(20, [NaN]), arm(4, [NaN])], null],
    ["no distilled arm", [arm(null, [0.9])], null],
  ];
  for (const [what, arms, want] of cases) assert.equal(bestTemperature(arms), want, what);
});
