import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend";
import { dropoutMask, nativeDropoutActive, seededDropout, setNativeDropout } from "./dropout";
import { buildMlp } from "./models";

const N = 1_000_000;
const kept = (m: Float32Array) => Array.from(m, (v) => (v > 0 ? 1 : 0));

/**
 * The two paths to a mask: dropoutMask in JS (every backend but blas), and the blas backend's native kernel,
 * whose mask is seededDropout applied to ones. `unavailable` says why a path cannot run here (then its
 * tests skip with that reason; the native one needs the blas backend, absent e.g. under KDH_BACKEND=wasm).
 */
interface MaskPath {
  name: string;
  native: boolean;
  unavailable(): string | false;
  mask(seed: number, size: number, rate: number): Float32Array;
}

function nativeMask(seed: number, size: number, rate: number): Float32Array {
  return tf.tidy(() => seededDropout(tf.ones([size]), rate, seed).dataSync() as Float32Array);
}

const PATHS: MaskPath[] = [
  { name: "JS mask", native: false, unavailable: () => false, mask: dropoutMask },
  {
    name: "native kernel",
    native: true,
    unavailable: () => (nativeDropoutActive() ? false : `no native dropout kernel on the ${tf.getBackend()} backend`),
    mask: nativeMask,
  },
];

/** Runs `body` once per path, with seededDropout switched to that path; skips a path that cannot run here. */
function testBothPaths(title: string, body: (p: MaskPath) => void | Promise<void>): void {
  for (const p of PATHS) {
    test(`${title} (${p.name})`, async (t) => {
      await initBackend();
      setNativeDropout(p.native);
      try {
        const why = p.unavailable();
        if (why) return t.skip(why);
        await body(p);
      } finally {
        setNativeDropout(true);
      }
    });
  }
}

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

testBothPaths("the kept share is within 5 binomial standard deviations of 1-rate and kept units carry 1/(1-rate)", (p) => {
  for (const [rate, seed] of [[0.2, 1], [0.5, 2], [0.8, 3], [0.5, 0xffffffff]]) {
    const m = p.mask(seed, N, rate);
    const share = kept(m).reduce((s, v) => s + v, 0) / N;
    // Binomial(N, 1-rate): sd of the share is sqrt(rate(1-rate)/N) ≤ 0.0005 for N = 1e6.
    const bound = 5 * Math.sqrt((rate * (1 - rate)) / N);
    assert.ok(Math.abs(share - (1 - rate)) < bound, `rate ${rate}: kept share ${share}, expected ${1 - rate} ± ${bound}`);
    const keep = Math.fround(1 / (1 - rate));
    for (let i = 0; i < N; i++) if (m[i] !== 0 && m[i] !== keep) assert.fail(`mask[${i}]=${m[i]} is neither 0 nor ${keep}`);
  }
});

testBothPaths("neighbouring elements and different seeds are uncorrelated within 5/sqrt(n)", (p) => {
  // For independent indicators the sample correlation has sd 1/sqrt(n) (0.001 here); a hash that leaked
  // structure from consecutive indices or seeds (e.g. seed xor index) shows correlations near ±1.
  const bound = 5 / Math.sqrt(N);
  const a = kept(p.mask(7, N + 1200, 0.5));
  const lag = (k: number) => correlation(a.slice(0, N), a.slice(k, N + k));
  for (const k of [1, 2, 784, 1200]) assert.ok(Math.abs(lag(k)) < bound, `lag ${k}: correlation ${lag(k)} beyond ${bound}`);
  for (const [s1, s2] of [[7, 8], [7, 6], [0, 1], [0x80000000, 0], [12345, 12345 ^ 0x10000]]) {
    const r = correlation(kept(p.mask(s1, N, 0.5)), kept(p.mask(s2, N, 0.5)));
    assert.ok(Math.abs(r) < bound, `seeds ${s1}, ${s2}: correlation ${r} beyond ${bound}`);
  }
});

testBothPaths("same seed gives the same mask, a different seed a different one, and a prefix does not depend on the size", (p) => {
  assert.deepEqual(p.mask(5, 1000, 0.5), p.mask(5, 1000, 0.5));
  assert.notDeepEqual(p.mask(5, 1000, 0.5), p.mask(6, 1000, 0.5));
  assert.deepEqual(p.mask(5, 2000, 0.5).subarray(0, 1000), p.mask(5, 1000, 0.5));
});

test("the native kernel and the JS mask agree element for element", async (t) => {
  await initBackend();
  if (!nativeDropoutActive()) return t.skip(`no native dropout kernel on the ${tf.getBackend()} backend`);
  // Integer hashing and a comparison decide each element, and 1 · keep is exact, so the masks must be
  // identical, not close: any difference means the C and JS hashes disagree. Odd sizes reach the C loop's
  // vector tail; rates at the ends of [0, 1) test the threshold's rounding; seeds at the ends of uint32 its wrap.
  for (const size of [1, 7, 33, 1000, 100_003]) {
    for (const seed of [0, 1, 12345, 0x80000000, 0xffffffff]) {
      for (const rate of [1e-9, 0.2, 0.5, 0.8, 0.999999]) {
        const js = dropoutMask(seed, size, rate);
        const native = nativeMask(seed, size, rate);
        const i = js.findIndex((v, k) => v !== native[k]);
        assert.equal(i, -1, `size ${size}, seed ${seed}, rate ${rate}: element ${i} is ${native[i]} natively, ${js[i]} in JS`);
      }
    }
  }
});

testBothPaths("seededDropout multiplies by the mask, its gradient is the mask, rate 0 returns x, and no tensor leaks", () => {
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
  // With an incoming gradient dy that is not all ones: dx = mask · dy (again exact, as mask is 0 or 2).
  const w = tf.randomNormal(x.shape, 0, 1, "float32", 4);
  const ws = w.dataSync();
  const gw = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(seededDropout(t, 0.5, 11), w)))(x);
  assert.deepEqual(gw.dataSync(), Float32Array.from(ws, (v, i) => v * m[i]));
  tf.dispose([gw, w]);
  assert.equal(seededDropout(x, 0, 11), x);
  const counts: number[] = [];
  for (let step = 0; step < 5; step++) {
    tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(seededDropout(t, 0.2, step)))(x).dataSync());
    counts.push(tf.memory().numTensors);
  }
  assert.deepEqual(counts, counts.map(() => counts[0]), `tensor counts across steps: ${counts}`);
  x.dispose();
});

testBothPaths("bad rates, seeds and dtypes are refused with the value named", () => {
  const x = tf.ones([2, 2], "int32");
  assert.throws(() => dropoutMask(1, 10, 1), /rate=1 must be in \[0, 1\)/);
  assert.throws(() => dropoutMask(1, 10, NaN), /rate=NaN/);
  assert.throws(() => dropoutMask(-1, 10, 0.5), /seed=-1/);
  assert.throws(() => dropoutMask(1.5, 10, 0.5), /seed=1.5/);
  assert.throws(() => dropoutMask(1, -3, 0.5), /size=-3/);
  assert.throws(() => seededDropout(x, 0.5, 1), /float32 tensor, got int32/);
  x.dispose();
});

test("an MLP's gradients with input and hidden dropout are the same with the native kernel as with the JS mask", async (t) => {
  await initBackend();
  if (!nativeDropoutActive()) return t.skip(`no native dropout kernel on the ${tf.getBackend()} backend`);
  // Same masks, and y = x · m, dx = dy · m are single float32 products on both paths, so everything
  // downstream is computed from identical numbers: the gradients must be identical, not close.
  const net = buildMlp({ inputSize: 20, hidden: [64, 48], classes: 5, dropout: 0.5, inputDropout: 0.2, seed: 2 });
  const x = tf.randomNormal([16, 20], 0, 1, "float32", 5);
  const grads = (native: boolean) => {
    setNativeDropout(native);
    try {
      return tf.tidy(() => {
        const { grads: g } = tf.variableGrads(() => tf.sum(tf.square(net.forward(x, { training: true, dropoutSeed: 9 }))) as tf.Scalar, net.variables);
        return net.variables.map((v) => g[v.name].dataSync() as Float32Array);
      });
    } finally {
      setNativeDropout(true);
    }
  };
  const [nat, js] = [grads(true), grads(false)];
  nat.forEach((g, i) => assert.deepEqual(g, js[i], `gradient of variable ${i} differs between the paths`));
  assert.ok(nat[0].some((v) => v !== 0), "the first layer's gradient should not vanish");
  x.dispose();
  net.dispose();
});
