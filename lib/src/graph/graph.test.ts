import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { buildGraph, degrees, edgeHomophily } from "./graph";
import { normalisedAdjacency } from "./adjacency";
import { blockDensities, featureOnlyBayesAccuracy, sbmProbabilities, stochasticBlockModel } from "./sbm";
import { loadGraphFiles, parseEdgeList, parseNodeTable } from "./load";
import { Gcn } from "./gcn";
import { logLogSlope } from "./timing";

before(async () => {
  await initBackend();
});

const tiny = (edges: number[][], n = 3) => buildGraph({ nodes: n, edges, features: Array.from({ length: n }, (_, i) => [i, 1]), labels: Array.from({ length: n }, (_, i) => i % 2) });

test("normalised adjacency of the path 0–1–2 matches the hand computation", () => {
  // A + I = [[1,1,0],[1,1,1],[0,1,1]], degrees (with self-loops) 2, 3, 2, so Â_ij = 1/√(d_i d_j):
  // [[1/2, 1/√6, 0], [1/√6, 1/3, 1/√6], [0, 1/√6, 1/2]].
  const a = normalisedAdjacency(tiny([[0, 1], [2, 1]]));
  const r6 = 1 / Math.sqrt(6);
  const want = [0.5, r6, 0, r6, 1 / 3, r6, 0, r6, 0.5];
  want.forEach((w, i) => assert.ok(Math.abs(a[i] - w) < 1e-7, `entry ${i}: ${a[i]} vs ${w}`));
});

test("graphs merge duplicate and reversed edges and drop self-loops", () => {
  const g = tiny([[0, 1], [1, 0], [1, 1], [0, 1], [2, 0]]);
  assert.deepEqual(g.edges, [[0, 1], [0, 2]]);
  assert.deepEqual(Array.from(degrees(g)), [2, 1, 1]);
  assert.equal(edgeHomophily(g), 0.5); // 0–1 differ, 0–2 share class 0
});

test("a single isolated node gets Â_ii = 1", () => {
  const a = normalisedAdjacency(tiny([], 2));
  assert.deepEqual(Array.from(a), [1, 0, 0, 1]);
});

test("the block model's densities match pIn and pOut (within 4 binomial standard deviations)", () => {
  const cfg = { nodes: 600, classes: 3, meanDegree: 12, homophily: 0.8, featureSize: 5, signal: 0.5, seed: 4 };
  const g = stochasticBlockModel(cfg);
  const { pIn, pOut } = sbmProbabilities(cfg);
  // By hand: blocks of 200; pIn = 12·0.8/199 = 0.0482412, pOut = 12·0.2/400 = 0.006.
  assert.ok(Math.abs(pIn - 0.0482412) < 1e-6 && Math.abs(pOut - 0.006) < 1e-12);
  const d = blockDensities(g);
  const tol = (p: number, pairs: number) => 4 * Math.sqrt((p * (1 - p)) / pairs);
  assert.ok(Math.abs(d.within - pIn) < tol(pIn, d.withinPairs), `within ${d.within} vs ${pIn}`);
  assert.ok(Math.abs(d.across - pOut) < tol(pOut, d.acrossPairs), `across ${d.across} vs ${pOut}`);
  const counts = [0, 0, 0];
  g.labels.forEach((y) => counts[y]++);
  assert.deepEqual(counts, [200, 200, 200]);
  // Features: mean of signal·c_k per class, unit noise (mean within 4 se, variance within 15%).
  for (let k = 0; k < 3; k++) {
    const rows = Array.from(g.labels.keys()).filter((i) => g.labels[i] === k);
    for (let j = 0; j < 5; j++) {
      const v = rows.map((i) => g.features[i * 5 + j]);
      const m = v.reduce((a, b) => a + b) / v.length;
      const s2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
      assert.ok(Math.abs(m - 0.5 * g.patterns[k][j]) < 4 / Math.sqrt(v.length), `class ${k} feature ${j} mean ${m}`);
      assert.ok(Math.abs(s2 - 1) < 0.3, `variance ${s2}`);
    }
  }
  assert.deepEqual(stochasticBlockModel(cfg).edges, g.edges, "same seed, same graph");
  assert.notDeepEqual(stochasticBlockModel({ ...cfg, seed: 5 }).edges, g.edges);
});

test("the feature-only Bayes accuracy: perfect with a huge signal, chance-like with none", () => {
  const base = { nodes: 400, classes: 4, meanDegree: 4, homophily: 0.5, featureSize: 16, seed: 1 };
  const all = Array.from({ length: 400 }, (_, i) => i);
  assert.equal(featureOnlyBayesAccuracy(stochasticBlockModel({ ...base, signal: 10 }), all), 1);
  const none = featureOnlyBayesAccuracy(stochasticBlockModel({ ...base, signal: 0 }), all);
  assert.ok(Math.abs(none - 0.25) < 0.1, `chance ${none}`);
});

test("GCN forward equals Â·ReLU(Â X W0 + b0)·W1 + b1 computed in plain JS", () => {
  const g = buildGraph({ nodes: 3, edges: [[0, 1], [1, 2]], features: [[1, 0], [0, 2], [-1, 1]], labels: [0, 1, 0] });
  const a = normalisedAdjacency(g);
  const gcn = new Gcn({ inputSize: 2, hidden: 3, classes: 2, dropout: 0.5, seed: 9 });
  const W0 = gcn.W0.arraySync() as number[][], W1 = gcn.W1.arraySync() as number[][];
  const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => a[i * 3 + j]));
  const X = [[1, 0], [0, 2], [-1, 1]];
  const mm = (P: number[][], Q: number[][]) => P.map((r) => Q[0].map((_, j) => r.reduce((s, v, k) => s + v * Q[k][j], 0)));
  const H = mm(A, mm(X, W0)).map((r) => r.map((v) => Math.max(0, v))); // biases start at 0
  const Z = mm(A, mm(H, W1));
  const got = tf.tidy(() => gcn.forward(tf.tensor2d(a, [3, 3]), tf.tensor2d(g.features, [3, 2])).arraySync());
  Z.forEach((r, i) => r.forEach((z, j) => assert.ok(Math.abs(z - got[i][j]) < 1e-5, `${z} vs ${got[i][j]}`)));
  gcn.dispose();
});

test("log-log slope: 1 for linear, 2 for quadratic costs", () => {
  const xs = [100, 200, 400, 800];
  assert.ok(Math.abs(logLogSlope(xs, xs.map((x) => 3 * x)) - 1) < 1e-12);
  assert.ok(Math.abs(logLogSlope(xs, xs.map((x) => 0.5 * x * x)) - 2) < 1e-12);
  assert.throws(() => logLogSlope([1], [1]), /at least two/);
});

test("loader: reads the documented format", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "graph-"));
  fs.writeFileSync(path.join(dir, "edges.txt"), "# a triangle and a tail\n0 1\n1,2\n\n2\t0\n3 2\n");
  fs.writeFileSync(path.join(dir, "nodes.csv"), "f0,label,f1\n0.5,0,1\n1,1,0\n-1,0,2\n3,1,3\n");
  const g = loadGraphFiles({ edges: path.join(dir, "edges.txt"), nodeTable: path.join(dir, "nodes.csv") });
  assert.equal(g.nodes, 4);
  assert.deepEqual(g.edges, [[0, 1], [1, 2], [0, 2], [2, 3]]);
  assert.deepEqual(Array.from(g.features), [0.5, 1, 1, 0, -1, 2, 3, 3]);
  assert.deepEqual(Array.from(g.labels), [0, 1, 0, 1]);
  assert.equal(g.classes, 2);
});

test("bad graphs and files give clear errors", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "graph-bad-"));
  const f = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const table = f("nodes.csv", "label,a\n0,1\n1,2\n0,3\n");
  const cases: [() => unknown, RegExp][] = [
    [() => loadGraphFiles({ edges: f("e1.txt", "0 1\n1 7\n"), nodeTable: table }), /e1.txt, line 2 joins node 7, which does not exist: the graph has 3 nodes \(ids 0..2\)/],
    [() => loadGraphFiles({ edges: f("e2.txt", "0 1\n"), nodeTable: table, nodes: 4 }), /has 3 node row\(s\) but the graph should have 4 nodes/],
    [() => buildGraph({ nodes: 4, edges: [], features: [[1], [2], [3]], labels: [0, 1, 0, 1] }), /feature matrix has 3 row\(s\) but the graph has 4 node\(s\)/],
    [() => buildGraph({ nodes: 2, edges: [], features: [[1], [NaN]], labels: [0, 1] }), /feature 0 of node 1 is NaN/],
    [() => buildGraph({ nodes: 2, edges: [], features: [[1, 2], [3]], labels: [0, 1] }), /feature row 1 has 1 value\(s\), but row 0 has 2/],
    [() => buildGraph({ nodes: 2, edges: [[0, -1]], features: [[1], [2]], labels: [0, 1] }), /edge 0 names node -1/],
    [() => buildGraph({ nodes: 2, edges: [], features: [[1], [2]], labels: [0, 0] }), /at least 2 classes/],
    [() => buildGraph({ nodes: 2, edges: [], features: [[1], [2]], labels: [0, 1.5] }), /label of node 1 is 1.5/],
    [() => parseEdgeList("0 1 2\n"), /line 1: "0 1 2" is not an edge/],
    [() => parseEdgeList("0 x\n"), /line 1: "x" is not a node id/],
    [() => parseNodeTable("a,b\n1,2\n"), /no "label" column/],
    [() => parseNodeTable("label,a\n0,\n"), /line 2, column "a": "" is not a finite number/],
    [() => loadGraphFiles({ edges: path.join(dir, "absent.txt"), nodeTable: table }), /cannot read the edge list .*absent.txt/],
    [() => stochasticBlockModel({ nodes: 10, classes: 3, meanDegree: 2, homophily: 0.5, featureSize: 2, signal: 1, seed: 0 }), /multiple of classes=3/],
    [() => stochasticBlockModel({ nodes: 20, classes: 2, meanDegree: 30, homophily: 0.9, featureSize: 2, signal: 1, seed: 0 }), /edge probabilities .* must be ≤ 1/],
    [() => stochasticBlockModel({ nodes: 20, classes: 2, meanDegree: 3, homophily: 1.2, featureSize: 2, signal: 1, seed: 0 }), /homophily=1.2 must be in \[0, 1\]/],
    [() => new Gcn({ inputSize: 2, hidden: 0, classes: 2, dropout: 0, seed: 0 }), /hidden=0 must be a positive whole number/],
  ];
  for (const [call, re] of cases) assert.throws(call, re);
});

test("timing: one row per size, positive medians, speed-up = GCN / MLP, no tensors left", async () => {
  const { timeNodeInference } = await import("./timing");
  const { Mlp } = await import("../core/models");
  const gcn = new Gcn({ inputSize: 4, hidden: 4, classes: 2, dropout: 0, seed: 0 });
  const mlp = new Mlp({ inputSize: 4, hidden: [4], classes: 2, seed: 0 });
  const before = tf.memory().numTensors;
  const rows = timeNodeInference(gcn, mlp, [16, 32], { classes: 2, meanDegree: 3, homophily: 0.8, featureSize: 4, signal: 1, seed: 0 }, 3);
  assert.deepEqual(rows.map((r) => r.nodes), [16, 32]);
  for (const r of rows) assert.ok(r.gcnMs > 0 && r.mlpMs > 0 && Math.abs(r.speedup - r.gcnMs / r.mlpMs) < 1e-12);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => timeNodeInference(gcn, mlp, [16], { classes: 2, meanDegree: 3, homophily: 0.8, featureSize: 5, signal: 1, seed: 0 }), /the graphs have 5/);
  gcn.dispose();
  mlp.dispose();
});
