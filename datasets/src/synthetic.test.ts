import { test } from "node:test";
import assert from "node:assert/strict";
import { sequenceTask, teacherLabelledRandom, twoClassBlobs } from "./synthetic";

test("blobs: the nearest-mean rule errs at about the Bayes rate Φ(-sep/2)", () => {
  const sep = 2;
  const ds = twoClassBlobs({ n: 20000, dim: 5, separation: sep, seed: 3 });
  // Means are ±sep/2 along an unknown unit direction; estimate it from the data.
  const mean = [new Float64Array(5), new Float64Array(5)];
  const count = [0, 0];
  for (let i = 0; i < ds.n; i++) {
    count[ds.labels[i]]++;
    for (let d = 0; d < 5; d++) mean[ds.labels[i]][d] += ds.x[i * 5 + d];
  }
  const dir = Array.from({ length: 5 }, (_, d) => mean[1][d] / count[1] - mean[0][d] / count[0]);
  let errors = 0;
  for (let i = 0; i < ds.n; i++) {
    let s = 0;
    for (let d = 0; d < 5; d++) s += ds.x[i * 5 + d] * dir[d];
    if ((s > 0 ? 1 : 0) !== ds.labels[i]) errors++;
  }
  const bayes = 0.15865525393145707; // Φ(-1)
  assert.ok(Math.abs(errors / ds.n - bayes) < 0.01, `error ${errors / ds.n} vs Bayes ${bayes}`);
});

test("generators repeat for a seed and differ across seeds", () => {
  const a = teacherLabelledRandom({ n: 50, dim: 4, classes: 3, seed: 1 });
  const b = teacherLabelledRandom({ n: 50, dim: 4, classes: 3, seed: 1 });
  const c = teacherLabelledRandom({ n: 50, dim: 4, classes: 3, seed: 2 });
  assert.deepEqual(a.x, b.x);
  assert.notDeepEqual(a.x, c.x);
  for (let i = 0; i < a.n; i++) {
    const row = Array.from(a.logits.subarray(i * 3, i * 3 + 3));
    assert.equal(a.labels[i], row.indexOf(Math.max(...row)));
  }
});

test("the long-lag sequences repeat their first symbol at the end", () => {
  const s = sequenceTask({ n: 10, lag: 20, seed: 0 });
  assert.equal(s.length, 22);
  for (let i = 0; i < s.n; i++) assert.equal(s.symbols[i * 22], s.symbols[i * 22 + 21]);
});

test("bad sizes are refused with the value", () => {
  assert.throws(() => twoClassBlobs({ n: 0, dim: 2, separation: 1, seed: 0 }), /n=0 must be a positive whole number/);
  assert.throws(() => twoClassBlobs({ n: 5, dim: 2, separation: NaN, seed: 0 }), /separation=NaN/);
  assert.throws(() => teacherLabelledRandom({ n: 5, dim: 2, classes: 1, seed: 0 }), /classes=1 must be at least 2/);
  assert.throws(() => sequenceTask({ n: 5, lag: 1.5, seed: 0 }), /lag=1.5/);
});
