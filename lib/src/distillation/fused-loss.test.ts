/**
 * The fused distillation loss through tfjs on the `blas` backend against the op-by-op loss on the cpu
 * backend (tfjs's autodiff of logSoftmax): value and the gradient with respect to every input, with and
 * without labels, float32 and int32 labels; a training step runs one forward and one backward kernel
 * and nothing for the constant teacher and labels; tensor counts stay flat; the switch and the JS path;
 * wasm keeps the op-by-op loss. The per-row pass itself is checked against a float64 reference and
 * finite differences in core/fused-distillation.test.ts.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { BLAS_BACKEND } from "../core/blas-backend";
import {
  DISTILLATION_GRAD_KERNEL, DISTILLATION_LOSS_KERNEL, SOFT_DISTILLATION_LOSS_KERNEL, setDistillationKernelPath, setFusedDistillation,
} from "../core/fused-distillation";
import { fusedDistillationActive, type FusedDistillationAttrs } from "./fused-loss";
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
    v = v.map((x) => Math.exp(x / c.scale));
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
 * Value and gradients with respect to the inputs the loss uses, on `backend`, through `loss`. tfjs
 * cannot differentiate the op-by-op KL term with respect to teacher probabilities (its 0 log 0 guard is
 * a Greater, which has no gradient), so that one is left out here (core/fused-distillation.test.ts checks
 * it against finite differences).
 */
async function valueAndGrads(backend: string, c: Case, d: ReturnType<typeof inputs>, loss: typeof combineOps) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const shape: [number, number] = [c.rows, c.classes];
    const all = [tf.tensor2d(d.z, shape), tf.tensor2d(d.v, shape), d.y ? tf.tensor2d(d.y, shape) : null];
    const used = [true, c.o.softWeight > 0 && !(c.o.teacherIs === "probs" && c.o.softTerm === "kl"), d.y !== null && c.o.softWeight < 1];
    const wrt = all.filter((t, i) => t && used[i]) as tf.Tensor[];
    const f = (...a: tf.Tensor[]) => {
      const pick = (i: number) => (used[i] ? a[used.slice(0, i).filter(Boolean).length] : all[i]);
      return loss(pick(0)!, pick(1)!, pick(2) ?? null, c.o);
    };
    const { value, grads } = tf.valueAndGrads(f)(wrt);
    return { loss: value.dataSync()[0], grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
}

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, label: string) {
  // The oracle rounds each of its float32 ops (log-softmax error ~6e-8 of the logits' size) and the fused
  // pass works in float64 and rounds once: agreement to 1e-4 of the largest magnitude involved (logits up
  // to 1e3) is float32-tight.
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  const tol = 1e-4 * (1 + scale);
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs(got[i] - want[i]);
    if (!(diff <= tol)) assert.fail(`${label}[${i}]: fused ${got[i]}, op by op ${want[i]} (|diff| ${diff} > ${tol})`);
  }
}

const fusedLoss: typeof combineOps = (z, v, y, o) => distillationLoss(z, v, y, o, false);

for (const c of cases) {
  test(`fused distillation loss on blas = op by op on cpu, value and gradients: ${c.name}`, async (t) => {
    await setup;
    if (skip) return t.skip(skip);
    const d = inputs(c);
    const want = await valueAndGrads("cpu", c, d, combineOps);
    const got = await valueAndGrads(BLAS_BACKEND, c, d, fusedLoss);
    assert.ok(tf.tidy(() => fusedDistillationActive(tf.zeros([1, 2]), tf.zeros([1, 2]), null)), "the fused kernels should be active on blas");
    assertClose([got.loss], [want.loss], "loss");
    want.grads.forEach((g, i) => assertClose(got.grads[i], g, `grad ${i}`));
  });
}

test("int32 one-hot labels (tf.oneHot) give the float32 labels' loss and gradient", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  const o: FusedDistillationAttrs = { T: 4, softWeight: 0.6, teacherIs: "logits", softTerm: "cross-entropy" };
  const [got, want] = tf.tidy(() => {
    const z = tf.randomNormal([9, 7], 0, 2, "float32", 11);
    const v = tf.randomNormal([9, 7], 0, 3, "float32", 12);
    const ids = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 0, 3], "int32");
    const run = (y: tf.Tensor) => {
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => distillationLoss(x, v, y, o, false))(z);
      return [value.dataSync()[0], ...grad.dataSync()];
    };
    const oneHot = tf.oneHot(ids, 7);
    assert.equal(oneHot.dtype, "int32");
    return [run(oneHot), run(tf.cast(oneHot, "float32"))];
  });
  assertClose(got, want, "int32 vs float32 labels");
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
    let out: [number, Float32Array] = [NaN, new Float32Array(0)];
    tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => lossFn(tf.tensor2d(targets, [rows, 2 * N]), x))(tf.tensor2d(z, [rows, N]));
      out = [value.dataSync()[0], grad.dataSync() as Float32Array];
    });
    return out;
  };
  const [wantLoss, wantGrad] = await run("cpu");
  const [gotLoss, gotGrad] = await run(BLAS_BACKEND);
  assertClose([gotLoss], [wantLoss], "loss");
  assertClose(gotGrad, wantGrad, "d/dlogits");
});

/** A student step's kernels by name (tf.profile), and the step's loss. */
async function profiledStep(step: () => number): Promise<{ kernels: Map<string, number>; loss: number }> {
  let loss = NaN;
  const info = await tf.profile(() => {
    loss = step();
  });
  const kernels = new Map<string, number>();
  for (const k of info.kernels) kernels.set(k.name, (kernels.get(k.name) ?? 0) + 1);
  return { kernels, loss };
}

for (const labels of [true, false]) {
  test(`a student step ${labels ? "with" : "without"} labels: one forward and one backward kernel, nothing for the constant teacher${labels ? " and labels" : ""}, flat tensor count`, async (t) => {
    await setup;
    if (skip) return t.skip(skip);
    await tf.setBackend(BLAS_BACKEND);
    const w = tf.variable(tf.randomNormal([20, 10], 0, 0.1, "float32", 3));
    const x = tf.randomNormal([16, 20], 0, 1, "float32", 4);
    const teacher = tf.randomNormal([16, 10], 0, 3, "float32", 5);
    const oneHot = labels ? tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 10), "int32"), 10) : null;
    const o = { T: 4, softWeight: labels ? 0.9 : 1, teacherIs: "logits" as const };
    const opt = tf.train.sgd(0.1);
    const step = () => {
      const l = opt.minimize(() => distillationLoss(tf.matMul(x, w), teacher, oneHot, o, false), true)!;
      const v = l.dataSync()[0];
      l.dispose();
      return v;
    };
    const first = step();
    const { kernels } = await profiledStep(step);
    const forward = labels ? DISTILLATION_LOSS_KERNEL : SOFT_DISTILLATION_LOSS_KERNEL;
    assert.equal(kernels.get(forward), 1, `forward kernel ${forward} once per step: ${JSON.stringify([...kernels])}`);
    assert.equal(kernels.get(DISTILLATION_GRAD_KERNEL), 1, `backward kernel once per step (dL/dlogits only): ${JSON.stringify([...kernels])}`);
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 10; i++) last = step();
    assert.equal(tf.memory().numTensors, before, "tensor count grew across steps");
    assert.ok(last < first, `12 steps should lower the loss (first ${first}, last ${last})`);
    opt.dispose();
    tf.dispose([w, x, teacher, ...(oneHot ? [oneHot] : [])]);
  });
}

test("setFusedDistillation(false) goes op by op, and the JS path of the kernels gives the native path's numbers", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  const c = cases[0];
  const d = inputs(c);
  const native = await valueAndGrads(BLAS_BACKEND, c, d, fusedLoss);
  try {
    setDistillationKernelPath("js");
    const js = await valueAndGrads(BLAS_BACKEND, c, d, fusedLoss);
    assertClose([js.loss], [native.loss], "loss, js path");
    native.grads.forEach((g, i) => assertClose(js.grads[i], g, `grad ${i}, js path`));
    setFusedDistillation(false);
    const z = tf.zeros([2, 3]);
    assert.equal(fusedDistillationActive(z, z, null), false);
    const { kernels } = await profiledStep(() => tf.tidy(() => tf.grad((x: tf.Tensor) => distillationLoss(x, z, null, { T: 2, softWeight: 1, teacherIs: "logits" }, false))(z).dataSync()[0]));
    assert.ok(!kernels.has(SOFT_DISTILLATION_LOSS_KERNEL) && !kernels.has(DISTILLATION_GRAD_KERNEL), `op by op expected: ${[...kernels.keys()]}`);
    z.dispose();
    const ops = await valueAndGrads(BLAS_BACKEND, c, d, fusedLoss);
    assertClose([ops.loss], [native.loss], "loss, op by op on blas");
    native.grads.forEach((g, i) => assertClose(ops.grads[i], g, `grad ${i}, op by op on blas`));
  } finally {
    setDistillationKernelPath("native");
    setFusedDistillation(true);
  }
  assert.throws(() => setDistillationKernelPath("c" as "native"), /must be "native" or "js", got "c"/);
});

test("on the wasm backend the loss stays op by op and works", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  if (!(await tf.setBackend("wasm"))) return t.skip("no wasm backend here");
  try {
    const z = tf.tensor2d([[1, 2, 3], [0, 0, 1]]);
    assert.equal(fusedDistillationActive(z, z, null), false);
    const c: Case = { name: "wasm", rows: 2, classes: 3, o: { T: 2, softWeight: 0.5, teacherIs: "logits", softTerm: "cross-entropy" }, labels: true, scale: 1 };
    const d = { z: Float32Array.of(1, 2, 3, 0, 0, 1), v: Float32Array.of(0, 1, 0, 2, 0, 0), y: Float32Array.of(0, 0, 1, 1, 0, 0) };
    const got = await valueAndGrads("wasm", c, d, fusedLoss);
    const want = await valueAndGrads("cpu", c, d, combineOps);
    assertClose([got.loss], [want.loss], "loss on wasm");
    want.grads.forEach((g, i) => assertClose(got.grads[i], g, `grad ${i} on wasm`));
    z.dispose();
  } finally {
    await tf.setBackend(BLAS_BACKEND);
  }
});

test("the kernels refuse mismatched shapes and dtypes with a message naming them", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  const attrs = { T: 2, softWeight: 0.5, teacherIs: "logits", softTerm: "cross-entropy" } as unknown as tf.NamedAttrMap;
  tf.tidy(() => {
    const z = tf.zeros([4, 3]);
    const run = (inputs: tf.NamedTensorMap) => () => tf.engine().runKernel(DISTILLATION_LOSS_KERNEL, inputs, attrs);
    assert.throws(run({ logits: z, teacher: tf.zeros([4, 5]), labels: z }), /one shape, got \[4,3\], \[4,5\], \[4,3\]/);
    assert.throws(run({ logits: z, teacher: z, labels: tf.zeros([3, 3]) }), /one shape, got \[4,3\], \[4,3\], \[3,3\]/);
    assert.throws(run({ logits: z, teacher: tf.zeros([4, 3], "int32"), labels: z }), /float32 logits and teacher outputs .* got float32, int32, float32/);
  });
});
