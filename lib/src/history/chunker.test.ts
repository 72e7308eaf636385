import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { TinyRnn, chunkerStateTargets, compressSequences, nextSymbolLoss, oneHotSequences } from "./chunker";


test("TinyRnn.run matches a plain-JS unroll", async () => {
  await initBackend();
  const net = new TinyRnn({ inputSize: 3, hidden: 2, outputSize: 3, seed: 1 });
  const x = oneHotSequences(new Int32Array([0, 2, 1, 1, 0, 2]), 2, 3, 3);
  const out = net.run(x);
  const [Wx, Wh, Wo] = [net.Wx, net.Wh, net.Wo].map((v) => v.arraySync() as number[][]);
  const logits = out.logits.arraySync();
  const seqs = [[0, 2, 1], [1, 0, 2]];
  seqs.forEach((seq, i) => {
    let h = [0, 0];
    seq.forEach((s, t) => {
      h = [0, 1].map((j) => Math.tanh(Wx[s][j] + h[0] * Wh[0][j] + h[1] * Wh[1][j]));
      for (let o = 0; o < 3; o++) {
        const ref = h[0] * Wo[0][o] + h[1] * Wo[1][o];
        assert.ok(Math.abs(logits[i][t][o] - ref) < 1e-5, `seq ${i} t ${t} out ${o}`);
      }
    });
  });
  tf.dispose([x, out.logits, out.hidden]);
  net.dispose();
  assert.throws(() => net.run(tf.zeros([1, 2, 5]) as tf.Tensor3D), /5 features per step/);
});

test("nextSymbolLoss against hand arithmetic, with and without mask", async () => {
  await initBackend();
  // One sequence of 3 symbols over 2: targets at steps 1 and 2 are symbols 1 and 0.
  const x = oneHotSequences(new Int32Array([0, 1, 0]), 1, 3, 2);
  const logits = tf.tensor3d([[[0, Math.log(3)], [Math.log(4), 0], [0, 0]]]);
  const l1 = -Math.log(3 / 4);
  const l2 = -Math.log(4 / 5);
  assert.ok(Math.abs(nextSymbolLoss(logits, x).dataSync()[0] - (l1 + l2) / 2) < 1e-6);
  const masked = nextSymbolLoss(logits, x, tf.tensor2d([[1, 0]])).dataSync()[0];
  assert.ok(Math.abs(masked - l1) < 1e-6);
});

test("compressSequences keeps only surprising symbols; state targets hold the last surprise's state", async () => {
  await initBackend();
  const symbols = new Int32Array([0, 2, 3, 0, 1, 2, 3, 1]); // two sequences of length 4
  const events = [[0, 3], [0, 2, 3]];
  const c = compressSequences(symbols, 2, 4, events);
  assert.equal(c.length, 3);
  assert.deepEqual(Array.from(c.symbols), [0, 0, 0, 1, 3, 1]);
  assert.deepEqual(Array.from(c.mask), [1, 0, 1, 1]);
  const C = new TinyRnn({ inputSize: 4, hidden: 2, outputSize: 4, seed: 2 });
  const cx = oneHotSequences(c.symbols, 2, 3, 4);
  const hidden = C.run(cx).hidden.arraySync();
  const targets = chunkerStateTargets(C, cx, events, 4).arraySync();
  // Sequence 0: surprises at t=0 and t=3 → state 0 for t=0..2, state 1 at t=3.
  assert.deepEqual(targets[0].map((v) => v.map((z) => +z.toFixed(6))), [0, 0, 0, 1].map((k) => hidden[0][k].map((z) => +z.toFixed(6))));
  assert.deepEqual(targets[1].map((v) => v.map((z) => +z.toFixed(6))), [0, 0, 1, 2].map((k) => hidden[1][k].map((z) => +z.toFixed(6))));
  C.dispose();
});
