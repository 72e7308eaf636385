/**
 * The knowledge-distillation loss of Hinton, Vinyals & Dean (2015), section 2, and the logit-matching
 * loss of Bucilua, Caruana & Niculescu-Mizil (2006) / Ba & Caruana (2014) it generalises.
 *
 * Distillation, per example, with student logits z, teacher logits v (or teacher probabilities p),
 * one-hot label y, temperature T and soft weight w in [0, 1]:
 *
 *   q = softmax(z / T),  p = softmax(v / T)
 *   soft = -sum_i p_i log q_i                      (cross-entropy at temperature T)
 *   hard = -sum_i y_i log softmax(z)_i             (cross-entropy with the true label at T = 1)
 *   L    = w * T^2 * soft + (1 - w) * hard          (averaged over the batch)
 *
 * d soft / d z_i = (q_i - p_i) / T, so the T^2 factor makes the soft gradient T (q_i - p_i): its size
 * does not shrink as T grows, and the relative weight of the two terms stays put when T is changed
 * (the paper's reason for the factor). For T large against the logits and zero-mean logits,
 * T (q_i - p_i) -> (z_i - v_i) / N: distillation becomes logit matching (section 2.1).
 *
 * The soft term can also be the KL divergence KL(p || q) = soft - H(p): the same gradient (H(p) does not
 * depend on the student), but its value goes to 0 when the student matches, which keeps the printed loss
 * readable at large T (T^2 * H(p) ~ T^2 log N would swamp it in float32).
 *
 * Numerics: every log-probability comes from logSoftmax (row maximum subtracted), never log(softmax),
 * so logits up to 1e4 and T from 1e-2 to 1e3 give finite values and gradients.
 */
import * as tf from "@tensorflow/tfjs";
import { check2d, checkTemperature } from "./temperature";
import { fusedDistillationActive, fusedDistillationLoss } from "./fused-loss";

export type TeacherOutputKind = "logits" | "probs";
export type SoftTerm = "cross-entropy" | "kl";

export interface DistillationLossOptions {
  /** Temperature T > 0 of both softmaxes in the soft term. */
  T: number;
  /** Weight w in [0, 1] of the T^2-scaled soft term; the hard term gets 1 - w. 1 = unlabelled transfer set. */
  softWeight: number;
  /**
   * "logits": the teacher tensor holds logits v and p = softmax(v / T).
   * "probs": it holds the teacher's distribution already at temperature T (for an ensemble that
   * averages its members' tempered probabilities, see teachers.ts).
   */
  teacherIs: TeacherOutputKind;
  /** "cross-entropy" (the paper's wording, default) or "kl" (same gradient, value 0 at a perfect match). */
  softTerm?: SoftTerm;
}

export function checkWeight(w: number, what = "softWeight"): number {
  if (typeof w !== "number" || !Number.isFinite(w) || w < 0 || w > 1) {
    throw new Error(`${what} must be a number in [0, 1] (1 = soft targets only, 0 = hard labels only), got ${String(w)}.`);
  }
  return w;
}

function checkKind(kind: string): TeacherOutputKind {
  if (kind !== "logits" && kind !== "probs") {
    throw new Error(`teacherIs must be "logits" or "probs", got ${JSON.stringify(kind)}.`);
  }
  return kind;
}

function checkSoftTerm(term: string | undefined): SoftTerm {
  const t = term ?? "cross-entropy";
  if (t !== "cross-entropy" && t !== "kl") throw new Error(`softTerm must be "cross-entropy" or "kl", got ${JSON.stringify(term)}.`);
  return t;
}

/** Validate options once; returns them with defaults filled in. */
export function checkDistillationOptions(opts: DistillationLossOptions): Required<DistillationLossOptions> {
  if (!opts || typeof opts !== "object") throw new Error(`distillation options must be an object {T, softWeight, teacherIs}, got ${String(opts)}`);
  return {
    T: checkTemperature(opts.T),
    softWeight: checkWeight(opts.softWeight),
    teacherIs: checkKind(opts.teacherIs),
    softTerm: checkSoftTerm(opts.softTerm),
  };
}

function sameShape(a: tf.Tensor, b: tf.Tensor, aName: string, bName: string): void {
  if (a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) {
    const why = a.shape[1] !== b.shape[1] ? "different class counts" : "different batch sizes";
    throw new Error(`${aName} has shape [${a.shape.join(", ")}] but ${bName} has [${b.shape.join(", ")}] (${why}); they must match row for row.`);
  }
}

/** First non-finite entry of a tensor as "row r, class c = value", or undefined. Reads the data (a sync). */
export function findNonFinite(x: tf.Tensor): string | undefined {
  const v = x.dataSync();
  const cols = x.rank === 2 ? (x.shape[1] as number) : 1;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) return `row ${Math.floor(i / cols)}, class ${i % cols} = ${v[i]}`;
  }
  return undefined;
}

/**
 * Value checks that need the numbers (one sync each): finite inputs, teacher probabilities that are
 * non-negative rows summing to 1, labels that are one-hot rows.
 */
export function checkDistillationValues(
  student: tf.Tensor | null,
  teacher: tf.Tensor,
  teacherIs: TeacherOutputKind,
  oneHot: tf.Tensor | null,
): void {
  if (student) {
    const bad = findNonFinite(student);
    if (bad) throw new Error(`student logits contain a non-finite value at ${bad}; check the learning rate or the inputs.`);
  }
  const badT = findNonFinite(teacher);
  if (badT) throw new Error(`teacher ${teacherIs} contain a non-finite value at ${badT}; recompute the teacher outputs.`);
  if (teacherIs === "probs") checkRows(teacher, "teacher probabilities", false);
  if (oneHot) checkRows(oneHot, "one-hot labels", true);
}

function checkRows(x: tf.Tensor, what: string, oneHot: boolean): void {
  const v = x.dataSync();
  const [n, c] = x.shape as [number, number];
  for (let r = 0; r < n; r++) {
    let sum = 0;
    for (let k = 0; k < c; k++) {
      const e = v[r * c + k];
      if (!Number.isFinite(e) || e < 0 || (oneHot && e !== 0 && e !== 1)) {
        throw new Error(`${what}: row ${r}, class ${k} = ${e}; expected ${oneHot ? "0 or 1" : "a probability >= 0"}.`);
      }
      sum += e;
    }
    // Rows of zeros are allowed for one-hot labels of an unlabelled transfer set (then softWeight must be 1).
    if (oneHot && sum === 0) continue;
    if (Math.abs(sum - 1) > 1e-3) {
      throw new Error(`${what}: row ${r} sums to ${sum}, expected 1; ${oneHot ? "give one label per row" : "pass logits with teacherIs: \"logits\", or normalise the rows"}.`);
    }
  }
}

/** Per-example soft term at temperature T: [batch]. No checks (callers check once). */
function softTermPerExample(student: tf.Tensor, teacher: tf.Tensor, T: number, kind: TeacherOutputKind, term: SoftTerm): tf.Tensor1D {
  const logQ = tf.logSoftmax(T === 1 ? student : tf.div(student, T), -1);
  let p: tf.Tensor;
  let logP: tf.Tensor | undefined;
  if (kind === "logits") {
    logP = tf.logSoftmax(T === 1 ? teacher : tf.div(teacher, T), -1);
    p = tf.exp(logP);
  } else {
    p = teacher;
    // 0 * log 0 = 0 in the entropy; where() keeps log 0 = -inf out of the product.
    if (term === "kl") logP = tf.where(tf.greater(p, 0), tf.log(tf.where(tf.greater(p, 0), p, tf.onesLike(p))), tf.zerosLike(p));
  }
  const diff = term === "kl" ? tf.sub(logP!, logQ) : tf.neg(logQ);
  return tf.sum(tf.mul(p, diff), -1) as tf.Tensor1D;
}

/** Per-example hard term (cross-entropy with the label at T = 1): [batch]. */
function hardTermPerExample(student: tf.Tensor, oneHot: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(student, -1)), -1)) as tf.Tensor1D;
}

/** One-hot [n, classes] from integer labels, checking each is an integer in [0, classes). */
export function oneHotLabels(labels: ArrayLike<number>, classes: number): tf.Tensor2D {
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`classes must be a positive integer, got ${classes}`);
  const n = labels.length;
  const buf = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new Error(`label ${i} is ${y}, expected an integer class index in [0, ${classes - 1}].`);
    }
    buf[i * classes + y] = 1;
  }
  return tf.tensor2d(buf, [n, classes]);
}

/**
 * The distillation loss of Hinton et al. (2015), averaged over the batch:
 *   w * T^2 * soft(z, teacher; T) + (1 - w) * CE(y, softmax(z)).
 * @param studentLogits z: [batch, classes]
 * @param teacher v (logits) or p (probabilities at T): [batch, classes], see opts.teacherIs
 * @param labels one-hot [batch, classes], integer labels, or null when softWeight = 1 (unlabelled transfer set)
 * @param validate read the values to check for NaN/ranges (a sync; the trainer's lossFn skips it)
 */
export function distillationLoss(
  studentLogits: tf.Tensor,
  teacher: tf.Tensor,
  labels: tf.Tensor | ArrayLike<number> | null,
  opts: DistillationLossOptions,
  validate = true,
): tf.Scalar {
  const o = checkDistillationOptions(opts);
  check2d(studentLogits, "student logits");
  check2d(teacher, `teacher ${o.teacherIs}`);
  sameShape(studentLogits, teacher, "student logits", `teacher ${o.teacherIs}`);
  if (labels === null || labels === undefined) {
    if (o.softWeight !== 1) {
      throw new Error(`labels are missing but softWeight = ${o.softWeight}; an unlabelled transfer set needs softWeight = 1.`);
    }
  }
  return tf.tidy(() => {
    let oneHot: tf.Tensor | null = null;
    if (labels instanceof tf.Tensor) {
      check2d(labels, "one-hot labels");
      sameShape(studentLogits, labels, "student logits", "one-hot labels");
      oneHot = labels;
    } else if (labels) {
      if (labels.length !== studentLogits.shape[0]) {
        throw new Error(`got ${labels.length} labels for ${studentLogits.shape[0]} rows of student logits; they must match.`);
      }
      oneHot = oneHotLabels(labels, studentLogits.shape[1]!);
    }
    if (validate) checkDistillationValues(studentLogits, teacher, o.teacherIs, oneHot);
    return combine(studentLogits, teacher, oneHot, o);
  });
}

function combine(student: tf.Tensor, teacher: tf.Tensor, oneHot: tf.Tensor | null, o: Required<DistillationLossOptions>): tf.Scalar {
  // One kernel with an analytic gradient where the backend has it (fused-loss.ts); the same formula op by op elsewhere.
  if (fusedDistillationActive(student, teacher, oneHot)) return fusedDistillationLoss(student, teacher, oneHot, o);
  return combineOps(student, teacher, oneHot, o);
}

/** The loss op by op (every backend); exported for the fused kernel's tests. */
export function combineOps(student: tf.Tensor, teacher: tf.Tensor, oneHot: tf.Tensor | null, o: Required<DistillationLossOptions>): tf.Scalar {
  const parts: tf.Tensor[] = [];
  if (o.softWeight > 0) {
    parts.push(tf.mul(o.softWeight * o.T * o.T, tf.mean(softTermPerExample(student, teacher, o.T, o.teacherIs, o.softTerm))));
  }
  if (o.softWeight < 1 && oneHot) {
    parts.push(tf.mul(1 - o.softWeight, tf.mean(hardTermPerExample(student, oneHot))));
  }
  return (parts.length === 1 ? parts[0] : tf.addN(parts)) as tf.Scalar;
}

export interface DistillationLossFnOptions extends DistillationLossOptions {
  /** Number of classes N; the targets tensor is [batch, 2N]. */
  classes: number;
}

/**
 * A `lossFn(targetsBatch, logitsBatch)` for the trainer. targetsBatch = [teacher outputs | one-hot
 * labels] concatenated along axis 1 ([batch, 2N]), built once for the whole transfer set by
 * buildDistillationTargets (which also does the value checks, so this per-batch function only checks
 * shapes and never syncs).
 */
export function makeDistillationLoss(opts: DistillationLossFnOptions): (targets: tf.Tensor, logits: tf.Tensor) => tf.Scalar {
  const o = checkDistillationOptions(opts);
  const N = opts.classes;
  if (!Number.isInteger(N) || N < 2) throw new Error(`classes must be an integer >= 2, got ${N}`);
  const lossFn = (targets: tf.Tensor, logits: tf.Tensor): tf.Scalar => {
    check2d(logits, "student logits");
    check2d(targets, "distillation targets");
    if (logits.shape[1] !== N) throw new Error(`student logits have ${logits.shape[1]} classes, the loss was made for classes = ${N}.`);
    if (targets.shape[1] !== 2 * N) {
      throw new Error(`distillation targets have ${targets.shape[1]} columns, expected 2 * classes = ${2 * N} ([teacher ${o.teacherIs} | one-hot labels]); build them with buildDistillationTargets.`);
    }
    if (targets.shape[0] !== logits.shape[0]) throw new Error(`distillation targets have ${targets.shape[0]} rows but the logits ${logits.shape[0]}.`);
    return tf.tidy(() => {
      const [teacher, oneHot] = tf.split(targets, 2, 1);
      return combine(logits, teacher, oneHot, o);
    });
  };
  return lossFn;
}

/**
 * The transfer set's targets, built once: [teacher outputs | one-hot labels] ([n, 2N]). Pass
 * labels = null for an unlabelled transfer set (the label half is zeros; use softWeight = 1).
 * Checks every value once here so the per-batch loss does not have to.
 */
export function buildDistillationTargets(teacherOutputs: tf.Tensor, teacherIs: TeacherOutputKind, labels: ArrayLike<number> | null): tf.Tensor2D {
  checkKind(teacherIs);
  check2d(teacherOutputs, `teacher ${teacherIs}`);
  const [n, N] = teacherOutputs.shape;
  if (labels && labels.length !== n) throw new Error(`got ${labels.length} labels for ${n} rows of teacher ${teacherIs}; they must match.`);
  return tf.tidy(() => {
    const oneHot = labels ? oneHotLabels(labels, N) : tf.zeros([n, N]);
    checkDistillationValues(null, teacherOutputs, teacherIs, oneHot);
    return tf.concat([teacherOutputs, oneHot], 1) as tf.Tensor2D;
  });
}

export interface LogitMatchingOptions {
  /** Subtract each row's mean from both sets of logits first (the zero-mean condition of Hinton et al. section 2.1). */
  zeroMean?: boolean;
}

/**
 * Logit matching (Bucilua et al. 2006; Ba & Caruana 2014, "Do deep nets really need to be deep?"):
 * L = mean over the batch of 1/2 * sum_i (z_i - v_i)^2, whose gradient per example is z - v: N times
 * the high-temperature limit (z - v) / N of the T^2-scaled distillation gradient.
 */
export function logitMatchingLoss(studentLogits: tf.Tensor, teacherLogits: tf.Tensor, opts: LogitMatchingOptions = {}, validate = true): tf.Scalar {
  check2d(studentLogits, "student logits");
  check2d(teacherLogits, "teacher logits");
  sameShape(studentLogits, teacherLogits, "student logits", "teacher logits");
  if (validate) {
    const bad = findNonFinite(studentLogits) ?? findNonFinite(teacherLogits);
    if (bad) throw new Error(`logit matching got a non-finite logit at ${bad}.`);
  }
  return tf.tidy(() => {
    let d = tf.sub(studentLogits, teacherLogits);
    if (opts.zeroMean) d = tf.sub(d, tf.mean(d, -1, true));
    return tf.mul(0.5, tf.mean(tf.sum(tf.square(d), -1))) as tf.Scalar;
  });
}

/**
 * A `lossFn(targetsBatch, logitsBatch)` for logit matching. The targets are the teacher's logits
 * ([batch, N]) or distillation targets [teacher logits | one-hot] ([batch, 2N], labels ignored), so one
 * targets tensor can serve both losses.
 */
export function makeLogitMatchingLoss(opts: LogitMatchingOptions & { classes: number }): (targets: tf.Tensor, logits: tf.Tensor) => tf.Scalar {
  const N = opts.classes;
  if (!Number.isInteger(N) || N < 2) throw new Error(`classes must be an integer >= 2, got ${N}`);
  return (targets, logits) => {
    check2d(targets, "logit-matching targets");
    if (targets.shape[1] !== N && targets.shape[1] !== 2 * N) {
      throw new Error(`logit-matching targets have ${targets.shape[1]} columns, expected ${N} (teacher logits) or ${2 * N} ([teacher logits | one-hot]).`);
    }
    return tf.tidy(() => {
      const v = targets.shape[1] === N ? targets : tf.slice(targets, [0, 0], [-1, N]);
      return logitMatchingLoss(logits, v, opts, false);
    });
  };
}
