import { test } from "node:test";
import assert from "node:assert/strict";
import { chunkTask, distinctSequences } from "./chunk-task";

const spec = { lag: 8, words: 8, wordLength: 4, trainSequences: 36, testSequences: 24, seed: 5 };

test("chunkTask: sequences are c, whole words, e, c; train and test never share a sequence", () => {
  const t = chunkTask(spec);
  assert.equal(t.length, 11);
  assert.equal(t.alphabet.length, 3 + 8 * 4);
  const keys = (a: Int32Array, n: number) => Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * t.length, (i + 1) * t.length)).join(","));
  const tr = keys(t.train, t.nTrain), te = keys(t.test, t.nTest);
  assert.equal(new Set(tr).size, 36, "training sequences are distinct");
  assert.equal(new Set(te).size, 24, "test sequences are distinct");
  for (const k of te) assert.ok(!tr.includes(k), `test sequence ${k} also in training`);
  for (const a of [t.train, t.test]) {
    for (let i = 0; i < a.length / t.length; i++) {
      const s = Array.from(a.subarray(i * t.length, (i + 1) * t.length));
      assert.ok(s[0] === 0 || s[0] === 1);
      assert.equal(s[s.length - 1], s[0], "the final symbol repeats the cue");
      assert.equal(s[s.length - 2], 2, "end marker before the final symbol");
      for (let m = 0; m < 2; m++) {
        const w0 = s[1 + m * 4];
        assert.equal((w0 - 3) % 4, 0, "a word starts with its first symbol");
        for (let j = 1; j < 4; j++) assert.equal(s[1 + m * 4 + j], w0 + j, "the rest of a word is fixed by its start");
      }
    }
  }
  // Same seed, same data; another seed, other data.
  assert.deepEqual(chunkTask(spec).train, t.train);
  assert.notDeepEqual(chunkTask({ ...spec, seed: 6 }).train, t.train);
});

test("distinctSequences: 2 × words^(lag/wordLength) by hand", () => {
  assert.equal(distinctSequences(8, 8, 4), 2 * 64);
  assert.equal(distinctSequences(12, 8, 4), 2 * 512);
});

test("chunkTask: bad inputs name the value and the fix", () => {
  assert.throws(() => chunkTask({ ...spec, lag: 10 }), /lag=10 must be a multiple of wordLength=4/);
  assert.throws(() => chunkTask({ ...spec, trainSequences: 50, testSequences: 20 }), /more than half of the 128/);
  assert.throws(() => chunkTask({ ...spec, words: 0 }), /words=0 must be a positive integer/);
});
