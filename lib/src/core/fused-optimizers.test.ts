/**
 * The fused optimizer updates on the `blas` backend against tfjs's own optimizers on the cpu backend
 * (the oracle: tfjs's op-by-op updates in plain JS), over several steps, shapes of odd sizes, one past
 * the threading threshold, and empty ones; plus flat tensor counts and the path actually taken.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { BLAS_BACKEND, setUpdateThreads } from "./blas-backend";
import { updateThreadsFrom } from "./blas-native";
import { fusedOptimizersActive, setFusedOptimizers, OPTIMIZER_UPDATE_KERNEL } from "./fused-optimizers";
import { selectBlasForTest } from "./blas-test-backend.fixture";

let skip: string | false = false;
const setup = selectBlasForTest().then((reason) => {
  skip = reason;
});

const rng = makeRng(77);
const randn = (n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.normal() * scale);
const sizeOf = (s: number[]) => s.reduce((p, d) => p * d, 1);

type Make = () => tf.Optimizer;
const OPTIMIZERS: [string, Make][] = [
  ["sgd", () => tf.train.sgd(0.05)],
  ["momentum", () => tf.train.momentum(0.05, 0.9)],
  ["momentum nesterov", () => tf.train.momentum(0.05, 0.8, true)],
  ["adam", () => tf.train.adam(0.01, 0.9, 0.999, 1e-7)],
  ["adam, other betas", () => tf.train.adam(0.003, 0.5, 0.9, 1e-3)],
];
// [1] and [] are scalars-like; [300, 701] = 210,300 floats is above the two-thread threshold (2^17) and odd.
const SHAPES = [[1], [], [7], [3, 5], [13, 1, 4], [0, 3], [300, 701], [17, 33]];

/** Runs `steps` optimizer steps with the given gradients on one backend; returns variables and optimizer weights per step. */
async function run(backend: string, make: Make, init: Float32Array[], grads: Float32Array[][], fused = true) {
  await tf.setBackend(backend);
  setFusedOptimizers(fused);
  const vars = init.map((v, i) => tf.variable(tf.tensor(v, SHAPES[i]), true, `v${i}_${backend}_${rng.int(1e9)}`));
  const opt = make();
  const history: Float32Array[][] = [];
  const counts: number[] = [];
  for (const step of grads) {
    tf.tidy(() => {
      opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(step[i], SHAPES[i]) })));
    });
    counts.push(tf.memory().numTensors);
    history.push(vars.map((v) => v.dataSync().slice() as Float32Array));
  }
  const weights = (await opt.getWeights()).map((w) => w.tensor.dataSync().slice() as Float32Array);
  opt.dispose();
  vars.forEach((v) => v.dispose());
  setFusedOptimizers(true);
  return { history, counts, weights };
}

/**
 * |got - want| <= 1e-5 · (1 + |want|) elementwise. Each update is a handful of float32 operations on
 * values of order 1 (rounding ~6e-8 each); the cpu backend rounds the same operations, but the compiler
 * may keep intermediates differently (x87-free SSE, no FMA contraction in C11 mode) and Adam divides by
 * sqrt(v) + ε, which can double relative errors; five steps stay far inside 1e-5.
 */
function assertClose(got: Float32Array, want: Float32Array, label: string) {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 * (1 + Math.abs(want[i]));
    if (!(Math.abs(got[i] - want[i]) <= tol)) assert.fail(`${label}[${i}]: got ${got[i]}, want ${want[i]} (tolerance ${tol})`);
  }
}

for (const [label, make] of OPTIMIZERS) {
  test(`fused ${label} matches tfjs's ${label} on the cpu backend over 5 steps`, async (t) => {
    await setup;
    if (skip) return t.skip(skip);
    const init = SHAPES.map((s) => randn(sizeOf(s)));
    const grads = Array.from({ length: 5 }, () => SHAPES.map((s) => randn(sizeOf(s), 0.5)));
    const want = await run("cpu", make, init, grads);
    for (const threads of [1, 2]) {
      setUpdateThreads(threads);
      const got = await run(BLAS_BACKEND, make, init, grads);
      got.history.forEach((vals, step) => vals.forEach((v, i) => assertClose(v, want.history[step][i], `${threads} thread(s), step ${step}, shape [${SHAPES[i]}]`)));
      assert.equal(got.weights.length, want.weights.length, "optimizer weights (iterations, state)");
      got.weights.forEach((w, i) => assertClose(w, want.weights[i], `${threads} thread(s), optimizer weight ${i}`));
      // After the first step (which creates the state), steps leave the tensor count unchanged.
      assert.deepEqual(got.counts.slice(1), got.counts.slice(1).map(() => got.counts[1]), `tensor counts per step ${got.counts}`);
    }
    setUpdateThreads(2);
  });
}

test("the fused path is the one taken on blas, and switching it off gives tfjs's kernels", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  assert.ok(fusedOptimizersActive());
  const w = tf.variable(tf.ones([40, 30]));
  const opt = tf.train.momentum(0.1, 0.9);
  const kernels = async () => (await tf.profile(() => tf.tidy(() => opt.applyGradients({ [w.name]: tf.fill([40, 30], 0.5) })))).kernelNames;
  await kernels(); // creates the accumulation
  assert.deepEqual((await kernels()).filter((k) => k !== "Fill"), [OPTIMIZER_UPDATE_KERNEL]);
  setFusedOptimizers(false);
  try {
    assert.ok(!fusedOptimizersActive());
    const names = await kernels();
    assert.ok(!names.includes(OPTIMIZER_UPDATE_KERNEL) && names.includes("Multiply"), `tfjs's kernels: ${names}`);
  } finally {
    setFusedOptimizers(true);
  }
  // Hand arithmetic: w = 1, g = 0.5, acc after 3 steps = 0.5, 0.95, 1.355; w = 1 - 0.1 (0.5 + 0.95 + 1.355) = 0.7195.
  assert.ok(Math.abs(w.dataSync()[0] - 0.7195) < 1e-6, `w = ${w.dataSync()[0]}`);
  opt.dispose();
  w.dispose();
});

test("a tensor sharing a variable's memory keeps its values through a fused step", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  const w = tf.variable(tf.tensor1d([1, 2, 3]));
  const snapshot = tf.clone(w); // shares w's memory on blas (Identity by reference count)
  const opt = tf.train.sgd(1);
  tf.tidy(() => opt.applyGradients({ [w.name]: tf.tensor1d([1, 1, 1]) }));
  assert.deepEqual(Array.from(w.dataSync()), [0, 1, 2]);
  assert.deepEqual(Array.from(snapshot.dataSync()), [1, 2, 3]);
  tf.dispose([w, snapshot]);
  opt.dispose();
});

test("KDH_UPDATE_THREADS: unset or empty = 1, a positive integer as given, anything else a clear error", () => {
  const cases: [string | undefined, number | RegExp][] = [[undefined, 1], ["", 1], ["2", 2], ["8", 8], ["0", /KDH_UPDATE_THREADS="0" is not a positive integer/], ["1.5", /not a positive integer/], ["two", /not a positive integer/]];
  for (const [raw, want] of cases) {
    if (want instanceof RegExp) assert.throws(() => updateThreadsFrom(raw), want, `${raw}`);
    else assert.equal(updateThreadsFrom(raw), want, `${raw}`);
  }
});

test("Adam on blas: a first moment decaying into the denormal range is flushed to zero, the weights are as tfjs's, and JS arithmetic keeps its denormals after", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  if (process.arch !== "x64" && process.arch !== "ia32") return t.skip(`denormals are flushed only on x86 (MXCSR); this is ${process.arch}`);
  await tf.setBackend(BLAS_BACKEND);
  // One step with gradient 1e-36 leaves m = 0.1 · 1e-36 = 1e-37 (normal); each step with gradient 0 multiplies
  // it by 0.9, below float32's smallest normal 1.18e-38 after 21 (1e-37 · 0.9^21 ≈ 1.09e-38): flushed, it is 0.
  const w = tf.variable(tf.tensor1d([0.5, -0.25, 1e-36, 0]), true, `denormal_w_${rng.int(1e9)}`);
  const want = tf.variable(tf.tensor1d([0.5, -0.25, 1e-36, 0]), true, `denormal_want_${rng.int(1e9)}`);
  const opt = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
  const grads = [[1e-36, 1e-36, 1e-36, 1e-36], ...Array.from({ length: 30 }, () => [0, 0, 0, 0])];
  for (const g of grads) tf.tidy(() => opt.applyGradients([{ name: w.name, tensor: tf.tensor1d(g) }]));
  const moments = (await opt.getWeights()).filter((x) => x.name.endsWith("/m")).map((x) => Array.from(x.tensor.dataSync()));
  assert.deepEqual(moments, [[0, 0, 0, 0]], "the first moment is 0 once it has decayed below float32's smallest normal");
  // tfjs's own Adam (cpu backend, which keeps denormals) moves the weights the same way: a denormal moment
  // changes w by at most lr · 1.2e-38 / ε ≈ 1e-33, below half an ulp of these weights.
  const got = Array.from(w.dataSync());
  await tf.setBackend("cpu");
  setFusedOptimizers(false);
  const ref = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
  for (const g of grads) tf.tidy(() => ref.applyGradients([{ name: want.name, tensor: tf.tensor1d(g) }]));
  setFusedOptimizers(true);
  const expected = Array.from(want.dataSync());
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-6 * Math.abs(expected[i]) + 1e-30, `w[${i}]: ${v} vs tfjs ${expected[i]}`));
  // The flush is set only around the native loop: JavaScript's own float arithmetic still has denormals.
  const tiny = 1e-300;
  assert.ok(tiny * 1e-10 > 0, "a double denormal survives a multiplication (no flush-to-zero left on)");
  assert.ok(Math.fround(1e-40) > 0, "a float32 denormal survives rounding");
  await tf.setBackend(BLAS_BACKEND);
  opt.dispose();
  ref.dispose();
  w.dispose();
  want.dispose();
});
