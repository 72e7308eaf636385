/** Ensemble teacher and transfer targets against plain-JS averages of member softmaxes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { buildMlp } from "../core/models";
import { EnsembleTeacher, TransferSetLogits, teacherOutputs, transferTargets, classSimilarity } from "./teachers";

const softmax = (z: number[], T: number) => {
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp((x - m) / T));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

test("ensemble averages tempered probabilities (default) or logits", async () => {
  await initBackend();
  const members = [1, 2, 3].map((seed) => buildMlp({ inputSize: 5, hidden: [7], classes: 4, seed }));
  const x = tf.tensor2d([[0.1, 0.5, -0.3, 0.9, 0.0], [1, -1, 0.5, 0.2, 0.3]]);
  const before = tf.memory().numTensors;
  const memberLogits = members.map((m) => tf.tidy(() => m.predict(x).arraySync()));
  for (const T of [1, 4]) {
    const probs = tf.tidy(() => new EnsembleTeacher(members, "probs").softTargets(x, T).arraySync());
    const viaLogits = tf.tidy(() => new EnsembleTeacher(members, "logits").softTargets(x, T).arraySync());
    for (let r = 0; r < 2; r++) {
      const wantP = [0, 1, 2, 3].map((k) => memberLogits.reduce((s, l) => s + softmax(l[r], T)[k], 0) / 3);
      const meanLogit = [0, 1, 2, 3].map((k) => memberLogits.reduce((s, l) => s + l[r][k], 0) / 3);
      const wantL = softmax(meanLogit, T);
      for (let k = 0; k < 4; k++) {
        assert.ok(Math.abs(probs[r][k] - wantP[k]) < 1e-5, `probs T=${T} [${r},${k}] ${probs[r][k]} vs ${wantP[k]}`);
        assert.ok(Math.abs(viaLogits[r][k] - wantL[k]) < 1e-5, `logits T=${T} [${r},${k}] ${viaLogits[r][k]} vs ${wantL[k]}`);
      }
    }
  }
  // predict() of the probability ensemble: softmax of it is the T = 1 average.
  const p1 = tf.tidy(() => tf.softmax(new EnsembleTeacher(members).predict(x)).arraySync());
  const want = [0, 1, 2, 3].map((k) => memberLogits.reduce((s, l) => s + softmax(l[0], 1)[k], 0) / 3);
  want.forEach((w, k) => assert.ok(Math.abs(p1[0][k] - w) < 1e-5));
  // Targets: [outputs | one-hot]; a single net gives logits, the ensemble its probabilities at T.
  const single = transferTargets(members[0], x, [2, 0], 3);
  assert.equal(single.teacherIs, "logits");
  assert.deepEqual(single.targets.shape, [2, 8]);
  const row = single.targets.arraySync()[0];
  row.slice(0, 4).forEach((v, k) => assert.ok(Math.abs(v - memberLogits[0][0][k]) < 1e-5));
  assert.deepEqual(row.slice(4), [0, 0, 1, 0]);
  const ens = transferTargets(new EnsembleTeacher(members), x, null, 3);
  assert.equal(ens.teacherIs, "probs");
  assert.deepEqual(ens.targets.arraySync()[1].slice(4), [0, 0, 0, 0]);
  tf.dispose([single.targets, ens.targets]);
  const sim = classSimilarity(members[0], x, [1, 1], 2, 4);
  assert.ok(Number.isNaN(sim[0][0]));
  sim[1].forEach((v, k) => assert.ok(Math.abs(v - (softmax(memberLogits[0][0], 2)[k] + softmax(memberLogits[0][1], 2)[k]) / 2) < 1e-5));
  const t = teacherOutputs(members[1], x, 5);
  assert.equal(t.T, null);
  t.outputs.dispose();
  assert.equal(tf.memory().numTensors, before, "teacher helpers must not leak tensors");
  assert.throws(() => new EnsembleTeacher([]), /at least one member/);
  assert.throws(() => new EnsembleTeacher(members, "median" as never), /"probs" or "logits", got "median"/);
  x.dispose();
  members.forEach((m) => m.dispose());
});

test("TransferSetLogits: the network's logits on the transfer set, computed once and copied out; other inputs go to the network", async () => {
  await initBackend();
  const net = buildMlp({ inputSize: 5, hidden: [7], classes: 4, seed: 9 });
  let calls = 0;
  const counting = { predict: (x: tf.Tensor, b?: number) => (calls++, net.predict(x, b)) };
  const transfer = tf.tensor2d([[0.1, 0.5, -0.3, 0.9, 0.0], [1, -1, 0.5, 0.2, 0.3], [0, 0, 1, 0, 0]]);
  const other = tf.tensor2d([[0.3, 0.3, 0.3, 0.3, 0.3]]);
  const before = tf.memory().numTensors;
  const memo = new TransferSetLogits(counting, transfer);
  const expected = net.predict(transfer);
  const want = Array.from(expected.dataSync());
  expected.dispose();
  calls = 0;
  for (let i = 0; i < 3; i++) {
    const out = memo.predict(transfer);
    // The same float32 computation on the same backend, kept: equal to float32 rounding of the sums.
    Array.from(out.dataSync()).forEach((v, j) => assert.ok(Math.abs(v - want[j]) <= 1e-6 * (1 + Math.abs(want[j])), `call ${i}, entry ${j}: ${v} vs ${want[j]}`));
    out.dispose();
  }
  assert.equal(calls, 1, "the teacher ran over the transfer set once for three calls");
  // The caller owns each copy: disposing one leaves the kept logits intact for the next run.
  const t = transferTargets(memo, transfer, [0, 1, 2], 4);
  t.targets.dispose();
  assert.equal(calls, 1);
  memo.predict(other).dispose();
  assert.equal(calls, 2, "another input is passed to the network");
  memo.dispose();
  assert.equal(tf.memory().numTensors, before, "dispose frees the kept logits; no tensor left behind");
  tf.dispose([transfer, other]);
  net.dispose();
});
