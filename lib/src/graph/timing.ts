/**
 * Inference cost of a GCN against an MLP on node features, over growing graphs (GLNN's motivation:
 * Zhang et al. 2022 measure MLPs 146×–273× faster than graph networks at inference, because a graph
 * network must fetch and aggregate neighbourhoods and an MLP reads one feature row).
 *
 * For each size a fresh graph of the same generator settings is drawn; the trained models are applied
 * to it unchanged (both only need the feature size to match). Timed: the forward pass for every node,
 * including reading the logits back, fastest of `repeats` after one warm-up, the two models timed in
 * alternation so that load from other processes falls on both alike. Not timed, but reported:
 * building Â, which a deployed GCN would do once per graph. Timings depend on the machine and on
 * whatever else runs on it; the ratio and its growth are the point.
 */
import * as tf from "@tensorflow/tfjs";
import { Mlp } from "../core/models";
import { normalisedAdjacency } from "./adjacency";
import { Gcn } from "./gcn";
import { SbmConfig, stochasticBlockModel } from "./sbm";

export interface InferenceTiming {
  nodes: number;
  edges: number;
  gcnMs: number;
  mlpMs: number;
  /** gcnMs / mlpMs */
  speedup: number;
  adjacencyMs: number;
}

/**
 * Fastest milliseconds of two computations timed in alternation (a, b, a, b, ...) after one warm-up of
 * each, so that a burst of load from other processes falls on both rather than on whichever ran then.
 * The fastest run is the one least disturbed by other processes (the convention of Python's timeit);
 * on a shared machine medians swung by factors of 2–5 between runs.
 */
function alternatingFastest(a: () => void, b: () => void, repeats: number): [number, number] {
  a();
  b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let t = performance.now();
    a();
    ta.push(performance.now() - t);
    t = performance.now();
    b();
    tb.push(performance.now() - t);
  }
  return [Math.min(...ta), Math.min(...tb)];
}

export function timeNodeInference(gcn: Gcn, mlp: Mlp, sizes: number[], graph: Omit<SbmConfig, "nodes">, repeats = 5): InferenceTiming[] {
  if (!Array.isArray(sizes) || sizes.length === 0) throw new Error("sizes must list at least one graph size (number of nodes).");
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`repeats=${repeats} must be a positive whole number.`);
  if (gcn.spec.inputSize !== graph.featureSize || mlp.spec.inputSize !== graph.featureSize) {
    throw new Error(`the models expect ${gcn.spec.inputSize} (GCN) and ${mlp.spec.inputSize} (MLP) features, the graphs have ${graph.featureSize}.`);
  }
  return sizes.map((nodes) => {
    const g = stochasticBlockModel({ ...graph, nodes });
    const t0 = performance.now();
    const adjValues = normalisedAdjacency(g);
    const adjacencyMs = performance.now() - t0;
    const adj = tf.tensor2d(adjValues, [nodes, nodes]);
    const x = tf.tensor2d(g.features, [nodes, g.featureSize]);
    try {
      const [gcnMs, mlpMs] = alternatingFastest(
        () => tf.tidy(() => void gcn.forward(adj, x).dataSync()),
        () => tf.tidy(() => void mlp.forward(x).dataSync()),
        repeats,
      );
      return { nodes, edges: g.edges.length, gcnMs, mlpMs, speedup: gcnMs / mlpMs, adjacencyMs };
    } finally {
      adj.dispose();
      x.dispose();
    }
  });
}

/** Least-squares slope of log y against log x: how a cost grows with size (1 = linear, 2 = quadratic). */
export function logLogSlope(xs: number[], ys: number[]): number {
  if (xs.length !== ys.length || xs.length < 2) throw new Error(`logLogSlope needs at least two (x, y) pairs of equal count, got ${xs.length} and ${ys.length}.`);
  if (![...xs, ...ys].every((v) => v > 0 && Number.isFinite(v))) throw new Error("logLogSlope needs positive finite values.");
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b) / lx.length;
  const my = ly.reduce((a, b) => a + b) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => {
    num += (x - mx) * (ly[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}
