import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { CRITERION_NAMES, candidateErrors, checkCriterion } from "./criteria";
import { allPairs, pairSystems, partMoments, solveBatched } from "./fit";
import { momentPowers, referenceFunction } from "./polynomial";

test("every criterion equals its definition computed from per-row predictions in plain JS", async () => {
  await initBackend();
  const m = 3;
  const rng = makeRng(7);
  const make = (n: number) => {
    const z = new Float32Array(n * m);
    for (let e = 0; e < z.length; e++) z[e] = rng.normal();
    const y = new Float32Array(n);
    for (let r = 0; r < n; r++) y[r] = 0.8 * z[r * m] - 0.5 * z[r * m + 1] * z[r * m + 2] + 0.4 * rng.normal();
    return { z, y, n };
  };
  const A = make(80);
  const B = make(40);
  const f = referenceFunction("quadratic");
  const k = 6;
  const { i: I, j: J } = allPairs(m);
  const sysA = pairSystems(await partMoments(A.z, A.y, A.n, m, momentPowers(f)), f, I, J);
  const sysB = pairSystems(await partMoments(B.z, B.y, B.n, m, momentPowers(f)), f, I, J);
  const coefA = solveBatched(sysA, 0, String);
  const coefB = solveBatched(sysB, 0, String);
  const predict = (part: typeof A, coef: Float64Array, p: number, r: number) => {
    const a = part.z[r * m + I[p]];
    const b = part.z[r * m + J[p]];
    const c = coef.subarray(p * k);
    return c[0] + c[1] * a + c[2] * b + c[3] * a * b + c[4] * a * a + c[5] * b * b;
  };
  const sum = (part: typeof A, g: (r: number) => number) => Array.from({ length: part.n }, (_, r) => g(r)).reduce((s, v) => s + v, 0);
  for (const name of CRITERION_NAMES) {
    const got = candidateErrors(name, sysA, sysB, coefA, coefB);
    for (let p = 0; p < I.length; p++) {
      const yyA = sum(A, (r) => A.y[r] ** 2);
      const yyB = sum(B, (r) => B.y[r] ** 2);
      const train = sum(A, (r) => (A.y[r] - predict(A, coefA, p, r)) ** 2) / yyA;
      const regularity = sum(B, (r) => (B.y[r] - predict(B, coefA, p, r)) ** 2) / yyB;
      const bias =
        (sum(A, (r) => (predict(A, coefA, p, r) - predict(A, coefB, p, r)) ** 2) + sum(B, (r) => (predict(B, coefA, p, r) - predict(B, coefB, p, r)) ** 2)) /
        (yyA + yyB);
      const want = { train, regularity, unbiasedness: bias, combined: regularity + bias }[name];
      assert.ok(Math.abs(got.criterion[p] - want) < 1e-4, `${name} pair ${p}: ${got.criterion[p]} vs ${want}`);
      assert.ok(Math.abs(got.train[p] - train) < 1e-4 && Math.abs(got.validation[p] - regularity) < 1e-4);
    }
  }
});

test("unknown criterion lists the valid names", () => {
  assert.throws(() => checkCriterion("aic"), /unknown GMDH criterion "aic"; expected one of regularity, unbiasedness, combined, train/);
});
