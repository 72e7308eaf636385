/**
 * One table of the bad inputs every public function and script option must refuse, with the message
 * each must give: the bad value, what was expected, what to do. Checked by running each case; a case
 * that crashes obscurely, hangs or accepts the input fails. The per-module tests hold the finer ones;
 * this file is the census (it prints how many cases it tried).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ds from "@kdh/datasets";
import * as core from "./core";
import { deserializeNetwork } from "./core/models";

interface Case {
  area: string;
  what: string;
  call: () => unknown;
  /** The message must match this. */
  expect: RegExp;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bad-inputs-"));
const file = (name: string, bytes: Uint8Array | string) => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, bytes);
  return f;
};
const img = ds.downsampleImages(ds.loadMnistDigits({ limit: 20 }), 8, 8);
const x2 = () => tf.zeros([4, 3]) as tf.Tensor2D;
const t2 = (rows: number, cols = 2) => tf.zeros([rows, cols]) as tf.Tensor2D;

const cases: Case[] = [
  // datasets
  { area: "datasets", what: "IDX: not an IDX file", call: () => ds.readIdx(file("zip", new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))), expect: /not an IDX file: bad magic number 0x504b0304/ },
  { area: "datasets", what: "IDX: truncated", call: () => ds.readIdx(file("cut", ds.encodeIdx([5, 2], new Uint8Array(10)).subarray(0, 15))), expect: /truncated/ },
  { area: "datasets", what: "IDX: missing file", call: () => ds.readIdx(path.join(tmp, "absent")), expect: /cannot read IDX file .*absent/ },
  { area: "datasets", what: "Fashion-MNIST split name", call: () => ds.loadFashionMnist("validation" as never), expect: /split "validation" is not "train" or "test"/ },
  { area: "datasets", what: "limit 0", call: () => ds.loadMnistDigits({ limit: 0 }), expect: /limit=0 must be a positive whole number/ },
  { area: "datasets", what: "full MNIST without MNIST_DIR", call: () => { const o = process.env.MNIST_DIR; delete process.env.MNIST_DIR; try { return ds.loadMnistIdx("train"); } finally { if (o) process.env.MNIST_DIR = o; } }, expect: /MNIST_DIR is not set; point it at a folder/ },
  { area: "datasets", what: "split larger than the data", call: () => ds.splitDataset(img, [15, 10], 0), expect: /exceed the 20 examples/ },
  { area: "datasets", what: "negative split size", call: () => ds.splitDataset(img, [-1, 5], 0), expect: /must be non-negative whole numbers/ },
  { area: "datasets", what: "downsample upward", call: () => ds.downsampleImages(img, 16, 16), expect: /between 1x1 and 8x8/ },
  { area: "datasets", what: "index out of range", call: () => ds.selectExamples(img, [0, 99]), expect: /index 99 is outside 0..19/ },
  { area: "datasets", what: "seed not an integer", call: () => ds.makeRng(1.5), expect: /seed must be an integer in \[0, 2\^32\), got 1.5/ },
  { area: "datasets", what: "blobs with NaN separation", call: () => ds.twoClassBlobs({ n: 5, dim: 2, separation: NaN, seed: 0 }), expect: /separation=NaN/ },
  { area: "datasets", what: "sequence lag 0", call: () => ds.sequenceTask({ n: 2, lag: 0, seed: 0 }), expect: /lag=0 must be a positive whole number/ },
  // core: configuration
  { area: "core", what: "unknown config key", call: () => core.resolveConfig({ epochs: 1 }, { epoch: 2 }), expect: /unknown parameter "epoch".*valid parameters: epochs/ },
  { area: "core", what: "config value of the wrong type", call: () => core.resolveConfig({ epochs: 1 }, { epochs: "many" }), expect: /epochs="many" is not a valid number/ },
  { area: "core", what: "script flag without --", call: () => core.parseCliArgs(["epochs=3"], { epochs: 1 }), expect: /unexpected argument "epochs=3"; use --key=value/ },
  { area: "core", what: "unknown backend name", call: () => core.initBackend("webgpu"), expect: /not a backend name; expected one of tensorflow, blas, wasm, cpu/ },
  // core: models
  { area: "core", what: "MLP with zero inputs", call: () => core.buildMlp({ inputSize: 0, hidden: [], classes: 2, seed: 0 }), expect: /inputSize=0 must be a positive whole number/ },
  { area: "core", what: "MLP with an unknown activation", call: () => core.buildMlp({ inputSize: 2, hidden: [2], classes: 2, activation: "swish" as never, seed: 0 }), expect: /activation="swish" is not one of relu, tanh, sigmoid, linear/ },
  { area: "core", what: "dropout of 1", call: () => core.buildMlp({ inputSize: 2, hidden: [2], classes: 2, dropout: 1, seed: 0 }), expect: /dropout=1 must be a dropout rate in \[0, 1\)/ },
  { area: "core", what: "inputs of the wrong width", call: () => { const n = core.buildMlp({ inputSize: 5, hidden: [], classes: 2, seed: 0 }); try { return tf.tidy(() => n.forward(x2())); } finally { n.dispose(); } }, expect: /expects inputs of shape \[batch, 5\], got \[4, 3\]/ },
  { area: "core", what: "batch size 0 for predict", call: () => { const n = core.buildMlp({ inputSize: 3, hidden: [], classes: 2, seed: 0 }); try { return core.predictInBatches(n, x2(), 0); } finally { n.dispose(); } }, expect: /batchSize=0 must be a positive whole number/ },
  { area: "core", what: "unknown saved network kind", call: () => deserializeNetwork({ kind: "transformer", spec: {}, shapes: [], weights: [] }), expect: /unknown network kind "transformer"; known kinds: mlp/ },
  // core: training
  { area: "core", what: "0 epochs", call: () => core.trainNetwork(core.buildMlp({ inputSize: 3, hidden: [], classes: 2, seed: 0 }), { x: x2(), targets: t2(4) }, core.crossEntropyLoss, { epochs: 0 }, { progress: null }), expect: /epochs=0 must be a positive whole number/ },
  { area: "core", what: "unknown optimizer", call: () => core.trainNetwork(core.buildMlp({ inputSize: 3, hidden: [], classes: 2, seed: 0 }), { x: x2(), targets: t2(4) }, core.crossEntropyLoss, { optimizer: "lbfgs" as never }, { progress: null }), expect: /optimizer="lbfgs" is not one of sgd, momentum, adam/ },
  { area: "core", what: "negative learning rate", call: () => core.trainNetwork(core.buildMlp({ inputSize: 3, hidden: [], classes: 2, seed: 0 }), { x: x2(), targets: t2(4) }, core.crossEntropyLoss, { learningRate: -0.1 }, { progress: null }), expect: /learningRate=-0.1 must be a finite number > 0/ },
  { area: "core", what: "targets with fewer rows than inputs", call: () => core.trainNetwork(core.buildMlp({ inputSize: 3, hidden: [], classes: 2, seed: 0 }), { x: x2(), targets: t2(3) }, core.crossEntropyLoss, {}, { progress: null }), expect: /inputs have 4 rows but targets have 3/ },
  { area: "core", what: "empty training set", call: () => core.trainNetwork(core.buildMlp({ inputSize: 3, hidden: [], classes: 2, seed: 0 }), { x: tf.zeros([0, 3]) as tf.Tensor2D, targets: t2(0) }, core.crossEntropyLoss, {}, { progress: null }), expect: /the training set is empty/ },
  { area: "core", what: "NaN in the inputs", call: () => core.trainNetwork(core.buildMlp({ inputSize: 3, hidden: [], classes: 2, seed: 0 }), { x: tf.fill([4, 3], NaN) as tf.Tensor2D, targets: t2(4) }, core.crossEntropyLoss, { epochs: 1 }, { progress: null }), expect: /loss became NaN at epoch 1, step 1.*check the inputs and targets for NaN/ },
  { area: "core", what: "cross-entropy with mismatched classes", call: () => tf.tidy(() => core.crossEntropyLoss(t2(4, 3), t2(4, 2))), expect: /targets have 3 classes but logits have 2/ },
  { area: "core", what: "label out of range", call: () => core.oneHot([0, 1, 7], 3), expect: /label 7 at index 2 is outside 0..2/ },
  { area: "core", what: "predictions and labels of different lengths", call: () => core.scorePredictions([0, 1], [0], 2), expect: /2 predictions for 1 labels/ },
  // core: storage
  { area: "core", what: "blob named like the manifest", call: () => core.writeBlobSet(path.join(tmp, "b"), { "manifest.json": "{}" }), expect: /blob name "manifest.json" is reserved/ },
  { area: "core", what: "corrupt saved network (reported, not thrown)", call: () => { const d = path.join(tmp, "net"); core.saveNetwork(d, core.buildMlp({ inputSize: 2, hidden: [], classes: 2, seed: 0 })); fs.writeFileSync(path.join(d, "weights.bin"), "xx"); const r = core.loadNetwork(d); if (!r.ok) throw new Error(r.reason); }, expect: /weights.bin has 2 bytes, manifest says 24/ },
];

// Script options: each script refuses a bad flag before doing any work.
const ROOT = path.resolve(__dirname, "..", "..");
const scriptCases: { script: string; args: string[]; expect: RegExp }[] = [
  { script: "scripts/reproduce.ts", args: ["--fast"], expect: /unknown|--fast/ },
  { script: "scripts/reproduce.ts", args: ["--only", "nonexistent_zz"], expect: /nonexistent_zz/ },
  { script: "scripts/reproduce.ts", args: ["--timeout=-5"], expect: /--timeout expects a number of seconds >= 0/ },
  { script: "scripts/reproduce.ts", args: ["--set", "epochs"], expect: /--set expects key=value/ },
  { script: "scripts/soak.ts", args: ["--minutes=0"], expect: /--minutes=0 must be > 0/ },
  { script: "scripts/soak.ts", args: ["--hours=1"], expect: /unknown parameter "hours" in the command line/ },
  { script: "scripts/bench.ts", args: ["--repeats=many"], expect: /repeats="many" is not a valid number/ },
  { script: "scripts/setup.mjs", args: ["--gpu"], expect: /unknown argument "--gpu"/ },
];

before(async () => {
  await core.initBackend();
});

let tried = 0;
for (const c of cases) {
  test(`[${c.area}] refuses ${c.what}`, async () => {
    tried++;
    const start = tf.memory().numTensors;
    await assert.rejects(async () => c.call(), (e: unknown) => {
      assert.ok(e instanceof Error, `threw a non-Error: ${String(e)}`);
      assert.match(e.message, c.expect);
      return true;
    });
    // Refusing bad input must not leak tensors either (the zeros made for the call aside).
    assert.ok(tf.memory().numTensors - start <= 4, `leaked ${tf.memory().numTensors - start} tensors`);
  });
}
for (const c of scriptCases) {
  test(`[script] ${c.script} refuses ${c.args.join(" ")}`, () => {
    tried++;
    const isTs = c.script.endsWith(".ts");
    const r = spawnSync(process.execPath, [...(isTs ? ["--import", "tsx"] : []), path.join(ROOT, c.script), ...c.args], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, KDH_REPORTS_DIR: tmp } });
    assert.notEqual(r.status, 0, `exited 0 for ${c.args.join(" ")}`);
    assert.equal(r.signal, null, "it hung or crashed");
    assert.match(`${r.stdout}\n${r.stderr}`, c.expect);
  });
}

after(() => console.log(`bad inputs tried: ${tried} (${cases.length} library calls, ${scriptCases.length} script options)`));
