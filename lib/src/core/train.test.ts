import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend";
import { buildMlp, Mlp } from "./models";
import { crossEntropyLoss, jitterBatch, oneHot, trainNetwork, TrainSet } from "./train";
import { twoClassBlobs } from "@kdh/datasets";

function blobs(n = 256, seed = 1): TrainSet & { dispose(): void } {
  const ds = twoClassBlobs({ n, dim: 6, separation: 3, seed });
  const x = tf.tensor2d(ds.x, [n, 6]);
  const targets = oneHot(ds.labels, 2);
  return { x, targets, labels: ds.labels, dispose: () => { x.dispose(); targets.dispose(); } };
}
const weightsOf = (net: Mlp) => net.variables.map((v) => Array.from(v.dataSync()));
const quiet = { progress: null } as const;

test("the tensor count stays flat across 50 training steps (sgd, momentum, adam; dropout and jitter on)", async () => {
  await initBackend();
  for (const optimizer of ["sgd", "momentum", "adam"] as const) {
    const data = blobs(400);
    const net = buildMlp({ inputSize: 6, hidden: [16, 16], classes: 2, dropout: 0.3, inputDropout: 0.1, maxNorm: 2, seed: 3 });
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await trainNetwork(net, data, crossEntropyLoss, { epochs: 7, batchSize: 50, optimizer, seed: 1, validationFraction: 0.1, patience: 3 }, { ...quiet, afterStep: () => counts.push(tf.memory().numTensors) });
    assert.ok(counts.length >= 50, `only ${counts.length} steps`);
    assert.equal(counts[counts.length - 1], counts[1], `${optimizer}: tensors grew from ${counts[1]} to ${counts[counts.length - 1]} across steps`);
    assert.equal(tf.memory().numTensors, before, `${optimizer}: trainNetwork left ${tf.memory().numTensors - before} tensors behind`);
    net.dispose();
    data.dispose();
  }
});

test("the same seed gives the same weights; another seed does not", async () => {
  await initBackend();
  const data = blobs();
  const run = async (seed: number) => {
    const net = buildMlp({ inputSize: 6, hidden: [8], classes: 2, dropout: 0.2, seed: 5 });
    await trainNetwork(net, data, crossEntropyLoss, { epochs: 3, batchSize: 32, seed }, quiet);
    const w = weightsOf(net);
    net.dispose();
    return w;
  };
  const [a, b, c] = [await run(1), await run(1), await run(2)];
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  data.dispose();
});

test("training learns separable blobs and reports per-epoch records", async () => {
  await initBackend();
  const data = blobs(512);
  const net = buildMlp({ inputSize: 6, hidden: [16], classes: 2, seed: 1 });
  const h = await trainNetwork(net, data, crossEntropyLoss, { epochs: 5, batchSize: 32, learningRate: 0.05, seed: 1, validationFraction: 0.2 }, quiet);
  assert.equal(h.records.length, 5);
  assert.ok(h.records[4].loss < h.records[0].loss, "loss did not fall");
  assert.ok(h.records[4].valAccuracy! > 0.9, `validation accuracy ${h.records[4].valAccuracy}`);
  net.dispose();
  data.dispose();
});

test("a run stopped after epoch 2 and started again ends with the same weights as an unbroken run", async () => {
  await initBackend();
  const data = blobs();
  const cfg = { epochs: 4, batchSize: 32, optimizer: "adam" as const, learningRate: 0.01, seed: 4 };
  const spec = { inputSize: 6, hidden: [8], classes: 2, dropout: 0.2, seed: 9 };
  const unbroken = buildMlp(spec);
  await trainNetwork(unbroken, data, crossEntropyLoss, cfg, quiet);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ckpt-"));
  const first = buildMlp(spec);
  await trainNetwork(first, data, crossEntropyLoss, cfg, { ...quiet, checkpointDir: dir, onEpochEnd: (r) => r.epoch < 2 });
  first.dispose();
  const resumed = buildMlp(spec);
  const h = await trainNetwork(resumed, data, crossEntropyLoss, cfg, { ...quiet, checkpointDir: dir });
  assert.equal(h.resumedFrom, 2);
  assert.equal(h.records.length, 4);
  assert.deepEqual(weightsOf(resumed), weightsOf(unbroken));
  [unbroken, resumed].forEach((n) => n.dispose());
  data.dispose();
});

test("a training process killed with SIGKILL mid-epoch resumes from its last checkpoint to the same weights", async () => {
  await initBackend();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kill-"));
  const child = path.join(__dirname, "train-kill.fixture.ts");
  // 1st: killed by SIGKILL in the middle of epoch 3; 2nd: resumes and finishes; 3rd: a fresh unbroken run.
  const killed = spawnSync(process.execPath, ["--import", "tsx", child, dir, "kill"], { encoding: "utf8" });
  assert.equal(killed.signal, "SIGKILL", `child was not killed: ${killed.stderr}`);
  assert.ok(fs.existsSync(path.join(dir, "ckpt", "manifest.json")), "no checkpoint was left behind");
  const resumed = spawnSync(process.execPath, ["--import", "tsx", child, dir, "resume"], { encoding: "utf8" });
  assert.equal(resumed.status, 0, resumed.stderr);
  const fresh = spawnSync(process.execPath, ["--import", "tsx", child, fs.mkdtempSync(path.join(os.tmpdir(), "fresh-")), "resume"], { encoding: "utf8" });
  assert.equal(fresh.status, 0, fresh.stderr);
  const a = JSON.parse(resumed.stdout.trim().split("\n").pop()!);
  const b = JSON.parse(fresh.stdout.trim().split("\n").pop()!);
  assert.equal(a.resumedFrom, 2);
  assert.equal(b.resumedFrom, null);
  assert.deepEqual(a.weights, b.weights);
});

test("a diverging run stops with an error naming the epoch and the learning rate", async () => {
  await initBackend();
  const data = blobs(64);
  const x = tf.mul(data.x, 1e30) as tf.Tensor2D;
  const net = buildMlp({ inputSize: 6, hidden: [4], classes: 2, seed: 1 });
  await assert.rejects(trainNetwork(net, { x, targets: data.targets }, crossEntropyLoss, { epochs: 2, learningRate: 10, optimizer: "sgd" }, quiet), /diverged: the loss became (NaN|Infinity) at epoch \d+, step \d+\..*Lower learningRate \(now 10\)/);
  net.dispose();
  x.dispose();
  data.dispose();
});

const badConfigs: [Record<string, unknown>, RegExp][] = [
  [{ epochs: 0 }, /epochs=0 must be a positive whole number/],
  [{ batchSize: 2.5 }, /batchSize=2.5/],
  [{ optimizer: "rmsprop" }, /optimizer="rmsprop" is not one of sgd, momentum, adam/],
  [{ learningRate: -1 }, /learningRate=-1/],
  [{ learningRate: "fast" }, /learningRate="fast" is not a valid number/],
  [{ momentum: 1 }, /momentum=1 must be in \[0, 1\)/],
  [{ validationFraction: 1 }, /validationFraction=1/],
  [{ epochz: 3 }, /unknown parameter "epochz" in the training config; valid parameters: epochs/],
  [{ jitterPixels: 2 }, /jitterPixels=2 needs 28x28 images, but inputs have 6 features/],
];
for (const [cfg, message] of badConfigs) {
  test(`bad training config ${JSON.stringify(cfg)} is refused`, async () => {
    await initBackend();
    const data = blobs(16);
    const net = buildMlp({ inputSize: 6, hidden: [], classes: 2, seed: 1 });
    await assert.rejects(trainNetwork(net, data, crossEntropyLoss, cfg as never, quiet), message);
    net.dispose();
    data.dispose();
  });
}

test("mismatched inputs and targets are refused", async () => {
  await initBackend();
  const net = buildMlp({ inputSize: 2, hidden: [], classes: 2, seed: 1 });
  const x = tf.zeros([4, 2]) as tf.Tensor2D;
  const t = tf.zeros([3, 2]) as tf.Tensor2D;
  await assert.rejects(trainNetwork(net, { x, targets: t }, crossEntropyLoss, {}, quiet), /inputs have 4 rows but targets have 3/);
  tf.dispose([x, t]);
  net.dispose();
});

test("jitter shifts whole images by at most the given pixels and keeps their content", () => {
  const size = 5;
  const img = new Float32Array(size * size);
  img[2 * size + 2] = 1; // one bright pixel in the middle
  for (let seed = 0; seed < 20; seed++) {
    const out = jitterBatch(img, size, 1, seed);
    const at = out.indexOf(1);
    assert.equal(out.reduce((a, b) => a + b, 0), 1);
    const [r, c] = [Math.floor(at / size), at % size];
    assert.ok(Math.abs(r - 2) <= 1 && Math.abs(c - 2) <= 1);
  }
});

test("cross-entropy equals the plain-JS formula on hand-made logits", async () => {
  await initBackend();
  const logits = [[1, 2, 0.5], [-1, 0, 3]];
  const targets = [[0, 1, 0], [0.2, 0.3, 0.5]];
  const ref =
    logits.map((z, i) => {
      const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
      return -z.reduce((s, v, k) => s + targets[i][k] * (v - lse), 0);
    }).reduce((a, b) => a + b, 0) / 2;
  const got = tf.tidy(() => crossEntropyLoss(tf.tensor2d(targets), tf.tensor2d(logits)).dataSync()[0]);
  assert.ok(Math.abs(got - ref) < 1e-5, `${got} vs ${ref}`);
});

test("one-hot refuses labels out of range", async () => {
  await initBackend();
  assert.throws(() => oneHot([0, 3], 3), /label 3 at index 1 is outside 0..2/);
  assert.throws(() => oneHot([0, -1], 3), /label -1 at index 1/);
});
