/**
 * MUNGE pseudo-data for model compression.
 *
 * C. Bucila, R. Caruana, A. Niculescu-Mizil, "Model compression" (KDD 2006), Algorithm 1.
 *
 * To compress a big model (their ensemble) into a small one, label a large *unlabelled* transfer set
 * with the big model and train the small one on it. When the real unlabelled data is scarce, they
 * synthesise it: MUNGE takes each training example e and its nearest neighbour e', and with probability
 * p per attribute exchanges information between the two: nominal attributes are swapped, continuous
 * ones are redrawn from a normal centred on the other's value with standard deviation |e_a - e'_a| / s.
 * The pseudo-examples stay near the data manifold (unlike uniformly random points, most of which the
 * teacher has never seen anything like), and where examples are dense the perturbation is small.
 *
 * Plain typed-array code: it runs once, before training, on small tabular data.
 */
import { makeRng, type Rng } from "@kdh/datasets";

export interface MungeOptions {
  /** Probability of exchanging each attribute with the nearest neighbour's, in [0, 1]. */
  p: number;
  /** Local variance parameter s > 0: the normal's sd is |e_a - e'_a| / s (larger s, smaller moves). */
  s: number;
  /** How many pseudo-examples per training example (the paper's k passes over the data). */
  multiplier: number;
  seed: number;
  /** Which attributes are nominal (swapped, never perturbed); default none. */
  nominal?: boolean[];
  /** Clip continuous draws to each attribute's observed [min, max] (e.g. pixels stay in [0, 1]). Default true. */
  clipToRange?: boolean;
}

export interface Table {
  /** Row-major [n, dim]. */
  x: Float32Array;
  n: number;
  dim: number;
}

function checkTable(t: Table, fn: string): void {
  if (!Number.isInteger(t.n) || t.n < 1) throw new Error(`${fn}: the data has n=${t.n} examples; it needs at least 1 (and 2 for MUNGE's nearest neighbours).`);
  if (!Number.isInteger(t.dim) || t.dim < 1) throw new Error(`${fn}: dim=${t.dim} must be a positive integer.`);
  if (t.x.length !== t.n * t.dim) throw new Error(`${fn}: x holds ${t.x.length} values, expected n*dim = ${t.n}*${t.dim} = ${t.n * t.dim}.`);
  for (let i = 0; i < t.x.length; i++) {
    if (!Number.isFinite(t.x[i])) throw new Error(`${fn}: x[${i}] = ${t.x[i]} (row ${Math.floor(i / t.dim)}, attribute ${i % t.dim}) is not finite; impute or drop it first.`);
  }
}

/** Per-attribute [min, max] over the rows. */
export function featureRanges(t: Table): { min: Float32Array; max: Float32Array } {
  checkTable(t, "featureRanges");
  const min = new Float32Array(t.dim).fill(Infinity);
  const max = new Float32Array(t.dim).fill(-Infinity);
  for (let i = 0; i < t.n; i++) {
    for (let a = 0; a < t.dim; a++) {
      const v = t.x[i * t.dim + a];
      if (v < min[a]) min[a] = v;
      if (v > max[a]) max[a] = v;
    }
  }
  return { min, max };
}

/**
 * Index of each row's nearest other row. Distance: squared Euclidean over continuous attributes plus 1
 * per differing nominal attribute (the paper's mixed metric, with continuous attributes taken as they
 * come: scale them beforehand if their units differ). Ties go to the lowest index. O(n² dim).
 */
export function nearestNeighbours(t: Table, nominal?: boolean[]): Int32Array {
  checkTable(t, "nearestNeighbours");
  if (t.n < 2) throw new Error(`nearestNeighbours: n=${t.n}; at least 2 examples are needed to have a neighbour.`);
  const nn = new Int32Array(t.n);
  for (let i = 0; i < t.n; i++) {
    let best = Infinity;
    let arg = -1;
    for (let j = 0; j < t.n; j++) {
      if (j === i) continue;
      let d = 0;
      for (let a = 0; a < t.dim && d < best; a++) {
        const u = t.x[i * t.dim + a];
        const v = t.x[j * t.dim + a];
        d += nominal?.[a] ? (u === v ? 0 : 1) : (u - v) * (u - v);
      }
      if (d < best) {
        best = d;
        arg = j;
      }
    }
    nn[i] = arg;
  }
  return nn;
}

/**
 * MUNGE (Bucila et al. 2006, Algorithm 1): `multiplier` passes; each pass copies the training set and,
 * for every example e (in order) and its nearest neighbour e' (found once, on the original data),
 * changes each attribute of both copies with probability p. Returns [multiplier * n, dim].
 */
export function munge(t: Table, opts: MungeOptions): Table {
  if (!(opts.p >= 0 && opts.p <= 1)) throw new Error(`munge: p=${opts.p} must be a probability in [0, 1] (the paper uses small values such as 0.2-0.5).`);
  if (!(opts.s > 0) || !Number.isFinite(opts.s)) throw new Error(`munge: s=${opts.s} must be a finite number > 0 (the normal's sd is |a-b|/s; try 1-10).`);
  if (!Number.isInteger(opts.multiplier) || opts.multiplier < 1) throw new Error(`munge: multiplier=${opts.multiplier} must be a positive integer (pseudo-examples per training example).`);
  checkTable(t, "munge");
  if (opts.nominal && opts.nominal.length !== t.dim) throw new Error(`munge: nominal has ${opts.nominal.length} flags, the data has ${t.dim} attributes.`);
  const nn = nearestNeighbours(t, opts.nominal);
  const { min, max } = featureRanges(t);
  const clip = opts.clipToRange ?? true;
  const rng: Rng = makeRng(opts.seed);
  const { n, dim } = t;
  const out = new Float32Array(opts.multiplier * n * dim);
  for (let k = 0; k < opts.multiplier; k++) {
    const base = k * n * dim;
    out.set(t.x, base);
    for (let i = 0; i < n; i++) {
      const e = base + i * dim;
      const f = base + nn[i] * dim;
      for (let a = 0; a < dim; a++) {
        if (rng.next() >= opts.p) continue;
        const ea = out[e + a];
        const fa = out[f + a];
        if (opts.nominal?.[a]) {
          out[e + a] = fa;
          out[f + a] = ea;
        } else {
          const sd = Math.abs(ea - fa) / opts.s;
          let u = fa + sd * rng.normal();
          let v = ea + sd * rng.normal();
          if (clip) {
            u = Math.min(max[a], Math.max(min[a], u));
            v = Math.min(max[a], Math.max(min[a], v));
          }
          out[e + a] = u;
          out[f + a] = v;
        }
      }
    }
  }
  return { x: out, n: opts.multiplier * n, dim };
}

/**
 * The paper's RANDOM baseline: every attribute drawn independently and uniformly from its observed
 * [min, max]. [count, dim].
 */
export function uniformPseudoData(t: Table, count: number, seed: number): Table {
  checkTable(t, "uniformPseudoData");
  if (!Number.isInteger(count) || count < 1) throw new Error(`uniformPseudoData: count=${count} must be a positive integer.`);
  const { min, max } = featureRanges(t);
  const rng = makeRng(seed);
  const x = new Float32Array(count * t.dim);
  for (let i = 0; i < count; i++) for (let a = 0; a < t.dim; a++) x[i * t.dim + a] = min[a] + (max[a] - min[a]) * rng.next();
  return { x, n: count, dim: t.dim };
}

/** The first `count` rows of a table (pseudo-data sets of growing size share their prefix). */
export function takeRows(t: Table, count: number): Table {
  if (!Number.isInteger(count) || count < 0 || count > t.n) throw new Error(`takeRows: count=${count} must be an integer in [0, ${t.n}].`);
  return { x: t.x.slice(0, count * t.dim), n: count, dim: t.dim };
}

/** Rows of a then rows of b. */
export function concatRows(a: Table, b: Table): Table {
  if (a.dim !== b.dim) throw new Error(`concatRows: tables have ${a.dim} and ${b.dim} attributes; they must match.`);
  const x = new Float32Array((a.n + b.n) * a.dim);
  x.set(a.x, 0);
  x.set(b.x, a.n * a.dim);
  return { x, n: a.n + b.n, dim: a.dim };
}
