import { test } from "node:test";
import assert from "node:assert/strict";
import { REFERENCE_NAMES, destandardize, evaluateUnit, formatPolynomial, momentPowers, referenceFunction } from "./polynomial";

test("moment powers of each reference function (hand-derived)", () => {
  const table: [string, { highPow: number; lowPow: number; yPow: number }][] = [
    ["quadratic", { highPow: 4, lowPow: 2, yPow: 1 }], // xi^4 from a4·a4; xi²xj² needs min 2; y·xi·xj needs 1
    ["bilinear", { highPow: 2, lowPow: 2, yPow: 1 }],
    ["linear", { highPow: 2, lowPow: 1, yPow: 0 }],
  ];
  for (const [name, want] of table) assert.deepEqual(momentPowers(referenceFunction(name)), want, name);
});

test("destandardize gives the same values as the standardised polynomial", () => {
  for (const name of REFERENCE_NAMES) {
    const f = referenceFunction(name);
    const a = [0.3, -1.2, 0.7, 0.45, -0.2, 0.9].slice(0, f.monomials.length);
    const [mi, si, mj, sj, ym, ys] = [1.5, 2.0, -0.5, 0.25, 10, 3];
    const c = destandardize(f, a, mi, si, mj, sj, ym, ys);
    for (const [xi, xj] of [[0, 0], [1, 2], [-3, 0.5], [2.5, -1]]) {
      const zi = (xi - mi) / si;
      const zj = (xj - mj) / sj;
      let want = 0;
      f.monomials.forEach(([p, q], m) => (want += a[m] * zi ** p * zj ** q));
      want = ym + ys * want;
      assert.ok(Math.abs(evaluateUnit(f, c, xi, xj) - want) < 1e-9 * Math.max(1, Math.abs(want)), `${name} at (${xi}, ${xj})`);
    }
  }
});

test("formatPolynomial prints Ivakhnenko's form with signs", () => {
  const f = referenceFunction("quadratic");
  assert.equal(formatPolynomial(f, [1, 2, -3, 0.5, 0.25, -0.75], "a", "b"), "1 + 2·a − 3·b + 0.5·a·b + 0.25·a² − 0.75·b²");
  assert.equal(formatPolynomial(referenceFunction("linear"), [-1, 0, 2e-6], "a", "b"), "−1 + 0·a + 2.000e-6·b");
});

test("unknown reference function names the valid ones", () => {
  assert.throws(() => referenceFunction("cubic"), /unknown GMDH reference function "cubic"; expected one of quadratic, bilinear, linear/);
});
