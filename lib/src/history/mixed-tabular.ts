/**
 * A seeded tabular data set with continuous and nominal attributes, for MUNGE's nominal rule.
 *
 * Bucila et al. (2006) compressed ensembles on UCI-style tables that mix continuous and nominal attributes;
 * the digits have only continuous ones. Here: `continuous` attributes ~ N(0, 1), `nominal` attributes drawn
 * uniformly from `levels` levels (stored as codes 0 … levels − 1), and a binary label from a random rule
 * that mixes both kinds and one interaction, score = Σ w_a x_a + Σ_j v_j[level_j] + x_0 · x_1 (when there
 * are two continuous attributes), thresholded at 0, with each label flipped with probability `labelNoise`.
 */
import { makeRng } from "@kdh/datasets";
import type { Table } from "./munge";

export interface MixedTabularSpec {
  n: number;
  continuous: number;
  nominal: number;
  levels: number;
  labelNoise: number;
  seed: number;
}

export interface MixedTabular extends Table {
  labels: Uint8Array;
  /** true for the nominal attributes (the last `nominal` columns). */
  nominalMask: boolean[];
  levels: number;
}

/** The random rule is drawn from `ruleSeed`, so the training and test sets of one problem share it. */
export function mixedTabular(spec: MixedTabularSpec, ruleSeed: number): MixedTabular {
  const { n, continuous, nominal, levels, labelNoise } = spec;
  if (!Number.isInteger(n) || n < 1) throw new Error(`mixedTabular: n=${n} must be a positive integer.`);
  if (!Number.isInteger(continuous) || continuous < 0 || !Number.isInteger(nominal) || nominal < 0 || continuous + nominal < 1) throw new Error(`mixedTabular: continuous=${continuous} and nominal=${nominal} must be integers ≥ 0 with at least one attribute.`);
  if (!Number.isInteger(levels) || levels < 2) throw new Error(`mixedTabular: levels=${levels} must be an integer ≥ 2.`);
  if (!(labelNoise >= 0 && labelNoise < 0.5)) throw new Error(`mixedTabular: labelNoise=${labelNoise} must be in [0, 0.5).`);
  const rule = makeRng(ruleSeed);
  const w = Array.from({ length: continuous }, () => rule.normal());
  const v = Array.from({ length: nominal }, () => Array.from({ length: levels }, () => 1.5 * rule.normal()));
  const rng = makeRng(spec.seed);
  const dim = continuous + nominal;
  const x = new Float32Array(n * dim);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let score = 0;
    for (let a = 0; a < continuous; a++) score += w[a] * (x[i * dim + a] = rng.normal());
    for (let j = 0; j < nominal; j++) {
      const l = rng.int(levels);
      x[i * dim + continuous + j] = l;
      score += v[j][l];
    }
    if (continuous >= 2) score += x[i * dim] * x[i * dim + 1];
    const y = score > 0 ? 1 : 0;
    labels[i] = rng.next() < labelNoise ? 1 - y : y;
  }
  return { x, n, dim, labels, nominalMask: Array.from({ length: dim }, (_, a) => a >= continuous), levels };
}

/** Network inputs: continuous attributes as they are, each nominal attribute one-hot over its levels. */
export function encodeMixed(t: Table, nominalMask: boolean[], levels: number): { x: Float32Array; dim: number } {
  if (nominalMask.length !== t.dim) throw new Error(`encodeMixed: ${nominalMask.length} nominal flags for ${t.dim} attributes.`);
  const dim = nominalMask.reduce((s, nom) => s + (nom ? levels : 1), 0);
  const x = new Float32Array(t.n * dim);
  for (let i = 0; i < t.n; i++) {
    let o = i * dim;
    for (let a = 0; a < t.dim; a++) {
      const v = t.x[i * t.dim + a];
      if (!nominalMask[a]) x[o++] = v;
      else {
        if (!(Number.isInteger(v) && v >= 0 && v < levels)) throw new Error(`encodeMixed: row ${i}, nominal attribute ${a} has value ${v}, not a level in 0 … ${levels - 1}.`);
        x[o + v] = 1;
        o += levels;
      }
    }
  }
  return { x, dim };
}

/** RANDOM pseudo-data for a mixed table: continuous uniform over the observed range, nominal a uniform level. */
export function randomMixedPseudoData(t: Table, nominalMask: boolean[], levels: number, count: number, seed: number): Table {
  if (!Number.isInteger(count) || count < 1) throw new Error(`randomMixedPseudoData: count=${count} must be a positive integer.`);
  const min = new Float32Array(t.dim).fill(Infinity), max = new Float32Array(t.dim).fill(-Infinity);
  for (let i = 0; i < t.n; i++) for (let a = 0; a < t.dim; a++) {
    const v = t.x[i * t.dim + a];
    if (v < min[a]) min[a] = v;
    if (v > max[a]) max[a] = v;
  }
  const rng = makeRng(seed);
  const x = new Float32Array(count * t.dim);
  for (let i = 0; i < count; i++) for (let a = 0; a < t.dim; a++) x[i * t.dim + a] = nominalMask[a] ? rng.int(levels) : min[a] + (max[a] - min[a]) * rng.next();
  return { x, n: count, dim: t.dim };
}
