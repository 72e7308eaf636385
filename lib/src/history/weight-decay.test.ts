import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { buildMlp } from "../core/models";
import { crossEntropyLoss, oneHot, trainNetwork } from "../core/train";
import { biasPenalty, biasPenaltyGradient, countNearZero, weightDecayPenalty, weightValues, withWeightDecayBias, type WeightDecayOptions } from "./weight-decay";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("penalty values against hand arithmetic", () => {
  // [w, options, expected B(w)], each worked out by hand.
  const cases: Array<[number, WeightDecayOptions, number]> = [
    [0.5, { kind: "quadratic", lambda: 0.1 }, 0.025], // 0.1 * 0.25
    [-2, { kind: "quadratic", lambda: 0.01 }, 0.04],
    [1, { kind: "hyperbolic", lambda: 0.2 }, 0.1], // 0.2 * 1/(1+1)
    [3, { kind: "hyperbolic", lambda: 1 }, 0.9], // 9/10
    [0.2, { kind: "hyperbolic", lambda: 1, scale: 0.1 }, 0.8], // u = 4 → 4/5
    [1, { kind: "exponential", lambda: 2 }, 2 * (1 - Math.exp(-1))],
    [0, { kind: "exponential", lambda: 2 }, 0],
    [5, { kind: "none", lambda: 3 }, 0],
  ];
  for (const [w, o, want] of cases) close(biasPenalty(w, o), want, 1e-12, `${o.kind} λ=${o.lambda} w0=${o.scale ?? 1} at w=${w}`);
  // Saturation: the saturating biases never cost more than λ per weight, the quadratic one grows without bound.
  assert.ok(biasPenalty(100, { kind: "hyperbolic", lambda: 1 }) < 1);
  assert.ok(biasPenalty(100, { kind: "exponential", lambda: 1 }) <= 1);
  assert.equal(biasPenalty(100, { kind: "quadratic", lambda: 1 }), 10000);
});

test("plain-JS gradients match central finite differences of the plain-JS penalty", () => {
  const h = 1e-6;
  for (const kind of ["quadratic", "hyperbolic", "exponential"] as const) {
    for (const scale of [1, 0.3]) {
      for (const w of [-2.5, -0.4, 0, 0.05, 0.7, 3]) {
        const o = { kind, lambda: 0.3, scale };
        const fd = (biasPenalty(w + h, o) - biasPenalty(w - h, o)) / (2 * h);
        close(biasPenaltyGradient(w, o), fd, 1e-6, `${kind} w0=${scale} dB/dw at ${w}`);
      }
    }
  }
});

test("tensor penalty and its tf gradient match the plain-JS reference", async () => {
  await initBackend();
  const values = [-1.5, -0.3, 0, 0.02, 0.4, 2.2];
  for (const kind of ["quadratic", "hyperbolic", "exponential"] as const) {
    const o = { kind, lambda: 0.07, scale: 0.5 };
    const a = tf.tensor2d(values.slice(0, 4), [2, 2]);
    const b = tf.tensor1d(values.slice(4));
    const value = tf.tidy(() => weightDecayPenalty([a, b], o).dataSync()[0]);
    close(value, values.reduce((s, w) => s + biasPenalty(w, o), 0), 1e-5, `${kind} Σ B(w)`);
    const grads = tf.tidy(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => weightDecayPenalty([x, y], o))([a, b]).map((g) => Array.from(g.dataSync())));
    const flat = [...grads[0], ...grads[1]];
    values.forEach((w, i) => close(flat[i], biasPenaltyGradient(w, o), 1e-5, `${kind} gradient at ${w}`));
    tf.dispose([a, b]);
  }
});

test("withWeightDecayBias adds Σ B(W) over the weight matrices only (biases not, unless asked)", async () => {
  await initBackend();
  const net = buildMlp({ inputSize: 3, hidden: [4], classes: 2, seed: 5 });
  tf.tidy(() => net.layers[0].b.assign(tf.fill([4], 0.5)));
  const x = tf.tensor2d([[0.1, 0.2, 0.3]]);
  const t = oneHot([1], 2);
  const o: WeightDecayOptions = { kind: "hyperbolic", lambda: 0.01, scale: 0.2 };
  const w = weightValues(net);
  assert.equal(w.length, 3 * 4 + 4 * 2);
  const expectWeights = Array.from(w).reduce((s, v) => s + biasPenalty(v, o), 0);
  const expectBiases = 4 * biasPenalty(0.5, o);
  const [base, wrapped, withB] = tf.tidy(() => {
    const logits = net.predict(x);
    return [crossEntropyLoss(t, logits), withWeightDecayBias(crossEntropyLoss, net, o)(t, logits), withWeightDecayBias(crossEntropyLoss, net, { ...o, includeBiases: true })(t, logits)].map((s) => s.dataSync()[0]);
  });
  close(wrapped - base, expectWeights, 1e-4, "penalty over W");
  close(withB - base, expectWeights + expectBiases, 1e-4, "penalty over W and b");
  // "none" and λ = 0 leave the loss function as it was.
  assert.equal(withWeightDecayBias(crossEntropyLoss, net, { kind: "none", lambda: 0 }), crossEntropyLoss);
  assert.equal(withWeightDecayBias(crossEntropyLoss, net, { kind: "quadratic", lambda: 0 }), crossEntropyLoss);
  net.dispose();
  tf.dispose([x, t]);
});

test("bad inputs get errors naming the value", () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ kind: "quadratic", lambda: -0.1 }, /lambda=-0.1 .*≥ 0/],
    [{ kind: "quadratic", lambda: NaN }, /lambda=NaN/],
    [{ kind: "quadratic" }, /lambda=undefined/],
    [{ kind: "cubic", lambda: 0.1 }, /unknown weight-decay bias "cubic".*quadratic, hyperbolic/],
    [{ kind: "hyperbolic", lambda: 0.1, scale: 0 }, /scale w0=0 must be .* > 0/],
    [{ kind: "exponential", lambda: 0.1, scale: -1 }, /scale w0=-1/],
    [null, /must be an object/],
  ];
  for (const [o, re] of bad) {
    assert.throws(() => biasPenalty(1, o as WeightDecayOptions), re, JSON.stringify(o));
    assert.throws(() => weightDecayPenalty([], o as WeightDecayOptions), re, JSON.stringify(o));
  }
  assert.throws(() => withWeightDecayBias(crossEntropyLoss, { layers: [] }, { kind: "quadratic", lambda: 1 }), /dense layers/);
  assert.throws(() => countNearZero([1, 2], 0), /threshold=0/);
  assert.equal(countNearZero([0.001, -0.002, 0.5, -0.01], 0.01), 2);
});

test("training with each bias keeps the tensor count flat, and the biases shrink the weights", async () => {
  await initBackend();
  const x = tf.tensor2d(Array.from({ length: 64 * 6 }, (_, i) => Math.sin(i * 1.3)), [64, 6]);
  const labels = Array.from({ length: 64 }, (_, i) => (Math.sin(i * 7.8) > 0 ? 1 : 0));
  const targets = oneHot(labels, 2);
  const sumAbs: Record<string, number> = {};
  for (const kind of ["none", "quadratic", "hyperbolic", "exponential"] as const) {
    const net = buildMlp({ inputSize: 6, hidden: [8], classes: 2, seed: 9 });
    const loss = withWeightDecayBias(crossEntropyLoss, net, { kind, lambda: kind === "none" ? 0 : 0.05, scale: 0.3 });
    const counts: number[] = [];
    await trainNetwork(net, { x, targets }, loss, { epochs: 8, batchSize: 16, optimizer: "sgd", learningRate: 0.1, seed: 1 }, { progress: null, afterStep: () => counts.push(tf.memory().numTensors) });
    assert.equal(counts.length, 32);
    assert.ok(counts.every((c) => c === counts[0]), `${kind}: tensor count moved during training: ${[...new Set(counts)].join(", ")}`);
    sumAbs[kind] = Array.from(weightValues(net)).reduce((s, v) => s + Math.abs(v), 0);
    net.dispose();
  }
  for (const kind of ["quadratic", "hyperbolic", "exponential"]) assert.ok(sumAbs[kind] < sumAbs.none, `${kind}: Σ|w| ${sumAbs[kind]} not below no decay ${sumAbs.none}`);
  tf.dispose([x, targets]);
});
