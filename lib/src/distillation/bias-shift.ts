/**
 * Shifting output biases: the omitted-class experiment of Hinton, Vinyals & Dean (2015), section 3.
 * A student distilled on a transfer set with no example of class c still learns most of what c looks
 * like from the soft targets, but never sees c win, so its bias for c ends too low. Raising that one
 * output bias by delta (the paper used 3.5 for the digit 3) recovers most of the class. Adding delta to
 * the bias adds delta to that logit for every input, so a sweep needs the logits only once.
 */
import * as tf from "@tensorflow/tfjs";
import type { Mlp } from "../core/models";

function checkClass(cls: number, classes: number): void {
  if (!Number.isInteger(cls) || cls < 0 || cls >= classes) throw new Error(`class ${cls} is not an integer in [0, ${classes - 1}]`);
}

/**
 * A copy of the MLP with output-layer biases shifted: deltas maps class index -> delta (added to b).
 * The original is untouched. Use a negative delta to lower classes (the 7s-and-8s experiment).
 */
export function shiftOutputBiases(net: Mlp, deltas: Record<number, number>): Mlp {
  const out = net.layers[net.layers.length - 1];
  const classes = out.b.shape[0];
  const shift = new Float32Array(classes);
  for (const [k, d] of Object.entries(deltas)) {
    const cls = Number(k);
    checkClass(cls, classes);
    if (!Number.isFinite(d)) throw new Error(`bias shift for class ${cls} must be a finite number, got ${d}`);
    shift[cls] = d;
  }
  const copy = net.clone();
  const b = copy.layers[copy.layers.length - 1].b;
  tf.tidy(() => b.assign(tf.add(b, tf.tensor1d(shift))));
  return copy;
}

export interface BiasShiftPoint {
  delta: number;
  /** Accuracy on examples of the shifted class, in [0, 1]. */
  classAccuracy: number;
  /** Accuracy on all examples. */
  accuracy: number;
  /** Errors on all examples. */
  errors: number;
}

/**
 * Accuracy as the bias of class `cls` is shifted by each delta, from logits computed once.
 * logits: [n, classes] (Float32Array row-major or a tensor); labels: n integer classes.
 */
export function biasShiftSweep(logits: tf.Tensor2D | { values: ArrayLike<number>; classes: number }, labels: ArrayLike<number>, cls: number, deltas: number[]): BiasShiftPoint[] {
  const values = logits instanceof tf.Tensor ? logits.dataSync() : logits.values;
  const classes = logits instanceof tf.Tensor ? logits.shape[1] : logits.classes;
  checkClass(cls, classes);
  const n = labels.length;
  if (values.length !== n * classes) throw new Error(`logits hold ${values.length} values, expected ${n} labels x ${classes} classes = ${n * classes}`);
  const inClass = Array.from(labels).filter((y) => y === cls).length;
  return deltas.map((delta) => {
    if (!Number.isFinite(delta)) throw new Error(`bias shift delta must be finite, got ${delta}`);
    let correct = 0;
    let correctIn = 0;
    for (let i = 0; i < n; i++) {
      let best = -Infinity;
      let arg = -1;
      for (let k = 0; k < classes; k++) {
        const z = values[i * classes + k] + (k === cls ? delta : 0);
        if (z > best) (best = z), (arg = k);
      }
      if (arg === labels[i]) {
        correct++;
        if (arg === cls) correctIn++;
      }
    }
    return { delta, classAccuracy: inClass ? correctIn / inClass : NaN, accuracy: correct / n, errors: n - correct };
  });
}

/** The sweep point with the fewest errors overall (ties: the smaller |delta|): the shift one would pick on validation data. */
export function bestBiasShift(sweep: BiasShiftPoint[]): BiasShiftPoint {
  if (sweep.length === 0) throw new Error("bestBiasShift needs a non-empty sweep");
  return sweep.reduce((a, b) => (b.errors < a.errors || (b.errors === a.errors && Math.abs(b.delta) < Math.abs(a.delta)) ? b : a));
}
