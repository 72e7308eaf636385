import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { allPairs, float32MomentNoise, pairSystems, partMoments, solveBatched, residualSumOfSquares, SingularSystemError } from "./fit";
import { REFERENCE_NAMES, momentPowers, referenceFunction } from "./polynomial";

function randomData(n: number, m: number, seed: number) {
  const rng = makeRng(seed);
  const z = new Float32Array(n * m);
  for (let e = 0; e < z.length; e++) z[e] = rng.normal();
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) y[r] = z[r * m] * z[r * m + 1] + 0.3 * rng.normal();
  return { z, y };
}

test("batched normal equations equal a per-pair plain-JS X^T X and X^T y", async () => {
  await initBackend();
  const [n, m] = [50, 4];
  const { z, y } = randomData(n, m, 1);
  for (const name of REFERENCE_NAMES) {
    const f = referenceFunction(name);
    const k = f.monomials.length;
    const mom = await partMoments(z, y, n, m, momentPowers(f));
    const { i: I, j: J } = allPairs(m);
    assert.equal(I.length, 6);
    const sys = pairSystems(mom, f, I, J);
    for (let p = 0; p < I.length; p++) {
      for (let r = 0; r < k; r++) {
        let wantB = 0;
        const feat = (row: number, c: number) => z[row * m + I[p]] ** f.monomials[c][0] * z[row * m + J[p]] ** f.monomials[c][1];
        for (let row = 0; row < n; row++) wantB += feat(row, r) * y[row];
        assert.ok(Math.abs(sys.b[p * k + r] - wantB) < 1e-4 * (1 + Math.abs(wantB)), `${name} pair ${p} b[${r}]`);
        for (let c = 0; c < k; c++) {
          let want = 0;
          for (let row = 0; row < n; row++) want += feat(row, r) * feat(row, c);
          assert.ok(Math.abs(sys.G[(p * k + r) * k + c] - want) < 1e-4 * (1 + Math.abs(want)), `${name} pair ${p} G[${r},${c}]`);
        }
      }
    }
    let yy = 0;
    for (const v of y) yy += v * v;
    assert.ok(Math.abs(sys.yy - yy) < 1e-4 * yy);
  }
});

test("solveBatched solves hand-made systems and the RSS matches", () => {
  // Two 3×3 systems (linear unit) with known solutions a = [1, 2, 3] and [−1, 0, 0.5].
  const G1 = [4, 1, 0, 1, 3, 1, 0, 1, 2];
  const G2 = [2, 0, 0, 0, 5, 2, 0, 2, 5];
  const sol = [[1, 2, 3], [-1, 0, 0.5]];
  const mul = (G: number[], a: number[]) => [0, 1, 2].map((r) => G[r * 3] * a[0] + G[r * 3 + 1] * a[1] + G[r * 3 + 2] * a[2]);
  const b = [...mul(G1, sol[0]), ...mul(G2, sol[1])];
  const sys = { pairs: 2, k: 3, rows: 10, G: Float64Array.from([...G1, ...G2]), b: Float64Array.from(b), yy: 100 };
  const a = solveBatched(sys, 0, (p) => `pair ${p}`);
  sol.flat().forEach((v, e) => assert.ok(Math.abs(a[e] - v) < 1e-12, `coefficient ${e}`));
  // RSS = y'y − a'b at the least-squares solution.
  const rss = residualSumOfSquares(sys, a);
  const ab0 = sol[0].reduce((s, v, r) => s + v * b[r], 0);
  assert.ok(Math.abs(rss[0] - (100 - ab0)) < 1e-9);
});

test("a singular system is reported with the pair's name; the ridge makes it solvable", () => {
  const G = [2, 1, 1, 1, 1, 1, 1, 1, 1]; // columns 2 and 3 identical
  const sys = { pairs: 1, k: 3, rows: 10, G: Float64Array.from(G), b: Float64Array.from([1, 1, 1]), yy: 5 };
  assert.throws(
    () => solveBatched(sys, 0, () => "(x3, x3copy)"),
    (e: unknown) => e instanceof SingularSystemError && e.pair === 0 && /candidate \(x3, x3copy\) are singular.*Raise the ridge/.test(e.message),
  );
  const a = solveBatched(sys, 1e-3, () => "(x3, x3copy)");
  assert.ok(Math.abs(a[1] - a[2]) < 1e-9, "the ridge splits the weight equally between identical inputs");
});

test("a pivot inside the float32 rounding of the moments counts as zero, whichever side of zero it lands", () => {
  // Columns 2 and 3 differ by a relative 1e-7 on 20 rows: the exact pivot is positive but smaller than the
  // noise float32 sums of 20 products carry (k · 8 · sqrt(20) · 2^-24 ≈ 6e-6), so a kernel's rounding could
  // have made it negative; both signs must give the same answer.
  for (const eps of [1e-7, -1e-7]) {
    const G = [20, 0, 0, 0, 20, 20 * (1 - Math.abs(eps)), 0, 20 * (1 - Math.abs(eps)), 20 * (1 + Math.sign(eps) * 1e-7 - Math.abs(eps))];
    const sys = { pairs: 1, k: 3, rows: 20, G: Float64Array.from(G), b: Float64Array.from([0, 1, 1]), yy: 5 };
    assert.throws(() => solveBatched(sys, 0, () => "(a, b)"), /candidate \(a, b\) are singular.*below the float32 rounding level/);
  }
  assert.ok(float32MomentNoise(10000) > float32MomentNoise(100), "the noise level grows with the number of rows summed");
});

test("forming moments leaves no tensors behind", async () => {
  await initBackend();
  const { z, y } = randomData(40, 5, 2);
  const f = referenceFunction("quadratic");
  await partMoments(z, y, 40, 5, momentPowers(f));
  const before = tf.memory().numTensors;
  for (let t = 0; t < 3; t++) await partMoments(z, y, 40, 5, momentPowers(f));
  assert.equal(tf.memory().numTensors, before);
});
