import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "@kdh/datasets";
import { gaussianInputs, machineErrorRate, machineLabels, makeTreeMachine, type TreeMachine } from "./perceptron";
import { pairAtOverlaps } from "./tree-pair.fixture";
import { branchOverlaps, sampleTreeVersionSpace, treeErrorFromOverlaps, treeGibbsLearningCurve } from "./tree-gibbs";


test("treeErrorFromOverlaps: hand values and Monte Carlo over real machines", () => {
  assert.ok(Math.abs(treeErrorFromOverlaps("perceptron", [0.5]) - 1 / 3) < 1e-12);
  assert.equal(treeErrorFromOverlaps("committee", [1, 1, 1]), 0);
  assert.ok(Math.abs(treeErrorFromOverlaps("committee", [0, 0, 0]) - 0.5) < 1e-12);
  // One branch uncorrelated, two perfect: the vote flips only when the two perfect branches disagree (prob ½) and the third flips (½).
  assert.ok(Math.abs(treeErrorFromOverlaps("committee", [0, 1, 1]) - 0.25) < 1e-12);
  for (const [kind, R] of [["committee", [0.9, 0.6, 0.3]], ["committee", [0.7, 0.7, 0.7, 0.7, 0.7]], ["parity", [0.9, 0.4]]] as const) {
    const { T, S } = pairAtOverlaps(kind, [...R], 120, makeRng(5));
    const rng = makeRng(9);
    const x = gaussianInputs(30000, T.N, rng);
    const err = machineErrorRate(S, x, machineLabels(T, x));
    const e = treeErrorFromOverlaps(kind, [...R]);
    assert.ok(Math.abs(err - e) < 4 * Math.sqrt((e * (1 - e)) / 30000), `${kind} ${R}: simulated ${err}, from overlaps ${e}`);
  }
  assert.throws(() => treeErrorFromOverlaps("committee", [0.5, 0.5]), /odd K/);
  assert.throws(() => treeErrorFromOverlaps("parity", [1.5, 0]), /overlap 1.5/);
});

test("sampleTreeVersionSpace keeps every training label and moves the student", () => {
  for (const [kind, K] of [["committee", 3], ["parity", 2]] as const) {
    const rng = makeRng(21);
    const N = 30;
    const T = makeTreeMachine(kind, K, N, rng);
    const x = gaussianInputs(60, N, rng);
    const y = machineLabels(T, x);
    const J = sampleTreeVersionSpace(T, x, y, 2000, rng);
    assert.equal(machineErrorRate(J, x, y), 0, kind);
    const R = branchOverlaps(J, T);
    assert.ok(R.every((r) => r < 0.999), `${kind}: the chain did not move (${R})`);
  }
});

test("sampleTreeVersionSpace is uniform: one example on a circle leaves a half-circle of uniform angles", () => {
  // N = 2, K = 1, x = (1, 0), y = +1: the version space is {w₁ > 0}; the angle of w must be uniform on (−π/2, π/2).
  const rng = makeRng(4);
  const start: TreeMachine = { kind: "perceptron", K: 1, N: 2, weights: Float64Array.from([1, 0]) };
  const x = Float64Array.from([1, 0]);
  const y = Int8Array.from([1]);
  const bins = new Array(6).fill(0);
  const draws = 6000;
  let J = start;
  for (let i = 0; i < draws; i++) {
    J = sampleTreeVersionSpace(J, x, y, 3, rng);
    const th = Math.atan2(J.weights[1], J.weights[0]);
    assert.ok(Math.abs(th) < Math.PI / 2);
    bins[Math.min(5, Math.floor(((th + Math.PI / 2) / Math.PI) * 6))]++;
  }
  // Each bin expects 1000; 5 standard deviations of a (correlated, thinned) chain's counts.
  for (const b of bins) assert.ok(Math.abs(b - draws / 6) < 5 * Math.sqrt(draws / 6) * 1.5, `bins ${bins}`);
});

test("sampleTreeVersionSpace refuses a start that misclassifies, naming the example", () => {
  const rng = makeRng(2);
  const T = makeTreeMachine("parity", 2, 20, rng);
  const x = gaussianInputs(10, 20, rng);
  const y = machineLabels(T, x);
  y[3] = -y[3] as -1 | 1;
  assert.throws(() => sampleTreeVersionSpace(T, x, y, 10, rng), /misclassifies example 3/);
});

test("treeGibbsLearningCurve: seeded, one error per trial, bad α named", () => {
  const opts = { kind: "committee" as const, K: 3, N: 30, alphas: [1, 3], trials: 3, stepsPerWeight: 5, trainSweeps: 50, seed: 8 };
  const a = treeGibbsLearningCurve(opts);
  const b = treeGibbsLearningCurve(opts);
  assert.deepEqual(a, b);
  for (const p of a) {
    assert.equal(p.errors.length, 3);
    assert.ok(p.mean > 0 && p.mean < 0.5);
  }
  assert.throws(() => treeGibbsLearningCurve({ ...opts, alphas: [0] }), /alpha=0/);
  assert.throws(() => treeGibbsLearningCurve({ ...opts, start: "random" as never }), /start="random"/);
  // Teacher starts see the same teachers and data: with zero steps the chain stays at the teacher, error 0.
  const t = treeGibbsLearningCurve({ ...opts, stepsPerWeight: 0, start: "teacher" });
  for (const p of t) {
    assert.equal(p.teacherStarts, 3);
    assert.ok(p.errors.every((e) => e < 1e-6));
  }
});
