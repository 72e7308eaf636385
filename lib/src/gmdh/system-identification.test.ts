import { test } from "node:test";
import assert from "node:assert/strict";
import { narxStep, narxSystem } from "./system-identification";

test("NARX rows follow the stated equation: noise-free rows equal narxStep of their regressors", () => {
  const d = narxSystem({ n: 50, noise: 0, seed: 1, lags: 3 });
  assert.equal(d.cols, 6);
  assert.deepEqual(d.inputNames, ["y(t−1)", "y(t−2)", "y(t−3)", "u(t−1)", "u(t−2)", "u(t−3)"]);
  for (let r = 0; r < d.rows; r++) {
    const x = d.x.subarray(r * 6, r * 6 + 6);
    assert.ok(Math.abs(d.y[r] - narxStep(x[0], x[1], x[3], x[4])) < 1e-12, `row ${r}`);
    // The regressors of row r+1 are row r's shifted by one step.
    if (r > 0) assert.equal(d.x[r * 6], d.y[r - 1]);
  }
});

test("same seed, same data; noise adds the stated variance", () => {
  const a = narxSystem({ n: 4000, noise: 0.1, seed: 2 });
  const b = narxSystem({ n: 4000, noise: 0.1, seed: 2 });
  assert.deepEqual(a.y, b.y);
  let s = 0;
  for (let r = 0; r < a.rows; r++) s += (a.y[r] - a.clean[r]) ** 2;
  assert.ok(Math.abs(s / a.rows - 0.01) < 0.002, `noise variance ${s / a.rows}`);
});
