import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "@kdh/datasets";
import {
  erfc,
  gibbsOverlap,
  hebbianOverlap,
  onlinePerceptronOverlap,
  overlapToError,
  simulateLearningCurve,
  trainBatchPerceptron,
  gaussianInputs,
  perceptronLabels,
  randomTeacher,
  sampleVersionSpace,
  memorizationCurve,
  makeTreeMachine,
  machineLabels,
} from "./perceptron";

test("overlapToError: hand values", () => {
  for (const [R, e] of [
    [1, 0],
    [0, 0.5],
    [-1, 1],
    [Math.SQRT1_2, 0.25],
    [0.5, 1 / 3],
  ]) {
    assert.ok(Math.abs(overlapToError(R) - e) < 1e-12, `R=${R}`);
  }
  assert.throws(() => overlapToError(1.5), /overlap R=1.5/);
});

test("hebbianOverlap: hand values of sqrt(2α/(2α+π))", () => {
  assert.equal(hebbianOverlap(0), 0);
  assert.ok(Math.abs(hebbianOverlap(Math.PI / 2) - Math.SQRT1_2) < 1e-12);
  assert.throws(() => hebbianOverlap(-1), /alpha=-1/);
});

test("erfc against known values", () => {
  for (const [x, v] of [
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [-1, 1.8427007929497148],
  ]) {
    assert.ok(Math.abs(erfc(x) - v) < 2e-7 * Math.max(1, v), `erfc(${x})=${erfc(x)}`);
  }
});

test("Gibbs learning curve: small-α slope 2/π and large-α asymptote ε ≈ 0.625/α", () => {
  // Small α: R ≈ 2α/π (left side ≈ R, right side ≈ (α/π)·2).
  const a = 1e-3;
  assert.ok(Math.abs(gibbsOverlap(a) / ((2 * a) / Math.PI) - 1) < 0.01);
  // Engel & Van den Broeck quote ε ≈ 0.625/α for large α.
  const big = 200;
  const eps = overlapToError(gibbsOverlap(big));
  assert.ok(Math.abs(eps * big - 0.625) < 0.01, `ε·α at α=${big} is ${eps * big}`);
});

test("online perceptron ODE: ε ∝ α^(-1/3) asymptotically, so Hebb (ε ∝ α^(-1/2)) wins at large α", () => {
  const [rBig, rBig8] = onlinePerceptronOverlap([1000, 8000]);
  // Perceptron rule: ε ~ α^{-1/3}, so multiplying α by 8 halves ε (Engel & Van den Broeck ch. 9).
  const ratio = overlapToError(rBig) / overlapToError(rBig8);
  assert.ok(Math.abs(ratio - 2) < 0.05, `ε(1000)/ε(8000)=${ratio}`);
  assert.ok(overlapToError(rBig) > overlapToError(hebbianOverlap(1000)));
  // Order of the requested α does not matter.
  const [a, b] = onlinePerceptronOverlap([8000, 1000]);
  assert.ok(Math.abs(a - rBig8) < 1e-12 && Math.abs(b - rBig) < 1e-12);
});

test("Hebbian simulation averaged over 20 trials, N=200, is within 0.02 of the closed form at every α", () => {
  const alphas = [0.25, 0.5, 1, 2, 4, 8];
  const curve = simulateLearningCurve({ rule: "hebb", N: 200, alphas, trials: 20, seed: 7 });
  for (const p of curve) {
    assert.ok(Math.abs(p.error - overlapToError(hebbianOverlap(p.alpha))) < 0.02, `α=${p.alpha}: sim ${p.error} vs theory ${p.theory}`);
  }
});

test("online perceptron simulation follows its ODE (N=200, 20 trials)", () => {
  const curve = simulateLearningCurve({ rule: "perceptron", N: 200, alphas: [1, 4], trials: 20, seed: 3 });
  for (const p of curve) assert.ok(Math.abs(p.error - p.theory) < 0.02, `α=${p.alpha}: ${p.error} vs ${p.theory}`);
});

test("version-space sampler stays at zero training error and moves away from its start", () => {
  const rng = makeRng(5);
  const N = 30;
  const T = randomTeacher(N, rng);
  const x = gaussianInputs(60, N, rng);
  const y = perceptronLabels(T, x);
  const start = trainBatchPerceptron(x, y, N);
  assert.ok(start.converged);
  const J = sampleVersionSpace(x, y, start.J, 500, rng);
  const labels = perceptronLabels(J, x);
  assert.deepEqual(Array.from(labels), Array.from(y));
  let moved = 0;
  for (let i = 0; i < N; i++) moved += Math.abs(J[i] - start.J[i]);
  assert.ok(moved > 0);
  assert.throws(() => sampleVersionSpace(x, y, new Float64Array(N), 1, rng), /zero vector/);
});

test("simulations are deterministic per seed", () => {
  const a = simulateLearningCurve({ rule: "gibbs", N: 20, alphas: [1], trials: 2, seed: 11, gibbsStepsPerDim: 5 });
  const b = simulateLearningCurve({ rule: "gibbs", N: 20, alphas: [1], trials: 2, seed: 11, gibbsStepsPerDim: 5 });
  assert.deepEqual(a, b);
});

test("tree machines: K=1 committee equals a perceptron; a parity output is the product of hidden signs", () => {
  const rng = makeRng(9);
  const T = makeTreeMachine("perceptron", 1, 12, rng);
  const x = gaussianInputs(50, 12, rng);
  assert.deepEqual(Array.from(machineLabels(T, x)), Array.from(perceptronLabels(T.weights, x)));
  const par = makeTreeMachine("parity", 2, 12, rng);
  const y = machineLabels(par, x);
  for (let m = 0; m < 50; m++) {
    let a = 0;
    let b = 0;
    for (let i = 0; i < 6; i++) {
      a += par.weights[i] * x[m * 12 + i];
      b += par.weights[6 + i] * x[m * 12 + 6 + i];
    }
    assert.equal(y[m], Math.sign(a) * Math.sign(b));
  }
  assert.throws(() => makeTreeMachine("committee", 2, 12, rng), /odd K/);
  assert.throws(() => makeTreeMachine("parity", 5, 12, rng), /multiple of K/);
});

test("a perceptron student memorises a parity teacher (train ≈ 0) but does not generalise (test ≈ 1/2)", () => {
  const [p] = memorizationCurve({ teacher: "parity", teacherK: 2, student: "perceptron", studentK: 1, N: 40, alphas: [1], trials: 4, sweeps: 100, testSize: 2000, seed: 2 });
  assert.ok(p.trainError < 0.02, `train ${p.trainError}`);
  assert.ok(Math.abs(p.testError - 0.5) < 0.04, `test ${p.testError}`);
});
