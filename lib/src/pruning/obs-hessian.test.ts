/**
 * The OBS inverse Hessian against references built independently: the outer-product Hessian from
 * finite-difference Jacobians of a separate float64 forward pass, inverted by Gauss–Jordan elimination;
 * the paper's Woodbury recursion and the direct path (H formed block by block, Cholesky inverse) must both
 * match it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { PrunableLayer, PruningLoss, disposeLayers, flattenParams, randomDenseLayers, readParams } from "./dense";
import { invertSpd, outerProductHessian, outerProductInverseHessian, woodburyInverseHessian } from "./obs-hessian";
import { gaussJordanInverse } from "./gauss-jordan.fixture";

/** Outputs of a float64 copy of the chain for one input, written here without the code under test. */
function outputs64(theta: Float64Array, shapes: Array<[number, number]>, acts: string[], x: ArrayLike<number>): number[] {
  let a = Array.from(x);
  let off = 0;
  shapes.forEach(([ni, no], l) => {
    const z = Array.from({ length: no }, (_, j) => theta[off + ni * no + j]);
    for (let i = 0; i < ni; i++) for (let j = 0; j < no; j++) z[j] += a[i] * theta[off + i * no + j];
    a = z.map((v) => (acts[l] === "tanh" ? Math.tanh(v) : acts[l] === "sigmoid" ? 1 / (1 + Math.exp(-v)) : v));
    off += (ni + 1) * no;
  });
  return a;
}

/** αI + (1/P) Σ_p J_pᵀ S_p J_p with J_p by central differences and S_p the loss's output curvature. */
function referenceHessian(layers: PrunableLayer[], x: Float32Array, t: Float32Array, P: number, loss: PruningLoss, alpha: number): Float64Array {
  const theta = flattenParams(readParams(layers));
  const shapes = layers.map((l) => l.W.shape as [number, number]);
  const acts = layers.map((l) => l.activation);
  const n = theta.length;
  const inSize = shapes[0][0];
  const K = shapes[shapes.length - 1][1];
  const H = new Float64Array(n * n);
  const eps = 1e-6;
  for (let p = 0; p < P; p++) {
    const xp = x.subarray(p * inSize, (p + 1) * inSize);
    const J: number[][] = [];
    for (let k = 0; k < n; k++) {
      const keep = theta[k];
      theta[k] = keep + eps;
      const up = outputs64(theta, shapes, acts, xp);
      theta[k] = keep - eps;
      const dn = outputs64(theta, shapes, acts, xp);
      theta[k] = keep;
      J.push(up.map((u, r) => (u - dn[r]) / (2 * eps))); // J[k][r] = ∂y_r/∂θ_k
    }
    let S: number[][];
    if (loss === "squared-error") {
      S = Array.from({ length: K }, (_, r) => Array.from({ length: K }, (_, c) => (r === c ? 1 : 0)));
    } else {
      const y = outputs64(theta, shapes, acts, xp);
      const m = Math.max(...y);
      const e = y.map((v) => Math.exp(v - m));
      const s = e.reduce((u, v) => u + v, 0);
      const pr = e.map((v) => v / s);
      S = Array.from({ length: K }, (_, r) => Array.from({ length: K }, (_, c) => (r === c ? pr[r] : 0) - pr[r] * pr[c]));
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let r = 0; r < K; r++) for (let c = 0; c < K; c++) v += J[i][r] * S[r][c] * J[j][c];
        H[i * n + j] += v / P;
      }
    }
  }
  for (let i = 0; i < n; i++) H[i * n + i] += alpha;
  return H;
}

function maxAbs(a: Float64Array): number {
  return a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function task(sizes: number[], acts: string[], P: number, seed: number, zeroInput = false) {
  const layers = randomDenseLayers(sizes, acts, seed, 1.5);
  const rng = makeRng(seed + 1);
  const inSize = sizes[0];
  const K = sizes[sizes.length - 1];
  // Input 0 is blank in every pattern when zeroInput: its weights decouple (the fast path's special case).
  const x = new Float32Array(P * inSize).map((_, i) => (zeroInput && i % inSize === 0 ? 0 : rng.normal()));
  const t = new Float32Array(P * K);
  for (let p = 0; p < P; p++) t[p * K + rng.int(K)] = 1;
  return { layers, x, t, data: { x: tf.tensor2d(x, [P, inSize]), targets: tf.tensor2d(t, [P, K]) } };
}

// Finite-difference Jacobians carry ~1e-10 relative error; inversion multiplies it by cond(H) ≤ ‖H‖/α ~ 1e3
// here, so 1e-6 of the largest entry is a bar with room; the two exact float64 paths agree to 1e-9.
const CASES: Array<{ name: string; sizes: number[]; acts: string[]; loss: PruningLoss; P: number; alpha: number; zeroInput?: boolean }> = [
  { name: "tanh-linear, squared error (the paper's case)", sizes: [3, 4, 2], acts: ["tanh", "linear"], loss: "squared-error", P: 6, alpha: 0.01 },
  { name: "tanh-linear, softmax cross-entropy", sizes: [3, 4, 3], acts: ["tanh", "linear"], loss: "cross-entropy", P: 5, alpha: 0.01 },
  { name: "two hidden layers, sigmoid output, squared error", sizes: [2, 3, 3, 2], acts: ["tanh", "sigmoid", "sigmoid"], loss: "squared-error", P: 4, alpha: 0.03 },
  { name: "a blank input (decoupled weights)", sizes: [3, 3, 2], acts: ["tanh", "linear"], loss: "squared-error", P: 6, alpha: 0.01, zeroInput: true },
];

for (const c of CASES) {
  test(`outer-product Hessian and its inverse match finite-difference references: ${c.name}`, async () => {
    await initBackend();
    const { layers, x, t, data } = task(c.sizes, c.acts, c.P, 11, c.zeroInput);
    const n = layers.reduce((s, l) => s + l.W.size + l.b.size, 0);
    const Href = referenceHessian(layers, x, t, c.P, c.loss, c.alpha);
    const invRef = gaussJordanInverse(Href, n);
    const H = outerProductHessian(layers, data, c.loss, { alpha: c.alpha });
    assert.ok(maxDiff(H, Href) <= 1e-7 * maxAbs(Href), `H differs from the reference by ${maxDiff(H, Href)} (max entry ${maxAbs(Href)})`);
    const direct = outerProductInverseHessian(layers, data, c.loss, { alpha: c.alpha });
    const wood = woodburyInverseHessian(layers, data, c.loss, { alpha: c.alpha });
    const scale = maxAbs(invRef);
    assert.ok(maxDiff(direct, invRef) <= 1e-6 * scale, `direct inverse off by ${maxDiff(direct, invRef)} (scale ${scale})`);
    assert.ok(maxDiff(wood, invRef) <= 1e-6 * scale, `Woodbury inverse off by ${maxDiff(wood, invRef)} (scale ${scale})`);
    assert.ok(maxDiff(wood, direct) <= 1e-9 * scale, `Woodbury and direct differ by ${maxDiff(wood, direct)}`);
    disposeLayers(layers);
    tf.dispose([data.x, data.targets]);
  });
}

test("invertSpd: inverse times matrix is the identity; a matrix that is not positive definite is refused by pivot", () => {
  const rng = makeRng(3);
  const n = 9;
  const A = new Float64Array(n * n).map(() => rng.normal());
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) H[i * n + j] += A[i * n + k] * A[j * n + k];
  for (let i = 0; i < n; i++) H[i * n + i] += 0.5;
  const inv = invertSpd(H, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += inv[i * n + k] * H[k * n + j];
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-10, `(H⁻¹H)[${i},${j}] = ${s}`);
    }
  }
  const bad = Float64Array.from([1, 2, 2, 1]); // eigenvalues 3 and −1
  assert.throws(() => invertSpd(bad, 2), /not positive definite \(pivot 1/);
  assert.throws(() => invertSpd(new Float64Array(5), 2), /n×n matrix: got 5 entries/);
});

test("bad alpha and oversized work fail with the value and what to do", async () => {
  await initBackend();
  const { layers, data } = task([3, 4, 2], ["tanh", "linear"], 4, 5);
  for (const alpha of [0, -1, NaN]) {
    assert.throws(() => outerProductHessian(layers, data, "squared-error", { alpha }), new RegExp(`alpha must be a finite number > 0.*got ${alpha}`));
    assert.throws(() => woodburyInverseHessian(layers, data, "squared-error", { alpha }), /alpha must be a finite number > 0/);
  }
  assert.throws(() => woodburyInverseHessian(layers, data, "squared-error", { alpha: 1e-3, maxWork: 10 }), /Woodbury recursion .* above the limit .* use fewer patterns/);
  assert.throws(() => outerProductHessian(layers, data, "hinge" as PruningLoss, { alpha: 1e-3 }), /loss "hinge" is not supported/);
  disposeLayers(layers);
  tf.dispose([data.x, data.targets]);
});
