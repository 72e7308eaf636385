import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { fitGmdh, gmdhFormulas, gmdhGraph, modelAtLayer, pathToUnit, predictGmdh, stoppingRule, countGmdhParams } from "./network";

function dataset(n: number, d: number, seed: number, target: (x: number[]) => number, noise = 0) {
  const rng = makeRng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let r = 0; r < n; r++) {
    const row = Array.from({ length: d }, () => rng.normal());
    x.push(row);
    y.push(target(row) + noise * rng.normal());
  }
  return { x, y };
}

test("an exactly quadratic target of two inputs is recovered by one layer", async () => {
  await initBackend();
  const truth = (x: number[]) => 1 + 2 * x[0] - 3 * x[1] + 0.5 * x[0] * x[1] + 0.25 * x[0] ** 2 - 0.75 * x[1] ** 2;
  const data = dataset(200, 2, 1, truth);
  const fit = await fitGmdh(data);
  assert.equal(fit.history.length, 1, "two inputs form one pair, so one layer");
  assert.equal(fit.model.layers.length, 1);
  assert.ok(fit.history[0].best < 1e-5, `validation criterion ${fit.history[0].best}`);
  const want = [1, 2, -3, 0.5, 0.25, -0.75];
  fit.model.layers[0][0].coefficients.forEach((c, m) => assert.ok(Math.abs(c - want[m]) < 1e-2, `a${m} = ${c}, want ${want[m]}`));
  const test = dataset(100, 2, 2, truth);
  const pred = predictGmdh(fit.model, test.x);
  let sse = 0;
  let sst = 0;
  test.y.forEach((v, r) => ((sse += (pred[r] - v) ** 2), (sst += v * v)));
  assert.ok(sse / sst < 1e-5, `relative test error ${sse / sst}`);
});

test("a target that needs composition takes two layers, and the algorithm finds them", async () => {
  await initBackend();
  // x1·x2 + x3·x4 is no two-input quadratic, but u2 = u(x1,x2) + u(x3,x4) is exact. Layer-1 units fit
  // the other product as noise and keep small spurious terms, so layer 2 is near, not at, the noise floor.
  const data = dataset(2000, 5, 3, (x) => x[0] * x[1] + x[2] * x[3], 0.05);
  const fit = await fitGmdh(data, { keep: 4, maxLayers: 5 });
  assert.ok(fit.history[0].best > 0.3, `layer 1 cannot express it: ${fit.history[0].best}`);
  assert.ok(fit.history[1].best < 0.02, `layer 2 can: ${fit.history[1].best}`);
  assert.ok(fit.selectedLayer >= 2);
  const used = new Set(fit.model.layers[0].flatMap((u) => u.inputs));
  for (const c of [0, 1, 2, 3]) assert.ok(used.has(c), `the model uses x${c + 1}`);
  assert.ok(gmdhFormulas(fit.model).at(-1)!.startsWith("y ≈ u"));
});

test("stopping rule on hand-made criterion sequences", () => {
  const table: [number[], number, { selected: number; stop: boolean }][] = [
    [[0.5], 0, { selected: 1, stop: false }],
    [[0.5, 0.3, 0.2], 0, { selected: 3, stop: false }],
    [[0.5, 0.3, 0.31, 0.1], 0, { selected: 2, stop: true }], // stops at the first non-improvement
    [[0.5, 0.5], 0, { selected: 1, stop: true }], // equal is not better
    [[0.5, 0.4999], 1e-3, { selected: 1, stop: true }], // 0.02% < the 0.1% demanded
    [[0.5, 0.49], 1e-3, { selected: 2, stop: false }],
  ];
  for (const [bests, tol, want] of table) assert.deepEqual(stoppingRule(bests, tol), want, JSON.stringify(bests));
});

test("path pruning keeps exactly the ancestors of the output unit (hand-drawn network)", () => {
  // layer 1 units read input columns; layer 2 reads layer-1 units; layer 3 reads layer-2 units.
  const layers = [
    [{ inputs: [0, 3] as const }, { inputs: [1, 2] as const }, { inputs: [4, 5] as const }, { inputs: [0, 1] as const }],
    [{ inputs: [1, 3] as const }, { inputs: [0, 2] as const }, { inputs: [0, 1] as const }],
    [{ inputs: [0, 2] as const }],
  ];
  // u3.1 ← u2.1 (u1.2, u1.4) and u2.3 (u1.1, u1.2) → layer 1: {0, 1, 3} → inputs {0, 1, 2, 3}
  assert.deepEqual(pathToUnit(layers, 3, 0), [[0, 1, 2, 3], [0, 1, 3], [0, 2], [0]]);
  assert.deepEqual(pathToUnit(layers, 2, 1), [[0, 3, 4, 5], [0, 2], [1]]);
});

test("kept units per layer, stopping and pruning on a small case", async () => {
  await initBackend();
  const data = dataset(300, 5, 4, (x) => x[0] * x[1] + x[2] * x[3], 0.1);
  const fit = await fitGmdh(data, { keep: 3, maxLayers: 6, growAll: true });
  assert.equal(fit.history[0].pairI.length, 10, "C(5,2) candidates in layer 1");
  for (const h of fit.history) assert.equal(h.kept.length, 3, `F = 3 survivors in layer ${h.layer}`);
  for (const h of fit.history.slice(1)) assert.equal(h.pairI.length, 3, "C(3,2) candidates after layer 1");
  // Survivors are the three best candidates by the criterion.
  for (const h of fit.history) {
    const sorted = Array.from(h.criterion).sort((a, b) => a - b);
    assert.deepEqual(h.kept.map((p) => h.criterion[p]), sorted.slice(0, 3));
  }
  const rule = stoppingRule(fit.history.map((h) => h.best), fit.config.minImprovement);
  assert.equal(fit.selectedLayer, rule.selected);
  // Without growAll the same fit stops one layer after the selected one (or at maxLayers).
  const stopped = await fitGmdh(data, { keep: 3, maxLayers: 6 });
  assert.equal(stopped.selectedLayer, fit.selectedLayer);
  assert.equal(stopped.history.length, Math.min(fit.selectedLayer + 1, 6));
  // The model is the path to the best unit of the selected layer, nothing else.
  const path = pathToUnit(fit.history.map((h) => h.units), fit.selectedLayer, 0);
  assert.deepEqual(fit.model.layers.map((l) => l.length), path.slice(1).map((p) => p.length));
  assert.equal(fit.model.layers.at(-1)!.length, 1);
  assert.equal(countGmdhParams(fit.model), 6 * path.slice(1).reduce((s, p) => s + p.length, 0));
  // The pruned model predicts exactly what the selected unit computed during fitting.
  const deep = modelAtLayer(fit, fit.history.length);
  assert.equal(deep.layers.length, fit.history.length);
  const graph = gmdhGraph(fit, { onlyPath: true });
  assert.equal(graph.nodes.filter((n) => n.kind === "unit").length, fit.model.layers.flat().length);
  assert.equal(graph.edges.length, 2 * fit.model.layers.flat().length);
});

test("the same split seed gives the same network; another seed another split", async () => {
  await initBackend();
  const data = dataset(200, 4, 5, (x) => x[0] * x[1] - x[2] + 0.5 * x[3] ** 2, 0.2);
  const a = await fitGmdh(data, { splitSeed: 11, keep: 4 });
  const b = await fitGmdh(data, { splitSeed: 11, keep: 4 });
  const c = await fitGmdh(data, { splitSeed: 12, keep: 4 });
  assert.deepEqual(a.model, b.model);
  assert.deepEqual(Array.from(a.validationRows), Array.from(b.validationRows));
  assert.notDeepEqual(Array.from(a.validationRows), Array.from(c.validationRows));
});

test("bad inputs fail with errors that name the problem", async () => {
  await initBackend();
  const good = dataset(30, 3, 6, (x) => x[0] + x[1]);
  const withColumn = (c: number, v: (r: number) => number) => good.x.map((row, r) => row.map((x, k) => (k === c ? v(r) : x)));
  const table: [string, Parameters<typeof fitGmdh>, RegExp][] = [
    ["too few training rows", [{ x: good.x.slice(0, 8), y: good.y.slice(0, 8) }, { validationFraction: 0.5 }], /training part has 4 rows but a quadratic unit has 6 coefficients/],
    ["constant column", [{ x: withColumn(1, () => 3), y: good.y }], /input x2 is constant \(3\) on the 20 training rows/],
    ["NaN column", [{ x: withColumn(2, (r) => (r === 7 ? NaN : 1)), y: good.y }], /input x3 \(column 2\) is NaN in row 7/],
    ["NaN target", [{ x: good.x, y: good.y.map((v, r) => (r === 3 ? Infinity : v)) }], /the target is Infinity in row 3/],
    ["empty validation part", [good, { validationFraction: 0 }], /validation part is empty \(30 rows, validationFraction 0\)/],
    ["one input column", [{ x: good.x.map((r) => [r[0]]), y: good.y }], /at least 2 input columns/],
    ["unknown option", [good, { depth: 3 } as never], /unknown parameter "depth"/],
    ["singular pair", [{ x: withColumn(1, (r) => good.x[r][0]), y: good.y }, { ridge: 0, reference: "linear" }], /candidate \(x1, x2\) are singular/],
  ];
  for (const [what, args, pattern] of table) await assert.rejects(fitGmdh(...args), pattern, what);
});

test("tensor count stays flat across layer fits", async () => {
  await initBackend();
  const data = dataset(150, 6, 8, (x) => x[0] * x[1] + x[2] * x[3] * x[4], 0.1);
  await fitGmdh(data, { keep: 5, maxLayers: 1 });
  const before = tf.memory().numTensors;
  const fit = await fitGmdh(data, { keep: 5, maxLayers: 4, growAll: true });
  assert.equal(fit.history.length, 4);
  assert.equal(tf.memory().numTensors, before);
});
