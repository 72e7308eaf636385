/**
 * The one in-memory form every image loader returns, plus the small operations the notebooks share:
 * subsets, deterministic splits, downsampling.
 */
import { makeRng, permutation } from "./rng";

export interface ImageDataset {
  name: string;
  /** Row-major pixels, n * rows * cols values in [0, 1]. */
  images: Float32Array;
  /** Class index per example, 0 .. classes-1. */
  labels: Uint8Array;
  n: number;
  rows: number;
  cols: number;
  classes: number;
  classNames: string[];
}

export function checkDataset(ds: ImageDataset): ImageDataset {
  const px = ds.rows * ds.cols;
  if (!Number.isInteger(ds.n) || ds.n < 0) throw new Error(`${ds.name}: n=${ds.n} is not a count`);
  if (ds.images.length !== ds.n * px) throw new Error(`${ds.name}: ${ds.images.length} pixel values for ${ds.n} images of ${ds.rows}x${ds.cols} (expected ${ds.n * px})`);
  if (ds.labels.length !== ds.n) throw new Error(`${ds.name}: ${ds.labels.length} labels for ${ds.n} images`);
  for (let i = 0; i < ds.n; i++) {
    if (ds.labels[i] >= ds.classes) throw new Error(`${ds.name}: label ${ds.labels[i]} at index ${i} is outside 0..${ds.classes - 1}`);
  }
  return ds;
}

/** The examples at the given indices, in that order. */
export function selectExamples(ds: ImageDataset, indices: ArrayLike<number>, name = ds.name): ImageDataset {
  const px = ds.rows * ds.cols;
  const images = new Float32Array(indices.length * px);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= ds.n) throw new Error(`${ds.name}: index ${j} is outside 0..${ds.n - 1}`);
    images.set(ds.images.subarray(j * px, (j + 1) * px), i * px);
    labels[i] = ds.labels[j];
  }
  return { ...ds, name, images, labels, n: indices.length };
}

/** The first `limit` examples (all when limit is undefined or larger than n). */
export function limitExamples(ds: ImageDataset, limit?: number): ImageDataset {
  if (limit === undefined || limit >= ds.n) return ds;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit=${limit} must be a positive whole number of examples`);
  return { ...ds, images: ds.images.slice(0, limit * ds.rows * ds.cols), labels: ds.labels.slice(0, limit), n: limit };
}

/** Examples whose label is (keep=true) or is not (keep=false) in `classes`. */
export function filterClasses(ds: ImageDataset, classes: number[], keep = true): ImageDataset {
  const set = new Set(classes);
  const idx: number[] = [];
  for (let i = 0; i < ds.n; i++) if (set.has(ds.labels[i]) === keep) idx.push(i);
  return selectExamples(ds, idx, `${ds.name}${keep ? "[only " : "[without "}${classes.join(",")}]`);
}

/**
 * Split into consecutive parts of a seeded permutation. sizes are counts; their sum may not exceed n.
 * The same seed always gives the same split, so notebooks comparing methods share it.
 */
export function splitDataset(ds: ImageDataset, sizes: number[], seed: number): ImageDataset[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`split sizes ${JSON.stringify(sizes)} must be non-negative whole numbers`);
  if (total > ds.n) throw new Error(`split sizes ${sizes.join("+")} = ${total} exceed the ${ds.n} examples of ${ds.name}; lower them`);
  const perm = permutation(ds.n, makeRng(seed));
  const parts: ImageDataset[] = [];
  let at = 0;
  for (const [k, s] of sizes.entries()) {
    parts.push(selectExamples(ds, perm.subarray(at, at + s), `${ds.name}[part ${k}]`));
    at += s;
  }
  return parts;
}

/**
 * Area-average downsampling to rows x cols (e.g. 28x28 → 16x16 for LeCun's 1989 zip-code size).
 * Each output pixel averages the input pixels its box covers, weighted by overlap.
 */
export function downsampleImages(ds: ImageDataset, rows: number, cols: number): ImageDataset {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || rows > ds.rows || cols > ds.cols) {
    throw new Error(`downsampleImages(${rows}, ${cols}): target must be whole numbers between 1x1 and ${ds.rows}x${ds.cols}`);
  }
  const wr = overlapWeights(ds.rows, rows);
  const wc = overlapWeights(ds.cols, cols);
  const inPx = ds.rows * ds.cols;
  const outPx = rows * cols;
  const out = new Float32Array(ds.n * outPx);
  const tmp = new Float64Array(ds.rows * cols);
  for (let i = 0; i < ds.n; i++) {
    const img = ds.images.subarray(i * inPx, (i + 1) * inPx);
    tmp.fill(0);
    for (let r = 0; r < ds.rows; r++) for (const [c, k, w] of wc) tmp[r * cols + k] += w * img[r * ds.cols + c];
    const o = i * outPx;
    for (const [r, k, w] of wr) for (let c = 0; c < cols; c++) out[o + k * cols + c] += w * tmp[r * cols + c];
  }
  return { ...ds, name: `${ds.name}@${rows}x${cols}`, images: out, rows, cols };
}

/** [inputIndex, outputIndex, weight] triples; each output's weights sum to 1. */
function overlapWeights(from: number, to: number): [number, number, number][] {
  const scale = from / to;
  const w: [number, number, number][] = [];
  for (let k = 0; k < to; k++) {
    const lo = k * scale;
    const hi = (k + 1) * scale;
    for (let i = Math.floor(lo); i < Math.min(from, Math.ceil(hi)); i++) {
      const overlap = Math.min(hi, i + 1) - Math.max(lo, i);
      if (overlap > 1e-12) w.push([i, k, overlap / scale]);
    }
  }
  return w;
}
