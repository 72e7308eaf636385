import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend";
import { buildCnn } from "./cnn";
import { loadNetwork, saveNetwork } from "./network-store";
import { crossEntropyLoss, oneHot, trainNetwork } from "./train";
import { evaluateClassifier } from "./evaluate";
import { loadMnistDigits, splitDataset, downsampleImages } from "@kdh/datasets";

const spec = { rows: 12, cols: 12, classes: 10, channels: [4, 8] as [number, number], dense: 16, dropout: 0.2, seed: 1 };

test("the CNN's forward pass matches a plain-JS convolution for one filter (hand-checked first unit)", async () => {
  await initBackend();
  const net = buildCnn({ ...spec, rows: 4, cols: 4, channels: [1, 1], dense: 1, classes: 2, dropout: 0 });
  // With 4x4 inputs, conv1 (5x5 'same') + ReLU + pool → 2x2; check conv1 at (0,0) against the formula.
  const x = Float32Array.from({ length: 16 }, (_, i) => (i % 5) / 5);
  const k = net.variables[0].dataSync();
  let z = 0;
  for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
    const r = dy, c = dx; // output pixel (0,0)
    if (r >= 0 && r < 4 && c >= 0 && c < 4) z += x[r * 4 + c] * k[(dy + 2) * 5 + (dx + 2)];
  }
  const got = tf.tidy(() => tf.conv2d(tf.tensor4d(x, [1, 4, 4, 1]), net.variables[0] as tf.Tensor4D, 1, "same").dataSync()[0]);
  assert.ok(Math.abs(got - z) < 1e-5, `${got} vs ${z}`);
  net.dispose();
});

test("a small CNN trains on 12x12 digits, with a flat tensor count, and saves/loads exactly", async () => {
  const choice = await initBackend();
  if (choice.name === "wasm") return; // the wasm backend cannot train convolutions (no Conv2DBackpropFilter)
  const [tr, te] = splitDataset(downsampleImages(loadMnistDigits(), 12, 12), [600, 300], 0);
  const x = tf.tensor2d(tr.images, [tr.n, 144]);
  const y = oneHot(tr.labels, 10);
  const xt = tf.tensor2d(te.images, [te.n, 144]);
  const net = buildCnn(spec);
  const counts: number[] = [];
  await trainNetwork(net, { x, targets: y }, crossEntropyLoss, { epochs: 8, batchSize: 32, optimizer: "adam", learningRate: 0.003, seed: 1 }, { progress: null, afterStep: () => counts.push(tf.memory().numTensors) });
  assert.equal(counts[counts.length - 1], counts[1]);
  const acc = evaluateClassifier(net, xt, te.labels).accuracy;
  assert.ok(acc > 0.65, `accuracy ${acc} after 8 epochs (0.74 measured)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-"));
  saveNetwork(dir, net);
  const loaded = loadNetwork(dir);
  assert.ok(loaded.ok);
  assert.deepEqual(Array.from(tf.tidy(() => net.predict(xt).dataSync())), Array.from(tf.tidy(() => loaded.net.predict(xt).dataSync())));
  [net, loaded.net].forEach((n) => n.dispose());
  tf.dispose([x, y, xt]);
});

test("bad CNN specs are refused", async () => {
  await initBackend();
  assert.throws(() => buildCnn({ ...spec, rows: 10 }), /multiples of 4; got 10x12/);
  assert.throws(() => buildCnn({ ...spec, channels: [4] as never }), /must list two conv widths/);
  const net = buildCnn(spec);
  assert.throws(() => tf.tidy(() => net.forward(tf.zeros([2, 100]))), /expects inputs of shape \[batch, 144\]/);
  net.dispose();
});
