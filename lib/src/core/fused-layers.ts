/**
 * Dense and convolution layers with bias and ReLU, y = relu(x·W + b) and y = relu(conv(x, K) + b), as
 * one kernel forward and one pass backward on the `blas` backend; drop-in replacements for
 * tf.fused.matMul / tf.fused.conv2d (same arguments), which every other case is handed to.
 *
 * Why: tfjs fuses bias and activation only when no gradient is recorded; in training each such layer
 * becomes a product, a broadcast Add and a Relu forward, and Step, Cast, Multiply and Sum backward —
 * each a separate pass over the [batch, width] (or [batch, h, w, channels]) block on one core. Here the
 * forward pass is the product with bias and ReLU applied in place (OpenBLAS + one native pass, or oneDNN's
 * fused post-ops for convolutions), and the backward pass computes dz = dy·(y > 0) and the bias gradient
 * Σ_rows dz in one native pass (y > 0 exactly when x·W + b > 0, so the output is all that is saved),
 * before the two products of the input and weight gradients. Those two are separate thunks, so tfjs
 * skips the input gradient where nothing needs it (a network's first layer).
 */
import * as tf from "@tensorflow/tfjs";
import { fusedByDefault } from "./fused-switch";

export const DENSE_RELU_KERNEL = "KdhDenseRelu";
export const CONV_RELU_KERNEL = "KdhConv2DRelu";
export const RELU_BACKWARD_KERNEL = "KdhReluBackward";

let enabled = fusedByDefault();

/** Turn the fused layers off (tfjs's own ops) or on again: tests and A/B measurements compare both in one process. */
export function setFusedLayers(on: boolean): void {
  enabled = on;
}

function available(kernel: string): boolean {
  return enabled && tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

const isFloat = (...ts: (tf.Tensor | undefined)[]) => ts.every((t) => t !== undefined && t.dtype === "float32");

/** dz and db of a ReLU layer from its output y and the incoming gradient dy. */
function reluBackward(dy: tf.Tensor, y: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return tf.engine().runKernel(RELU_BACKWARD_KERNEL, { dy, y }) as [tf.Tensor, tf.Tensor];
}

tf.registerGradient({
  kernelName: DENSE_RELU_KERNEL,
  inputsToSave: ["a", "b"],
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [a, b, y] = saved;
    const [dz, db] = reluBackward(dy as tf.Tensor, y);
    return { a: () => tf.matMul(dz, b, false, true), b: () => tf.matMul(a, dz, true, false), bias: () => db };
  },
});

tf.registerGradient({
  kernelName: CONV_RELU_KERNEL,
  inputsToSave: ["x", "filter"],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved;
    const [dz, db] = reluBackward(dy as tf.Tensor, y);
    const { strides, pad, dimRoundingMode } = attrs as Record<string, unknown>;
    const common = { strides, pad, dimRoundingMode, dataFormat: "NHWC" } as unknown as tf.NamedAttrMap;
    return {
      x: () => tf.engine().runKernel("Conv2DBackpropInput", { dy: dz, filter }, { ...common, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
      filter: () => tf.engine().runKernel("Conv2DBackpropFilter", { x, dy: dz }, { ...common, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
      bias: () => db,
    };
  },
});

type FusedMatMulArgs = Parameters<typeof tf.fused.matMul>[0];
type FusedConv2dArgs = Parameters<typeof tf.fused.conv2d>[0];

/** tf.fused.matMul, with relu + bias layers (2-D, untransposed, per-column bias) fused also in training on `blas`. */
export function fusedDense(args: FusedMatMulArgs): tf.Tensor {
  const { a, b, bias, activation, transposeA, transposeB } = args;
  if (
    activation === "relu" && !transposeA && !transposeB && available(DENSE_RELU_KERNEL) &&
    a instanceof tf.Tensor && b instanceof tf.Tensor && bias instanceof tf.Tensor && isFloat(a, b, bias) &&
    a.rank === 2 && b.rank === 2 && bias.rank === 1 && a.shape[1] === b.shape[0] && bias.shape[0] === b.shape[1]
  ) {
    return tf.engine().runKernel(DENSE_RELU_KERNEL, { a, b, bias }) as tf.Tensor;
  }
  return tf.fused.matMul(args);
}

/** tf.fused.conv2d, with relu + bias convolutions (NHWC, undilated, per-channel bias) fused also in training on `blas`. */
export function fusedConv2d(args: FusedConv2dArgs): tf.Tensor3D | tf.Tensor4D {
  const { x, filter, bias, activation, dataFormat, dilations } = args;
  const undilated = dilations === undefined || dilations === 1 || (Array.isArray(dilations) && dilations.every((d) => d === 1));
  if (
    activation === "relu" && (dataFormat ?? "NHWC") === "NHWC" && undilated && available(CONV_RELU_KERNEL) &&
    x instanceof tf.Tensor && filter instanceof tf.Tensor && bias instanceof tf.Tensor && isFloat(x, filter, bias) &&
    x.rank === 4 && filter.rank === 4 && bias.rank === 1 && bias.shape[0] === filter.shape[3] && x.shape[3] === filter.shape[2]
  ) {
    const attrs = { strides: args.strides, pad: args.pad, dimRoundingMode: args.dimRoundingMode } as unknown as tf.NamedAttrMap;
    return tf.engine().runKernel(CONV_RELU_KERNEL, { x, filter, bias }, attrs) as tf.Tensor4D;
  }
  return tf.fused.conv2d(args);
}
