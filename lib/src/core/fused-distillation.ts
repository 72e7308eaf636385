/**
 * The knowledge-distillation loss of Hinton, Vinyals & Dean (2015), section 2, as two kernels for the
 * `blas` backend: a forward kernel that computes only the loss, and a registered gradient whose backward
 * kernel computes g · dL/dz and nothing else. distillation/fused-loss.ts calls them; distillation/losses.ts
 * holds the same loss op by op (every other backend, and the tests' oracle).
 *
 * Why: the loss is a few thousand flops on a [batch, classes] block, but op by op it is about twenty
 * tfjs kernels forward and thirty backward, each costing more in dispatch than in arithmetic. A first
 * fused version (one kernel in JS under tf.customGrad) still made the KD student step 13–24% slower than
 * the plain cross-entropy step: it computed the gradients with respect to the teacher and the labels on
 * every step although they are constants, multiplied all three by the incoming gradient in three more
 * kernels, and ran its exponentials in JS. Here tfjs's own gradient machinery asks for an input's
 * gradient only when that input is on the path to what is differentiated (tape pruning), so a training
 * step runs one forward and one backward kernel, each one call into native/kdh_distill.c.
 *
 * Definitions (per row, averaged over the B rows), with student logits z, teacher logits v (or teacher
 * probabilities p at T), labels y (one-hot, float32 or int32), temperature T and soft weight w:
 *   log q = log softmax(z / T),  p = softmax(v / T) or p = v
 *   soft = -Σ p log q  ("cross-entropy")  or  Σ p (log p - log q)  ("kl", 0 log 0 = 0)
 *   hard = -Σ y log softmax(z)
 *   L = w T² soft + (1 - w) hard     (soft only when w > 0, hard only when w < 1 and labels are given)
 * Gradients (each carries 1/B and the incoming gradient g):
 *   dL/dz = w T (q Σp - p) + (1 - w) (softmax(z) Σy - y)
 *   dL/dv = w T p (c - Σ p c)  with c = -log q (CE) or log p - log q (KL)       [teacher logits]
 *   dL/dp = w T² (-log q)  or  w T² ((p > 0 ? log p + 1 : 0) - log q)           [teacher probabilities]
 *   dL/dy = -(1 - w) log softmax(z)
 * (Σp and Σy are kept, not taken as 1, so that each gradient is that of the formula for any input, as
 * tfjs's autodiff of the op-by-op version gives.) Inputs are float32; each row is computed in float64.
 *
 * distillationLossJs is the same loop in JS: the kernels use it when the addon predates its native
 * version, and A/B measurements (scripts/bench-ab.ts) compare the two.
 */
import * as tf from "@tensorflow/tfjs";
import { fusedByDefault } from "./fused-switch";

/** Forward with labels: inputs {logits, teacher, labels}, output the loss (a scalar). */
export const DISTILLATION_LOSS_KERNEL = "KdhDistillationLoss";
/** Forward without labels (an unlabelled transfer set, softWeight = 1): inputs {logits, teacher}. */
export const SOFT_DISTILLATION_LOSS_KERNEL = "KdhSoftDistillationLoss";
/** Backward: inputs {dy, logits, teacher, labels?}, attr `wrt`; output g · dL/d(wrt), shaped like the logits. */
export const DISTILLATION_GRAD_KERNEL = "KdhDistillationLossGrad";

export interface DistillationKernelAttrs {
  /** Temperature T > 0 of both softmaxes in the soft term. */
  T: number;
  /** Weight w in [0, 1] of the T²-scaled soft term. */
  softWeight: number;
  /** Whether the teacher tensor holds logits v or probabilities p at T. */
  teacherIs: "logits" | "probs";
  softTerm: "cross-entropy" | "kl";
}

export type DistillationInput = "logits" | "teacher" | "labels";

/**
 * The contract shared by the addon's distillationLoss and distillationLossJs. All buffers live in `heap`;
 * offsets (in floats, -1 = absent) = [z, v, y, loss, dz, dv, dy, g]: inputs z, v and labels y
 * ([rows, classes] each), outputs loss (one float) and the gradients asked for, and g (one float, the
 * incoming gradient; absent = 1). params = [T, softWeight, teacher is probabilities 0/1, KL 0/1, labels are int32 0/1].
 */
export type DistillationLossFn = (heap: Float32Array, offsets: Float64Array, rows: number, classes: number, params: Float64Array) => void;

/** The params array of DistillationLossFn for these attributes. */
export function distillationParams(attrs: DistillationKernelAttrs, labelsInt32: boolean): Float64Array {
  return Float64Array.of(attrs.T, attrs.softWeight, attrs.teacherIs === "probs" ? 1 : 0, attrs.softTerm === "kl" ? 1 : 0, labelsInt32 ? 1 : 0);
}

/** The JS twin of native/kdh_distill.c (same loop, same float64 arithmetic; see the header for the formulas). */
export const distillationLossJs: DistillationLossFn = (heap, offsets, rows, classes, params) => {
  const [zOff, vOff, yOff, lossOff, dzOff, dvOff, dyOff, gOff] = Array.from(offsets);
  const [T, w] = [params[0], params[1]];
  const probs = params[2] !== 0, kl = params[3] !== 0;
  const labels = yOff < 0 ? null : params[4] !== 0 ? new Int32Array(heap.buffer, heap.byteOffset + yOff * 4, rows * classes) : heap.subarray(yOff, yOff + rows * classes);
  const soft = w > 0;
  const hard = w < 1 && labels !== null;
  const scale = (gOff >= 0 ? heap[gOff] : 1) / rows;
  const eA = new Float64Array(classes), pr = new Float64Array(classes), eH = new Float64Array(classes);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const zb = zOff + r * classes, vb = vOff + r * classes, base = r * classes;
    let zmax = -Infinity;
    for (let i = 0; i < classes; i++) if (heap[zb + i] > zmax) zmax = heap[zb + i];
    let sA = 1, lseA = 0, sumP = 0, softTerm = 0;
    if (soft) {
      sA = 0;
      for (let i = 0; i < classes; i++) sA += eA[i] = Math.exp((heap[zb + i] - zmax) / T);
      lseA = Math.log(sA);
      let vmax = 0, lseB = 0;
      if (probs) {
        for (let i = 0; i < classes; i++) pr[i] = heap[vb + i];
      } else {
        vmax = -Infinity;
        for (let i = 0; i < classes; i++) if (heap[vb + i] > vmax) vmax = heap[vb + i];
        let sB = 0;
        for (let i = 0; i < classes; i++) sB += pr[i] = Math.exp((heap[vb + i] - vmax) / T);
        lseB = Math.log(sB);
        for (let i = 0; i < classes; i++) pr[i] /= sB;
      }
      const logP = (i: number) => (probs ? Math.log(pr[i]) : (heap[vb + i] - vmax) / T - lseB);
      for (let i = 0; i < classes; i++) {
        sumP += pr[i];
        if (pr[i] === 0) continue; // 0 log 0 = 0, and 0 · (-log q) must not become NaN
        const logQ = (heap[zb + i] - zmax) / T - lseA;
        softTerm += pr[i] * (kl ? logP(i) - logQ : -logQ);
      }
      total += w * T * T * softTerm;
      if (dvOff >= 0) {
        for (let i = 0; i < classes; i++) {
          const logQ = (heap[zb + i] - zmax) / T - lseA;
          const d = probs ? T * ((kl && pr[i] > 0 ? Math.log(pr[i]) + 1 : 0) - logQ) : pr[i] * ((kl ? logP(i) - logQ : -logQ) - softTerm);
          heap[dvOff + base + i] = w * T * d * scale;
        }
      }
    } else if (dvOff >= 0) {
      heap.fill(0, dvOff + base, dvOff + base + classes);
    }
    let sH = 1, sumY = 0;
    if (hard) {
      if (T === 1 && soft) {
        eH.set(eA);
        sH = sA;
      } else {
        sH = 0;
        for (let i = 0; i < classes; i++) sH += eH[i] = Math.exp(heap[zb + i] - zmax);
      }
      const lseH = Math.log(sH);
      let h = 0;
      for (let i = 0; i < classes; i++) {
        const yi = labels![base + i];
        sumY += yi;
        if (yi !== 0) h -= yi * (heap[zb + i] - zmax - lseH);
      }
      total += (1 - w) * h;
      if (dyOff >= 0) for (let i = 0; i < classes; i++) heap[dyOff + base + i] = -(1 - w) * (heap[zb + i] - zmax - lseH) * scale;
    } else if (dyOff >= 0) {
      heap.fill(0, dyOff + base, dyOff + base + classes);
    }
    if (dzOff >= 0) {
      for (let i = 0; i < classes; i++) {
        let d = 0;
        if (soft) d += w * T * ((eA[i] / sA) * sumP - pr[i]);
        if (hard) d += (1 - w) * ((eH[i] / sH) * sumY - labels![base + i]);
        heap[dzOff + base + i] = d * scale;
      }
    }
  }
  if (lossOff >= 0) heap[lossOff] = total / rows;
};

let enabled = fusedByDefault();
let path: "native" | "js" = "native";

/** Turn the fused loss off (op by op) or on again: tests and A/B measurements compare both in one process. */
export function setFusedDistillation(on: boolean): void {
  enabled = on;
}

/** Whether distillationLoss may take the fused kernels (KDH_FUSED=0 starts a process with them off). */
export function fusedDistillationEnabled(): boolean {
  return enabled;
}

/** Run the kernels' per-row loop natively (default) or in JS (distillationLossJs), for A/B measurements and tests. */
export function setDistillationKernelPath(p: "native" | "js"): void {
  if (p !== "native" && p !== "js") throw new Error(`distillation kernel path must be "native" or "js", got ${JSON.stringify(p)}.`);
  path = p;
}

export function distillationKernelPath(): "native" | "js" {
  return path;
}

/**
 * Backward: tfjs calls a thunk only for inputs on the path from what is differentiated (the student's
 * variables) to the loss, so a training step computes dL/dz alone; the teacher's and the labels'
 * gradients exist for code that differentiates through them.
 */
function gradFunc(dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap): Record<string, () => tf.Tensor> {
  const [logits, teacher, labels] = saved;
  const inputs: tf.NamedTensorMap = { dy: dy as tf.Tensor, logits, teacher };
  if (labels) inputs.labels = labels;
  const grad = (wrt: DistillationInput) => () => tf.engine().runKernel(DISTILLATION_GRAD_KERNEL, inputs, { ...attrs, wrt } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const grads: Record<string, () => tf.Tensor> = { logits: grad("logits"), teacher: grad("teacher") };
  if (labels) grads.labels = grad("labels");
  return grads;
}

tf.registerGradient({ kernelName: DISTILLATION_LOSS_KERNEL, inputsToSave: ["logits", "teacher", "labels"], gradFunc });
tf.registerGradient({ kernelName: SOFT_DISTILLATION_LOSS_KERNEL, inputsToSave: ["logits", "teacher"], gradFunc });
