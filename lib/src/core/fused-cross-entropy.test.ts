/**
 * The fused softmax cross-entropy on the `blas` backend against the op-by-op formula on the cpu backend
 * (tfjs's autodiff of logSoftmax, plain JS): the loss and its gradients with respect to logits and
 * targets, on random shapes with one-hot, soft and unnormalised targets and large logits; hand
 * arithmetic for one row; flat tensor counts over training steps.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { BLAS_BACKEND } from "./blas-backend";
import { crossEntropyLoss } from "./train";
import { CROSS_ENTROPY_KERNEL, crossEntropyParts, setFusedCrossEntropy } from "./fused-cross-entropy";
import { selectBlasForTest } from "./blas-test-backend.fixture";

let skip: string | false = false;
const setup = selectBlasForTest().then((reason) => {
  skip = reason;
});

const rng = makeRng(4242);

type Targets = "one-hot" | "soft" | "unnormalised";
function targetsOf(rows: number, classes: number, kind: Targets): Float32Array {
  const y = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    if (kind === "one-hot") y[r * classes + rng.int(classes)] = 1;
    else {
      let s = 0;
      for (let c = 0; c < classes; c++) s += y[r * classes + c] = rng.next();
      if (kind === "soft") for (let c = 0; c < classes; c++) y[r * classes + c] /= s;
    }
  }
  return y;
}

/** Loss and gradients with respect to logits and targets, computed by crossEntropyLoss on `backend`. */
async function lossAndGrads(backend: string, z: Float32Array, y: Float32Array, shape: [number, number]) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const zt = tf.tensor2d(z, shape);
    const yt = tf.tensor2d(y, shape);
    const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => crossEntropyLoss(b as tf.Tensor2D, a as tf.Tensor2D))([zt, yt]);
    return { loss: value.dataSync()[0], dz: grads[0].dataSync().slice() as Float32Array, dy: grads[1].dataSync().slice() as Float32Array };
  });
}

/**
 * Tolerances: the fused kernel computes in float64 and rounds once; the cpu version rounds each of its
 * float32 ops (max, subtract, exp, sum, log, ...), about 1e-7 relative each, and a logit of size s turns
 * into an error of about s · 6e-8 in log softmax. 1e-5 · (1 + |want|) covers logits up to ~50 by far.
 */
function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 * (1 + Math.abs(want[i]));
    if (!(Math.abs(got[i] - want[i]) <= tol)) assert.fail(`${label}[${i}]: got ${got[i]}, want ${want[i]} (tolerance ${tol})`);
  }
}

const CASES: [number, number, Targets, number][] = [
  [1, 1, "one-hot", 1],
  [1, 10, "one-hot", 3],
  [128, 10, "one-hot", 3],
  [7, 3, "soft", 1],
  [33, 1000, "soft", 2],
  [5, 17, "unnormalised", 1],
  [64, 10, "one-hot", 50],
];

for (const [rows, classes, kind, scale] of CASES) {
  test(`fused cross-entropy = op by op on cpu: [${rows}, ${classes}], ${kind} targets, logits x${scale}`, async (t) => {
    await setup;
    if (skip) return t.skip(skip);
    const z = Float32Array.from({ length: rows * classes }, () => rng.normal() * scale);
    const y = targetsOf(rows, classes, kind);
    const want = await lossAndGrads("cpu", z, y, [rows, classes]);
    const got = await lossAndGrads(BLAS_BACKEND, z, y, [rows, classes]);
    assertClose([got.loss], [want.loss], "loss");
    assertClose(got.dz, want.dz, "dL/dlogits");
    assertClose(got.dy, want.dy, "dL/dtargets");
  });
}

test("int32 one-hot targets (tf.oneHot's dtype): loss and logit gradient = op by op on cpu", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  const labels = Array.from({ length: 37 }, () => rng.int(10));
  const z = Float32Array.from({ length: 37 * 10 }, () => rng.normal() * 2);
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const y = tf.oneHot(tf.tensor1d(labels, "int32"), 10);
      assert.equal(y.dtype, "int32");
      const { value, grad } = tf.valueAndGrad((a: tf.Tensor) => crossEntropyLoss(y as tf.Tensor2D, a as tf.Tensor2D))(tf.tensor2d(z, [37, 10]));
      return { loss: value.dataSync()[0], dz: grad.dataSync().slice() as Float32Array };
    });
  };
  const want = await run("cpu");
  const got = await run(BLAS_BACKEND);
  assertClose([got.loss], [want.loss], "loss");
  assertClose(got.dz, want.dz, "dL/dlogits");
});

test("crossEntropyParts by hand: logits [0, ln 3], target class 1", () => {
  const dz = new Float32Array(2);
  const dy = new Float32Array(2);
  // softmax = [1/4, 3/4]; loss = -ln(3/4); dz = softmax - y = [1/4, -1/4]; dy = -log softmax = [ln 4, ln 4/3].
  const loss = crossEntropyParts([0, Math.log(3)], [0, 1], 1, 2, dz, dy);
  assert.ok(Math.abs(loss - Math.log(4 / 3)) < 1e-12);
  assertClose(dz, [0.25, -0.25], "dz");
  assertClose(dy, [Math.log(4), Math.log(4 / 3)], "dy");
});

test("training steps with the fused loss keep the tensor count flat and take the fused kernel", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  const w = tf.variable(tf.randomNormal([20, 5], 0, 1, "float32", 3));
  const x = tf.randomNormal([16, 20], 0, 1, "float32", 4);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 5), "int32"), 5).toFloat();
  const opt = tf.train.sgd(0.1);
  const step = () => opt.minimize(() => crossEntropyLoss(y as tf.Tensor2D, tf.matMul(x, w) as tf.Tensor2D), true, [w])!;
  let last = step();
  const firstLoss = last.dataSync()[0];
  const counts: number[] = [];
  for (let i = 0; i < 5; i++) {
    last.dispose();
    last = step();
    counts.push(tf.memory().numTensors);
  }
  assert.ok(last.dataSync()[0] < firstLoss, "the loss goes down");
  assert.deepEqual(counts, counts.map(() => counts[0]));
  const names = (await tf.profile(() => crossEntropyLoss(y as tf.Tensor2D, tf.matMul(x, w) as tf.Tensor2D))).kernelNames;
  assert.ok(names.includes(CROSS_ENTROPY_KERNEL) && !names.includes("Exp"), `kernels: ${names}`);
  setFusedCrossEntropy(false);
  try {
    const opNames = (await tf.profile(() => crossEntropyLoss(y as tf.Tensor2D, tf.matMul(x, w) as tf.Tensor2D))).kernelNames;
    assert.ok(!opNames.includes(CROSS_ENTROPY_KERNEL), `kernels: ${opNames}`);
  } finally {
    setFusedCrossEntropy(true);
  }
  tf.dispose([w, x, y, last]);
  opt.dispose();
});

test("NaN logits give a NaN loss even where every target is 0, as op by op (the trainer's divergence check relies on it)", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  for (const backend of ["cpu", BLAS_BACKEND]) {
    await tf.setBackend(backend);
    const loss = tf.tidy(() => crossEntropyLoss(tf.zeros([3, 2]) as tf.Tensor2D, tf.fill([3, 2], NaN) as tf.Tensor2D).dataSync()[0]);
    assert.ok(Number.isNaN(loss), `${backend}: loss ${loss}`);
  }
});

test("mismatched classes still get the clear error", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  assert.throws(() => crossEntropyLoss(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D), /targets have 3 classes but logits have 4/);
});
