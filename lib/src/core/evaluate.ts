/**
 * Classifier evaluation as the papers report it: error counts (Hinton et al. report test errors out
 * of 10,000, not percentages), accuracy, per-class accuracy, the confusion matrix, and inference time.
 */
import * as tf from "@tensorflow/tfjs";
import { Network } from "./models";

export interface ClassifierScores {
  n: number;
  errors: number;
  accuracy: number;
  /** Accuracy per true class (NaN for a class absent from the labels). */
  perClass: number[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
}

/** Scores from predicted classes. */
export function scorePredictions(predicted: ArrayLike<number>, labels: ArrayLike<number>, classes: number): ClassifierScores {
  if (predicted.length !== labels.length) throw new Error(`${predicted.length} predictions for ${labels.length} labels; they must match`);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = Number(labels[i]);
    const p = Number(predicted[i]);
    if (!Number.isInteger(y) || y < 0 || y >= classes) throw new Error(`label ${labels[i]} at index ${i} is outside 0..${classes - 1}`);
    confusion[y][p]++;
    if (p === y) right++;
  }
  const perClass = confusion.map((row, k) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total ? row[k] / total : NaN;
  });
  const n = labels.length;
  return { n, errors: n - right, accuracy: n ? right / n : NaN, perClass, confusion };
}

/** Scores from logits [n, classes]. */
export function scoreLogits(logits: tf.Tensor2D, labels: ArrayLike<number>): ClassifierScores {
  const predicted = tf.tidy(() => tf.argMax(logits, 1).dataSync());
  return scorePredictions(predicted, labels, logits.shape[1]);
}

/** Evaluate a network on inputs x [n, features] with integer labels. */
export function evaluateClassifier(net: Network, x: tf.Tensor2D, labels: ArrayLike<number>): ClassifierScores {
  if (x.shape[0] !== labels.length) throw new Error(`x has ${x.shape[0]} rows but there are ${labels.length} labels`);
  const logits = net.predict(x);
  try {
    return scoreLogits(logits, labels);
  } finally {
    logits.dispose();
  }
}

/**
 * Median milliseconds to compute logits for 1,000 examples (after one warm-up run), on the current
 * backend. Measures the forward pass only, as an inference cost comparison between methods.
 */
export function inferenceMsPer1000(net: Network, x: tf.Tensor2D, repeats = 5): number {
  const n = x.shape[0];
  if (n === 0) throw new Error("inferenceMsPer1000 needs at least one example");
  const run = () => {
    const t = performance.now();
    const y = net.predict(x);
    y.dataSync();
    y.dispose();
    return performance.now() - t;
  };
  run();
  const times = Array.from({ length: Math.max(1, repeats) }, run).sort((a, b) => a - b);
  return (times[Math.floor(times.length / 2)] / n) * 1000;
}
