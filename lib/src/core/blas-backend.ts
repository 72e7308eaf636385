/**
 * The `blas` TensorFlow.js backend: the wasm backend with its matrix products, convolutions, max
 * pooling and bias-gradient sums sent to native code.
 *
 * Why this shape: in a training step of the paper-scale MLPs (Hinton, Vinyals & Dean 2015, 784-1200-1200-10)
 * nearly all arithmetic is in matrix products, which the wasm backend runs single-threaded at a tenth of
 * OpenBLAS's speed, while its SIMD element-wise kernels are fine and keep tensors in the wasm heap. So
 * this backend is a second, independent instance of the wasm backend (its own heap) under the name
 * `blas`, with every wasm kernel registered for it, except those in BLAS_KERNELS, which call a small
 * N-API addon (native/) directly on Float32Array views of that heap: no tensor is copied.
 *
 * Where each replaced kernel goes:
 *   BatchMatMul, _FusedMatMul           OpenBLAS sgemm (+ bias/activation in one native pass)
 *   Conv2D, FusedConv2D,                oneDNN's direct convolutions on the NHWC/HWIO tensors as they lie,
 *   Conv2DBackpropInput,                bias and activation fused as post-ops; when the addon was built
 *   Conv2DBackpropFilter                without oneDNN or KDH_NO_DNNL=1: im2col + sgemm (Chellapilla, Puri
 *                                       & Simard 2006: patches become rows of a matrix, the filter a
 *                                       [kh*kw*cin, cout] matrix, one product per chunk of images)
 *   MaxPool, MaxPoolGrad                one native pass each (the wasm MaxPoolGrad was the slowest kernel
 *                                       of a CNN step)
 *   Sum over all axes but the last      native column sums (a convolution's bias gradient); other Sums wasm
 *   Identity, Cast to the same dtype    share memory instead of copying (tfjs clones what it saves for
 *                                       the backward pass)
 *   GatherV2 on axis 0                  one copy per row (a training step's mini-batch)
 * tf.train.sgd / momentum / adam updates     one native pass per variable (fused-optimizers.ts)
 * relu + bias layers in training           product with bias and relu fused forward, dz and the bias
 *                                          gradient in one pass backward (fused-layers.ts)
 * distillation loss                        forward: the loss alone; backward: g · dL/dlogits alone, each one
 *                                          native pass (fused-distillation.ts, native/kdh_distill.c)
 * seeded dropout, max-norm                 mask made and applied in one pass; column norms and rescale in one
 *                                          read of the weights (dropout.ts, max-norm.ts, native/kdh_dropout.c)
 *
 * The wasm heap can grow (and old views detach) whenever something is allocated, so every kernel
 * allocates its output first and only then takes the heap view it hands to the addon.
 */
import * as tf from "@tensorflow/tfjs";
import { installFusedOptimizers } from "./fused-optimizers";
import { CONV_RELU_KERNEL, DENSE_RELU_KERNEL, RELU_BACKWARD_KERNEL } from "./fused-layers";
import {
  DISTILLATION_GRAD_KERNEL, DISTILLATION_LOSS_KERNEL, SOFT_DISTILLATION_LOSS_KERNEL, distillationKernelPath, distillationLossJs, distillationParams,
  type DistillationInput, type DistillationKernelAttrs,
} from "./fused-distillation";
import { DROPOUT_KERNEL, type DropoutKernelAttrs } from "./dropout";
import { MAX_NORM_KERNEL, type MaxNormKernelAttrs } from "./max-norm";
import { loadBlasNative, NO_DNNL_ENV, type BlasNative, type BlasNativeInfo, type ConvPath } from "./blas-native";

export const BLAS_BACKEND = "blas";

/** The parts of tfjs-backend-wasm's BackendWasm that the kernels use. */
interface WasmBackendLike {
  incRef(dataId: object): void;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

type KernelArgs = {
  inputs: Record<string, tf.TensorInfo | undefined>;
  backend: WasmBackendLike;
  attrs: Record<string, unknown>;
};

/**
 * Activation codes of the addon's biasActivation (native/kdh_blas.c). Prelu is done here too, not left
 * to the wasm kernel: tfjs-backend-wasm 4.22's _FusedMatMul gives wrong values for bias + prelu when an
 * operand is transposed (found by this file's test against the cpu backend).
 */
const FUSED_ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2, elu: 3, sigmoid: 4, leakyrelu: 5, prelu: 6 };
const PRELU = 6;

/** Kernels this backend replaces (the rest are the wasm backend's, re-registered under `blas`). */
export const BLAS_KERNELS = [
  "BatchMatMul", "_FusedMatMul", "Conv2D", "FusedConv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter",
  "MaxPool", "MaxPoolGrad", "Sum", "Identity", "Cast", "GatherV2",
] as const;

let native: BlasNative | undefined;
/** The wasm kernels we override, kept to handle what we do not (prelu, odd bias shapes, int32). */
const wasmFallback = new Map<string, tf.KernelFunc>();

function offset(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const entry = backend.dataIdMap.get(t.dataId);
  if (!entry) throw new Error(`blas backend: tensor ${JSON.stringify(t.shape)} has no data on this backend`);
  // Byte offset from wasm malloc (8-byte aligned) → float index.
  return entry.memoryOffset >>> 2;
}

function size(shape: number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

function fallback(name: string, args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const f = wasmFallback.get(name);
  if (!f) throw new Error(`blas backend: ${name} cannot handle these inputs and the wasm backend has no ${name} to fall back to`);
  return f(args as unknown as Parameters<tf.KernelFunc>[0]);
}

/**
 * Per-column (length = cols) or scalar bias / prelu slopes: their length; 0 when absent; undefined for
 * other broadcasts (handled by the wasm fallback).
 */
function biasLength(bias: tf.TensorInfo | undefined, cols: number): number | undefined {
  if (!bias) return 0;
  const n = size(bias.shape);
  if (bias.dtype !== "float32") return undefined;
  if (n === 1) return 1;
  if (n === cols && bias.shape[bias.shape.length - 1] === cols) return cols;
  return undefined;
}

interface MatMulPlan {
  outShape: number[];
  batch: number;
  m: number;
  n: number;
  k: number;
  aStride: number;
  bStride: number;
}

/**
 * Shapes of a (batched) matmul with tfjs semantics: outer dimensions broadcast, one side's batch may
 * be 1 (stride 0). Returns undefined for batch shapes tfjs's own kernels flatten differently.
 */
function planMatMul(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): MatMulPlan | undefined {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) {
    throw new Error(
      `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and ` +
        `transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return {
    outShape: [...outer, m, n],
    batch: Math.max(batchA, batchB),
    m,
    n,
    k,
    aStride: batchA === 1 ? 0 : m * k,
    bStride: batchB === 1 ? 0 : k * n,
  };
}

/** Runs the matmul into a fresh output; the caller may apply bias/activation in place afterwards. */
function matMulInto(backend: WasmBackendLike, a: tf.TensorInfo, b: tf.TensorInfo, tA: boolean, tB: boolean, p: MatMulPlan): tf.TensorInfo {
  const out = backend.makeOutput(p.outShape, "float32");
  if (size(p.outShape) === 0) return out;
  const heap = backend.wasm.HEAPF32; // after makeOutput: the heap may have grown
  const aOff = offset(backend, a);
  const bOff = offset(backend, b);
  const cOff = offset(backend, out);
  if (p.bStride === 0 && p.aStride !== 0 && !tA) {
    // A batch of row blocks times one shared B is a single tall product: one sgemm call instead of many.
    native!.sgemmBatched(heap, aOff, 0, heap, bOff, 0, heap, cOff, 0, 1, 0, tB ? 1 : 0, p.batch * p.m, p.n, p.k);
  } else {
    native!.sgemmBatched(heap, aOff, p.aStride, heap, bOff, p.bStride, heap, cOff, p.m * p.n, p.batch, tA ? 1 : 0, tB ? 1 : 0, p.m, p.n, p.k);
  }
  return out;
}

function batchMatMul(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const tA = Boolean(args.attrs.transposeA);
  const tB = Boolean(args.attrs.transposeB);
  if (a.dtype !== "float32" || b.dtype !== "float32") return fallback("BatchMatMul", args);
  const plan = planMatMul(a, b, tA, tB);
  if (!plan) return fallback("BatchMatMul", args);
  return matMulInto(args.backend, a, b, tA, tB, plan);
}

function fusedMatMul(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { a, b, bias, preluActivationWeights: prelu } = args.inputs as Record<string, tf.TensorInfo>;
  const tA = Boolean(args.attrs.transposeA);
  const tB = Boolean(args.attrs.transposeB);
  const act = FUSED_ACTIVATIONS[String(args.attrs.activation ?? "linear")];
  if (a.dtype !== "float32" || b.dtype !== "float32" || act === undefined) return fallback("_FusedMatMul", args);
  const plan = planMatMul(a, b, tA, tB);
  const epi = plan && epilogue(args, plan.n, act);
  if (!plan || !epi) return fallback("_FusedMatMul", args);
  const out = matMulInto(args.backend, a, b, tA, tB, plan);
  applyEpilogue(args.backend, out, epi);
  return out;
}

/** What a fused kernel does after its product: bias, activation, slopes. */
interface Epilogue {
  cols: number;
  bias?: tf.TensorInfo;
  biasLen: number;
  act: number;
  alpha: number;
  prelu?: tf.TensorInfo;
  preluLen: number;
}

/** The fused op's epilogue, or undefined when its bias/slope shapes need the wasm fallback. */
function epilogue(args: KernelArgs, cols: number, act: number): Epilogue | undefined {
  const bias = args.inputs.bias;
  const prelu = act === PRELU ? args.inputs.preluActivationWeights : undefined;
  const biasLen = biasLength(bias, cols);
  const preluLen = biasLength(prelu, cols);
  if (biasLen === undefined || preluLen === undefined || (act === PRELU && preluLen === 0)) return undefined;
  return { cols, bias, biasLen, act, alpha: Number(args.attrs.leakyreluAlpha ?? 0.2), prelu, preluLen };
}

function applyEpilogue(backend: WasmBackendLike, out: tf.TensorInfo, e: Epilogue): void {
  const total = size(out.shape);
  if (total === 0 || (e.biasLen === 0 && e.act === 0)) return;
  const heap = backend.wasm.HEAPF32;
  native!.biasActivation(
    heap, offset(backend, out), total / e.cols, e.cols,
    e.bias ? heap : null, e.bias ? offset(backend, e.bias) : 0, e.biasLen, e.act, e.alpha,
    e.prelu ? heap : null, e.prelu ? offset(backend, e.prelu) : 0, e.preluLen,
  );
}

/** [n,h,w,c,kh,kw,sh,sw,dh,dw,padTop,padLeft,oh,ow,co] for the addon, from tfjs's own shape arithmetic. */
function geometry(info: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
    info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
    info.outHeight, info.outWidth, info.outChannels,
  ]);
}

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;
type Rounding = "floor" | "round" | "ceil" | undefined;

function convInfo(xShape: number[], filterShape: number[], attrs: Record<string, unknown>, dilations: number | [number, number] = 1) {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    dilations,
    attrs.pad as Pad,
    attrs.dimRoundingMode as Rounding,
    false,
    tf.backend_util.convertConv2DDataFormat((attrs.dataFormat as "NHWC" | "NCHW" | undefined) ?? "NHWC"),
  );
}

function isNhwcFloat(attrs: Record<string, unknown>, ...ts: tf.TensorInfo[]): boolean {
  const fmt = attrs.dataFormat ?? "NHWC";
  return fmt === "NHWC" && ts.every((t) => t.dtype === "float32");
}

function convForward(name: "Conv2D" | "FusedConv2D", args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const act = name === "FusedConv2D" ? FUSED_ACTIVATIONS[String(args.attrs.activation ?? "linear")] : 0;
  if (!isNhwcFloat(args.attrs, x, filter) || act === undefined) return fallback(name, args);
  const info = convInfo(x.shape, filter.shape, args.attrs, (args.attrs.dilations as number | [number, number]) ?? 1);
  const epi = epilogue(args, info.outChannels, act);
  if (!epi) return fallback(name, args);
  const backend = args.backend;
  const out = backend.makeOutput(info.outShape, "float32");
  if (size(info.outShape) === 0) return out;
  if (size(x.shape) === 0) throw new Error(`blas backend: ${name} got an empty input of shape ${x.shape}`);
  const heap = backend.wasm.HEAPF32;
  // oneDNN fuses a per-channel bias and the activation (not prelu) into the convolution; scalar biases,
  // prelu and the im2col path get the separate epilogue.
  const fusable = epi.act !== PRELU && epi.biasLen !== 1;
  const fused = native!.conv2d(
    heap, offset(backend, x), heap, offset(backend, filter), heap, offset(backend, out), geometry(info),
    fusable && epi.bias ? heap : null, fusable && epi.bias ? offset(backend, epi.bias) : 0, fusable ? epi.act : 0, epi.alpha,
  );
  if (!fused || !fusable) applyEpilogue(backend, out, epi);
  return out;
}

function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  if (!isNhwcFloat(args.attrs, dy, filter)) return fallback("Conv2DBackpropInput", args);
  const inputShape = args.attrs.inputShape as number[];
  const info = convInfo(inputShape, filter.shape, args.attrs);
  const backend = args.backend;
  const out = backend.makeOutput(inputShape, "float32");
  if (size(inputShape) === 0) return out;
  const heap = backend.wasm.HEAPF32;
  native!.conv2dBackpropInput(heap, offset(backend, dy), heap, offset(backend, filter), heap, offset(backend, out), geometry(info));
  return out;
}

function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (!isNhwcFloat(args.attrs, x, dy)) {
    throw new Error(
      `blas backend: Conv2DBackpropFilter supports float32 NHWC only, got dataFormat=${String(args.attrs.dataFormat)} ` +
        `and dtypes ${x.dtype}/${dy.dtype}; transpose to NHWC (the tfjs default) or use the cpu backend.`,
    );
  }
  const filterShape = args.attrs.filterShape as number[];
  const info = convInfo(x.shape, filterShape, args.attrs);
  const backend = args.backend;
  const out = backend.makeOutput(filterShape, "float32");
  if (size(filterShape) === 0) return out;
  const heap = backend.wasm.HEAPF32;
  native!.conv2dBackpropFilter(heap, offset(backend, x), heap, offset(backend, dy), heap, offset(backend, out), geometry(info));
  return out;
}

/** [n,h,w,c,fh,fw,sh,sw,dh,dw,padTop,padLeft,oh,ow] for the addon's pooling. */
function poolGeometry(info: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
    info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
    info.outHeight, info.outWidth,
  ]);
}

function poolInfo(xShape: number[], attrs: Record<string, unknown>) {
  return tf.backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as Pad,
    attrs.dimRoundingMode as Rounding,
  );
}

function maxPool(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype !== "float32" || x.shape.length !== 4 || size(x.shape) === 0) return fallback("MaxPool", args);
  const info = poolInfo(x.shape, args.attrs);
  const backend = args.backend;
  const out = backend.makeOutput(info.outShape, "float32");
  if (size(info.outShape) === 0) return out;
  const heap = backend.wasm.HEAPF32;
  native!.maxPool(heap, offset(backend, x), heap, offset(backend, out), poolGeometry(info));
  return out;
}

function maxPoolGrad(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  if (dy.dtype !== "float32" || input.dtype !== "float32" || input.shape.length !== 4 || size(input.shape) === 0) {
    return fallback("MaxPoolGrad", args);
  }
  const info = poolInfo(input.shape, args.attrs);
  const backend = args.backend;
  const out = backend.makeOutput(input.shape, "float32");
  if (size(info.outShape) === 0) return out;
  const heap = backend.wasm.HEAPF32;
  native!.maxPoolGrad(heap, offset(backend, dy), heap, offset(backend, input), heap, offset(backend, out), poolGeometry(info));
  return out;
}

/**
 * Sum over every axis but the last (a bias gradient: [batch, h, w, c] -> [c]) runs natively; wasm would
 * transpose first. Every other reduction is the wasm kernel's.
 */
function sum(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const rank = x.shape.length;
  if (x.dtype !== "float32" || rank < 2 || size(x.shape) === 0) return fallback("Sum", args);
  const axes = tf.util.parseAxisParam(args.attrs.axis as number | number[], x.shape).sort((a, b) => a - b);
  if (axes.length !== rank - 1 || axes.some((a, i) => a !== i)) return fallback("Sum", args);
  const cols = x.shape[rank - 1];
  const backend = args.backend;
  const outShape = args.attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols];
  const out = backend.makeOutput(outShape, "float32");
  const heap = backend.wasm.HEAPF32;
  native!.columnSum(heap, offset(backend, x), size(x.shape) / cols, cols, heap, offset(backend, out));
  return out;
}

/**
 * Identity shares the input's memory (a reference count, as the cpu backend and wasm's own Reshape do)
 * instead of copying it. tfjs clones every tensor it saves for the backward pass, so the wasm copy cost
 * three 6 MB copies per layer in a CNN step; no kernel writes into its inputs, so sharing is safe.
 */
function identity(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype === "string") return fallback("Identity", args);
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * A cast to the dtype a tensor already has (tfjs's relu gradient does one per layer) shares like
 * Identity. A cast to bool is done here too: tfjs-backend-wasm 4.22 copies the numbers into the bytes
 * (-2.5 becomes 254, found by this file's test against the cpu backend) instead of testing x != 0.
 */
function cast(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const dtype = args.attrs.dtype as tf.DataType;
  if (x.dtype === "string") return fallback("Cast", args);
  if (dtype === x.dtype) return identity(args);
  if (dtype === "bool") {
    const out = args.backend.makeOutput(x.shape, "bool");
    const src = args.backend.typedArrayFromHeap(x);
    const dst = args.backend.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  return fallback("Cast", args);
}

/**
 * Rows of a tensor by index (tf.gather on axis 0): every training step takes its mini-batch this way. The
 * wasm kernel computes each element's source through the strides, 2.7 ms for a 128 × 784 batch on this
 * machine kind, about half a student step; a row is contiguous, so one copy per row does it in
 * microseconds. Other axes, batch dimensions and dtypes go to the wasm kernel. Out-of-range indices are
 * refused as tfjs's cpu kernel refuses them (the wasm kernel would read outside the tensor).
 */
function gatherRows(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const rank = x.shape.length;
  const axis = Number(args.attrs.axis ?? 0);
  const batchDims = Number(args.attrs.batchDims ?? 0);
  if (rank === 0 || (axis !== 0 && axis !== -rank) || batchDims !== 0 || indices.dtype !== "int32" || (x.dtype !== "float32" && x.dtype !== "int32")) {
    return fallback("GatherV2", args);
  }
  const rows = x.shape[0];
  const rowLen = size(x.shape.slice(1));
  const out = args.backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  // Views only after the output exists: allocating can grow the heap and detach older views.
  const idx = args.backend.typedArrayFromHeap(indices) as Int32Array;
  const src = args.backend.typedArrayFromHeap(x);
  const dst = args.backend.typedArrayFromHeap(out);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    if (!(r >= 0 && r < rows)) throw new Error(`GatherV2: the index value ${r} is not in [0, ${rows - 1}]`);
    dst.set(src.subarray(r * rowLen, (r + 1) * rowLen), i * rowLen);
  }
  return out;
}

const OVERRIDES: Record<(typeof BLAS_KERNELS)[number], (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]> = {
  GatherV2: gatherRows,
  BatchMatMul: batchMatMul,
  _FusedMatMul: fusedMatMul,
  Conv2D: (args) => convForward("Conv2D", args),
  FusedConv2D: (args) => convForward("FusedConv2D", args),
  Conv2DBackpropInput: conv2DBackpropInput,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  MaxPool: maxPool,
  MaxPoolGrad: maxPoolGrad,
  Sum: sum,
  Identity: identity,
  Cast: cast,
};

/**
 * One optimizer step of one variable (fused-optimizers.ts): inputs w, g and, per kind, m and v; outputs
 * the new w (and m, v) in fresh tensors, as tfjs's assign-based optimizers expect.
 */
function optimizerUpdate(args: KernelArgs): tf.TensorInfo[] {
  const { w, g, m, v } = args.inputs;
  const kind = Number(args.attrs.kind);
  const hyper = Float32Array.from(args.attrs.hyper as number[]);
  const backend = args.backend;
  const outs = [w!, m, v].filter((t): t is tf.TensorInfo => t !== undefined).map((t) => backend.makeOutput(t.shape, "float32"));
  const n = size(w!.shape);
  if (n === 0) return outs;
  const off = (t: tf.TensorInfo | undefined) => (t ? offset(backend, t) : -1);
  const offsets = Float64Array.of(off(w), off(g), off(m), off(v), off(outs[0]), off(outs[1]), off(outs[2]));
  native!.optimizerUpdate(kind, backend.wasm.HEAPF32, offsets, n, hyper);
  return outs;
}

/** dz = dy·(y > 0) and the bias gradient Σ_rows dz over all axes but the last (fused-layers.ts). */
function reluBackward(args: KernelArgs): tf.TensorInfo[] {
  const { dy, y } = args.inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  const backend = args.backend;
  const cols = y.shape[y.shape.length - 1];
  const dz = backend.makeOutput(y.shape, "float32");
  const db = backend.makeOutput([cols], "float32");
  const n = size(y.shape);
  if (n === 0) {
    backend.typedArrayFromHeap(db).fill(0);
    return [dz, db];
  }
  native!.reluBackward(backend.wasm.HEAPF32, offset(backend, dy), offset(backend, y), offset(backend, dz), offset(backend, db), n / cols, cols);
  return [dz, db];
}

/** The tensors of one call of the distillation loss's per-row pass: inputs, and the outputs wanted. */
interface DistillationCall {
  z: tf.TensorInfo;
  v: tf.TensorInfo;
  y?: tf.TensorInfo;
  loss?: tf.TensorInfo;
  dz?: tf.TensorInfo;
  dv?: tf.TensorInfo;
  dy?: tf.TensorInfo;
  g?: tf.TensorInfo;
}

function runDistillation(backend: WasmBackendLike, attrs: Record<string, unknown>, t: DistillationCall): void {
  if (t.z.dtype !== "float32" || t.v.dtype !== "float32" || (t.y && t.y.dtype !== "float32" && t.y.dtype !== "int32")) {
    throw new Error(
      `blas backend: the distillation kernels take float32 logits and teacher outputs and float32 or int32 labels, ` +
        `got ${t.z.dtype}, ${t.v.dtype}${t.y ? `, ${t.y.dtype}` : ""}; cast them with tf.cast(x, "float32").`,
    );
  }
  const same = (x?: tf.TensorInfo) => !x || tf.util.arraysEqual(x.shape, t.z.shape);
  if (t.z.shape.length !== 2 || !same(t.v) || !same(t.y)) {
    throw new Error(
      `blas backend: the distillation kernels take [batch, classes] logits, teacher outputs and labels of one shape, ` +
        `got [${t.z.shape}], [${t.v.shape}]${t.y ? `, [${t.y.shape}]` : ""}; call kdh.distillationLoss, which checks and explains shapes.`,
    );
  }
  const [rows, classes] = t.z.shape;
  const off = (x?: tf.TensorInfo) => (x ? offset(backend, x) : -1);
  const offsets = Float64Array.of(off(t.z), off(t.v), off(t.y), off(t.loss), off(t.dz), off(t.dv), off(t.dy), off(t.g));
  const run = distillationKernelPath() === "native" && native!.distillationLoss ? native!.distillationLoss.bind(native) : distillationLossJs;
  run(backend.wasm.HEAPF32, offsets, rows, classes, distillationParams(attrs as unknown as DistillationKernelAttrs, t.y?.dtype === "int32"));
}

/** Forward: the loss alone (a scalar), no gradient computed. */
function distillationLossKernel(args: KernelArgs): tf.TensorInfo {
  const { logits, teacher, labels } = args.inputs;
  const loss = args.backend.makeOutput([], "float32");
  runDistillation(args.backend, args.attrs, { z: logits!, v: teacher!, y: labels, loss });
  return loss;
}

/** Backward: the incoming gradient dy times dL/d(attrs.wrt), for that one input only. */
function distillationGradKernel(args: KernelArgs): tf.TensorInfo {
  const { dy, logits, teacher, labels } = args.inputs;
  const wrt = args.attrs.wrt as DistillationInput;
  const out = args.backend.makeOutput(logits!.shape, "float32");
  const target = wrt === "logits" ? "dz" : wrt === "teacher" ? "dv" : "dy";
  runDistillation(args.backend, args.attrs, { z: logits!, v: teacher!, y: labels, g: dy, [target]: out });
  return out;
}

/** Seeded dropout (dropout.ts): y = x · mask into a fresh output; the mask is made on the fly from (seed, index). */
function dropoutKernel(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { rate, seed } = args.attrs as unknown as DropoutKernelAttrs;
  if (x.dtype !== "float32") throw new Error(`blas backend: dropout needs a float32 tensor, got ${x.dtype}; cast it first (tf.cast(x, "float32"))`);
  const out = args.backend.makeOutput(x.shape, "float32");
  const n = size(x.shape);
  if (n > 0) native!.dropout!(args.backend.wasm.HEAPF32, offset(args.backend, x), offset(args.backend, out), n, seed, rate);
  return out;
}

/**
 * Max-norm of a weight matrix (max-norm.ts): outputs the rescaled matrix, in a fresh tensor so that nothing
 * sharing the variable's memory sees it change, and an int32 scalar counting the columns above c. When the
 * count is 0 the matrix output is left unwritten (the caller disposes it unread): early in training no column
 * exceeds c (none in the first 300 steps of the paper-scale teacher with c = 3.5).
 */
function maxNormKernel(args: KernelArgs): tf.TensorInfo[] {
  const { w } = args.inputs as { w: tf.TensorInfo };
  const { c } = args.attrs as unknown as MaxNormKernelAttrs;
  if (w.dtype !== "float32" || w.shape.length !== 2) {
    throw new Error(`blas backend: max-norm takes a float32 [in, out] weight matrix, got ${w.dtype} [${w.shape}]`);
  }
  const backend = args.backend;
  const out = backend.makeOutput(w.shape, "float32");
  const count = backend.makeOutput([], "int32");
  const [rows, cols] = w.shape;
  const exceeding = rows * cols === 0 ? 0 : native!.maxNorm!(backend.wasm.HEAPF32, offset(backend, w), offset(backend, out), rows, cols, c);
  (backend.typedArrayFromHeap(count) as Int32Array)[0] = exceeding;
  return [out, count];
}

/** Threads the fused optimizer updates may use (A/B measurements; setThreads in loadBlasNative sets the default). */
export function setUpdateThreads(n: number): void {
  if (!native) throw new Error("blas backend: call registerBlasBackend() (or initBackend) before setUpdateThreads");
  native.setUpdateThreads(n);
}

/** OpenBLAS build, thread count and convolution path, for benchmark records; undefined until registerBlasBackend ran. */
export function blasInfo(): BlasNativeInfo | undefined {
  return native?.info();
}

/** Switch the path convolutions take (tests and measurements compare them in one process). */
export function setConvPath(path: ConvPath): void {
  if (!native) throw new Error("blas backend: call registerBlasBackend() (or initBackend) before setConvPath");
  native.setConvPath(path);
}

/** Where convolutions go, in one line; initBackend adds it to the backend choice's reason. */
export function convPathLine(): string {
  const i = native?.info();
  if (!i) return "blas backend not loaded";
  return i.convPath === "onednn"
    ? `convolutions through ${i.onednn} with ${i.threads} thread${i.threads === 1 ? "" : "s"}, matrix products through OpenBLAS`
    : `convolutions through im2col + OpenBLAS sgemm (${process.env[NO_DNNL_ENV] === "1" ? `${NO_DNNL_ENV}=1` : i.onednn})`;
}

/**
 * Register the `blas` backend and its kernels with tfjs (idempotent). Throws one clear error when the
 * OpenBLAS addon cannot be loaded or built; backend.ts then falls back to wasm and prints why.
 */
export function registerBlasBackend(): void {
  if (tf.findBackendFactory(BLAS_BACKEND)) return;
  native = loadBlasNative();
  // Registers the `wasm` backend factory and its kernels on this tfjs-core.
  require("@tensorflow/tfjs-backend-wasm");
  const wasmEntry = (tf.engine().registryFactory as Record<string, { factory: () => unknown } | undefined>)["wasm"];
  if (!wasmEntry) throw new Error("blas backend: @tensorflow/tfjs-backend-wasm loaded but registered no 'wasm' backend");
  // Calling the wasm factory ourselves gives a separate module instance (own heap, own tensor ids), so
  // `blas` and `wasm` can coexist in one process, e.g. in the benchmark. The wasm kernels bind their
  // cwrap'd functions in setupFunc, which tfjs re-runs on every setBackend, so they follow the active one.
  const wasmFactory = wasmEntry.factory;
  for (const config of tf.getKernelsForBackend("wasm")) {
    if ((BLAS_KERNELS as readonly string[]).includes(config.kernelName)) wasmFallback.set(config.kernelName, config.kernelFunc);
    else tf.registerKernel({ ...config, backendName: BLAS_BACKEND });
  }
  for (const [kernelName, kernelFunc] of Object.entries(OVERRIDES)) {
    const setup = tf.getKernelsForBackend("wasm").find((k) => k.kernelName === kernelName)?.setupFunc;
    tf.registerKernel({
      kernelName,
      backendName: BLAS_BACKEND,
      // The wasm fallback's cwrap binding must point at this backend's module too.
      setupFunc: setup,
      kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    });
  }
  installFusedOptimizers(BLAS_BACKEND, optimizerUpdate as unknown as tf.KernelFunc);
  // The fused layers' kernels (fused-layers.ts): relu layers whose forward and backward passes stay fused in
  // training; the distillation loss's (fused-distillation.ts).
  const layerKernels: Record<string, (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]> = {
    [DENSE_RELU_KERNEL]: (args) => fusedMatMul({ ...args, attrs: { transposeA: false, transposeB: false, activation: "relu" } }),
    [CONV_RELU_KERNEL]: (args) => convForward("FusedConv2D", { ...args, attrs: { ...args.attrs, dataFormat: "NHWC", dilations: 1, activation: "relu" } }),
    [RELU_BACKWARD_KERNEL]: reluBackward,
    [DISTILLATION_LOSS_KERNEL]: distillationLossKernel,
    [SOFT_DISTILLATION_LOSS_KERNEL]: distillationLossKernel,
    [DISTILLATION_GRAD_KERNEL]: distillationGradKernel,
  };
  // Addons built before kdh_dropout.c lack these; dropout.ts and max-norm.ts then take their tfjs paths.
  if (native.dropout) layerKernels[DROPOUT_KERNEL] = dropoutKernel;
  if (native.maxNorm) layerKernels[MAX_NORM_KERNEL] = maxNormKernel;
  for (const [kernelName, kernelFunc] of Object.entries(layerKernels)) {
    tf.registerKernel({ kernelName, backendName: BLAS_BACKEND, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  }
  tf.registerBackend(BLAS_BACKEND, async () => (await wasmFactory()) as tf.KernelBackend, 0);
}
