/**
 * fusedDense / fusedConv2d on the `blas` backend against tf.fused.matMul / tf.fused.conv2d on the cpu
 * backend, whose recorded gradients come from tfjs's unfused product + add + relu (plain JS): outputs
 * and the gradients with respect to input, weights and bias of a randomly weighted sum of the output,
 * on odd shapes, strides and paddings; the fused kernels are the ones taken, the first layer's input
 * gradient is skipped, other cases fall through to tfjs, and tensor counts stay flat in training.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { BLAS_BACKEND } from "./blas-backend";
import { CONV_RELU_KERNEL, DENSE_RELU_KERNEL, RELU_BACKWARD_KERNEL, fusedConv2d, fusedDense, setFusedLayers } from "./fused-layers";
import { selectBlasForTest } from "./blas-test-backend.fixture";

let skip: string | false = false;
const setup = selectBlasForTest().then((reason) => {
  skip = reason;
});

const rng = makeRng(99);
const randn = (shape: number[]) => ({ shape, values: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()) });
type Arr = { shape: number[]; values: Float32Array };

/** Output and d(sum(y·r))/d(x, w, b) of `layer` on `backend`. */
async function valueAndGrads(backend: string, layer: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor, x: Arr, w: Arr, b: Arr, r: Arr) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const [xt, wt, bt, rt] = [x, w, b, r].map((a) => tf.tensor(a.values, a.shape));
    const y = layer(xt, wt, bt);
    const grads = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(layer(a, c, d), rt)))([xt, wt, bt]);
    return [y, ...grads].map((t) => ({ shape: t.shape, values: t.dataSync().slice() as Float32Array }));
  });
}

/**
 * |got - want| <= 1e-4 · (1 + max |want|): sums of up to a few thousand float32 products (k = 5·5·4·...,
 * and weight gradients summed over the batch) in different orders (OpenBLAS/oneDNN blocking vs the cpu
 * backend's loops), ~k · 6e-8 relative to the sum of |terms|.
 */
function assertClose(got: Arr[], want: Arr[], label: string) {
  const names = ["y", "dx", "dw", "db"];
  got.forEach((g, o) => {
    assert.deepEqual(g.shape, want[o].shape, `${label} ${names[o]} shape`);
    let scale = 0;
    for (const v of want[o].values) scale = Math.max(scale, Math.abs(v));
    const tol = 1e-4 * (1 + scale);
    for (let i = 0; i < g.values.length; i++) {
      if (!(Math.abs(g.values[i] - want[o].values[i]) <= tol)) assert.fail(`${label} ${names[o]}[${i}]: got ${g.values[i]}, want ${want[o].values[i]} (tol ${tol})`);
    }
  });
}

const DENSE: [number, number, number][] = [[1, 1, 1], [5, 3, 7], [64, 100, 33], [129, 17, 65]];
for (const [m, k, n] of DENSE) {
  test(`fusedDense relu [${m}x${k}]·[${k}x${n}] + bias: value and gradients = tfjs on cpu`, async (t) => {
    await setup;
    if (skip) return t.skip(skip);
    const x = randn([m, k]), w = randn([k, n]), b = randn([n]), r = randn([m, n]);
    const want = await valueAndGrads("cpu", (a, c, d) => tf.fused.matMul({ a: a as tf.Tensor2D, b: c as tf.Tensor2D, bias: d, activation: "relu" }), x, w, b, r);
    const got = await valueAndGrads(BLAS_BACKEND, (a, c, d) => fusedDense({ a: a as tf.Tensor2D, b: c as tf.Tensor2D, bias: d, activation: "relu" }), x, w, b, r);
    assertClose(got, want, "dense");
  });
}

const CONV: { x: number[]; f: number[]; strides: number | [number, number]; pad: "same" | "valid" | number }[] = [
  { x: [2, 9, 9, 3], f: [3, 3, 3, 5], strides: 1, pad: "same" },
  { x: [3, 10, 7, 2], f: [5, 5, 2, 4], strides: 2, pad: "valid" },
  { x: [1, 6, 8, 1], f: [2, 3, 1, 3], strides: [1, 2], pad: 1 },
];
for (const c of CONV) {
  test(`fusedConv2d relu x[${c.x}] filter[${c.f}] strides ${c.strides} pad ${c.pad}: value and gradients = tfjs on cpu`, async (t) => {
    await setup;
    if (skip) return t.skip(skip);
    const x = randn(c.x), w = randn(c.f), b = randn([c.f[3]]);
    const layer = (conv: typeof tf.fused.conv2d) => (a: tf.Tensor, f: tf.Tensor, d: tf.Tensor) =>
      conv({ x: a as tf.Tensor4D, filter: f as tf.Tensor4D, strides: c.strides, pad: c.pad, bias: d, activation: "relu" });
    const yShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.f) as tf.Tensor4D, c.strides, c.pad).shape);
    const r = randn(yShape);
    const want = await valueAndGrads("cpu", layer(tf.fused.conv2d), x, w, b, r);
    const got = await valueAndGrads(BLAS_BACKEND, layer(fusedConv2d as typeof tf.fused.conv2d), x, w, b, r);
    assertClose(got, want, "conv");
  });
}

test("the fused kernels run on blas; the first layer's input gradient is not computed; other cases go to tfjs", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  const x = tf.randomNormal([8, 6], 0, 1, "float32", 1);
  const w = tf.variable(tf.randomNormal([6, 4], 0, 1, "float32", 2));
  const b = tf.variable(tf.zeros([4]));
  const profile = (f: () => tf.Tensor | tf.Tensor[] | { value: tf.Tensor; grads: tf.NamedTensorMap }) => tf.profile(() => { const out = f(); return (out as { value?: tf.Tensor }).value ?? (out as tf.Tensor); });
  const names = (await profile(() => tf.variableGrads(() => tf.sum(fusedDense({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: "relu" })) as tf.Scalar, [w, b]))).kernelNames;
  assert.ok(names.includes(DENSE_RELU_KERNEL) && names.includes(RELU_BACKWARD_KERNEL), `kernels: ${names}`);
  assert.equal(names.filter((n) => n === "BatchMatMul").length, 1, `one product backward (dW only): ${names}`);
  assert.ok(!names.includes("Relu") && !names.includes("Step"), `kernels: ${names}`);
  const img = tf.randomNormal([1, 5, 5, 2], 0, 1, "float32", 3);
  const k = tf.randomNormal([3, 3, 2, 3], 0, 1, "float32", 4);
  const convNames = (await profile(() => fusedConv2d({ x: img as tf.Tensor4D, filter: k as tf.Tensor4D, strides: 1, pad: "same", bias: tf.zeros([3]), activation: "relu" }))).kernelNames;
  assert.ok(convNames.includes(CONV_RELU_KERNEL), `kernels: ${convNames}`);
  // Not fusable here: another activation, a transposed operand, the switch off. Same values as tfjs's.
  const cases: [string, () => tf.Tensor][] = [
    ["sigmoid", () => fusedDense({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: "sigmoid" })],
    ["transposed", () => fusedDense({ a: tf.transpose(x) as tf.Tensor2D, b: w as tf.Tensor2D, transposeA: true, bias: b, activation: "relu" })],
  ];
  for (const [label, f] of cases) {
    const n = (await profile(f)).kernelNames;
    assert.ok(!n.includes(DENSE_RELU_KERNEL), `${label}: ${n}`);
  }
  setFusedLayers(false);
  try {
    const n = (await profile(() => fusedDense({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: "relu" }))).kernelNames;
    assert.ok(!n.includes(DENSE_RELU_KERNEL), `switched off: ${n}`);
  } finally {
    setFusedLayers(true);
  }
  tf.dispose([x, w, b, img, k]);
});

test("training a conv + dense net with the fused layers keeps the tensor count flat", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  const k = tf.variable(tf.randomNormal([3, 3, 1, 4], 0, 0.3, "float32", 5));
  const kb = tf.variable(tf.zeros([4]));
  const w = tf.variable(tf.randomNormal([6 * 6 * 4, 3], 0, 0.1, "float32", 6));
  const b = tf.variable(tf.zeros([3]));
  const x = tf.randomNormal([4, 6, 6, 1], 0, 1, "float32", 7);
  const opt = tf.train.sgd(0.01);
  const counts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const loss = opt.minimize(() => {
      const h = fusedConv2d({ x: x as tf.Tensor4D, filter: k as tf.Tensor4D, strides: 1, pad: "same", bias: kb, activation: "relu" });
      return tf.sum(fusedDense({ a: tf.reshape(h, [4, -1]) as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: "relu" }));
    }, true, [k, kb, w, b])!;
    loss.dispose();
    counts.push(tf.memory().numTensors);
  }
  assert.deepEqual(counts, counts.map(() => counts[0]), `tensor counts ${counts}`);
  tf.dispose([k, kb, w, b, x]);
  opt.dispose();
});
