/**
 * Seeded synthetic data for the small experiments: every generator takes a seed and returns the same
 * data for it on every machine, because it uses only makeRng (no Math.random).
 */
import { makeRng, Rng } from "./rng";

export interface TabularDataset {
  name: string;
  /** Row-major features, n * dim values. */
  x: Float32Array;
  labels: Uint8Array;
  n: number;
  dim: number;
  classes: number;
}

function positiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what}=${value} must be a positive whole number`);
  return value;
}

/**
 * Two Gaussian blobs with unit variance whose means are `separation` apart along a random direction.
 * The Bayes error is Φ(-separation/2), a closed form the tests can compare against.
 */
export function twoClassBlobs(opts: { n: number; dim: number; separation: number; seed: number }): TabularDataset {
  const n = positiveInt(opts.n, "n");
  const dim = positiveInt(opts.dim, "dim");
  if (!Number.isFinite(opts.separation) || opts.separation < 0) throw new Error(`separation=${opts.separation} must be a finite number ≥ 0`);
  const rng = makeRng(opts.seed);
  const dir = unitVector(dim, rng);
  const x = new Float32Array(n * dim);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const y = rng.int(2);
    labels[i] = y;
    const shift = (y === 1 ? 0.5 : -0.5) * opts.separation;
    for (let d = 0; d < dim; d++) x[i * dim + d] = rng.normal() + shift * dir[d];
  }
  return { name: `blobs(sep=${opts.separation})`, x, labels, n, dim, classes: 2 };
}

function unitVector(dim: number, rng: Rng): Float64Array {
  const v = new Float64Array(dim);
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += (v[d] = rng.normal()) ** 2;
  norm = Math.sqrt(norm);
  for (let d = 0; d < dim; d++) v[d] /= norm;
  return v;
}

/**
 * Random inputs labelled by a random one-hidden-layer tanh teacher: the setting of Bucila et al.'s
 * "label random points with the big model" and of the teacher–student literature. Returns the
 * teacher's logits too, so students can be trained on them directly.
 */
export function teacherLabelledRandom(opts: { n: number; dim: number; classes: number; hidden?: number; seed: number }): TabularDataset & { logits: Float32Array } {
  const n = positiveInt(opts.n, "n");
  const dim = positiveInt(opts.dim, "dim");
  const classes = positiveInt(opts.classes, "classes");
  if (classes < 2) throw new Error(`classes=${classes} must be at least 2`);
  const hidden = positiveInt(opts.hidden ?? 16, "hidden");
  const rng = makeRng(opts.seed);
  const w1 = Float64Array.from({ length: dim * hidden }, () => rng.normal() / Math.sqrt(dim));
  const w2 = Float64Array.from({ length: hidden * classes }, () => (2 * rng.normal()) / Math.sqrt(hidden));
  const x = new Float32Array(n * dim);
  const logits = new Float32Array(n * classes);
  const labels = new Uint8Array(n);
  const h = new Float64Array(hidden);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) x[i * dim + d] = rng.normal();
    for (let j = 0; j < hidden; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += x[i * dim + d] * w1[d * hidden + j];
      h[j] = Math.tanh(s);
    }
    let best = 0;
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let j = 0; j < hidden; j++) s += h[j] * w2[j * classes + c];
      logits[i * classes + c] = s;
      if (s > logits[i * classes + best]) best = c;
    }
    labels[i] = best;
  }
  return { name: `teacher-labelled(dim=${dim},classes=${classes})`, x, labels, logits, n, dim, classes };
}

export interface SequenceDataset {
  name: string;
  /** n sequences of `length` symbol indices each, row-major. */
  symbols: Int32Array;
  n: number;
  length: number;
  alphabet: string[];
  /** Positions whose symbol cannot be predicted from the past (the "surprises"). */
  unpredictable: number[];
}

/**
 * The long-time-lag task of Schmidhuber's chunker papers (1991/92): each sequence is
 * `c x1 x2 ... x_lag c` with c drawn from {a, b}. The middle is fixed and so easy to predict; the last
 * symbol repeats the first one lag+1 steps later, which a plain recurrent net trained by gradient
 * descent finds hard. Only position 0 is truly unpredictable.
 */
export function sequenceTask(opts: { n: number; lag: number; seed: number }): SequenceDataset {
  const n = positiveInt(opts.n, "n");
  const lag = positiveInt(opts.lag, "lag");
  const rng = makeRng(opts.seed);
  const alphabet = ["a", "b", ...Array.from({ length: lag }, (_, i) => `x${i + 1}`)];
  const length = lag + 2;
  const symbols = new Int32Array(n * length);
  for (let i = 0; i < n; i++) {
    const c = rng.int(2);
    symbols[i * length] = c;
    for (let t = 1; t <= lag; t++) symbols[i * length + t] = 1 + t;
    symbols[i * length + length - 1] = c;
  }
  return { name: `long-lag(lag=${lag})`, symbols, n, length, alphabet, unpredictable: [0] };
}
