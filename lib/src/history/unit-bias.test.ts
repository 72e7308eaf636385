import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { buildMlp, Mlp } from "../core/models";
import { crossEntropyLoss, oneHot, trainNetwork } from "../core/train";
import { deadUnits, removableUnits, removeHiddenUnits, unitBiasPenalty, unitDecayRates, unitBiasSlope, unitBiasValue, unitIncomingTotals, withUnitBias, type UnitBiasOptions } from "./unit-bias";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("unit-bias values against hand arithmetic", () => {
  // [s, options, B(s)] worked out by hand.
  const cases: Array<[number, UnitBiasOptions, number]> = [
    [1, { kind: "hyperbolic", lambda: 0.2, scale: 1 }, 0.1], // 0.2 * 1/2
    [3, { kind: "hyperbolic", lambda: 1, scale: 1 }, 0.75], // 3/4
    [0.5, { kind: "hyperbolic", lambda: 1, scale: 0.25 }, 2 / 3], // x = 2 → 2/3
    [0, { kind: "hyperbolic", lambda: 1, scale: 1 }, 0],
    [2, { kind: "exponential", lambda: 0.5, scale: 2 }, 0.5 * (1 - Math.exp(-1))],
    [0, { kind: "exponential", lambda: 0.5, scale: 2 }, 0],
  ];
  for (const [s, o, want] of cases) close(unitBiasValue(s, o), want, 1e-12, `${o.kind} λ=${o.lambda} s0=${o.scale} at s=${s}`);
  assert.ok(unitBiasValue(1e6, { kind: "hyperbolic", lambda: 1, scale: 1 }) < 1, "saturates below λ per unit");
});

test("slope matches finite differences of the value (float64)", () => {
  const h = 1e-6;
  for (const kind of ["hyperbolic", "exponential"] as const) {
    for (const scale of [1, 0.3]) {
      for (const s of [0.01, 0.2, 1, 4]) {
        const o = { kind, lambda: 0.7, scale };
        close(unitBiasSlope(s, o), (unitBiasValue(s + h, o) - unitBiasValue(s - h, o)) / (2 * h), 1e-6, `${kind} s0=${scale} at s=${s}`);
      }
    }
  }
});

test("the training term's gradient is the per-unit decay ε_i · w (rates from plain-JS unit sums)", async () => {
  await initBackend();
  // W [3 inputs, 2 units]: unit 0 column (0.5, -0.25, 0.25) → s = 1; unit 1 column (-1, 0.5, 0.5) → s = 2.
  const w = [0.5, -1, -0.25, 0.5, 0.25, 0.5];
  for (const kind of ["hyperbolic", "exponential"] as const) {
    const o: UnitBiasOptions = { kind, lambda: 0.3, scale: 0.5 };
    const W = tf.tensor2d(w, [3, 2]);
    // By hand: hyperbolic ε(s) = λ/(s0 (1 + s/s0)²): ε(1) = 0.6/9, ε(2) = 0.6/25; exponential ε(s) = (λ/s0) e^(−s/s0).
    const eps = kind === "hyperbolic" ? [0.6 / 9, 0.6 / 25] : [0.6 * Math.exp(-2), 0.6 * Math.exp(-4)];
    const rates = unitDecayRates(W, o).dataSync();
    for (let u = 0; u < 2; u++) {
      close(rates[u], eps[u], 1e-5, `${kind} rate of unit ${u}`);
      close(eps[u], unitBiasSlope(u + 1, o), 1e-12, `${kind} hand rate vs unitBiasSlope`);
    }
    const v = unitBiasPenalty([W], o);
    close(v.dataSync()[0], 0.5 * (eps[0] * (0.25 + 0.0625 + 0.0625) + eps[1] * (1 + 0.25 + 0.25)), 1e-5, `${kind} training term`);
    const g = tf.grad((x: tf.Tensor) => unitBiasPenalty([x], o))(W).dataSync();
    for (let i = 0; i < w.length; i++) close(g[i], eps[i % 2] * w[i], 1e-5, `${kind} ∂/∂w[${i}] = ε·w`);
    tf.dispose([W, v]);
  }
});

test("bad inputs are refused with the value named", () => {
  assert.throws(() => unitBiasValue(1, { kind: "quadratic" as never, lambda: 1, scale: 1 }), /unknown unit bias "quadratic"/);
  assert.throws(() => unitBiasValue(1, { kind: "hyperbolic", lambda: -1, scale: 1 }), /lambda=-1/);
  assert.throws(() => unitBiasValue(1, { kind: "hyperbolic", lambda: 1, scale: 0 }), /scale s0=0/);
  assert.throws(() => unitBiasValue(NaN, { kind: "hyperbolic", lambda: 1, scale: 1 }), /got NaN/);
  const net = buildMlp({ inputSize: 4, hidden: [], classes: 2, seed: 1 });
  assert.throws(() => withUnitBias(crossEntropyLoss, net, { kind: "hyperbolic", lambda: 1, scale: 1 }), /at least one hidden layer/);
  const net2 = buildMlp({ inputSize: 4, hidden: [3], classes: 2, seed: 1 });
  assert.throws(() => deadUnits(net2, 0), /threshold=0/);
  assert.throws(() => removeHiddenUnits(net2, [3]), /hidden unit 3 does not exist/);
  assert.throws(() => removeHiddenUnits(net2, [0, 1, 2]), /keep at least one/);
  net.dispose();
  net2.dispose();
});

test("removing a unit with zero incoming weights leaves the function unchanged", async () => {
  await initBackend();
  // 2 inputs, 3 tanh units, 2 classes; unit 1 has zero incoming weights and bias 0.4.
  const W1 = Float32Array.from([0.3, 0, -0.7, 0.9, 0, 0.2]);
  const b1 = Float32Array.from([0.1, 0.4, -0.2]);
  const W2 = Float32Array.from([0.5, -0.5, 1.5, 2.0, -0.3, 0.8]);
  const b2 = Float32Array.from([0.05, -0.05]);
  const net = new Mlp({ inputSize: 2, hidden: [3], classes: 2, activation: "tanh", seed: 0 }, [W1, b1, W2, b2]);
  assert.deepEqual(Array.from(unitIncomingTotals(net)).map((v) => Number(v.toFixed(6))), [1.2, 0, 0.9]);
  assert.deepEqual(deadUnits(net, 1e-3), [1]);
  const small = removeHiddenUnits(net, [1]);
  assert.deepEqual(small.spec.hidden, [2]);
  // Folded output bias by hand: b2 + tanh(0.4) * (1.5, 2.0).
  const t = Math.tanh(0.4);
  const nb2 = small.layers[1].b.dataSync();
  close(nb2[0], 0.05 + 1.5 * t, 1e-6, "folded bias 0");
  close(nb2[1], -0.05 + 2.0 * t, 1e-6, "folded bias 1");
  const x = tf.tensor2d([0.2, -1, 1.5, 0.3, -0.4, 0.8], [3, 2]);
  const a = net.predict(x).dataSync(), b = small.predict(x).dataSync();
  for (let i = 0; i < a.length; i++) close(b[i], a[i], 1e-5, `logit ${i}`);
  tf.dispose(x);
  net.dispose();
  small.dispose();
});

test("training with the unit bias kills units and keeps tensor counts flat", async () => {
  await initBackend();
  // Two informative inputs, 8 noise inputs, 12 hidden units: a strong unit bias should empty some units.
  const n = 200, d = 10;
  const xs = new Float32Array(n * d), ys: number[] = [];
  let r = 12345;
  const rnd = () => ((r = (r * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) xs[i * d + j] = rnd();
    ys.push(xs[i * d] + xs[i * d + 1] > 0 ? 1 : 0);
  }
  const x = tf.tensor2d(xs, [n, d]);
  const targets = oneHot(ys, 2);
  const mk = () => buildMlp({ inputSize: d, hidden: [12], classes: 2, activation: "tanh", seed: 3 });
  const plain = mk(), biased = mk();
  const cfg = { epochs: 60, batchSize: 20, optimizer: "momentum" as const, learningRate: 0.05, momentum: 0.9, seed: 1 };
  await trainNetwork(plain, { x, targets }, crossEntropyLoss, cfg, { progress: null });
  // Counted after every step from the second epoch on (the optimizer's slots exist by then).
  const counts: number[] = [];
  await trainNetwork(biased, { x, targets }, withUnitBias(crossEntropyLoss, biased, { kind: "hyperbolic", lambda: 1, scale: 3 }), cfg, {
    progress: null,
    afterStep: () => counts.push(tf.memory().numTensors),
  });
  assert.equal(counts.length, 600);
  assert.ok(counts.slice(10).every((c) => c === counts[10]), `tensor count moved during training: ${[...new Set(counts.slice(10))].join(", ")}`);
  const deadPlain = deadUnits(plain, 0.05).length, deadBiased = deadUnits(biased, 0.05).length;
  assert.equal(deadPlain, 0, "no unit dies without the bias");
  assert.ok(deadBiased >= 3, `the unit bias should empty at least a quarter of 12 units, emptied ${deadBiased}`);
  // Removing the weakest units while training accuracy stays ≥ 0.9: at least the emptied units can go.
  const acc = (m: Mlp) => tf.tidy(() => { const p = m.predict(x).argMax(1).dataSync(); return p.reduce((s: number, v: number, i: number) => s + (v === ys[i] ? 1 : 0), 0) / ys.length; });
  const rb = removableUnits(biased, x, acc, 0.9);
  assert.ok(rb.removed >= deadBiased, `removable units ${rb.removed} vs emptied ${deadBiased}`);
  assert.ok(rb.score >= 0.9 && rb.removed <= 11, `score ${rb.score}, removed ${rb.removed}`);
  tf.dispose([x, targets]);
  plain.dispose();
  biased.dispose();
});
