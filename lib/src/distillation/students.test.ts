/**
 * Distillation through the real trainer: the tensor count stays flat over 50 steps, the same seed gives
 * the same numbers, and a student distilled from a teacher on an unlabelled transfer set learns its
 * function (agreement with the teacher far above chance).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { buildMlp } from "../core/models";
import { trainNetwork } from "../core/train";
import { makeDistillationLoss, makeLogitMatchingLoss } from "./losses";
import { transferTargets, EnsembleTeacher } from "./teachers";
import { buildStudent, distillInto, meanSd } from "./students";

function randomInputs(n: number, d: number, seed: number): tf.Tensor2D {
  const rng = makeRng(seed);
  return tf.tensor2d(Float32Array.from({ length: n * d }, () => rng.normal()), [n, d]);
}

test("50 distillation steps leave the tensor count flat; same seed, same numbers", async () => {
  await initBackend();
  const teacher = buildMlp({ inputSize: 6, hidden: [16], classes: 4, seed: 1 });
  const x = randomInputs(200, 6, 5);
  const labels = Array.from(tf.tidy(() => tf.argMax(teacher.predict(x), 1).dataSync()));
  const run = async (kind: "kd" | "kd-ensemble" | "lm") => {
    const student = buildStudent({ hidden: [8], inputSize: 6, classes: 4, seed: 2 });
    const ens = new EnsembleTeacher([teacher, teacher.clone()]);
    const { targets, teacherIs } = transferTargets(kind === "kd-ensemble" ? ens : teacher, x, labels, 3);
    const loss = kind === "lm" ? makeLogitMatchingLoss({ classes: 4 }) : makeDistillationLoss({ T: 3, softWeight: 0.8, teacherIs, classes: 4 });
    const counts: number[] = [];
    // 200 examples / batch 20 = 10 steps per epoch, 5 epochs = 50 steps.
    const history = await trainNetwork(student, { x, targets, labels }, loss, { epochs: 5, batchSize: 20, optimizer: "momentum", learningRate: 0.02, momentum: 0.9, seed: 3 }, {
      progress: null,
      afterStep: () => counts.push(tf.memory().numTensors),
    });
    const weights = student.serialize().weights;
    targets.dispose();
    ens.members[1].dispose();
    student.dispose();
    return { counts, losses: history.records.map((r) => r.loss), weights, steps: history.steps };
  };
  for (const kind of ["kd", "kd-ensemble", "lm"] as const) {
    const before = tf.memory().numTensors;
    const a = await run(kind);
    assert.equal(a.steps, 50);
    assert.equal(Math.max(...a.counts), Math.min(...a.counts.slice(1)), `${kind}: tensor count per step ${a.counts.slice(0, 5)}...${a.counts.slice(-3)}`);
    assert.ok(a.counts[a.counts.length - 1] - a.counts[1] === 0);
    assert.ok(a.losses[4] < a.losses[0], `${kind}: loss fell ${a.losses}`);
    const b = await run(kind);
    assert.deepEqual(b.losses, a.losses, `${kind}: same seed, same losses`);
    b.weights.forEach((w, i) => assert.deepEqual(Array.from(w), Array.from(a.weights[i])));
    assert.equal(tf.memory().numTensors, before, `${kind}: nothing left behind after the run`);
  }
  x.dispose();
  teacher.dispose();
});

test("distilling on an unlabelled transfer set teaches the teacher's function", async () => {
  await initBackend();
  const teacher = buildMlp({ inputSize: 5, hidden: [32], classes: 3, seed: 11 });
  const x = randomInputs(600, 5, 12);
  const testX = randomInputs(300, 5, 13);
  const testLabels = Array.from(tf.tidy(() => tf.argMax(teacher.predict(testX), 1).dataSync()));
  const student = buildStudent({ hidden: [32], inputSize: 5, classes: 3, seed: 14 });
  const r = await distillInto(student, teacher, { x, labels: null, testX, testLabels, classes: 3 }, { T: 2, softWeight: 1 }, { epochs: 15, batchSize: 32, optimizer: "adam", learningRate: 0.01, seed: 1 }, { progress: null });
  // Chance is about 1/3; a student that learned nothing would sit there.
  assert.ok(r.test.accuracy > 0.85, `agreement with the teacher ${r.test.accuracy}`);
  assert.equal(r.testErrorsByEpoch.length, 15);
  await assert.rejects(distillInto(student, teacher, { x, labels: null, testX, testLabels, classes: 3 }, { T: 2, softWeight: 0.5 }, { epochs: 1 }), /unlabelled but softWeight = 0.5/);
  [x, testX].forEach((t) => t.dispose());
  student.dispose();
  teacher.dispose();
});

test("meanSd by hand", () => {
  const r = meanSd([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(r.mean, 5);
  assert.ok(Math.abs(r.sd - Math.sqrt(32 / 7)) < 1e-12);
});
