/**
 * Tests for the distillation and logit-matching losses against a float64 plain-JS reference,
 * finite differences of that reference, and the closed-form gradient T (q - p) of Hinton et al. (2015).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { distillationLoss, logitMatchingLoss, makeDistillationLoss, buildDistillationTargets, makeLogitMatchingLoss } from "./losses";
import { softmaxWithTemperature, retemperProbabilities } from "./temperature";

// ---- plain-JS float64 reference ---------------------------------------------------------------------
const softmax = (z: number[], T: number): number[] => {
  const m = Math.max(...z.map((x) => x / T));
  const e = z.map((x) => Math.exp(x / T - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
const logSoftmax = (z: number[], T: number): number[] => {
  const m = Math.max(...z.map((x) => x / T));
  const s = z.reduce((a, x) => a + Math.exp(x / T - m), 0);
  return z.map((x) => x / T - m - Math.log(s));
};
/** Per-example reference loss: w T^2 (-sum p log q) + (1 - w)(-log softmax(z)_y). */
function refLoss(z: number[], v: number[], y: number | null, T: number, w: number, kl = false): number {
  const p = softmax(v, T);
  const logP = logSoftmax(v, T);
  const logQ = logSoftmax(z, T);
  let soft = 0;
  for (let i = 0; i < z.length; i++) soft += p[i] * ((kl ? logP[i] : 0) - logQ[i]);
  const hard = y === null ? 0 : -logSoftmax(z, 1)[y];
  return w * T * T * soft + (1 - w) * hard;
}
const refBatch = (Z: number[][], V: number[][], Y: (number | null)[], T: number, w: number, kl = false) =>
  Z.reduce((a, z, i) => a + refLoss(z, V[i], Y[i], T, w, kl), 0) / Z.length;

const Z = [
  [2.0, -1.0, 0.5, 3.0],
  [-0.3, 0.8, 0.1, -2.2],
  [5.0, 4.5, -6.0, 0.0],
];
const V = [
  [1.5, -0.5, 1.0, 2.0],
  [0.2, 1.6, -0.9, -1.0],
  [6.0, 3.0, -4.0, 1.0],
];
const Y = [3, 1, 0];

test("distillation loss matches the float64 reference on hand-made logits", async () => {
  await initBackend();
  const cases = [
    { T: 1, w: 1 }, { T: 1, w: 0 }, { T: 2.5, w: 0.5 }, { T: 20, w: 0.9 }, { T: 0.5, w: 0.3 }, { T: 4, w: 1, kl: true }, { T: 8, w: 0.7, kl: true },
  ];
  for (const c of cases) {
    const got = tf.tidy(() =>
      distillationLoss(tf.tensor2d(Z), tf.tensor2d(V), Y, { T: c.T, softWeight: c.w, teacherIs: "logits", softTerm: c.kl ? "kl" : "cross-entropy" }).dataSync()[0],
    );
    const want = refBatch(Z, V, Y, c.T, c.w, c.kl);
    assert.ok(Math.abs(got - want) <= 1e-4 * Math.max(1, Math.abs(want)), `T=${c.T} w=${c.w} kl=${!!c.kl}: got ${got}, want ${want}`);
  }
});

test("teacher given as probabilities at T gives the same loss as the teacher's logits", async () => {
  await initBackend();
  for (const T of [1, 3, 20]) {
    const [a, b] = tf.tidy(() => {
      const p = softmaxWithTemperature(tf.tensor2d(V), T);
      const fromProbs = distillationLoss(tf.tensor2d(Z), p, Y, { T, softWeight: 0.6, teacherIs: "probs" });
      const fromLogits = distillationLoss(tf.tensor2d(Z), tf.tensor2d(V), Y, { T, softWeight: 0.6, teacherIs: "logits" });
      return [fromProbs.dataSync()[0], fromLogits.dataSync()[0]];
    });
    assert.ok(Math.abs(a - b) < 1e-4 * Math.max(1, Math.abs(b)), `T=${T}: probs ${a} vs logits ${b}`);
  }
});

test("retemperProbabilities(softmax(v), T) equals softmax(v / T), zeros stay zero", async () => {
  await initBackend();
  for (const T of [0.5, 2, 50]) {
    const [got, want] = tf.tidy(() => [retemperProbabilities(tf.softmax(tf.tensor2d(V)), T).arraySync(), V.map((v) => softmax(v, T))]);
    got.forEach((row, r) => row.forEach((x, k) => assert.ok(Math.abs(x - want[r][k]) < 1e-5, `T=${T} [${r},${k}] ${x} vs ${want[r][k]}`)));
  }
  const z = tf.tidy(() => retemperProbabilities(tf.tensor2d([[0.5, 0.5, 0]]), 1000).arraySync()[0]);
  assert.equal(z[2], 0);
});

test("gradient wrt student logits is T (q - p) times the soft weight, by closed form and finite differences", async () => {
  await initBackend();
  for (const T of [1, 2, 5, 20]) {
    const w = 1;
    const grad = tf.tidy(() => {
      const g = tf.grad((z: tf.Tensor) => distillationLoss(z, tf.tensor2d(V), null, { T, softWeight: w, teacherIs: "logits" }, false));
      return g(tf.tensor2d(Z)).arraySync() as number[][];
    });
    const B = Z.length;
    Z.forEach((z, r) => {
      const q = softmax(z, T);
      const p = softmax(V[r], T);
      z.forEach((_, i) => {
        const closed = (T * (q[i] - p[i])) / B; // (1/T)(q - p) * T^2, averaged over the batch
        // central finite difference of the float64 reference (independent of tfjs)
        const h = 1e-5;
        const zp = Z.map((row) => row.slice()); zp[r][i] += h;
        const zm = Z.map((row) => row.slice()); zm[r][i] -= h;
        const fd = (refBatch(zp, V, [null, null, null], T, w) - refBatch(zm, V, [null, null, null], T, w)) / (2 * h);
        assert.ok(Math.abs(fd - closed) < 1e-6 * Math.max(1, T), `T=${T} fd ${fd} vs closed ${closed}`);
        assert.ok(Math.abs(grad[r][i] - closed) < 2e-5 * Math.max(1, T), `T=${T} [${r},${i}] tf ${grad[r][i]} vs closed ${closed}`);
      });
    });
  }
});

test("with zero-mean logits, T (q - p) approaches (z - v) / N as T grows; error falls like 1/T", async () => {
  await initBackend();
  // Zero-mean rows (the condition of section 2.1).
  const center = (r: number[]) => { const m = r.reduce((a, b) => a + b, 0) / r.length; return r.map((x) => x - m); };
  const z = center(Z[0]);
  const v = center(V[0]);
  const N = z.length;
  const limit = z.map((x, i) => (x - v[i]) / N);
  const norm = (a: number[]) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  const Ts = [10, 20, 40, 80, 160];
  const rel = Ts.map((T) => {
    const g = tf.tidy(() => tf.grad((zz: tf.Tensor) => distillationLoss(zz, tf.tensor2d([v]), null, { T, softWeight: 1, teacherIs: "logits" }, false))(tf.tensor2d([z])).arraySync()[0] as number[]);
    return norm(g.map((x, i) => x - limit[i])) / norm(limit);
  });
  for (let k = 1; k < Ts.length; k++) assert.ok(rel[k] < rel[k - 1], `relative error must fall with T: ${rel.join(", ")}`);
  // Log-log slope between the end points: the first neglected Taylor term is O(1/T) relative, so the slope is
  // about -1 (not -2) for general zero-mean logits.
  const slope = Math.log(rel[Ts.length - 1] / rel[0]) / Math.log(Ts[Ts.length - 1] / Ts[0]);
  assert.ok(slope < -0.85 && slope > -1.3, `slope ${slope}, errors ${rel.join(", ")}`);
  assert.ok(rel[rel.length - 1] < 0.02, `at T=160 the relative error is ${rel[rel.length - 1]}`);
  // When the second-order term vanishes (v = -z, so z_i^2 = v_i^2) the error falls like 1/T^2.
  const v2 = z.map((x) => -x);
  const lim2 = z.map((x, i) => (x - v2[i]) / N);
  const rel2 = [20, 160].map((T) => {
    const g = tf.tidy(() => tf.grad((zz: tf.Tensor) => distillationLoss(zz, tf.tensor2d([v2]), null, { T, softWeight: 1, teacherIs: "logits" }, false))(tf.tensor2d([z])).arraySync()[0] as number[]);
    return norm(g.map((x, i) => x - lim2[i])) / norm(lim2);
  });
  const slope2 = Math.log(rel2[1] / rel2[0]) / Math.log(8);
  assert.ok(slope2 < -1.7, `symmetric case slope ${slope2}`);
});

test("bad inputs give errors naming the value", async () => {
  await initBackend();
  const z = tf.tensor2d(Z);
  const v = tf.tensor2d(V);
  const t0 = tf.tensor2d([[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
  const t1 = tf.tensor2d([V[0]]);
  const t2 = tf.tensor1d([1, 2]);
  const t3 = tf.tensor2d([[1, NaN, 0, 0]]);
  const t4 = tf.tensor2d([Z[0]]);
  const t5 = tf.tensor2d([[1, 0, NaN, 0]]);
  const t6 = tf.tensor2d([[0.5, 0.4, 0.3, 0]]);
  const t7 = tf.tensor2d([[1.5, -0.5, 0, 0]]);
  const t8 = tf.zeros([3, 4]);
  const t9 = tf.zeros([3, 10]);
  const cases: [string, () => unknown, RegExp][] = [
    ["T = 0", () => distillationLoss(z, v, Y, { T: 0, softWeight: 0.5, teacherIs: "logits" }), /temperature T must be a finite number > 0, got 0/],
    ["T < 0", () => distillationLoss(z, v, Y, { T: -2, softWeight: 0.5, teacherIs: "logits" }), /got -2/],
    ["T = NaN", () => distillationLoss(z, v, Y, { T: NaN, softWeight: 0.5, teacherIs: "logits" }), /got NaN/],
    ["T = Infinity", () => distillationLoss(z, v, Y, { T: Infinity, softWeight: 0.5, teacherIs: "logits" }), /got Infinity/],
    ["weight 1.5", () => distillationLoss(z, v, Y, { T: 2, softWeight: 1.5, teacherIs: "logits" }), /softWeight must be a number in \[0, 1\].*got 1.5/],
    ["weight -0.1", () => distillationLoss(z, v, Y, { T: 2, softWeight: -0.1, teacherIs: "logits" }), /got -0.1/],
    ["teacherIs", () => distillationLoss(z, v, Y, { T: 2, softWeight: 1, teacherIs: "logit" as never }), /teacherIs must be "logits" or "probs", got "logit"/],
    ["class count", () => distillationLoss(z, t0, Y, { T: 2, softWeight: 1, teacherIs: "logits" }), /\[3, 4\].*\[3, 3\].*different class counts/],
    ["batch size", () => distillationLoss(z, t1, Y, { T: 2, softWeight: 1, teacherIs: "logits" }), /different batch sizes/],
    ["rank", () => distillationLoss(t2, v, Y, { T: 2, softWeight: 1, teacherIs: "logits" }), /shape \[batch, classes\], got \[2\]/],
    ["label 4", () => distillationLoss(z, v, [0, 4, 1], { T: 2, softWeight: 0.5, teacherIs: "logits" }), /label 1 is 4, expected an integer class index in \[0, 3\]/],
    ["label 1.5", () => distillationLoss(z, v, [0, 1.5, 1], { T: 2, softWeight: 0.5, teacherIs: "logits" }), /label 1 is 1.5/],
    ["label count", () => distillationLoss(z, v, [0, 1], { T: 2, softWeight: 0.5, teacherIs: "logits" }), /got 2 labels for 3 rows/],
    ["no labels", () => distillationLoss(z, v, null, { T: 2, softWeight: 0.5, teacherIs: "logits" }), /labels are missing but softWeight = 0.5/],
    ["NaN student", () => distillationLoss(t3, t1, [0], { T: 2, softWeight: 0.5, teacherIs: "logits" }), /student logits contain a non-finite value at row 0, class 1 = NaN/],
    ["NaN teacher", () => distillationLoss(t4, t5, [0], { T: 2, softWeight: 0.5, teacherIs: "logits" }), /teacher logits contain a non-finite value at row 0, class 2 = NaN/],
    ["probs not summing", () => distillationLoss(t4, t6, [0], { T: 2, softWeight: 0.5, teacherIs: "probs" }), /row 0 sums to 1.2/],
    ["negative prob", () => distillationLoss(t4, t7, [0], { T: 2, softWeight: 0.5, teacherIs: "probs" }), /class 1 = -0.5/],
    ["lossFn columns", () => makeDistillationLoss({ T: 2, softWeight: 1, teacherIs: "logits", classes: 4 })(t8, z), /8 \(\[teacher logits \| one-hot labels\]\)/],
    ["lossFn classes", () => makeDistillationLoss({ T: 2, softWeight: 1, teacherIs: "logits", classes: 5 })(t9, z), /student logits have 4 classes, the loss was made for classes = 5/],
    ["targets label", () => buildDistillationTargets(v, "logits", [0, 1, 9]), /label 2 is 9/],
    ["logit matching shapes", () => logitMatchingLoss(z, t1), /different batch sizes/],
  ];
  const before = tf.memory().numTensors;
  for (const [name, f, re] of cases) assert.throws(f, re, name);
  assert.equal(tf.memory().numTensors, before, "a thrown error must not leak tensors");
  tf.dispose([z, v, t0, t1, t2, t3, t4, t5, t6, t7, t8, t9]);
});

test("finite loss and gradient for logits up to 1e4 and T from 1e-2 to 1e3", async () => {
  await initBackend();
  const big = [[1e4, -1e4, 0, 5e3], [-1e4, 1e4, 1e4, -3]];
  const vb = [[-1e4, 1e4, 2, 0], [1e4, -1e4, 0, 9e3]];
  for (const T of [1e-2, 1, 20, 1e3]) {
    for (const teacherIs of ["logits", "probs"] as const) {
      for (const softTerm of ["cross-entropy", "kl"] as const) {
        const [loss, g] = tf.tidy(() => {
          const teacher = teacherIs === "logits" ? tf.tensor2d(vb) : softmaxWithTemperature(tf.tensor2d(vb), T);
          const f = (z: tf.Tensor) => distillationLoss(z, teacher, [0, 1], { T, softWeight: 0.5, teacherIs, softTerm });
          const { value, grad } = tf.valueAndGrad(f)(tf.tensor2d(big));
          return [value.dataSync()[0], Array.from(grad.dataSync())];
        });
        assert.ok(Number.isFinite(loss), `T=${T} ${teacherIs} ${softTerm}: loss ${loss}`);
        assert.ok(g.every(Number.isFinite), `T=${T} ${teacherIs} ${softTerm}: grad ${g}`);
      }
    }
  }
});

test("lossFn on concatenated targets equals the direct loss; logit matching matches the reference", async () => {
  await initBackend();
  const [a, b, lm, lmFn] = tf.tidy(() => {
    const targets = buildDistillationTargets(tf.tensor2d(V), "logits", Y);
    const fn = makeDistillationLoss({ T: 3, softWeight: 0.7, teacherIs: "logits", classes: 4 });
    const viaFn = fn(targets, tf.tensor2d(Z)).dataSync()[0];
    const direct = distillationLoss(tf.tensor2d(Z), tf.tensor2d(V), Y, { T: 3, softWeight: 0.7, teacherIs: "logits" }).dataSync()[0];
    const lm = logitMatchingLoss(tf.tensor2d(Z), tf.tensor2d(V)).dataSync()[0];
    const lmFn = makeLogitMatchingLoss({ classes: 4 })(targets, tf.tensor2d(Z)).dataSync()[0];
    return [viaFn, direct, lm, lmFn];
  });
  assert.ok(Math.abs(a - b) < 1e-5, `${a} vs ${b}`);
  const ref = Z.reduce((s, z, r) => s + 0.5 * z.reduce((t, x, i) => t + (x - V[r][i]) ** 2, 0), 0) / Z.length;
  assert.ok(Math.abs(lm - ref) < 1e-4, `logit matching ${lm} vs ${ref}`);
  assert.ok(Math.abs(lmFn - ref) < 1e-4, `logit matching lossFn ${lmFn} vs ${ref}`);
});
