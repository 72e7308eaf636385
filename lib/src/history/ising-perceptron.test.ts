import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "@kdh/datasets";
import { isingLearningCurve, isingTeacher, isingVersionSpace } from "./ising-perceptron";

/** Independent reference: decode every integer into a weight vector and test every example directly. */
function bruteForce(x: Float64Array, y: Int8Array, N: number, T: Int8Array) {
  let size = 0, err = 0;
  for (let k = 0; k < 2 ** N; k++) {
    const W = Array.from({ length: N }, (_, i) => ((k >> i) & 1 ? -1 : 1));
    let ok = true;
    for (let m = 0; m < y.length && ok; m++) {
      let h = 0;
      for (let i = 0; i < N; i++) h += W[i] * x[m * N + i];
      ok = y[m] * h > 0;
    }
    if (!ok) continue;
    size++;
    const R = W.reduce((s, w, i) => s + w * T[i], 0) / N;
    err += Math.acos(R) / Math.PI;
  }
  return { size, gibbsError: err / size };
}

test("isingVersionSpace: hand cases", () => {
  // N = 1, one example x = 0.5 from T = +1: W = −1 misclassifies it, the teacher is alone, error 0.
  assert.deepEqual(isingVersionSpace(new Float64Array([0.5]), new Int8Array([1]), 1, new Int8Array([1])), { size: 1, gibbsError: 0, teacherAlone: true });
  // N = 2, T = (1, 1), one example x = (1, 0.2), y = +1: W = (1, 1) and (1, −1) classify it right (fields 1.2, 0.8),
  // (−1, ±1) do not. Errors: arccos(1)/π = 0 and arccos(0)/π = 1/2, mean 1/4.
  const v = isingVersionSpace(new Float64Array([1, 0.2]), new Int8Array([1]), 2, new Int8Array([1, 1]));
  assert.equal(v.size, 2);
  assert.ok(Math.abs(v.gibbsError - 0.25) < 1e-12);
  assert.equal(v.teacherAlone, false);
});

test("isingVersionSpace matches a brute-force enumeration on random sets", () => {
  for (const [N, P, seed] of [[6, 3, 1], [7, 9, 2], [8, 5, 3], [9, 14, 4]]) {
    const rng = makeRng(seed);
    const T = isingTeacher(N, rng);
    const x = new Float64Array(P * N).map(() => rng.normal());
    const y = new Int8Array(P).map((_, m) => (T.reduce((s, t, i) => s + t * x[m * N + i], 0) > 0 ? 1 : -1));
    const got = isingVersionSpace(x, y, N, T);
    const ref = bruteForce(x, y, N, T);
    assert.equal(got.size, ref.size, `N=${N} P=${P}`);
    // Float64 sums in a different order: agreement to 1e-9.
    assert.ok(Math.abs(got.gibbsError - ref.gibbsError) < 1e-9, `N=${N} P=${P}: ${got.gibbsError} vs ${ref.gibbsError}`);
  }
});

test("isingLearningCurve: shape, determinism, and more examples never enlarge the version space on average", () => {
  const rngFor = (N: number, a: number, t: number) => makeRng(1000 * N + Math.round(100 * a) + 7 * t);
  const c = isingLearningCurve([8], [0.5, 3], 6, rngFor);
  assert.equal(c.length, 2);
  for (const p of c) {
    assert.equal(p.gibbsError.length, 6);
    assert.ok(p.size.every((s) => s >= 1));
    assert.ok(p.gibbsError.every((e) => e >= 0 && e <= 1));
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  assert.ok(mean(c[1].size) < mean(c[0].size));
  assert.deepEqual(isingLearningCurve([8], [0.5, 3], 6, rngFor), c);
});

test("Ising enumeration: bad inputs are named", () => {
  const T = new Int8Array([1, 1]);
  assert.throws(() => isingVersionSpace(new Float64Array(2), new Int8Array(1), 30, T), /N=30 must be an integer in \[1, 24\]/);
  assert.throws(() => isingVersionSpace(new Float64Array([1, 0.2]), new Int8Array([-1]), 2, T), /labels must come from the teacher/);
  assert.throws(() => isingVersionSpace(new Float64Array(3), new Int8Array(1), 2, T), /3 inputs do not make 1 examples/);
  assert.throws(() => isingLearningCurve([8], [0], 1, () => makeRng(1)), /α=0/);
});
