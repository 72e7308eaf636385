import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend";
import { dropoutMask, seededDropout } from "./dropout";

const N = 1_000_000;
const kept = (m: Float32Array) => Array.from(m, (v) => (v > 0 ? 1 : 0));

/** Pearson correlation of two 0/1 sequences; under independence it is ~N(0, 1/n). */
function correlation(a: number[], b: number[]): number {
  const n = a.length;
  let sa = 0, sb = 0, sab = 0;
  for (let i = 0; i < n; i++) {
    sa += a[i];
    sb += b[i];
    sab += a[i] * b[i];
  }
  const [ma, mb] = [sa / n, sb / n];
  return (sab / n - ma * mb) / Math.sqrt(ma * (1 - ma) * mb * (1 - mb));
}

test("the kept share is within 5 binomial standard deviations of 1-rate and kept units carry 1/(1-rate)", () => {
  for (const [rate, seed] of [[0.2, 1], [0.5, 2], [0.8, 3], [0.5, 0xffffffff]]) {
    const m = dropoutMask(seed, N, rate);
    const share = kept(m).reduce((s, v) => s + v, 0) / N;
    // Binomial(N, 1-rate): sd of the share is sqrt(rate(1-rate)/N) ≤ 0.0005 for N = 1e6.
    const bound = 5 * Math.sqrt((rate * (1 - rate)) / N);
    assert.ok(Math.abs(share - (1 - rate)) < bound, `rate ${rate}: kept share ${share}, expected ${1 - rate} ± ${bound}`);
    const keep = Math.fround(1 / (1 - rate));
    for (let i = 0; i < N; i++) if (m[i] !== 0 && m[i] !== keep) assert.fail(`mask[${i}]=${m[i]} is neither 0 nor ${keep}`);
  }
});

test("neighbouring elements and different seeds are uncorrelated within 5/sqrt(n)", () => {
  // For independent indicators the sample correlation has sd 1/sqrt(n) (0.001 here); a hash that leaked
  // structure from consecutive indices or seeds (e.g. seed xor index) shows correlations near ±1.
  const bound = 5 / Math.sqrt(N);
  const a = kept(dropoutMask(7, N + 1200, 0.5));
  const lag = (k: number) => correlation(a.slice(0, N), a.slice(k, N + k));
  for (const k of [1, 2, 784, 1200]) assert.ok(Math.abs(lag(k)) < bound, `lag ${k}: correlation ${lag(k)} beyond ${bound}`);
  for (const [s1, s2] of [[7, 8], [7, 6], [0, 1], [0x80000000, 0], [12345, 12345 ^ 0x10000]]) {
    const r = correlation(kept(dropoutMask(s1, N, 0.5)), kept(dropoutMask(s2, N, 0.5)));
    assert.ok(Math.abs(r) < bound, `seeds ${s1}, ${s2}: correlation ${r} beyond ${bound}`);
  }
});

test("same seed gives the same mask, a different seed a different one, and a prefix does not depend on the size", () => {
  assert.deepEqual(dropoutMask(5, 1000, 0.5), dropoutMask(5, 1000, 0.5));
  assert.notDeepEqual(dropoutMask(5, 1000, 0.5), dropoutMask(6, 1000, 0.5));
  assert.deepEqual(dropoutMask(5, 2000, 0.5).subarray(0, 1000), dropoutMask(5, 1000, 0.5));
});

test("seededDropout multiplies by the mask, its gradient is the mask, rate 0 returns x, and no tensor leaks", async () => {
  await initBackend();
  const x = tf.randomNormal([64, 300], 0, 1, "float32", 3);
  const xs = x.dataSync();
  const m = dropoutMask(11, x.size, 0.5);
  const y = seededDropout(x, 0.5, 11);
  const ys = y.dataSync();
  for (let i = 0; i < x.size; i++) if (ys[i] !== Math.fround(xs[i] * m[i])) assert.fail(`y[${i}]=${ys[i]}, expected ${xs[i]} * ${m[i]}`);
  y.dispose();
  // d/dx sum(mask * x) = mask exactly (products with 0 and 2 are exact in float32).
  const g = tf.grad((t: tf.Tensor) => tf.sum(seededDropout(t, 0.5, 11)))(x);
  assert.deepEqual(g.dataSync(), m);
  g.dispose();
  assert.equal(seededDropout(x, 0, 11), x);
  const counts: number[] = [];
  for (let step = 0; step < 5; step++) {
    tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(seededDropout(t, 0.2, step)))(x).dataSync());
    counts.push(tf.memory().numTensors);
  }
  assert.deepEqual(counts, counts.map(() => counts[0]), `tensor counts across steps: ${counts}`);
  x.dispose();
});

test("bad rates, seeds and dtypes are refused with the value named", () => {
  const x = tf.ones([2, 2], "int32");
  assert.throws(() => dropoutMask(1, 10, 1), /rate=1 must be in \[0, 1\)/);
  assert.throws(() => dropoutMask(1, 10, NaN), /rate=NaN/);
  assert.throws(() => dropoutMask(-1, 10, 0.5), /seed=-1/);
  assert.throws(() => dropoutMask(1.5, 10, 0.5), /seed=1.5/);
  assert.throws(() => dropoutMask(1, -3, 0.5), /size=-3/);
  assert.throws(() => seededDropout(x, 0.5, 1), /float32 tensor, got int32/);
  x.dispose();
});
