/**
 * PyTorch layout: the transposition by hand, the forward pass of the exported dict computed the way
 * PyTorch computes nn.Linear (y = x·weightᵀ + bias, plain JS in float64) against our forward pass, a
 * JSON round trip back to identical weights, and clear errors for wrong dicts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend";
import { buildMlp, type MlpSpec } from "./models";
import { fromTorchStateDict, toTorchStateDict, torchLayerKeys, transpose2d, TORCH_STATE_DICT_FORMAT, type TorchStateDict } from "./torch-layout";

test("transpose2d by hand", () => {
  // [[1, 2, 3], [4, 5, 6]] → [[1, 4], [2, 5], [3, 6]]
  assert.deepEqual(Array.from(transpose2d([1, 2, 3, 4, 5, 6], 2, 3)), [1, 4, 2, 5, 3, 6]);
  assert.deepEqual(Array.from(transpose2d([7], 1, 1)), [7]);
  assert.throws(() => transpose2d([1, 2, 3], 2, 2), /3 values do not fill a 2x2 matrix/);
});

test("layer keys follow nn.Sequential (0, 2, 4) unless named", () => {
  assert.deepEqual(torchLayerKeys(3), ["0", "2", "4"]);
  assert.deepEqual(torchLayerKeys(2, ["fc1", "fc2"]), ["fc1", "fc2"]);
  assert.throws(() => torchLayerKeys(3, ["fc1"]), /keys has 1 names \(fc1\) for an MLP of 3 linear layers/);
});

/** PyTorch's forward pass of the exported dict, in float64: y = x·Wᵀ + b per Linear, activation between. */
function torchStyleForward(dict: TorchStateDict, keys: string[], x: number[], act: (v: number) => number): number[] {
  let h = x;
  keys.forEach((k, l) => {
    const w = dict.tensors[`${k}.weight`];
    const b = dict.tensors[`${k}.bias`];
    const [out, inn] = w.shape;
    const y = Array.from({ length: out }, (_, o) => {
      let s = b.data[o];
      for (let i = 0; i < inn; i++) s += w.data[o * inn + i] * h[i];
      return s;
    });
    h = l + 1 < keys.length ? y.map(act) : y;
  });
  return h;
}

test("export to PyTorch's layout: shapes [out, in], and PyTorch's forward pass gives our logits", async () => {
  await initBackend();
  const cases: Array<{ spec: MlpSpec; act: (v: number) => number }> = [
    { spec: { inputSize: 5, hidden: [4, 3], classes: 2, seed: 1 }, act: (v) => Math.max(0, v) },
    { spec: { inputSize: 3, hidden: [], classes: 4, seed: 2 }, act: (v) => v },
    { spec: { inputSize: 6, hidden: [7], classes: 3, activation: "tanh", seed: 3 }, act: Math.tanh },
  ];
  for (const { spec, act } of cases) {
    const net = buildMlp(spec);
    const dict = toTorchStateDict(net);
    const widths = [spec.inputSize, ...spec.hidden, spec.classes];
    const keys = torchLayerKeys(widths.length - 1);
    keys.forEach((k, l) => {
      assert.deepEqual(dict.tensors[`${k}.weight`].shape, [widths[l + 1], widths[l]]);
      assert.deepEqual(dict.tensors[`${k}.bias`].shape, [widths[l + 1]]);
      // element (o, i) of PyTorch's weight is element (i, o) of ours
      const W = net.layers[l].W.arraySync() as number[][];
      assert.equal(dict.tensors[`${k}.weight`].data[1 * widths[l] + 0], W[0][1]);
    });
    const x = Array.from({ length: spec.inputSize }, (_, i) => Math.sin(i + spec.seed));
    const ours = tf.tidy(() => Array.from(net.predict(tf.tensor2d([x])).dataSync()));
    const theirs = torchStyleForward(dict, keys, x, act);
    // float32 weights and activations against a float64 sum of a handful of terms: 1e-5 is ample.
    theirs.forEach((v, j) => assert.ok(Math.abs(v - ours[j]) < 1e-5, `${widths.join("-")} logit ${j}: PyTorch-style ${v}, ours ${ours[j]}`));
    net.dispose();
  }
});

test("a JSON round trip through PyTorch's layout gives back the same weights and outputs, without leaking tensors", async () => {
  await initBackend();
  const spec: MlpSpec = { inputSize: 4, hidden: [6, 5], classes: 3, seed: 7 };
  const net = buildMlp(spec);
  const before = tf.memory().numTensors;
  const json = JSON.parse(JSON.stringify(toTorchStateDict(net, { keys: ["fc1", "fc2", "fc3"] }), (_k, v) => (v instanceof Float32Array ? Array.from(v) : v)));
  assert.deepEqual(Object.keys(json.tensors), ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"]);
  const back = fromTorchStateDict(spec, json, { keys: ["fc1", "fc2", "fc3"] });
  net.variables.forEach((v, i) => assert.deepEqual(Array.from(back.variables[i].dataSync()), Array.from(v.dataSync()), `variable ${i}`));
  back.dispose();
  assert.equal(tf.memory().numTensors, before, "export and import leave no tensors behind");
  net.dispose();
});

test("wrong dicts are refused, naming the key, the shapes and what to do", async () => {
  await initBackend();
  const spec: MlpSpec = { inputSize: 3, hidden: [2], classes: 2, seed: 0 };
  const net = buildMlp(spec);
  const good = toTorchStateDict(net);
  net.dispose();
  const edit = (f: (t: TorchStateDict["tensors"]) => void): TorchStateDict => {
    const tensors = Object.fromEntries(Object.entries(good.tensors).map(([k, t]) => [k, { shape: [...t.shape], data: Array.from(t.data) }]));
    f(tensors);
    return { format: TORCH_STATE_DICT_FORMAT, tensors };
  };
  const cases: Array<[unknown, RegExp]> = [
    [null, /expected a state dict/],
    [{ format: "other", tensors: {} }, /format "other" is not "kdh-torch-state-dict\/1"/],
    [edit((t) => delete t["2.bias"]), /lacks 2\.bias \(shape \[2\]\)/],
    [edit((t) => (t["0.weight"].shape = [3, 2])), /0\.weight has shape \[3,2\], expected \[2, 3\] \(it looks transposed: PyTorch's weight is \[out, in\]\)/],
    [edit((t) => (t["0.bias"].data = [1])), /0\.bias holds 1 values, its shape \[2\] needs 2/],
    [edit((t) => ((t["0.bias"].data as number[])[1] = NaN)), /0\.bias\[1\] = NaN is not a finite number/],
    [edit((t) => (t["4.weight"] = { shape: [1], data: [0] })), /keys 4\.weight that an MLP 3-2-2 does not have/],
  ];
  for (const [dict, re] of cases) assert.throws(() => fromTorchStateDict(spec, dict as TorchStateDict), re);
});
