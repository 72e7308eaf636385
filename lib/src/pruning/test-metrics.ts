/**
 * What the pruning curves read after each deletion: the test objective and the test error of a stack of
 * prunable layers, scored by the same code that scores every classifier (core/evaluate.ts scoreLogits).
 */
import type * as tf from "@tensorflow/tfjs";
import { scoreLogits } from "../core/evaluate";
import { forwardLayers, objectiveOn, type PrunableLayer, type PruningData, type PruningLoss } from "./dense";

/** A type alias, not an interface, so it fits the prune loop's Record<string, number> metrics. */
export type PruningTestMetrics = {
  /** The training objective evaluated on the test data. */
  testObjective: number;
  /** Test error in percent. */
  testError: number;
};

export function pruningTestMetrics(layers: PrunableLayer[], test: PruningData & { labels: ArrayLike<number> }, loss: PruningLoss): PruningTestMetrics {
  const logits: tf.Tensor2D = forwardLayers(layers, test.x);
  let errors: number;
  try {
    errors = scoreLogits(logits, test.labels).errors;
  } finally {
    logits.dispose();
  }
  return { testObjective: objectiveOn(layers, test, loss), testError: (100 * errors) / test.labels.length };
}
