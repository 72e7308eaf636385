import { test } from "node:test";
import assert from "node:assert/strict";
import { judgeClaimSpec, judgeClaimSpecs, requireClaimSpecs, significantDifference, type ClaimSpec } from "./judge";

const claim = (rule: ClaimSpec["rule"], mustHold: ("quick" | "full")[] = []): ClaimSpec => ({ id: "c", statement: "s", source: "paper", metric: "m", unit: "u", rule, mustHold });

test("paired difference and standard error by hand", () => {
  // a − b per seed: 1, 2, 3 → mean 2, sd 1, se 1/√3 = 0.57735; 2 > 2·0.577 → significant.
  const d = significantDifference({ values: [5, 7, 9], seeds: [0, 1, 2] }, { values: [4, 5, 6], seeds: [0, 1, 2] });
  assert.equal(d.design, "paired");
  assert.ok(Math.abs(d.difference - 2) < 1e-12 && Math.abs(d.standardError - 1 / Math.sqrt(3)) < 1e-12 && d.significant);
  // Unpaired: sd 2 and 1, n 3: se = √(4/3 + 1/3) = 1.29099; difference 2 < 2.58 → not significant.
  const u = significantDifference({ values: [5, 7, 9] }, { values: [4, 5, 6] });
  assert.ok(u.design === "unpaired" && Math.abs(u.standardError - Math.sqrt(5 / 3)) < 1e-12 && !u.significant);
  // Two seeds never suffice.
  assert.equal(significantDifference({ values: [5, 7], seeds: [0, 1] }, { values: [1, 2], seeds: [0, 1] }).significant, false);
});

test("verdicts: reproduced, partial, not reproduced, not run; single values against a bar", () => {
  const cmp = claim({ kind: "compare", a: "x", b: "y", better: "higher" });
  const s = (values: number[]) => ({ values, seeds: values.map((_, i) => i) });
  assert.equal(judgeClaimSpec(cmp, { x: s([5, 7, 9]), y: s([4, 5, 6]) }, "quick").verdict, "reproduced");
  assert.equal(judgeClaimSpec(cmp, { x: s([5, 4, 9]), y: s([4, 5, 6]) }, "quick").verdict, "partial");
  assert.equal(judgeClaimSpec(cmp, { x: s([1, 2, 3]), y: s([4, 5, 6]) }, "quick").verdict, "not reproduced");
  assert.equal(judgeClaimSpec(cmp, { x: s([1, 2, 3]) }, "quick").verdict, "not run");
  const bar = claim({ kind: "threshold", a: "r", op: ">", value: 10 });
  assert.equal(judgeClaimSpec(bar, { r: 12 }, "quick").verdict, "reproduced");
  assert.equal(judgeClaimSpec(bar, { r: 8 }, "quick").verdict, "not reproduced");
  assert.equal(judgeClaimSpec(bar, { r: [11, 12, 13] }, "quick").verdict, "reproduced");
  assert.equal(judgeClaimSpec(bar, { r: [9, 12, 13] }, "quick").verdict, "partial");
});

test("must-hold claims throw only in their mode; unknown or NaN measurements are refused", () => {
  const c = claim({ kind: "threshold", a: "r", op: ">", value: 10 }, ["full"]);
  assert.doesNotThrow(() => requireClaimSpecs([judgeClaimSpec(c, { r: 1 }, "quick")]));
  assert.throws(() => requireClaimSpecs([judgeClaimSpec(c, { r: 1 }, "full")]), /not reproduced/);
  assert.throws(() => judgeClaimSpecs([c], { r: 1, rr: 2 }, "quick"), /rr are read by no claim/);
  assert.throws(() => judgeClaimSpec(c, { r: NaN }, "quick"), /NaN is not a finite number/);
});

test("a verdict carries what results records need: mode, rule in words, measured figures", () => {
  const v = judgeClaimSpec(claim({ kind: "compare", a: "x", b: "y", better: "lower" }), { x: { values: [1, 2, 3], seeds: [0, 1, 2] }, y: { values: [4, 5, 6], seeds: [0, 1, 2] } }, "full");
  assert.equal(v.mode, "full");
  assert.match(v.rule, /x below y, by more than 2 standard errors/);
  assert.deepEqual(v.ours, [{ metric: "x", mean: 2, sd: 1, n: 3, seeds: [0, 1, 2] }, { metric: "y", mean: 5, sd: 1, n: 3, seeds: [0, 1, 2] }]);
  assert.deepEqual(judgeClaimSpec(claim({ kind: "threshold", a: "r", op: ">", value: 1 }), {}, "quick").ours, []);
});
