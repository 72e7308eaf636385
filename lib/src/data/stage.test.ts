import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { downsampleImages, loadMnistDigits, splitDataset } from "@kdh/datasets";
import { datasetInputs, digitSplits, digitsAt, labelledTensors } from "./stage";

test("digitSplits equals the hand-written load → downsample → split it replaces, and is memoised per side", () => {
  const [a, b] = digitSplits({ side: 16, sizes: [300, 200], seed: 7 });
  const [ra, rb] = splitDataset(downsampleImages(loadMnistDigits(), 16, 16), [300, 200], 7);
  assert.deepEqual(Array.from(a.labels), Array.from(ra.labels));
  assert.deepEqual(Array.from(b.images.subarray(0, 512)), Array.from(rb.images.subarray(0, 512)));
  assert.equal(a.rows, 16);
  assert.equal(digitsAt(16), digitsAt(16));
  assert.throws(() => digitsAt(0), /from 1 to 28/);
});

test("tensors: [n, rows*cols] inputs, one-hot targets, labels; nothing left behind", () => {
  const [ds] = digitSplits({ side: 8, sizes: [5], seed: 1 });
  const before = tf.memory().numTensors;
  const t = labelledTensors(ds);
  assert.deepEqual(t.x.shape, [5, 64]);
  assert.deepEqual(t.targets.shape, [5, 10]);
  const rows = t.targets.arraySync() as number[][];
  rows.forEach((r, i) => assert.equal(r.indexOf(1), ds.labels[i]));
  assert.deepEqual(Array.from(t.x.dataSync().subarray(0, 64)), Array.from(ds.images.subarray(0, 64)));
  tf.dispose([t.x, t.targets]);
  const x = datasetInputs(ds);
  x.dispose();
  assert.equal(tf.memory().numTensors, before);
});
