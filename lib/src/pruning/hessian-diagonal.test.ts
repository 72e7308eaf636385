/**
 * Second-order backprop (LeCun, Denker & Solla 1989) against independent references: hand algebra
 * for a single linear layer, and the float64 finite-difference exact diagonal for small nets.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { PruningLoss, disposeLayers, randomDenseLayers, objectiveOn, checkLayers, forwardLayers, pruningObjective } from "./dense";
import { hessianDiagonal, gradientPass } from "./hessian-diagonal";
import { exactHessianDiagonal, referenceObjective } from "./exact-hessian";
import { flattenParams } from "./dense";
import { spearman } from "./saliency";

function randomData(n: number, inSize: number, outSize: number, seed: number, oneHot: boolean) {
  const rng = makeRng(seed);
  const x = new Float32Array(n * inSize).map(() => rng.normal());
  const t = new Float32Array(n * outSize);
  for (let s = 0; s < n; s++) {
    if (oneHot) t[s * outSize + rng.int(outSize)] = 1;
    else for (let k = 0; k < outSize; k++) t[s * outSize + k] = rng.normal();
  }
  return { x: tf.tensor2d(x, [n, inSize]), targets: tf.tensor2d(t, [n, outSize]), xs: x, ts: t };
}

function relErr(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

test("single linear layer, squared error: h(W_ij) = mean_s x_i², h(b_j) = 1 (hand algebra) and = exact diagonal", async () => {
  await initBackend();
  const layers = randomDenseLayers([4, 3], ["linear"], 1);
  const d = randomData(37, 4, 3, 2, false);
  const h = hessianDiagonal(layers, d, "squared-error", { batchSize: 10 });
  // Hand algebra: E = mean_s ½Σ_j (Σ_i x_si w_ij + b_j − t_sj)², so ∂²E/∂w_ij² = mean_s x_si².
  for (let i = 0; i < 4; i++) {
    let m = 0;
    for (let s = 0; s < 37; s++) m += d.xs[s * 4 + i] ** 2;
    m /= 37;
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(h[0].W[i * 3 + j] - m) < 1e-5 * Math.max(1, m), `W[${i},${j}] ${h[0].W[i * 3 + j]} vs ${m}`);
  }
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(h[0].b[j] - 1) < 1e-6);
  const exact = exactHessianDiagonal(layers, d, "squared-error");
  const err = relErr(flattenParams(h), flattenParams(exact));
  assert.ok(err < 1e-5, `relative error vs exact ${err}`);
  disposeLayers(layers);
  tf.dispose([d.x, d.targets]);
});

test("single linear layer, softmax cross-entropy: the p(1−p) output diagonal makes the diagonal exact", async () => {
  await initBackend();
  const layers = randomDenseLayers([5, 4], ["linear"], 3);
  const d = randomData(29, 5, 4, 4, true);
  const h = flattenParams(hessianDiagonal(layers, d, "cross-entropy", { batchSize: 8 }));
  const exact = flattenParams(exactHessianDiagonal(layers, d, "cross-entropy"));
  const err = relErr(h, exact);
  assert.ok(err < 1e-4, `relative error vs exact ${err}`);
});

// Small nonlinear nets: the LM form drops f''·∂E/∂a (large where residuals are large) and the cross
// terms, so agreement is close at a trained net, not exact. Each case is measured twice: at random
// weights against random targets (far from a minimum) and after training on targets a teacher of the
// same shape produced (near a minimum, where OBD is meant to be used). Only the trained case has a
// tolerance; both errors are printed. With two hidden layers, or softmax outputs, the cross terms
// between units (∂²E/∂z_j∂z_k, and −p_j p_k at the softmax) are large and dropping them is the
// paper's diagonal approximation itself, so the relative error stays near 0.4–0.5 there; what OBD
// needs is the ordering, so those cases also assert a high rank correlation with the exact diagonal.
const cases: Array<{ name: string; sizes: number[]; acts: string[]; loss: PruningLoss; tol: number; minRho: number }> = [
  { name: "tanh 6-5-3, squared error", sizes: [6, 5, 3], acts: ["tanh", "linear"], loss: "squared-error", tol: 0.05, minRho: 0.99 },
  { name: "tanh 6-5-4-3, squared error", sizes: [6, 5, 4, 3], acts: ["tanh", "tanh", "linear"], loss: "squared-error", tol: 0.6, minRho: 0.9 },
  { name: "tanh 6-5-3, cross-entropy", sizes: [6, 5, 3], acts: ["tanh", "linear"], loss: "cross-entropy", tol: 0.6, minRho: 0.9 },
  { name: "sigmoid 6-5-3, squared error", sizes: [6, 5, 3], acts: ["sigmoid", "linear"], loss: "squared-error", tol: 0.05, minRho: 0.99 },
  { name: "relu 6-5-3, squared error (exact: f''=0, output Hessian diagonal)", sizes: [6, 5, 3], acts: ["relu", "linear"], loss: "squared-error", tol: 1e-4, minRho: 0.99 },
];

/** Targets from a teacher net (+ a little noise); one-hot of its argmax for cross-entropy. */
function teacherData(sizes: number[], acts: string[], loss: PruningLoss, n: number, seed: number) {
  const teacher = randomDenseLayers(sizes, acts, seed, 2);
  const rng = makeRng(seed + 1);
  const inSize = sizes[0];
  const out = sizes[sizes.length - 1];
  const x = tf.tensor2d(new Float32Array(n * inSize).map(() => rng.normal()), [n, inSize]);
  const y = forwardLayers(teacher, x).dataSync();
  const t = new Float32Array(n * out);
  for (let s = 0; s < n; s++) {
    if (loss === "squared-error") for (let k = 0; k < out; k++) t[s * out + k] = y[s * out + k] + 0.05 * rng.normal();
    else {
      let best = 0;
      for (let k = 1; k < out; k++) if (y[s * out + k] > y[s * out + best]) best = k;
      t[s * out + best] = 1;
    }
  }
  disposeLayers(teacher);
  return { x, targets: tf.tensor2d(t, [n, out]) };
}

function fit(layers: ReturnType<typeof randomDenseLayers>, d: { x: tf.Tensor2D; targets: tf.Tensor2D }, loss: PruningLoss, steps: number) {
  const opt = tf.train.adam(0.02);
  const f = pruningObjective(loss);
  for (let i = 0; i < steps; i++) tf.tidy(() => void opt.minimize(() => f(d.targets, forwardLayers(layers, d.x)), false, layers.flatMap((l) => [l.W, l.b])));
  opt.dispose();
}

for (const c of cases) {
  test(`${c.name}: second-order backprop close to the exact diagonal`, async () => {
    await initBackend();
    const layers = randomDenseLayers(c.sizes, c.acts, 11);
    const d = teacherData(c.sizes, c.acts, c.loss, 64, 12);
    const randomTargets = { x: d.x, targets: tf.randomNormal(d.targets.shape, 0, 1, "float32", 13) as tf.Tensor2D };
    const errAtRandom = c.loss === "squared-error" ? relErr(flattenParams(hessianDiagonal(layers, randomTargets, c.loss)), flattenParams(exactHessianDiagonal(layers, randomTargets, c.loss))) : NaN;
    fit(layers, d, c.loss, 400);
    const h = flattenParams(hessianDiagonal(layers, d, c.loss, { batchSize: 16 }));
    const exact = flattenParams(exactHessianDiagonal(layers, d, c.loss));
    const err = relErr(h, exact);
    let minH = Infinity;
    for (const v of h) minH = Math.min(minH, v);
    const rho = spearman(h, exact);
    console.log(`# ${c.name}: relative L2 error of LM diagonal vs exact: ${err.toFixed(4)} after training (Spearman ${rho.toFixed(4)})` + (Number.isNaN(errAtRandom) ? "" : `, ${errAtRandom.toFixed(4)} at random weights/targets`));
    assert.ok(minH >= 0, "the LM diagonal is non-negative");
    assert.ok(rho >= c.minRho, `rank correlation ${rho} below ${c.minRho}`);
    assert.ok(err < c.tol, `relative error ${err} above ${c.tol}`);
    disposeLayers(layers);
    tf.dispose([d.x, d.targets, randomTargets.targets]);
  });
}

test("the result does not depend on the batch size, and the tf objective matches the float64 reference", async () => {
  await initBackend();
  const layers = randomDenseLayers([6, 5, 3], ["tanh", "linear"], 21);
  const d = randomData(50, 6, 3, 22, true);
  const a = flattenParams(hessianDiagonal(layers, d, "cross-entropy", { batchSize: 7 }));
  const b = flattenParams(hessianDiagonal(layers, d, "cross-entropy", { batchSize: 50 }));
  assert.ok(relErr(a, b) < 1e-5);
  const o1 = objectiveOn(layers, d, "cross-entropy", 9);
  const o2 = referenceObjective(layers, d, "cross-entropy");
  assert.ok(Math.abs(o1 - o2) < 1e-5 * Math.max(1, o2), `${o1} vs ${o2}`);
});

test("the gradient pass matches central differences of the float64 objective", async () => {
  await initBackend();
  const layers = randomDenseLayers([4, 3, 2], ["sigmoid", "linear"], 31);
  const d = randomData(20, 4, 2, 32, false);
  const g = gradientPass(layers, d, "squared-error", { batchSize: 6 });
  const W = layers[0].W;
  const w = W.dataSync().slice();
  const eps = 1e-2;
  for (const k of [0, 5, 11]) {
    const plus = w.slice();
    plus[k] += eps;
    W.assign(tf.tensor2d(plus, [4, 3]));
    const ep = referenceObjective(layers, d, "squared-error");
    const minus = w.slice();
    minus[k] -= eps;
    W.assign(tf.tensor2d(minus, [4, 3]));
    const em = referenceObjective(layers, d, "squared-error");
    W.assign(tf.tensor2d(w, [4, 3]));
    const fd = (ep - em) / (2 * eps);
    assert.ok(Math.abs(g[0].W[k] - fd) < 1e-3 * Math.max(1, Math.abs(fd)), `grad W[${k}] ${g[0].W[k]} vs ${fd}`);
  }
});

test("tensor count is flat across Hessian passes", async () => {
  await initBackend();
  const layers = randomDenseLayers([8, 6, 3], ["tanh", "linear"], 41);
  const d = randomData(100, 8, 3, 42, true);
  hessianDiagonal(layers, d, "cross-entropy", { batchSize: 32 });
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    hessianDiagonal(layers, d, "cross-entropy", { batchSize: 32 });
    gradientPass(layers, d, "cross-entropy", { batchSize: 32 });
  }
  assert.equal(tf.memory().numTensors, before);
});

test("bad input: clear errors naming the problem", async () => {
  await initBackend();
  const layers = randomDenseLayers([4, 3], ["linear"], 51);
  const d = randomData(5, 4, 3, 52, false);
  const conv = tf.variable(tf.zeros([3, 3, 1, 4]));
  const rows: Array<[string, () => unknown, RegExp]> = [
    ["empty", () => hessianDiagonal([], d, "squared-error"), /non-empty array/],
    ["conv kernel", () => hessianDiagonal([{ W: conv, b: layers[0].b, activation: "relu" }] as any, d, "squared-error"), /rank 4/],
    ["no variables", () => checkLayers([{ kernel: 1 }]), /no W\/b tf.Variables/],
    ["softplus", () => hessianDiagonal([{ ...layers[0], activation: "softplus" }], d, "squared-error"), /softplus.*supports tanh/],
    ["unknown loss", () => hessianDiagonal(layers, d, "hinge" as any), /hinge.*squared-error, cross-entropy/],
    ["wrong width", () => hessianDiagonal(layers, { x: tf.zeros([5, 7]) as tf.Tensor2D, targets: d.targets }, "squared-error"), /7 features.*expects 4/],
    ["zero batch", () => hessianDiagonal(layers, d, "squared-error", { batchSize: 0 }), /batchSize must be a positive integer/],
  ];
  for (const [name, fn, re] of rows) assert.throws(fn, re, name);
  conv.dispose();
});
