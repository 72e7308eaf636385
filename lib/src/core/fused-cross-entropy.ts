/**
 * Softmax cross-entropy, L = -(1/B) Σ_r Σ_c y[r,c] log softmax(z[r])_c, as one kernel with its analytic
 * gradient, for the `blas` backend (train.ts's crossEntropyLoss uses it there).
 *
 * Why: written with tfjs ops the loss is about ten kernels forward (max, subtract, exp, sum, log, ...,
 * mean) and fifteen backward on a [batch, classes] block of a few thousand numbers, and on a CPU backend
 * each kernel's dispatch costs more than its arithmetic: about a tenth of a 784-800-800-10 student MLP
 * step. Here one pass per row in float64 gives the loss and both gradients:
 *   dL/dz = (softmax(z) Σ_c y - y) / B,   dL/dy = -log softmax(z) / B
 * (Σ_c y is kept rather than taken as 1, so that the gradient is that of the formula for any targets,
 * as tfjs's autodiff of the op-by-op version gives.) Targets may be float32 or int32 (tf.oneHot's dtype).
 * Elsewhere, or for inputs that are not two matrices of one shape, crossEntropyLoss keeps the op-by-op version, which is this kernel's oracle in
 * the tests.
 */
import * as tf from "@tensorflow/tfjs";
import { fusedByDefault } from "./fused-switch";

export const CROSS_ENTROPY_KERNEL = "KdhSoftmaxCrossEntropy";
export const FUSED_CROSS_ENTROPY_BACKENDS = ["blas"] as const;

let enabled = fusedByDefault();

/** Turn the fused kernel off (op by op) or on again: tests and A/B measurements compare both in one process. */
export function setFusedCrossEntropy(on: boolean): void {
  enabled = on;
}

/** The loss and its gradients for logits z and targets y, both [rows, classes], row-major. */
export function crossEntropyParts(z: ArrayLike<number>, y: ArrayLike<number>, rows: number, classes: number, dz: Float32Array, dy: Float32Array): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (z[base + c] > max) max = z[base + c];
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(z[base + c] - max);
    const lse = max + Math.log(s);
    let sumY = 0;
    for (let c = 0; c < classes; c++) {
      const ls = z[base + c] - lse;
      const yc = y[base + c];
      total -= yc * ls; // no skipping y = 0: as in the op-by-op version, 0 · NaN (NaN logits) must give NaN
      sumY += yc;
      dy[base + c] = -ls / rows;
    }
    for (let c = 0; c < classes; c++) dz[base + c] = (Math.exp(z[base + c] - lse) * sumY - y[base + c]) / rows;
  }
  return total / rows;
}

interface HeapBackend {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

function kernelFunc(args: { inputs: Record<string, tf.TensorInfo>; backend: unknown }): tf.TensorInfo[] {
  const { logits, targets } = args.inputs;
  const backend = args.backend as HeapBackend;
  const [rows, classes] = logits.shape;
  // Outputs first: allocating may grow the wasm heap and detach views taken before.
  const outs = [backend.makeOutput([], "float32"), backend.makeOutput([rows, classes], "float32"), backend.makeOutput([rows, classes], "float32")];
  const [loss, dz, dy] = outs.map((o) => backend.typedArrayFromHeap(o) as Float32Array);
  loss[0] = crossEntropyParts(backend.typedArrayFromHeap(logits), backend.typedArrayFromHeap(targets), rows, classes, dz, dy);
  return outs;
}

for (const backendName of FUSED_CROSS_ENTROPY_BACKENDS) {
  if (!tf.getKernel(CROSS_ENTROPY_KERNEL, backendName)) tf.registerKernel({ kernelName: CROSS_ENTROPY_KERNEL, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/** Whether crossEntropyLoss takes the fused kernel for these inputs on the active backend. */
export function fusedCrossEntropyApplies(targets: tf.Tensor, logits: tf.Tensor): boolean {
  return (
    enabled &&
    tf.getKernel(CROSS_ENTROPY_KERNEL, tf.getBackend()) !== undefined &&
    logits.rank === 2 && targets.rank === 2 &&
    logits.dtype === "float32" && (targets.dtype === "float32" || targets.dtype === "int32") &&
    tf.util.arraysEqual(logits.shape, targets.shape) && logits.size > 0
  );
}

/** The mean cross-entropy as a scalar with the kernel's gradients for both inputs attached. */
export function fusedCrossEntropy(targets: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [z, y] = args as tf.Tensor[];
    const [loss, dz, dy] = tf.engine().runKernel(CROSS_ENTROPY_KERNEL, { logits: z, targets: y }) as tf.Tensor[];
    save([dz, dy]);
    return { value: loss, gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) => saved.map((d) => tf.mul(d, g)) };
  }) as Parameters<typeof tf.customGrad>[0]);
  return f(logits, targets) as tf.Scalar;
}
