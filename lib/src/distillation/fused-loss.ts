/**
 * The distillation loss of losses.ts (Hinton, Vinyals & Dean 2015) as one kernel with a registered
 * gradient, where the backend has it (the `blas` backend: core/fused-distillation.ts defines the kernels
 * and their formulas, native/kdh_distill.c computes them).
 *
 * Why: written with tfjs ops the loss is about twenty kernels forward and thirty backward on a
 * [batch, classes] block, and on a CPU backend each kernel's dispatch costs more than its arithmetic.
 * Here a training step runs one forward kernel (the loss) and one backward kernel (dL/dlogits only;
 * the teacher's and the labels' gradients are computed only when something differentiates through them).
 *
 * Everywhere else (wasm, cpu, KDH_FUSED=0, inputs of other dtypes, empty batches) losses.ts keeps the
 * op-by-op version, which is also this one's oracle in the tests.
 */
import * as tf from "@tensorflow/tfjs";
import {
  DISTILLATION_LOSS_KERNEL, SOFT_DISTILLATION_LOSS_KERNEL, fusedDistillationEnabled, type DistillationKernelAttrs,
} from "../core/fused-distillation";

export type FusedDistillationAttrs = DistillationKernelAttrs;

/** Whether distillationLoss takes the fused kernels for these inputs on the active backend. */
export function fusedDistillationActive(student: tf.Tensor, teacher: tf.Tensor, oneHot: tf.Tensor | null): boolean {
  return (
    fusedDistillationEnabled() &&
    tf.getKernel(DISTILLATION_LOSS_KERNEL, tf.getBackend()) !== undefined &&
    student.dtype === "float32" && teacher.dtype === "float32" &&
    (oneHot === null || oneHot.dtype === "float32" || oneHot.dtype === "int32") &&
    student.size > 0
  );
}

/**
 * The mean distillation loss as a scalar, gradients through the registered gradient (one native pass
 * per input asked for). Shapes are checked by the caller (losses.ts): [batch, classes] each.
 */
export function fusedDistillationLoss(student: tf.Tensor, teacher: tf.Tensor, oneHot: tf.Tensor | null, o: FusedDistillationAttrs): tf.Scalar {
  const attrs = { T: o.T, softWeight: o.softWeight, teacherIs: o.teacherIs, softTerm: o.softTerm } as unknown as tf.NamedAttrMap;
  return (
    oneHot
      ? tf.engine().runKernel(DISTILLATION_LOSS_KERNEL, { logits: student, teacher, labels: oneHot }, attrs)
      : tf.engine().runKernel(SOFT_DISTILLATION_LOSS_KERNEL, { logits: student, teacher }, attrs)
  ) as tf.Scalar;
}
