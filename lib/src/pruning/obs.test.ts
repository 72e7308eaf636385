/**
 * Optimal Brain Surgeon against closed forms. On a quadratic surface E(w) = ½(w − w*)ᵀH(w − w*) with a known
 * H, OBS's predicted increase L_q must equal the actual increase after its correction δw, w_q must be exactly
 * 0, the corrected point must be the minimum of E with w_q = 0, and the restricted inverse must equal the
 * inverse of the reduced Hessian (a Gauss–Jordan reference). On a network whose objective is exactly
 * quadratic (one linear layer, squared error, least-squares weights) the curve's prediction must match the
 * measured objective to float32 precision, with a flat tensor count.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { disposeLayers, flattenParams, objectiveOn, randomDenseLayers, readParams, writeParams } from "./dense";
import { ObsPruner, obsDeletionCurve } from "./obs";
import { outerProductInverseHessian } from "./obs-hessian";
import { gaussJordanInverse } from "./gauss-jordan.fixture";

function randomSpd(n: number, seed: number, ridge = 0.1): Float64Array {
  const rng = makeRng(seed);
  const A = new Float64Array(n * n).map(() => rng.normal());
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) H[i * n + j] += A[i * n + k] * A[j * n + k];
  for (let i = 0; i < n; i++) H[i * n + i] += ridge;
  return H;
}

function quadratic(H: Float64Array, wStar: Float64Array) {
  const n = wStar.length;
  const E = (w: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += 0.5 * (w[i] - wStar[i]) * H[i * n + j] * (w[j] - wStar[j]);
    return s;
  };
  const grad = (w: Float64Array) => Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += H[i * n + j] * (w[j] - wStar[j]);
    return s;
  });
  return { E, grad };
}

const SURFACES = [
  { name: "7 weights, well conditioned", n: 7, seed: 1, ridge: 1 },
  { name: "12 weights, ill conditioned (ridge 1e-3)", n: 12, seed: 2, ridge: 1e-3 },
];

for (const s of SURFACES) {
  test(`quadratic surface, ${s.name}: predicted increase = actual after the correction, w_q = 0 exactly, constrained minimum`, () => {
    const H = randomSpd(s.n, s.seed, s.ridge);
    const rng = makeRng(s.seed + 100);
    const wStar = new Float64Array(s.n).map(() => rng.normal());
    const { E, grad } = quadratic(H, wStar);
    const Hinv = gaussJordanInverse(H, s.n);
    const increases: number[] = [];
    for (let q = 0; q < s.n; q++) {
      const only = Array.from({ length: s.n }, (_, k) => k === q);
      const pruner = new ObsPruner(wStar, Hinv, { deletable: only });
      const [d] = pruner.deleteNext(1);
      const w = pruner.weights();
      assert.equal(d.index, q);
      assert.equal(w[q], 0, `w_${q} is ${w[q]}, not exactly 0`);
      // Closed form: L_q = w_q² / (2[H⁻¹]_qq), and E at the corrected point is exactly that (E is quadratic).
      assert.ok(Math.abs(d.saliency - wStar[q] ** 2 / (2 * Hinv[q * s.n + q])) <= 1e-12 * d.saliency);
      assert.ok(Math.abs(E(w) - d.saliency) <= 1e-9 * Math.max(d.saliency, 1e-12), `q=${q}: actual ${E(w)} vs predicted ${d.saliency}`);
      // The constrained minimum: the gradient vanishes along every kept weight.
      const g = grad(w);
      for (let i = 0; i < s.n; i++) if (i !== q) assert.ok(Math.abs(g[i]) <= 1e-9 * (1 + Math.abs(g[q])), `∂E/∂w_${i} = ${g[i]} at the corrected point`);
      increases.push(E(w));
    }
    // With every weight deletable OBS picks the deletion of least actual increase.
    const [first] = new ObsPruner(wStar, Hinv).deleteNext(1);
    assert.equal(first.index, increases.indexOf(Math.min(...increases)));
  });

  test(`quadratic surface, ${s.name}: sequential deletions add up and the restricted inverse is the reduced Hessian's inverse`, () => {
    const H = randomSpd(s.n, s.seed, s.ridge);
    const rng = makeRng(s.seed + 200);
    const wStar = new Float64Array(s.n).map(() => rng.normal());
    const { E } = quadratic(H, wStar);
    const pruner = new ObsPruner(wStar, gaussJordanInverse(H, s.n));
    let predicted = 0;
    for (let step = 1; step <= s.n - 2; step++) {
      predicted += pruner.deleteNext(1)[0].saliency;
      const w = pruner.weights();
      assert.ok(Math.abs(E(w) - predicted) <= 1e-9 * predicted, `after ${step} deletions: actual ${E(w)}, predicted ${predicted}`);
      const gone = pruner.deleted.map((d) => d.index);
      for (const k of gone) assert.equal(w[k], 0);
      const { indices, matrix } = pruner.inverseOfRemaining();
      assert.deepEqual(indices, Array.from({ length: s.n }, (_, k) => k).filter((k) => !gone.includes(k)));
      const m = indices.length;
      const reduced = new Float64Array(m * m);
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) reduced[a * m + b] = H[indices[a] * s.n + indices[b]];
      const ref = gaussJordanInverse(reduced, m);
      const scale = ref.reduce((u, v) => Math.max(u, Math.abs(v)), 0);
      for (let i = 0; i < m * m; i++) assert.ok(Math.abs(matrix[i] - ref[i]) <= 1e-9 * scale, `restricted inverse entry ${i}: ${matrix[i]} vs ${ref[i]}`);
    }
  });
}

test("a diagonal Hessian makes OBS into OBD: saliency ½h_qq w_q², no correction of the other weights", () => {
  const h = [0.5, 2, 1, 4];
  const w = Float64Array.from([1, -0.3, 0.8, 0.1]);
  const n = h.length;
  const Hinv = new Float64Array(n * n);
  h.forEach((v, i) => (Hinv[i * n + i] = 1 / v));
  const pruner = new ObsPruner(w, Hinv);
  const sal = pruner.saliencies();
  h.forEach((v, i) => assert.ok(Math.abs(sal[i] - 0.5 * v * w[i] ** 2) < 1e-15));
  const [d] = pruner.deleteNext(1);
  assert.equal(d.index, 3); // ½·4·0.01 = 0.02 is the least
  assert.deepEqual(Array.from(pruner.weights()), [1, -0.3, 0.8, 0]);
});

test("bad requests fail with the value and what to do", () => {
  const Hinv = Float64Array.from([1, 0, 0, 1]);
  assert.throws(() => new ObsPruner([1, 2], new Float64Array(3)), /3 entries but 2 weights need 2×2 = 4/);
  assert.throws(() => new ObsPruner([1, NaN], Hinv), /weight #1 is NaN/);
  assert.throws(() => new ObsPruner([1, 2], Float64Array.from([1, 0, 0, -1])), /\[H⁻¹\]_11 = -1.*positive diagonal/);
  const p = new ObsPruner([1, 2], Hinv, { deletable: [true, false] });
  assert.throws(() => p.deleteNext(0), /count must be a whole number ≥ 1, got 0/);
  assert.throws(() => p.deleteNext(2), /only 1 remain deletable/);
});

test("a net whose objective is exactly quadratic: the curve's prediction is the measured objective; weights restored; tensors flat", async () => {
  await initBackend();
  // One linear layer 6 → 3 with squared error: E is quadratic in (W, b) and the outer-product Hessian is exact.
  const rng = makeRng(9);
  const P = 40;
  const xs = new Float32Array(P * 6).map(() => rng.normal());
  const ts = new Float32Array(P * 3).map(() => rng.normal());
  const data = { x: tf.tensor2d(xs, [P, 6]), targets: tf.tensor2d(ts, [P, 3]) };
  const layers = randomDenseLayers([6, 3], ["linear"], 4);
  // Least-squares weights by the normal equations in float64 (the minimum OBS assumes).
  const A = new Float64Array(7 * 7);
  const B = new Float64Array(7 * 3);
  for (let p = 0; p < P; p++) {
    const xe = [...xs.subarray(p * 6, p * 6 + 6), 1];
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 7; j++) A[i * 7 + j] += xe[i] * xe[j];
      for (let k = 0; k < 3; k++) B[i * 3 + k] += xe[i] * ts[p * 3 + k];
    }
  }
  const Ainv = gaussJordanInverse(A, 7);
  const sol = new Float64Array(21);
  for (let i = 0; i < 7; i++) for (let k = 0; k < 3; k++) for (let j = 0; j < 7; j++) sol[i * 3 + k] += Ainv[i * 7 + j] * B[j * 3 + k];
  writeParams(layers, [{ W: Float32Array.from(sol.subarray(0, 18)), b: Float32Array.from(sol.subarray(18)) }]);
  const before = flattenParams(readParams(layers));
  const counts = [0, 3, 8, 14, 20];
  obsDeletionCurve(layers, data, "squared-error", [1], { alpha: 1e-9 }); // warm-up: first-use tensors
  const tensors = tf.memory().numTensors;
  for (const [inverse, deletionsPerStep] of [["direct", 1], ["woodbury", 1], ["direct", 3]] as const) {
    // With 3 deletions per saliency pass the order may differ, but each surgery is still exact on a quadratic.
    const curve = obsDeletionCurve(layers, data, "squared-error", counts, { alpha: 1e-9, inverse, deletionsPerStep, evaluate: () => ({ e: objectiveOn(layers, data, "squared-error") }) });
    assert.deepEqual(curve.points.map((p) => p.deleted), counts);
    for (const pt of curve.points) {
      // Weights are stored and evaluated in float32: relative error ~1e-6 of the objective; 1e-4 leaves room.
      assert.ok(Math.abs(pt.objective - pt.predicted) <= 1e-4 * pt.objective, `${inverse}, ${pt.deleted} deleted: actual ${pt.objective}, predicted ${pt.predicted}`);
      assert.equal(pt.metrics!.e, pt.objective);
    }
    // More deletions never lower a constrained minimum.
    for (let i = 1; i < curve.points.length; i++) assert.ok(curve.points[i].objective >= curve.points[i - 1].objective * (1 - 1e-5));
    assert.equal(tf.memory().numTensors, tensors, `${inverse}: tensor count changed`);
  }
  assert.deepEqual(flattenParams(readParams(layers)), before);
  assert.throws(() => obsDeletionCurve(layers, data, "squared-error", [22], { alpha: 1e-3 }), /deletion count 22 is not a whole number in 0..21/);
  assert.throws(() => obsDeletionCurve(layers, data, "squared-error", [20], { alpha: 1e-3, includeBiases: false }), /only 18 are deletable/);
  disposeLayers(layers);
  tf.dispose([data.x, data.targets]);
});

test("on a small tanh net, OBS raises the objective less than deleting the same weights without the correction", async () => {
  await initBackend();
  const layers = randomDenseLayers([5, 6, 2], ["tanh", "linear"], 21);
  const rng = makeRng(22);
  const P = 60;
  const x = tf.tensor2d(new Float32Array(P * 5).map(() => rng.normal()), [P, 5]);
  // Targets are the net's own outputs, so the current weights are an exact minimum (E = 0, gradient 0).
  const targets = tf.tidy(() => {
    let a: tf.Tensor = x;
    for (const l of layers) a = l.activation === "tanh" ? tf.tanh(tf.add(tf.matMul(a as tf.Tensor2D, l.W as tf.Tensor2D), l.b)) : tf.add(tf.matMul(a as tf.Tensor2D, l.W as tf.Tensor2D), l.b);
    return a as tf.Tensor2D;
  });
  const data = { x, targets };
  const curve = obsDeletionCurve(layers, data, "squared-error", [5, 10], { alpha: 1e-6 });
  // The same deletions, one at a time as the curve makes them, but the kept weights left uncorrected.
  const pruner = new ObsPruner(flattenParams(readParams(layers)), outerProductInverseHessian(layers, data, "squared-error", { alpha: 1e-6 }));
  for (let i = 0; i < 10; i++) pruner.deleteNext(1);
  const saved = readParams(layers);
  const flat = flattenParams(saved);
  for (const d of pruner.deleted) flat[d.index] = 0;
  let k = 0;
  writeParams(layers, saved.map((l) => ({ W: Float32Array.from(l.W, () => flat[k++]), b: Float32Array.from(l.b, () => flat[k++]) })));
  const zeroedOnly = objectiveOn(layers, data, "squared-error");
  writeParams(layers, saved);
  assert.ok(curve.points[1].objective < zeroedOnly, `OBS ${curve.points[1].objective} vs zeroing alone ${zeroedOnly}`);
  disposeLayers(layers);
  tf.dispose([x, targets]);
});
