/**
 * The OBD loop end to end on a small trained net: saliency predicts single-deletion damage, masks
 * survive retraining with momentum and Adam, bad requests fail clearly, memory stays flat.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { buildMlp, Mlp } from "../core/models";
import { trainNetwork } from "../core/train";
import { disposeLayers, flattenParams, forwardLayers, objectiveOn, pruningObjective, randomDenseLayers, readParams } from "./dense";
import { obdSaliency, spearman } from "./saliency";
import { magnitudeScores, randomScores } from "./baselines";
import { PruningMask, countFromFraction } from "./masks";
import { deletionCurve, pruneLoop, retrainWithMask, singleDeletionIncreases } from "./prune-loop";

/** Labels from a random tanh teacher (so a small student can fit them), one-hot targets. */
function teacherTask(n: number, seed: number) {
  const teacher = randomDenseLayers([8, 6, 3], ["tanh", "linear"], seed, 3);
  const rng = makeRng(seed + 1);
  const x = tf.tensor2d(new Float32Array(n * 8).map(() => rng.normal()), [n, 8]);
  const labels = tf.tidy(() => tf.argMax(forwardLayers(teacher, x), 1));
  const targets = tf.tidy(() => tf.oneHot(labels as tf.Tensor1D, 3).toFloat()) as tf.Tensor2D;
  const labelArr = Array.from(labels.dataSync());
  labels.dispose();
  disposeLayers(teacher);
  return { x, targets, labels: labelArr };
}

async function trainedNet(seed: number) {
  await initBackend();
  const data = teacherTask(300, seed);
  const net = buildMlp({ inputSize: 8, hidden: [6], classes: 3, activation: "tanh", seed });
  await trainNetwork(net, data, pruningObjective("cross-entropy"), { epochs: 150, batchSize: 300, optimizer: "adam", learningRate: 0.03, seed }, { progress: null });
  return { net, data };
}

test("single-parameter deletions: saliency ranks the actual objective increases (Spearman)", async () => {
  const { net, data } = await trainedNet(7);
  const s = flattenParams(obdSaliency(net.layers, data, "cross-entropy"));
  const all = Array.from({ length: s.length }, (_, i) => i);
  const actual = singleDeletionIncreases(net.layers, data, "cross-entropy", all);
  const rho = spearman(s, actual);
  const rhoMag = spearman(flattenParams(magnitudeScores(net.layers)), actual);
  console.log(`# ${s.length} single deletions: Spearman(OBD saliency, actual increase) = ${rho.toFixed(4)}; magnitude: ${rhoMag.toFixed(4)}`);
  assert.ok(rho > 0.9, `rank correlation ${rho}`);
  assert.ok(rho > rhoMag, `OBD (${rho}) should rank deletions better than magnitude (${rhoMag})`);
  net.dispose();
  tf.dispose([data.x, data.targets]);
});

for (const optimizer of ["momentum", "adam"] as const) {
  test(`masks hold through retraining with ${optimizer}: every deleted parameter is exactly 0`, async () => {
    const { net, data } = await trainedNet(3);
    // Train first so the optimizer state of the soon-deleted weights would be non-zero if it were kept.
    const mask = PruningMask.keepAll(net.layers);
    mask.deleteLowest(magnitudeScores(net.layers), 40);
    await retrainWithMask(net, data, pruningObjective("cross-entropy"), { epochs: 20, batchSize: 50, optimizer, learningRate: 0.05, seed: 1 }, mask, { progress: null });
    assert.deepEqual(mask.violations(net.layers), []);
    const values = flattenParams(readParams(net.layers));
    const keep = flattenParams(mask.keep);
    let zeros = 0;
    let kept = 0;
    values.forEach((v, i) => {
      if (keep[i] === 0) zeros += Object.is(v, 0) || v === 0 ? 1 : 0;
      else kept += v !== 0 ? 1 : 0;
    });
    assert.equal(zeros, 40);
    assert.equal(kept, values.length - 40, "kept parameters keep training");
    assert.equal(net.countNonZero(), net.countParams() - 40);
    mask.dispose();
    net.dispose();
    tf.dispose([data.x, data.targets]);
  });
}

test("the loop deletes the requested counts, keeps masks, and the tensor count is flat across rounds", async () => {
  const { net, data } = await trainedNet(5);
  const total = net.countParams();
  const lossFn = pruningObjective("cross-entropy");
  const retrain = (mask: PruningMask) => retrainWithMask(net, data, lossFn, { epochs: 3, batchSize: 100, optimizer: "momentum", learningRate: 0.05, seed: 2 }, mask, { progress: null }).then(() => undefined);
  // One warm-up round so lazily created backend state does not count as a leak.
  const warm = await pruneLoop(net.layers, data, { method: "obd", rounds: 1, deleteCount: 5 }, { retrain });
  const before = tf.memory().numTensors;
  const { rounds, mask } = await pruneLoop(net.layers, data, { method: "obd", rounds: 3, deleteFraction: 0.25 }, { retrain, mask: warm.mask });
  assert.equal(tf.memory().numTensors, before, "tensors leaked across prune/retrain rounds");
  let remaining = total - 5;
  for (const r of rounds) {
    const expect = countFromFraction(0.25, remaining);
    assert.equal(r.deletedThisRound, expect);
    remaining -= expect;
    assert.equal(r.remaining, remaining);
    assert.ok(r.predictedIncrease >= 0);
    assert.ok(r.objectiveAfterRetrain! <= r.objectiveAfterDelete + 1e-6, "retraining does not make the objective worse");
  }
  assert.equal(net.countNonZero(), remaining);
  assert.deepEqual(mask.violations(net.layers), []);
  mask.dispose();
  net.dispose();
  tf.dispose([data.x, data.targets]);
});

test("deletion curve: zero deletions = current objective, weights restored, all-deleted = log(classes), OBD no worse than random", async () => {
  const { net, data } = await trainedNet(9);
  const before = flattenParams(readParams(net.layers));
  const base = objectiveOn(net.layers, data, "cross-entropy");
  const total = net.countParams();
  const curves = {
    obd: deletionCurve(net.layers, data, "cross-entropy", obdSaliency(net.layers, data, "cross-entropy"), [0, 10, 30, total]),
    magnitude: deletionCurve(net.layers, data, "cross-entropy", magnitudeScores(net.layers), [0, 10, 30, total]),
    random: deletionCurve(net.layers, data, "cross-entropy", randomScores(net.layers, 1), [0, 10, 30, total]),
  };
  for (const [name, c] of Object.entries(curves)) {
    assert.ok(Math.abs(c[0].objective - base) < 1e-6, `${name}: zero deletions`);
    // Every parameter deleted: logits are all 0, so the cross-entropy is log(3) whatever the order.
    assert.ok(Math.abs(c[3].objective - Math.log(3)) < 1e-5, `${name}: all deleted gives ${c[3].objective}`);
  }
  console.log(`# objective after 30 deletions: OBD ${curves.obd[2].objective.toFixed(4)}, magnitude ${curves.magnitude[2].objective.toFixed(4)}, random ${curves.random[2].objective.toFixed(4)} (base ${base.toFixed(4)})`);
  assert.ok(curves.obd[2].objective <= curves.random[2].objective);
  assert.deepEqual(flattenParams(readParams(net.layers)), before);
  net.dispose();
  tf.dispose([data.x, data.targets]);
});

test("bad input: clear errors", async () => {
  await initBackend();
  const layers = randomDenseLayers([4, 3], ["linear"], 1);
  const mask = PruningMask.keepAll(layers);
  const scores = magnitudeScores(layers);
  const data = { x: tf.zeros([5, 4]) as tf.Tensor2D, targets: tf.zeros([5, 3]) as tf.Tensor2D };
  const rows: Array<[string, () => unknown, RegExp]> = [
    ["too many", () => mask.deleteLowest(scores, 16), /cannot delete 16 parameters: only 15 remain/],
    ["negative", () => mask.deleteLowest(scores, -1), /non-negative integer, got -1/],
    ["fractional count", () => mask.deleteLowest(scores, 2.5), /non-negative integer, got 2.5/],
    ["biases excluded", () => mask.deleteLowest(scores, 13, { includeBiases: false }), /only 12 remain deletable \(biases excluded\)/],
    ["fraction > 1", () => countFromFraction(1.5, 10), /fraction must be in \[0, 1\], got 1.5/],
    ["wrong layout", () => mask.deleteLowest([{ W: new Float32Array(3), b: new Float32Array(3) }], 1), /not laid out like the mask/],
    ["index", () => mask.deleteIndices([15]), /index 15 is out of range/],
    ["other net", () => mask.apply(randomDenseLayers([5, 3], ["linear"], 2)), /mask was made for layers \[4x3\]/],
  ];
  for (const [name, fn, re] of rows) assert.throws(fn, re, name);
  const loopRows: Array<[string, Record<string, unknown>, RegExp]> = [
    ["method", { method: "optimal-brain-surgeon-9000" }, /method "optimal-brain-surgeon-9000" is unknown; expected one of obd, magnitude, random/],
    ["negative count", { deleteCount: -3 }, /deleteCount must be a non-negative integer, got -3/],
    ["more than exist", { deleteCount: 10, rounds: 2 }, /round 2: cannot delete 10 parameters, only 5 remain/],
    ["rounds", { rounds: 0 }, /rounds must be a positive integer/],
  ];
  for (const [name, cfg, re] of loopRows) await assert.rejects(pruneLoop(layers, data, cfg as any), re, name);
  await assert.rejects(pruneLoop([{ W: tf.variable(tf.zeros([2, 2, 1, 1])), b: layers[0].b, activation: "relu" }], data, {}), /rank 4/);
});
