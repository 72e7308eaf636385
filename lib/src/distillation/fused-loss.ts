/**
 * The distillation loss of losses.ts as one kernel with an analytic gradient, for the `blas` backend.
 *
 * Why: the loss itself is a few thousand flops on a [batch, classes] block, but written with tfjs ops it
 * is about twenty kernels forward and thirty backward (two log-softmaxes, exponentials, reductions, their
 * gradients), and on a CPU backend each kernel's dispatch and bookkeeping costs more than its arithmetic.
 * That made the KD loss add about a fifth to a student MLP step. Here the loss and its gradients with
 * respect to every input come out of one pass per row, in float64.
 *
 * Definitions (per example, averaged over the batch B), as in losses.ts:
 *   a = z / T,  log q = a - lse(a)                       student at temperature T
 *   p = softmax(v / T) (teacher logits) or p = v (teacher probabilities at T)
 *   soft = -sum p log q  ("cross-entropy")  or  sum p (log p - log q)  ("kl", 0 log 0 = 0)
 *   hard = -sum y log softmax(z)
 *   L = w T^2 soft + (1 - w) hard     (soft only when w > 0, hard only when w < 1 and labels are given)
 * Gradients (mean over the batch, so each carries 1/B):
 *   dL/dz = w T (q sum(p) - p) + (1 - w) (softmax(z) sum(y) - y)
 *   dL/dv = w T p (c - sum p c)  with c = -log q (CE) or log p - log q (KL)       [teacher logits]
 *   dL/dp = w T^2 (-log q)  or  w T^2 ((p > 0 ? log p + 1 : 0) - log q)           [teacher probabilities]
 *   dL/dy = -(1 - w) log softmax(z)
 * (sum(p) and sum(y) are kept, not taken as 1, so that the gradient is that of the formula for any
 * input, as tfjs's autodiff of the op-by-op version gives.)
 *
 * Only the `blas` backend gets the kernel (its data lives in host memory, so reading the small inputs
 * costs nothing); everywhere else losses.ts keeps the op-by-op version, which is also this one's oracle
 * in the tests.
 */
import * as tf from "@tensorflow/tfjs";
import type { SoftTerm, TeacherOutputKind } from "./losses";

export const FUSED_DISTILLATION_KERNEL = "KdhDistillationLoss";
/** Backends the fused kernel is registered for. */
export const FUSED_DISTILLATION_BACKENDS = ["blas"] as const;

export interface FusedDistillationAttrs {
  T: number;
  softWeight: number;
  teacherIs: TeacherOutputKind;
  softTerm: SoftTerm;
}

export interface DistillationParts {
  loss: number;
  dLogits: Float32Array;
  dTeacher: Float32Array;
  /** Zeros when no labels were given. */
  dLabels: Float32Array;
}

function logSumExp(x: Float64Array): number {
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const v of x) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** The loss (mean over rows) and its gradients with respect to logits, teacher and labels. */
export function distillationParts(
  z: ArrayLike<number>, v: ArrayLike<number>, y: ArrayLike<number> | null, rows: number, classes: number, o: FusedDistillationAttrs,
): DistillationParts {
  const n = rows * classes;
  const dLogits = new Float32Array(n);
  const dTeacher = new Float32Array(n);
  const dLabels = new Float32Array(n);
  const { T, softWeight: w } = o;
  const soft = w > 0;
  const hard = w < 1 && y !== null;
  const kl = o.softTerm === "kl";
  const a = new Float64Array(classes), logQ = new Float64Array(classes), p = new Float64Array(classes), logP = new Float64Array(classes);
  const c = new Float64Array(classes);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    if (soft) {
      for (let i = 0; i < classes; i++) a[i] = z[base + i] / T;
      const lseA = logSumExp(a);
      for (let i = 0; i < classes; i++) logQ[i] = a[i] - lseA;
      if (o.teacherIs === "logits") {
        for (let i = 0; i < classes; i++) logP[i] = v[base + i] / T;
        const lseB = logSumExp(logP);
        for (let i = 0; i < classes; i++) {
          logP[i] -= lseB;
          p[i] = Math.exp(logP[i]);
        }
      } else {
        for (let i = 0; i < classes; i++) {
          p[i] = v[base + i];
          logP[i] = p[i] > 0 ? Math.log(p[i]) : 0;
        }
      }
      let sumP = 0, pc = 0;
      for (let i = 0; i < classes; i++) {
        // logP is 0 where a teacher probability is 0, and a zero probability contributes nothing (0 log 0 = 0).
        c[i] = kl ? logP[i] - logQ[i] : -logQ[i];
        sumP += p[i];
        if (p[i] !== 0) pc += p[i] * c[i];
      }
      total += w * T * T * pc;
      for (let i = 0; i < classes; i++) {
        const q = Math.exp(logQ[i]);
        dLogits[base + i] = (w * T * (q * sumP - p[i])) / rows;
        if (o.teacherIs === "logits") {
          dTeacher[base + i] = (w * T * p[i] * (c[i] - pc)) / rows;
        } else {
          const dp = kl ? (p[i] > 0 ? logP[i] + 1 : 0) - logQ[i] : -logQ[i];
          dTeacher[base + i] = (w * T * T * dp) / rows;
        }
      }
    }
    if (hard) {
      for (let i = 0; i < classes; i++) a[i] = z[base + i];
      const lse = logSumExp(a);
      let sumY = 0, h = 0;
      for (let i = 0; i < classes; i++) {
        const ls = a[i] - lse;
        const yi = y![base + i];
        if (yi !== 0) h -= yi * ls;
        sumY += yi;
        dLabels[base + i] = (-(1 - w) * ls) / rows;
      }
      total += (1 - w) * h;
      for (let i = 0; i < classes; i++) {
        const sm = Math.exp(a[i] - lse);
        dLogits[base + i] += ((1 - w) * (sm * sumY - y![base + i])) / rows;
      }
    }
  }
  return { loss: total / rows, dLogits, dTeacher, dLabels };
}

/** The parts of the wasm-based backends the kernel uses: read an input, make an output holding values. */
interface HostBackend {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
}

function kernelFunc(args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> }): tf.TensorInfo[] {
  const { logits, teacher, labels } = args.inputs;
  const backend = args.backend as HostBackend;
  const [rows, classes] = logits.shape;
  const parts = distillationParts(
    backend.readSync(logits.dataId), backend.readSync(teacher.dataId), labels ? backend.readSync(labels.dataId) : null,
    rows, classes, args.attrs as unknown as FusedDistillationAttrs,
  );
  return [
    backend.makeOutput([], "float32", undefined, Float32Array.of(parts.loss)),
    backend.makeOutput([rows, classes], "float32", undefined, parts.dLogits),
    backend.makeOutput([rows, classes], "float32", undefined, parts.dTeacher),
    backend.makeOutput([rows, classes], "float32", undefined, parts.dLabels),
  ];
}

/** Registers the kernel for the host-memory backends (idempotent: a second copy of this module finds it). */
export function registerFusedDistillationKernel(): void {
  for (const backendName of FUSED_DISTILLATION_BACKENDS) {
    if (tf.getKernel(FUSED_DISTILLATION_KERNEL, backendName)) continue;
    tf.registerKernel({ kernelName: FUSED_DISTILLATION_KERNEL, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  }
}
registerFusedDistillationKernel();

/** Whether the active backend runs the fused kernel (otherwise losses.ts uses its op-by-op version). */
export function fusedDistillationActive(): boolean {
  return tf.getKernel(FUSED_DISTILLATION_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * The loss as a scalar with the kernel's gradients attached (tf.customGrad): every input gets its
 * gradient, so differentiating through the teacher or the labels stays correct.
 */
export function fusedDistillationLoss(student: tf.Tensor, teacher: tf.Tensor, oneHot: tf.Tensor | null, o: FusedDistillationAttrs): tf.Scalar {
  const attrs = { T: o.T, softWeight: o.softWeight, teacherIs: o.teacherIs, softTerm: o.softTerm } as unknown as tf.NamedAttrMap;
  const run = (inputs: tf.NamedTensorMap) => tf.engine().runKernel(FUSED_DISTILLATION_KERNEL, inputs, attrs) as tf.Tensor[];
  const withLabels = oneHot !== null;
  // tfjs types a custom gradient function as (...inputs: (Tensor | GradSaveFunc)[]); the last argument is save.
  const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [z, v, y] = args as tf.Tensor[];
    const [loss, dz, dv, dy] = run(withLabels ? { logits: z, teacher: v, labels: y } : { logits: z, teacher: v });
    if (withLabels) save([dz, dv, dy]);
    else {
      dy.dispose();
      save([dz, dv]);
    }
    return { value: loss, gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) => saved.map((d) => tf.mul(d, g)) };
  }) as Parameters<typeof tf.customGrad>[0]);
  return (withLabels ? f(student, teacher, oneHot) : f(student, teacher)) as tf.Scalar;
}
