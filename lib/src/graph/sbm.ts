/**
 * A seeded stochastic block model (Holland, Laskey & Leinhardt 1983) with noisy class-indicator features:
 * a graph on which the structure carries information that a node's own features do not.
 *
 * Nodes are split evenly into `classes` blocks (assigned in a seeded random order). Each pair of nodes
 * is joined independently, with probability pIn inside a block and pOut across blocks; both follow from
 * the mean degree and the homophily h (the expected fraction of a node's edges that stay inside its block):
 *   pIn = meanDegree · h / (n/k − 1),   pOut = meanDegree · (1 − h) / (n − n/k).
 * Features: each class has an indicator pattern c_k ∈ {−1, +1}^d (random signs, seeded); node i gets
 *   x_i = signal · c_{y_i} + ε_i,  ε_i ~ N(0, I_d).
 * With a small signal per coordinate, a node's own features say its class only noisily (and a classifier
 * needs many examples to find the pattern); averaging over same-class neighbours, as a graph convolution
 * does, cancels noise — which is what the teacher can exploit and a feature-only MLP cannot.
 */
import { deriveSeed, makeRng, permutation } from "@kdh/datasets";
import { NodeGraph } from "./graph";

export interface SbmConfig {
  nodes: number;
  classes: number;
  /** Expected number of neighbours per node. */
  meanDegree: number;
  /** Expected fraction of a node's edges inside its own block, in [0, 1]; 1/classes = no block structure. */
  homophily: number;
  featureSize: number;
  /** Mean size of the class pattern per feature coordinate, against unit noise. */
  signal: number;
  seed: number;
}

export interface SbmGraph extends NodeGraph {
  pIn: number;
  pOut: number;
  /** The class patterns c_k, [classes][featureSize]. */
  patterns: number[][];
}

export function sbmProbabilities(c: Pick<SbmConfig, "nodes" | "classes" | "meanDegree" | "homophily">): { pIn: number; pOut: number } {
  const block = c.nodes / c.classes;
  return { pIn: (c.meanDegree * c.homophily) / (block - 1), pOut: (c.meanDegree * (1 - c.homophily)) / (c.nodes - block) };
}

export function checkSbmConfig(c: SbmConfig): SbmConfig {
  const posInt = (v: number, what: string, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`${what}=${v} must be a whole number ≥ ${min}.`);
  };
  posInt(c.classes, "classes", 2);
  posInt(c.nodes, "nodes", 2 * c.classes);
  posInt(c.featureSize, "featureSize", 1);
  if (c.nodes % c.classes !== 0) throw new Error(`nodes=${c.nodes} must be a multiple of classes=${c.classes}, so the blocks are of equal size.`);
  if (!(c.meanDegree > 0) || !Number.isFinite(c.meanDegree)) throw new Error(`meanDegree=${c.meanDegree} must be a finite number > 0.`);
  if (!(c.homophily >= 0 && c.homophily <= 1)) throw new Error(`homophily=${c.homophily} must be in [0, 1] (the expected fraction of edges inside a block).`);
  if (!(c.signal >= 0) || !Number.isFinite(c.signal)) throw new Error(`signal=${c.signal} must be a finite number ≥ 0.`);
  const { pIn, pOut } = sbmProbabilities(c);
  if (pIn > 1 || pOut > 1) throw new Error(`meanDegree=${c.meanDegree} with homophily=${c.homophily} needs edge probabilities pIn=${pIn.toFixed(3)}, pOut=${pOut.toFixed(3)}; both must be ≤ 1: lower meanDegree or add nodes.`);
  return c;
}

export function stochasticBlockModel(cfg: SbmConfig): SbmGraph {
  checkSbmConfig(cfg);
  const { nodes: n, classes: k, featureSize: d } = cfg;
  const { pIn, pOut } = sbmProbabilities(cfg);
  const order = permutation(n, makeRng(deriveSeed(cfg.seed, "blocks")));
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[order[i]] = i % k;

  const edgeRng = makeRng(deriveSeed(cfg.seed, "edges"));
  const edges: [number, number][] = [];
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      if (edgeRng.next() < (labels[u] === labels[v] ? pIn : pOut)) edges.push([u, v]);
    }
  }

  const patRng = makeRng(deriveSeed(cfg.seed, "patterns"));
  const patterns = Array.from({ length: k }, () => Array.from({ length: d }, () => (patRng.next() < 0.5 ? -1 : 1)));
  const noise = makeRng(deriveSeed(cfg.seed, "features"));
  const features = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) features[i * d + j] = cfg.signal * patterns[labels[i]][j] + noise.normal();

  return {
    nodes: n,
    edges,
    features,
    featureSize: d,
    labels,
    classes: k,
    description: `stochastic block model: ${n} nodes in ${k} blocks, ${edges.length} edges (mean degree ${((2 * edges.length) / n).toFixed(1)}, homophily ${cfg.homophily}), ${d} noisy indicator features (signal ${cfg.signal})`,
    pIn,
    pOut,
    patterns,
  };
}

/** Empirical edge densities inside and across blocks: edges present / node pairs possible. */
export function blockDensities(g: NodeGraph): { within: number; across: number; withinPairs: number; acrossPairs: number } {
  const counts = new Array<number>(g.classes).fill(0);
  for (let i = 0; i < g.nodes; i++) counts[g.labels[i]]++;
  const withinPairs = counts.reduce((s, c) => s + (c * (c - 1)) / 2, 0);
  const acrossPairs = (g.nodes * (g.nodes - 1)) / 2 - withinPairs;
  let w = 0;
  for (const [u, v] of g.edges) if (g.labels[u] === g.labels[v]) w++;
  return { within: w / withinPairs, across: (g.edges.length - w) / acrossPairs, withinPairs, acrossPairs };
}

/**
 * Accuracy, on the nodes `idx`, of the best classifier that sees a node's own features only and knows the
 * generator: with equal class sizes, equal-norm patterns and isotropic unit noise, the Bayes rule is the
 * pattern with the largest inner product x·c_k. The ceiling of any feature-only student on unseen nodes.
 */
export function featureOnlyBayesAccuracy(g: SbmGraph, idx: ArrayLike<number>): number {
  if (idx.length === 0) throw new Error("featureOnlyBayesAccuracy needs at least one node");
  let right = 0;
  for (let t = 0; t < idx.length; t++) {
    const i = idx[t];
    let best = -Infinity;
    let arg = -1;
    g.patterns.forEach((c, k) => {
      let s = 0;
      for (let j = 0; j < g.featureSize; j++) s += g.features[i * g.featureSize + j] * c[j];
      if (s > best) {
        best = s;
        arg = k;
      }
    });
    if (arg === g.labels[i]) right++;
  }
  return right / idx.length;
}
