import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend";
import { buildMlp, Mlp } from "./models";
import { loadNetwork, saveNetwork } from "./network-store";

test("forward pass equals a plain-JS evaluation of the same weights", async () => {
  await initBackend();
  for (const activation of ["relu", "tanh", "sigmoid", "linear"] as const) {
    const net = buildMlp({ inputSize: 3, hidden: [4], classes: 2, activation, seed: 2 });
    const x = [[0.5, -1, 2], [1, 0.25, -0.5]];
    const [W1, b1, W2, b2] = net.variables.map((v) => Array.from(v.dataSync()));
    const f = { relu: (z: number) => Math.max(0, z), tanh: Math.tanh, sigmoid: (z: number) => 1 / (1 + Math.exp(-z)), linear: (z: number) => z }[activation];
    const ref = x.map((row) => {
      const h = [0, 1, 2, 3].map((j) => f(row.reduce((s, v, i) => s + v * W1[i * 4 + j], b1[j])));
      return [0, 1].map((k) => h.reduce((s, v, j) => s + v * W2[j * 2 + k], b2[k]));
    });
    const got = tf.tidy(() => net.forward(tf.tensor2d(x)).arraySync());
    ref.flat().forEach((r, i) => assert.ok(Math.abs(r - got.flat()[i]) < 1e-5, `${activation}: ${got.flat()[i]} vs ${r}`));
    net.dispose();
  }
});

test("max-norm caps each unit's incoming weight norm and leaves small ones alone", async () => {
  await initBackend();
  const net = buildMlp({ inputSize: 50, hidden: [10], classes: 3, maxNorm: 0.5, seed: 1 });
  const before = net.layers[1].W.arraySync() as number[][];
  net.applyConstraints();
  const W = net.layers[0].W.arraySync() as number[][];
  for (let j = 0; j < 10; j++) assert.ok(Math.sqrt(W.reduce((s, row) => s + row[j] ** 2, 0)) <= 0.5 + 1e-5);
  const norm = (M: number[][], j: number) => Math.sqrt(M.reduce((s, row) => s + row[j] ** 2, 0));
  const after = net.layers[1].W.arraySync() as number[][];
  for (let j = 0; j < 3; j++) if (norm(before, j) < 0.5) assert.ok(Math.abs(norm(after, j) - norm(before, j)) < 1e-6);
  net.dispose();
});

test("max-norm rescales column j by min(1, c / max(norm_j, 1e-12)) as a float64 reference does, with no tensor left over", async () => {
  await initBackend();
  const [fin, fout, c] = [30, 6, 2];
  // Columns scaled to norms around c: some above, some below, one all zero (the 1e-12 guard keeps it 0).
  const w = new Float32Array(fin * fout);
  const targetNorm = [0.5, 1.999, 2.001, 3, 40, 0];
  for (let j = 0; j < fout; j++) {
    const col = Array.from({ length: fin }, (_, i) => Math.sin(1 + i * 7 + j * 13));
    const norm = Math.hypot(...col);
    col.forEach((v, i) => (w[i * fout + j] = (v / norm) * targetNorm[j]));
  }
  const net = new Mlp({ inputSize: fin, hidden: [fout], classes: 2, maxNorm: c, seed: 1 }, [w, new Float32Array(fout), new Float32Array(fout * 2).fill(0.1), new Float32Array(2)]);
  const norm64 = (j: number) => Math.sqrt(Array.from({ length: fin }, (_, i) => w[i * fout + j] ** 2).reduce((a, b) => a + b, 0));
  const expected = Array.from(w, (v, k) => v * Math.min(1, c / Math.max(norm64(k % fout), 1e-12)));
  const before = tf.memory().numTensors;
  net.applyConstraints();
  net.applyConstraints(); // a second pass finds every column within c (up to rounding) and must not shrink it further
  assert.equal(tf.memory().numTensors, before);
  const got = net.layers[0].W.dataSync();
  // float32: the norm carries ~1e-7 relative error from the sum of 30 squares, the product one more rounding.
  expected.forEach((e, k) => assert.ok(Math.abs(got[k] - e) <= 1e-6 * Math.abs(e) + 1e-12, `W[${k}]=${got[k]}, float64 reference ${e}`));
  assert.deepEqual(net.layers[1].W.dataSync(), new Float32Array(fout * 2).fill(0.1));
  net.dispose();
});

test("dropout is off when evaluating and repeats for a seed when training", async () => {
  await initBackend();
  const net = buildMlp({ inputSize: 4, hidden: [32], classes: 2, dropout: 0.5, seed: 1 });
  const x = tf.ones([2, 4]);
  const run = (o: object) => tf.tidy(() => Array.from(net.forward(x, o).dataSync()));
  assert.deepEqual(run({}), run({}));
  assert.deepEqual(run({ training: true, dropoutSeed: 3 }), run({ training: true, dropoutSeed: 3 }));
  assert.notDeepEqual(run({ training: true, dropoutSeed: 3 }), run({ training: true, dropoutSeed: 4 }));
  x.dispose();
  net.dispose();
});

test("a saved network loads with identical outputs; a corrupted save is reported, not loaded", async () => {
  await initBackend();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "net-"));
  const net = buildMlp({ inputSize: 5, hidden: [7, 3], classes: 4, activation: "tanh", dropout: 0.1, seed: 8 });
  saveNetwork(dir, net, { note: "x" });
  const loaded = loadNetwork(dir);
  assert.ok(loaded.ok);
  const x = tf.randomNormal([3, 5], 0, 1, "float32", 1);
  assert.deepEqual(Array.from(tf.tidy(() => net.forward(x).dataSync())), Array.from(tf.tidy(() => loaded.net.forward(x).dataSync())));
  assert.equal((loaded.net as Mlp).describe(), net.describe());
  const w = path.join(dir, "weights.bin");
  const bytes = fs.readFileSync(w);
  bytes[10] ^= 0xff;
  fs.writeFileSync(w, bytes);
  const broken = loadNetwork(dir);
  assert.ok(!broken.ok && /checksum/.test(broken.reason));
  [x, net, loaded.net].forEach((t) => t.dispose());
});

const badSpecs: [object, RegExp][] = [
  [{ inputSize: 0, hidden: [], classes: 2, seed: 0 }, /inputSize=0 must be a positive whole number/],
  [{ inputSize: 2, hidden: [3, -1], classes: 2, seed: 0 }, /hidden\[1\]=-1/],
  [{ inputSize: 2, hidden: [], classes: 2, activation: "gelu", seed: 0 }, /activation="gelu" is not one of relu, tanh, sigmoid, linear/],
  [{ inputSize: 2, hidden: [], classes: 2, dropout: 1, seed: 0 }, /dropout=1 must be a dropout rate in \[0, 1\)/],
  [{ inputSize: 2, hidden: [], classes: 2, maxNorm: -1, seed: 0 }, /maxNorm=-1/],
];
for (const [spec, m] of badSpecs) test(`refuses the spec ${JSON.stringify(spec)}`, async () => {
  await initBackend();
  assert.throws(() => buildMlp(spec as never), m);
});

test("inputs of the wrong width are refused with both shapes", async () => {
  await initBackend();
  const net = buildMlp({ inputSize: 3, hidden: [], classes: 2, seed: 0 });
  assert.throws(() => tf.tidy(() => net.forward(tf.zeros([2, 4]))), /expects inputs of shape \[batch, 3\], got \[2, 4\]/);
  net.dispose();
});

test("building, cloning and disposing networks leaves no tensors behind", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    const net = buildMlp({ inputSize: 5, hidden: [4, 3], classes: 2, seed: i });
    const copy = net.clone();
    net.dispose();
    copy.dispose();
  }
  assert.equal(tf.memory().numTensors, before);
});
