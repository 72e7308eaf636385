/**
 * The `blas` backend against the tfjs cpu backend, kernel by kernel and through whole gradients.
 * The cpu backend is the oracle: plain-JS loops written independently of OpenBLAS and of our im2col.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { BLAS_BACKEND, blasInfo, convPathLine, setConvPath } from "./blas-backend";
import { selectBlasForTest } from "./blas-test-backend.fixture";

let skip: string | false = false;
const setup = selectBlasForTest().then((reason) => {
  skip = reason;
});

const rng = makeRng(20240607);
function randn(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}
const sizeOf = (s: number[]) => s.reduce((p, d) => p * d, 1);
const randInt = (lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));

/** Run `fn` on a backend with fresh tensors built from plain arrays; return every output's values. */
async function onBackend(
  name: string,
  inputs: Record<string, { shape: number[]; values: Float32Array }>,
  fn: (t: Record<string, tf.Tensor>) => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; values: Float32Array }[]> {
  await tf.setBackend(name);
  return tf.tidy(() => {
    const t: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) t[k] = tf.tensor(v.values, v.shape, "float32");
    const out = fn(t);
    return (Array.isArray(out) ? out : [out]).map((o) => ({ shape: o.shape, values: o.dataSync() as Float32Array }));
  });
}

/**
 * float32 agreement: |got - want| <= 1e-4 * (1 + max |want|) for each element, shapes equal; equal
 * infinities (a pooling window wholly in the padding) agree. 1e-4 relative: a float32 dot product of
 * length K carries a rounding error of about K * 6e-8 relative to the sum of |terms|, and the longest
 * here (K = 800, conv 5x5x32) stays below 1e-4 of the output scale.
 */
function assertClose(got: { shape: number[]; values: Float32Array }[], want: { shape: number[]; values: Float32Array }[], label: string): void {
  assert.equal(got.length, want.length, `${label}: number of outputs`);
  for (let o = 0; o < want.length; o++) {
    assert.deepEqual(got[o].shape, want[o].shape, `${label}: shape of output ${o}`);
    let scale = 0;
    for (const v of want[o].values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    const tol = 1e-4 * (1 + scale);
    for (let i = 0; i < want[o].values.length; i++) {
      if (got[o].values[i] === want[o].values[i]) continue;
      const d = Math.abs(got[o].values[i] - want[o].values[i]);
      if (!(d <= tol)) assert.fail(`${label}: output ${o}[${i}] blas=${got[o].values[i]} cpu=${want[o].values[i]} (|diff| ${d} > ${tol})`);
    }
  }
}

async function compare(label: string, inputs: Record<string, number[]>, fn: (t: Record<string, tf.Tensor>) => tf.Tensor | tf.Tensor[]) {
  const data = Object.fromEntries(Object.entries(inputs).map(([k, s]) => [k, { shape: s, values: randn(sizeOf(s)) }]));
  const want = await onBackend("cpu", data, fn);
  const got = await onBackend(BLAS_BACKEND, data, fn);
  assertClose(got, want, label);
}

// ---- BatchMatMul: transposes, batches, broadcasting of the batch dimensions -------------------------
const matmulCases: { name: string; a: number[]; b: number[]; tA: boolean; tB: boolean }[] = [];
for (const tA of [false, true]) {
  for (const tB of [false, true]) {
    const [m, k, n] = [randInt(1, 40), randInt(1, 50), randInt(1, 30)];
    const A = (batch: number[]) => [...batch, ...(tA ? [k, m] : [m, k])];
    const B = (batch: number[]) => [...batch, ...(tB ? [n, k] : [k, n])];
    matmulCases.push({ name: `2d tA=${tA} tB=${tB}`, a: A([]), b: B([]), tA, tB });
    matmulCases.push({ name: `batched 3 tA=${tA} tB=${tB}`, a: A([3]), b: B([3]), tA, tB });
    matmulCases.push({ name: `a batched, b shared tA=${tA} tB=${tB}`, a: A([4]), b: B([1]), tA, tB });
    matmulCases.push({ name: `a shared, b batched tA=${tA} tB=${tB}`, a: A([1]), b: B([5]), tA, tB });
    matmulCases.push({ name: `rank 4 [2,3] tA=${tA} tB=${tB}`, a: A([2, 3]), b: B([2, 3]), tA, tB });
    matmulCases.push({ name: `rank 4 vs rank 2 tA=${tA} tB=${tB}`, a: A([2, 3]), b: B([]), tA, tB });
  }
}
matmulCases.push({ name: "MLP-sized 128x784 @ 784x120", a: [128, 784], b: [784, 120], tA: false, tB: false });

for (const c of matmulCases) {
  test(`BatchMatMul matches cpu: ${c.name} (a ${c.a}, b ${c.b})`, async (t) => {
    await setup;
    if (skip) return t.skip(skip);
    await compare(c.name, { a: c.a, b: c.b }, (x) => tf.matMul(x.a, x.b, c.tA, c.tB));
  });
}

// ---- _FusedMatMul: bias shapes and every activation (prelu goes to the wasm fallback) -----------------
const activations = ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"] as const;
for (const activation of activations) {
  for (const [biasKind, tA, tB] of [["column", false, false], ["scalar", true, false], ["none", false, true], ["column", true, true]] as const) {
    test(`_FusedMatMul matches cpu: ${activation}, bias ${biasKind}, tA=${tA} tB=${tB}`, async (t) => {
      await setup;
      if (skip) return t.skip(skip);
      const [m, k, n] = [randInt(2, 33), randInt(2, 40), randInt(2, 25)];
      const inputs: Record<string, number[]> = { a: tA ? [k, m] : [m, k], b: tB ? [n, k] : [k, n] };
      if (biasKind === "column") inputs.bias = [n];
      if (biasKind === "scalar") inputs.bias = [1];
      if (activation === "prelu") inputs.alpha = [n];
      await compare(`fused ${activation}`, inputs, (x) =>
        tf.fused.matMul({
          a: x.a as tf.Tensor2D, b: x.b as tf.Tensor2D, transposeA: tA, transposeB: tB,
          bias: x.bias, activation, preluActivationWeights: x.alpha, leakyreluAlpha: 0.3,
        }),
      );
    });
  }
}

test("_FusedMatMul matches cpu with a batched product and column bias", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await compare("fused batched", { a: [3, 7, 9], b: [3, 9, 6], bias: [6] }, (x) =>
    tf.fused.matMul({ a: x.a as tf.Tensor3D, b: x.b as tf.Tensor3D, bias: x.bias, activation: "relu" }),
  );
});

// ---- convolutions: strides, paddings, dilations, both backprops, on both paths ------------------------
// Every convolution test runs once through oneDNN (when the addon was built with it) and once through
// im2col + OpenBLAS, and checks from the addon's counters that the path it names really ran.
const CONV_PATHS = ["onednn", "im2col"] as const;
type Path = (typeof CONV_PATHS)[number];

function defaultPath(): Path {
  return blasInfo()!.onednn.startsWith("oneDNN") && process.env.KDH_NO_DNNL !== "1" ? "onednn" : "im2col";
}

/** Why `path` cannot be tested here, or false. */
function pathSkip(path: Path): string | false {
  if (skip) return skip;
  if (path === "onednn" && !blasInfo()!.onednn.startsWith("oneDNN")) return `addon without oneDNN: ${blasInfo()!.onednn}`;
  return false;
}

type ConvKind = "forward" | "backpropInput" | "backpropFilter";
/** Run fn with convolutions on `path`; assert that each kind in `kinds` ran there at least once. */
async function onPath(path: Path, kinds: ConvKind[], fn: () => Promise<void>): Promise<void> {
  const before = blasInfo()!.convCalls[path];
  setConvPath(path);
  try {
    await fn();
  } finally {
    setConvPath(defaultPath());
  }
  const after = blasInfo()!.convCalls[path];
  for (const k of kinds) assert.ok(after[k] > before[k], `no ${k} convolution ran through ${path}`);
}

test("the backend's one-line note names the convolution path in use, and oneDNN cannot be asked for when absent", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  setConvPath("im2col");
  assert.match(convPathLine(), /^convolutions through im2col \+ OpenBLAS sgemm/);
  if (pathSkip("onednn")) {
    assert.throws(() => setConvPath("onednn"), /oneDNN convolutions are not available: built without oneDNN/);
  } else {
    setConvPath("onednn");
    assert.match(convPathLine(), /^convolutions through oneDNN \d+\.\d+\.\d+ \((OpenMP|TBB)\) with \d+ threads?,/);
  }
  setConvPath(defaultPath());
});

type Pad = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase { name: string; x: number[]; f: number[]; strides: [number, number]; pad: Pad; dil: [number, number] }
const explicit = (t: number, b: number, l: number, r: number): Pad => [[0, 0], [t, b], [l, r], [0, 0]];
const convCases: ConvCase[] = [
  { name: "3x3 same s1", x: [2, 9, 9, 3], f: [3, 3, 3, 5], strides: [1, 1], pad: "same", dil: [1, 1] },
  { name: "5x5 valid s1", x: [3, 12, 11, 2], f: [5, 5, 2, 4], strides: [1, 1], pad: "valid", dil: [1, 1] },
  { name: "3x3 same s2", x: [2, 10, 9, 3], f: [3, 3, 3, 6], strides: [2, 2], pad: "same", dil: [1, 1] },
  { name: "4x2 valid s(2,3) (last rows skipped)", x: [1, 11, 13, 4], f: [4, 2, 4, 3], strides: [2, 3], pad: "valid", dil: [1, 1] },
  { name: "3x3 explicit pad 2 s1", x: [2, 7, 8, 2], f: [3, 3, 2, 3], strides: [1, 1], pad: 2, dil: [1, 1] },
  { name: "3x3 explicit asymmetric pads s2", x: [2, 9, 10, 3], f: [3, 3, 3, 4], strides: [2, 2], pad: explicit(0, 2, 1, 0), dil: [1, 1] },
  { name: "4x4 same s1 (asymmetric same pads)", x: [1, 8, 7, 2], f: [4, 4, 2, 3], strides: [1, 1], pad: "same", dil: [1, 1] },
  { name: "1x1 s1 (pure matmul)", x: [4, 5, 5, 7], f: [1, 1, 7, 3], strides: [1, 1], pad: "valid", dil: [1, 1] },
  { name: "2x2 s3 (stride beyond the kernel)", x: [2, 10, 11, 3], f: [2, 2, 3, 5], strides: [3, 3], pad: "valid", dil: [1, 1] },
  { name: "5x5 same, 1 input channel (first layer)", x: [3, 14, 14, 1], f: [5, 5, 1, 8], strides: [1, 1], pad: "same", dil: [1, 1] },
  { name: "5x5 same, 32 -> 64 channels (bench layer, batch 1)", x: [1, 14, 14, 32], f: [5, 5, 32, 64], strides: [1, 1], pad: "same", dil: [1, 1] },
  { name: "odd channels 3x3 same, batch 1", x: [1, 7, 5, 13], f: [3, 3, 13, 17], strides: [1, 1], pad: "same", dil: [1, 1] },
];
// Random geometries: batch 1-3, odd sizes, every padding kind, strides 1-3.
for (let i = 0; i < 6; i++) {
  const kh = randInt(1, 5), kw = randInt(1, 5), sh = randInt(1, 3), sw = randInt(1, 3);
  const pads: Pad[] = ["same", "valid", explicit(randInt(0, 2), randInt(0, 2), randInt(0, 2), randInt(0, 2))];
  const pad = pads[i % 3];
  convCases.push({
    name: `random #${i + 1} ${kh}x${kw} s(${sh},${sw}) pad ${JSON.stringify(pad)}`,
    x: [randInt(1, 3), randInt(kh + 2, 15), randInt(kw + 2, 15), randInt(1, 9)],
    f: [kh, kw, 0, randInt(1, 17)],
    strides: [sh, sw], pad, dil: [1, 1],
  });
  convCases[convCases.length - 1].f[2] = convCases[convCases.length - 1].x[3];
}
const dilatedCases: ConvCase[] = [
  { name: "3x3 dilation 2 same", x: [2, 11, 10, 3], f: [3, 3, 3, 4], strides: [1, 1], pad: "same", dil: [2, 2] },
  { name: "2x3 dilation (3,2) valid", x: [1, 12, 12, 2], f: [2, 3, 2, 3], strides: [1, 1], pad: "valid", dil: [3, 2] },
  { name: "3x3 dilation 2 explicit pads", x: [2, 10, 9, 4], f: [3, 3, 4, 5], strides: [1, 1], pad: explicit(1, 2, 2, 0), dil: [2, 2] },
];

for (const path of CONV_PATHS) {
  for (const c of [...convCases, ...dilatedCases]) {
    test(`Conv2D matches cpu via ${path}: ${c.name}`, async (t) => {
      await setup;
      const why = pathSkip(path);
      if (why) return t.skip(why);
      await onPath(path, ["forward"], () =>
        compare(c.name, { x: c.x, f: c.f }, (v) => tf.conv2d(v.x as tf.Tensor4D, v.f as tf.Tensor4D, c.strides, c.pad, "NHWC", c.dil)),
      );
    });
  }

  for (const c of convCases) {
    test(`Conv2DBackpropInput and Conv2DBackpropFilter match cpu via ${path}: ${c.name}`, async (t) => {
      await setup;
      const why = pathSkip(path);
      if (why) return t.skip(why);
      const info = tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], c.f as [number, number, number, number], c.strides, 1, c.pad);
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: "NHWC" };
      await onPath(path, ["backpropInput", "backpropFilter"], async () => {
        await compare(`${c.name} backprop input`, { dy: info.outShape, f: c.f }, (v) =>
          tf.engine().runKernel("Conv2DBackpropInput", { dy: v.dy, filter: v.f }, { ...attrs, inputShape: c.x }) as tf.Tensor,
        );
        await compare(`${c.name} backprop filter`, { x: c.x, dy: info.outShape }, (v) =>
          tf.engine().runKernel("Conv2DBackpropFilter", { x: v.x, dy: v.dy }, { ...attrs, filterShape: c.f }) as tf.Tensor,
        );
      });
    });
  }

  for (const activation of ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"] as const) {
    for (const biasKind of ["column", "scalar", "none"] as const) {
      test(`FusedConv2D matches cpu via ${path}: bias ${biasKind} + ${activation}`, async (t) => {
        await setup;
        const why = pathSkip(path);
        if (why) return t.skip(why);
        const inputs: Record<string, number[]> = { x: [2, 8, 7, 3], f: [3, 3, 3, 4] };
        if (biasKind === "column") inputs.bias = [4];
        if (biasKind === "scalar") inputs.bias = [1];
        if (activation === "prelu") inputs.alpha = [4];
        await onPath(path, ["forward"], () =>
          compare(`fused conv ${activation}`, inputs, (v) =>
            tf.fused.conv2d({
              x: v.x as tf.Tensor4D, filter: v.f as tf.Tensor4D, strides: [1, 2], pad: "same", bias: v.bias,
              activation, preluActivationWeights: v.alpha, leakyreluAlpha: 0.25,
            }),
          ),
        );
      });
    }
  }
}

// ---- max pooling (forward and gradient) and the Sum kernel ------------------------------------------
interface PoolCase { name: string; x: number[]; filter: [number, number]; strides: [number, number]; pad: "same" | "valid" | number }
const poolCases: PoolCase[] = [
  { name: "2x2 s2 valid (the bench CNN)", x: [3, 8, 8, 5], filter: [2, 2], strides: [2, 2], pad: "valid" },
  { name: "3x3 s2 same, odd sizes", x: [2, 9, 7, 3], filter: [3, 3], strides: [2, 2], pad: "same" },
  { name: "3x2 s1 same (overlapping windows)", x: [1, 6, 5, 4], filter: [3, 2], strides: [1, 1], pad: "same" },
  { name: "2x3 s(1,2) explicit pad 1", x: [2, 5, 8, 2], filter: [2, 3], strides: [1, 2], pad: 1 },
  { name: "3x3 s3 valid, batch 1, rows skipped", x: [1, 11, 10, 7], filter: [3, 3], strides: [3, 3], pad: "valid" },
];

for (const c of poolCases) {
  test(`MaxPool and MaxPoolGrad match cpu: ${c.name}`, async (t) => {
    await setup;
    if (skip) return t.skip(skip);
    await compare(`${c.name} forward`, { x: c.x }, (v) => tf.maxPool(v.x as tf.Tensor4D, c.filter, c.strides, c.pad));
    // The gradient through tfjs's own maxPool op (MaxPoolGrad gets dy, the input and the output), with
    // random weights on the outputs so that every dy differs.
    const outShape = tf.backend_util.computePool2DInfo(c.x as [number, number, number, number], c.filter, c.strides, 1, c.pad).outShape;
    await compare(`${c.name} gradient`, { x: c.x, w: outShape }, (v) =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, c.filter, c.strides, c.pad), v.w)))(v.x),
    );
  });
}

test("MaxPool and MaxPoolGrad: first of tied maxima wins and NaN never does, as on the cpu backend", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  // Integer-valued inputs make ties certain; the cpu backend picks the first maximum in window order.
  const x = Float32Array.from({ length: 2 * 6 * 6 * 3 }, () => Math.floor(rng.next() * 3));
  // A few NaNs: a NaN never wins a window (the comparison is false), on both backends.
  for (const i of [5, 40, 100]) x[i] = NaN;
  const run = async (name: string) =>
    onBackend(name, { x: { shape: [2, 6, 6, 3], values: x } }, (v) => [
      tf.maxPool(v.x as tf.Tensor4D, 3, 1, "same"),
      tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 3, 1, "same")))(v.x),
    ]);
  assertClose(await run(BLAS_BACKEND), await run("cpu"), "tied maxima and NaNs");
});

const sumCases: { name: string; shape: number[]; axis: number | number[]; keepDims: boolean }[] = [
  { name: "bias gradient [b,h,w,c] over 0,1,2", shape: [4, 7, 5, 6], axis: [0, 1, 2], keepDims: false },
  { name: "bias gradient, axes given negative and unsorted", shape: [3, 5, 9], axis: [-2, 0], keepDims: true },
  { name: "rows of a matrix (axis 0)", shape: [37, 11], axis: 0, keepDims: false },
  { name: "last axis (wasm kernel)", shape: [6, 13], axis: -1, keepDims: false },
  { name: "middle axis (wasm kernel)", shape: [4, 5, 6], axis: 1, keepDims: true },
  { name: "everything (wasm kernel)", shape: [4, 5, 6], axis: [0, 1, 2], keepDims: false },
];
for (const c of sumCases) {
  test(`Sum matches cpu: ${c.name}`, async (t) => {
    await setup;
    if (skip) return t.skip(skip);
    await compare(c.name, { x: c.shape }, (v) => tf.sum(v.x, c.axis, c.keepDims));
  });
}

// ---- GatherV2: rows by index (a training step's mini-batch), other axes through the wasm kernel --------
const gatherCases: { name: string; shape: number[]; indices: number[]; indexShape?: number[]; axis: number; int32?: boolean }[] = [
  { name: "a mini-batch of rows, repeats and reverse order", shape: [50, 17], indices: [49, 0, 3, 3, 12, 48, 7], axis: 0 },
  { name: "rows of a 4-d tensor (images)", shape: [9, 4, 4, 2], indices: [8, 1, 1, 0], axis: 0 },
  { name: "a vector", shape: [13], indices: [12, 5, 0], axis: 0 },
  { name: "2-d indices", shape: [10, 3], indices: [1, 2, 3, 9, 8, 7], indexShape: [2, 3], axis: 0 },
  { name: "axis given as -rank", shape: [6, 5], indices: [5, 1], axis: -2 },
  { name: "int32 rows", shape: [20, 6], indices: [19, 4, 4], axis: 0, int32: true },
  { name: "no indices", shape: [5, 3], indices: [], axis: 0 },
  { name: "columns (axis 1, wasm kernel)", shape: [7, 9], indices: [8, 0, 2], axis: 1 },
];
for (const c of gatherCases) {
  test(`GatherV2 matches cpu: ${c.name}`, async (t) => {
    await setup;
    if (skip) return t.skip(skip);
    await compare(c.name, { x: c.shape }, (v) => {
      const x = c.int32 ? tf.mul(v.x, 100).toInt() : v.x;
      const out = tf.gather(x, tf.tensor(c.indices, c.indexShape ?? [c.indices.length], "int32"), c.axis);
      return out.toFloat();
    });
  });
}

test("GatherV2 refuses an index outside the tensor, naming it, instead of reading past the rows", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  const x = tf.ones([4, 3]);
  for (const bad of [4, -1]) assert.throws(() => tf.gather(x, tf.tensor1d([0, bad], "int32")), new RegExp(`index value ${bad} is not in \\[0, 3\\]`));
  x.dispose();
});

test("Sum of 50,000 rows keeps float32 accuracy (accumulated in double)", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  // 50,000 copies of 0.1 per column: a float32 running sum drifts by ~1e-2 relative; the exact sum is
  // 5000 to within float32 rounding of 0.1 (|0.1f - 0.1| * 50,000 < 1e-4).
  const rows = 50_000;
  const got = await onBackend(BLAS_BACKEND, { x: { shape: [rows, 3], values: new Float32Array(rows * 3).fill(0.1) } }, (v) => tf.sum(v.x, 0));
  for (const g of got[0].values) assert.ok(Math.abs(g - 5000) < 1e-3, `column sum ${g}, expected 5000`);
});

test("Identity (tf.clone) and same-dtype Cast share memory safely: the clone outlives its source, and memory is freed with the last", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  await tf.setBackend(BLAS_BACKEND);
  const before = tf.memory();
  const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  const b = tf.clone(a);
  assert.equal(b.dataId, a.dataId, "the clone shares its source's data");
  const backend = tf.backend() as unknown as { refCount(id: object): number };
  assert.equal(backend.refCount(a.dataId), 2);
  a.dispose();
  assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3, 4, 5, 6], "the clone keeps its values after the source is disposed");
  const c = tf.add(b, 1);
  assert.deepEqual(Array.from(c.dataSync()), [2, 3, 4, 5, 6, 7]);
  const id = b.dataId;
  tf.dispose([b, c]);
  assert.equal(backend.refCount(id), 0, "the shared data is freed with the last tensor");
  assert.equal(tf.memory().numBytes, before.numBytes);
  const f = tf.tensor1d([1.5, -2.5, 3]);
  const same = tf.cast(f, "float32");
  const toInt = tf.cast(f, "int32");
  const toBool = tf.cast(f, "bool");
  assert.deepEqual(Array.from(same.dataSync()), [1.5, -2.5, 3]);
  assert.deepEqual(Array.from(toInt.dataSync()), [1, -2, 3], "a real cast still converts (wasm kernel)");
  assert.equal(toInt.dtype, "int32");
  assert.deepEqual(Array.from(toBool.dataSync()), [1, 1, 1], "x != 0, as on the cpu backend");
  const zeroBool = tf.tidy(() => tf.cast(tf.tensor1d([0, -0, 2, NaN]), "bool"));
  assert.deepEqual(Array.from(zeroBool.dataSync()), [0, 0, 1, 1]);
  tf.dispose([f, same, toInt, toBool, zeroBool]);
  tf.tidy(() => assert.deepEqual(tf.clone(tf.tensor1d(["x", "y"], "string")).dataSync(), ["x", "y"], "strings go to the wasm kernel"));
  assert.equal(tf.memory().numTensors, before.numTensors);
});

// ---- whole gradients: a small MLP and a small CNN --------------------------------------------------------
function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

test("gradients of a small MLP (plain and fused layers) match the cpu backend", async (t) => {
  await setup;
  if (skip) return t.skip(skip);
  const shapes = { x: [16, 20], w1: [20, 32], b1: [32], w2: [32, 24], b2: [24], w3: [24, 5], b3: [5], y: [16, 5] };
  await compare("mlp grads", shapes, (v) => {
    const labels = tf.oneHot(tf.argMax(v.y, 1), 5);
    const f = (w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor, w3: tf.Tensor, b3: tf.Tensor) => {
      const h1 = tf.relu(tf.add(tf.matMul(v.x, w1), b1));
      const h2 = tf.fused.matMul({ a: h1 as tf.Tensor2D, b: w2 as tf.Tensor2D, bias: b2, activation: "sigmoid" });
      return crossEntropy(tf.add(tf.matMul(h2, w3), b3), labels);
    };
    const { value, grads } = tf.valueAndGrads(f as (...a: tf.Tensor[]) => tf.Scalar)([v.w1, v.b1, v.w2, v.b2, v.w3, v.b3]);
    return [value, ...grads];
  });
});

for (const path of CONV_PATHS) {
  test(`gradients of a small CNN (conv, pool, fused conv, dense) match the cpu backend via ${path}`, async (t) => {
    await setup;
    const why = pathSkip(path);
    if (why) return t.skip(why);
    const shapes = { x: [4, 12, 12, 1], k1: [5, 5, 1, 6], c1: [6], k2: [3, 3, 6, 8], c2: [8], w: [3 * 3 * 8, 10], b: [10], y: [4, 10] };
    await onPath(path, ["forward", "backpropInput", "backpropFilter"], () =>
      compare("cnn grads", shapes, (v) => {
        const labels = tf.oneHot(tf.argMax(v.y, 1), 10);
        const f = (k1: tf.Tensor, c1: tf.Tensor, k2: tf.Tensor, c2: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
          const h1 = tf.relu(tf.add(tf.conv2d(v.x as tf.Tensor4D, k1 as tf.Tensor4D, 1, "same"), c1)); // [4,12,12,6]
          const p1 = tf.maxPool(h1 as tf.Tensor4D, 2, 2, "valid"); // [4,6,6,6]
          const h2 = tf.fused.conv2d({ x: p1, filter: k2 as tf.Tensor4D, strides: 2, pad: "same", bias: c2, activation: "relu" }); // [4,3,3,8]
          return crossEntropy(tf.add(tf.matMul(tf.reshape(h2, [4, 72]), w), b), labels);
        };
        const { value, grads } = tf.valueAndGrads(f as (...a: tf.Tensor[]) => tf.Scalar)([v.k1, v.c1, v.k2, v.c2, v.w, v.b]);
        return [value, ...grads];
      }),
    );
  });
}

// ---- memory: no tensor (and no wasm-heap tensor) leaks across training steps -------------------------------
for (const path of CONV_PATHS) {
  test(`tensor count stays flat across 20 SGD steps of an MLP and a CNN on the blas backend via ${path}`, async (t) => {
    await setup;
    const why = pathSkip(path);
    if (why) return t.skip(why);
    setConvPath(path);
    await tf.setBackend(BLAS_BACKEND);
    const v = (s: number[]) => tf.variable(tf.tensor(randn(sizeOf(s)), s));
    const params = { w1: v([30, 40]), b1: v([40]), w2: v([40, 6]), b2: v([6]), k: v([3, 3, 1, 4]), c: v([4]), wc: v([4 * 4 * 4, 6]) };
    const x = tf.tensor(randn(32 * 30), [32, 30]);
    const img = tf.tensor(randn(32 * 8 * 8), [32, 8, 8, 1]);
    const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 6), "int32"), 6);
    const opt = tf.train.sgd(0.01);
    const step = () => {
      const loss = opt.minimize(() => {
        const mlp = tf.matMul(tf.relu(tf.add(tf.matMul(x, params.w1), params.b1)), params.w2).add(params.b2);
        const conv = tf.maxPool(tf.relu(tf.conv2d(img as tf.Tensor4D, params.k as tf.Tensor4D, 1, "same").add(params.c)) as tf.Tensor4D, 2, 2, "valid");
        const cnn = tf.matMul(tf.reshape(conv, [32, 64]), params.wc);
        return tf.add(crossEntropy(mlp, labels), crossEntropy(cnn, labels)) as tf.Scalar;
      }, true);
      const value = loss!.dataSync()[0];
      loss!.dispose();
      return value;
    };
    const first = step();
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 19; i++) last = step();
    assert.equal(tf.memory().numTensors, before, "tensor count grew across training steps");
    assert.ok(last < first, `20 SGD steps should lower the training loss (first ${first}, last ${last})`);
    opt.dispose();
    for (const p of Object.values(params)) p.dispose();
    tf.dispose([x, img, labels]);
    setConvPath(defaultPath());
  });
}
