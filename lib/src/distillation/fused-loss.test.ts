/**
 * The fused distillation kernel against the op-by-op loss on the cpu backend (value and the gradient
 * with respect to each input), against central finite differences in float64, and through
 * distillationLoss / makeDistillationLoss on the `blas` backend where it is active.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { BLAS_BACKEND } from "../core/blas-backend";
import { distillationParts, fusedDistillationActive, fusedDistillationLoss, type FusedDistillationAttrs } from "./fused-loss";
import { combineOps, distillationLoss, makeDistillationLoss } from "./losses";
import { selectBlasForTest } from "../core/blas-test-backend.fixture";

let skip: string | false = false;
const setup = selectBlasForTest().then((reason) => {
  skip = reason;
});

const rng = makeRng(616);
const randInt = (lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));

interface Case { name: string; rows: number; classes: number; o: FusedDistillationAttrs; labels: boolean; scale: number }
const cases: Case[] = [];
for (const teacherIs of ["logits", "probs"] as const) {
  for (const softTerm of ["cross-entropy", "kl"] as const) {
    for (const [softWeight, T, labels] of [[0.9, 4, true], [1, 1, false], [0.3, 0.5, true], [0, 2, true], [1, 20, true]] as const) {
      cases.push({
        name: `${teacherIs}, ${softTerm}, w=${softWeight}, T=${T}, ${labels ? "labels" : "no labels"}`,
        rows: randInt(1, 9), classes: randInt(2, 13), o: { T, softWeight, teacherIs, softTerm }, labels, scale: 3,
      });
    }
  }
}
cases.push({ name: "large logits (|z| ~ 1e3), T = 1", rows: 5, classes: 10, o: { T: 1, softWeight: 0.5, teacherIs: "logits", softTerm: "kl" }, labels: true, scale: 1000 });
cases.push({ name: "batch 1, 2 classes", rows: 1, classes: 2, o: { T: 3, softWeight: 0.7, teacherIs: "logits", softTerm: "cross-entropy" }, labels: true, scale: 2 });

function inputs(c: Case): { z: Float32Array; v: Float32Array; y: Float32Array | null } {
  const n = c.rows * c.classes;
  const z = Float32Array.from({ length: n }, () => rng.normal() * c.scale);
  let v = Float32Array.from({ length: n }, () => rng.normal() * c.scale);
  if (c.o.teacherIs === "probs") {
    // Rows of probabilities at T, with an exact zero in the first row to exercise 0 log 0.
    v = v.map((x) => Math.exp(x / c.scale));
    v[0] = 0;
    for (let r = 0; r < c.rows; r++) {
      let s = 0;
      for (let i = 0; i < c.classes; i++) s += v[r * c.classes + i];
      for (let i = 0; i < c.classes; i++) v[r * c.classes + i] /= s;
    }
  }
  const y = c.labels ? new Float32Array(n) : null;
  if (y) for (let r = 0; r < c.rows; r++) y[r * c.classes + randInt(0, c.classes - 1)] = 1;
  return { z, v, y };
}

/**
 * Value and gradients of the op-by-op loss on the cpu backend (the oracle). An input the loss does not
 * use (the teacher when w = 0, the labels when w = 1) has gradient zero, which the fused kernel returns
 * and tfjs's autodiff refuses to compute, so those are filled in as zeros.
 */
async function opByOp(c: Case, d: ReturnType<typeof inputs>) {
  await setup;
  await tf.setBackend("cpu");
  return tf.tidy(() => {
    const shape: [number, number] = [c.rows, c.classes];
    const all = [tf.tensor2d(d.z, shape), tf.tensor2d(d.v, shape), d.y ? tf.tensor2d(d.y, shape) : null];
    // tfjs cannot differentiate the KL term with respect to teacher probabilities (its 0 log 0 guard is
    // a Greater, which has no gradient): that gradient is checked against finite differences below.
    const teacherDiff = c.o.softWeight > 0 && !(c.o.teacherIs === "probs" && c.o.softTerm === "kl");
    const used = [true, teacherDiff, d.y !== null && c.o.softWeight < 1];
    const wrt = all.filter((t, i) => t && used[i]) as tf.Tensor[];
    const f = (...a: tf.Tensor[]) => {
      const pick = (i: number) => (used[i] ? a[used.slice(0, i).filter(Boolean).length] : all[i]);
      return combineOps(pick(0)!, pick(1)!, pick(2) ?? null, c.o);
    };
    const { value, grads } = tf.valueAndGrads(f)(wrt);
    let k = 0;
    const out = all.map((t, i) => (t === null ? new Float32Array(0) : used[i] ? (grads[k++].dataSync() as Float32Array) : new Float32Array(t.size)));
    return { loss: value.dataSync()[0], grads: out, teacherChecked: teacherDiff || c.o.softWeight === 0 };
  });
}

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, label: string) {
  // The oracle works in float32 (log-softmax rounding ~1e-7 relative to the logits' size) and we in
  // float64: agreement to 1e-4 of the largest magnitude involved (logits up to 1e3) is float32-tight.
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  const tol = 1e-4 * (1 + scale);
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs(got[i] - want[i]);
    if (!(diff <= tol)) assert.fail(`${label}[${i}]: fused ${got[i]}, op by op ${want[i]} (|diff| ${diff} > ${tol})`);
  }
}

for (const c of cases) {
  test(`fused distillation kernel matches the op-by-op loss and its gradients: ${c.name}`, async () => {
    const d = inputs(c);
    const want = await opByOp(c, d);
    const got = distillationParts(d.z, d.v, d.y, c.rows, c.classes, c.o);
    const scale = Math.max(1, ...Array.from(d.z, Math.abs));
    assertClose([got.loss], [want.loss], "loss");
    assertClose(got.dLogits, want.grads[0], "d/dlogits");
    if (want.teacherChecked) assertClose(got.dTeacher, want.grads[1], "d/dteacher");
    if (d.y) assertClose(got.dLabels, want.grads[2], "d/dlabels");
    assert.ok(Number.isFinite(got.loss), `loss is ${got.loss} with logits up to ${scale}`);
  });
}

for (const c of [cases[0], cases.find((k) => k.o.teacherIs === "probs" && k.o.softTerm === "kl" && k.o.softWeight === 0.9)!]) test(`fused distillation gradients agree with central finite differences of its own loss (float64): ${c.name}`, () => {
  const d = inputs(c);
  const z = Float64Array.from(d.z), v = Float64Array.from(d.v);
  const parts = distillationParts(z, v, d.y, c.rows, c.classes, c.o);
  const h = 1e-5;
  for (const [name, arr, grad] of [["logits", z, parts.dLogits], ["teacher", v, parts.dTeacher]] as const) {
    for (let i = 0; i < arr.length; i++) {
      // A teacher probability of exactly 0 sits on the edge of the domain of p log p: no two-sided difference.
      if (name === "teacher" && c.o.teacherIs === "probs" && arr[i] === 0) continue;
      const keep = arr[i];
      arr[i] = keep + h;
      const up = distillationParts(z, v, d.y, c.rows, c.classes, c.o).loss;
      arr[i] = keep - h;
      const down = distillationParts(z, v, d.y, c.rows, c.classes, c.o).loss;
      arr[i] = keep;
      const fd = (up - down) / (2 * h);
      // The gradient is stored in float32: 1e-6 relative plus the O(h^2) difference error.
      assert.ok(Math.abs(fd - grad[i]) <= 1e-5 * (1 + Math.abs(fd)), `${name}[${i}]: finite difference ${fd}, analytic ${grad[i]}`);
    }
  }
});

test("distillationLoss takes the fused kernel on blas, gives the cpu result, and its gradients flow to every input", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  const c = cases[0];
  const d = inputs(c);
  const want = await opByOp(c, d);
  await tf.setBackend(BLAS_BACKEND);
  assert.ok(fusedDistillationActive(), "the fused kernel should be active on the blas backend");
  const got = tf.tidy(() => {
    const shape: [number, number] = [c.rows, c.classes];
    const f = (z: tf.Tensor, v: tf.Tensor, y: tf.Tensor) => distillationLoss(z, v, y, c.o, false);
    const { value, grads } = tf.valueAndGrads(f as (...a: tf.Tensor[]) => tf.Scalar)([tf.tensor2d(d.z, shape), tf.tensor2d(d.v, shape), tf.tensor2d(d.y!, shape)]);
    return { loss: value.dataSync()[0], grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
  assertClose([got.loss], [want.loss], "loss");
  got.grads.forEach((g, i) => assertClose(g, want.grads[i], `grad ${i}`));
});

test("makeDistillationLoss on blas (fused) matches the cpu backend (op by op) on [teacher | one-hot] targets", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  const rows = 7, N = 10;
  const z = Float32Array.from({ length: rows * N }, () => rng.normal() * 2);
  const targets = new Float32Array(rows * 2 * N);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < N; i++) targets[r * 2 * N + i] = rng.normal() * 3;
    targets[r * 2 * N + N + randInt(0, N - 1)] = 1;
  }
  const lossFn = makeDistillationLoss({ T: 2, softWeight: 0.6, teacherIs: "logits", classes: N });
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => lossFn(tf.tensor2d(targets, [rows, 2 * N]), x))(tf.tensor2d(z, [rows, N]));
      return [value.dataSync()[0], grad.dataSync() as Float32Array] as const;
    });
  };
  const [wantLoss, wantGrad] = await run("cpu");
  const [gotLoss, gotGrad] = await run(BLAS_BACKEND);
  assertClose([gotLoss], [wantLoss], "loss");
  assertClose(gotGrad, wantGrad, "d/dlogits");
});

test("tensor count stays flat across student steps with the fused loss", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  const w = tf.variable(tf.randomNormal([20, 10], 0, 0.1, "float32", 3));
  const x = tf.randomNormal([16, 20], 0, 1, "float32", 4);
  const teacher = tf.randomNormal([16, 10], 0, 3, "float32", 5);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 10), "int32"), 10);
  const opt = tf.train.sgd(0.1);
  const step = () => {
    const l = opt.minimize(() => fusedDistillationLoss(tf.matMul(x, w), teacher, labels, { T: 4, softWeight: 0.9, teacherIs: "logits", softTerm: "cross-entropy" }), true)!;
    const v = l.dataSync()[0];
    l.dispose();
    return v;
  };
  const first = step();
  const before = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 10; i++) last = step();
  assert.equal(tf.memory().numTensors, before, "tensor count grew across steps");
  assert.ok(last < first, `10 steps should lower the loss (first ${first}, last ${last})`);
  opt.dispose();
  tf.dispose([w, x, teacher, labels]);
});
