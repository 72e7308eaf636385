import { test } from "node:test";
import assert from "node:assert/strict";
import { codeCheck, judgeAll, judgeClaim, notMeasured, requireMustHold, verdictCounts } from "./verdicts";
import type { Claim, ClaimRule } from "./types";

const claim = (rule: ClaimRule, mustHold: Claim["mustHold"] = []): Claim => ({ id: "c", statement: "a claim under test", source: "test", metric: "m", unit: "u", rule, mustHold });
const lower: ClaimRule = { kind: "compare", a: "kd", b: "hard", better: "lower" };
const seeds = [0, 1, 2];

test("compare: reproduced / partial / not reproduced / not run, by hand", () => {
  // Paired differences −10, −12, −11: mean −11, sd 1, se 0.577: significant, the claimed direction.
  assert.equal(judgeClaim(claim(lower), { kd: { values: [90, 88, 89], seeds }, hard: { values: [100, 100, 100], seeds } }, "quick").verdict, "reproduced");
  // Differences −10, +8, −1: mean −1, sd 9.0, se 5.2: right direction, not significant.
  assert.equal(judgeClaim(claim(lower), { kd: { values: [90, 108, 99], seeds }, hard: { values: [100, 100, 100], seeds } }, "quick").verdict, "partial");
  // The opposite direction (notebook 02's quick mode: distilled 193.7 vs hard 186.7) is never partial.
  const wrong = judgeClaim(claim(lower), { kd: { values: [194, 192, 195], seeds }, hard: { values: [187, 186, 187], seeds } }, "quick");
  assert.equal(wrong.verdict, "not reproduced");
  assert.match(wrong.why, /opposite direction, significant/);
  assert.equal(judgeClaim(claim(lower), { kd: { values: [101, 99, 102], seeds }, hard: { values: [100, 100, 100], seeds } }, "quick").verdict, "not reproduced");
  // Two seeds cannot be significant: partial at best.
  assert.equal(judgeClaim(claim(lower), { kd: { values: [90, 88], seeds: [0, 1] }, hard: { values: [100, 100], seeds: [0, 1] } }, "quick").verdict, "partial");
  const notRun = judgeClaim(claim(lower), { kd: [1, 2, 3] }, "quick");
  assert.equal(notRun.verdict, "not run");
  assert.match(notRun.why, /hard absent/);
});

test("a metric marked not measured gives \"not run\" with its reason, and a must-hold claim does not fail on it", () => {
  const why = "the wasm backend cannot train convolutional networks";
  const r = judgeClaim(claim(lower, ["quick"]), { kd: notMeasured(why), hard: [100, 101, 99] }, "quick");
  assert.equal(r.verdict, "not run");
  assert.equal(r.why, `not measured in this run: ${why}`);
  assert.doesNotThrow(() => requireMustHold([r]));
});

test("compare with a band on the relative gain: outside the band is partial", () => {
  const banded: ClaimRule = { ...lower, band: { paperRelative: 0.5, tolerance: 0.1 } } as ClaimRule;
  // Gain (100 − 89)/100 = 0.11: significant but far from 0.5.
  assert.equal(judgeClaim(claim(banded), { kd: { values: [90, 88, 89], seeds }, hard: { values: [100, 100, 100], seeds } }, "quick").verdict, "partial");
  // Gain 0.52: within 0.5 ± 0.1.
  assert.equal(judgeClaim(claim(banded), { kd: { values: [48, 47, 49], seeds }, hard: { values: [100, 100, 100], seeds } }, "quick").verdict, "reproduced");
});

test("threshold: a single value is read as it is; a per-seed sample must clear the bar by 2 standard errors", () => {
  const t: ClaimRule = { kind: "threshold", a: "x", op: "<", value: 0.02 };
  assert.equal(judgeClaim(claim(t), { x: 0.01 }, "quick").verdict, "reproduced");
  assert.equal(judgeClaim(claim(t), { x: 0.03 }, "quick").verdict, "not reproduced");
  // 0.010, 0.012, 0.014 vs 0.02: mean 0.012, sd 0.002, se 0.00115; 0.008 > 2se: reproduced.
  assert.equal(judgeClaim(claim(t), { x: [0.01, 0.012, 0.014] }, "quick").verdict, "reproduced");
  // 0.005, 0.015, 0.03 vs 0.02: mean 0.01667, sd 0.01258, se 0.00726: below but not significantly.
  assert.equal(judgeClaim(claim(t), { x: [0.005, 0.015, 0.03] }, "quick").verdict, "partial");
});

test("band: within the paper's figure ± tolerance, else partial", () => {
  const b: ClaimRule = { kind: "band", a: "slope", value: -1, tolerance: 0.3 };
  assert.equal(judgeClaim(claim(b), { slope: -0.8 }, "quick").verdict, "reproduced");
  assert.equal(judgeClaim(claim(b), { slope: -1.31 }, "quick").verdict, "partial");
});

test("must-hold only in its modes; judgeAll rejects measurements no claim reads", () => {
  const mh = claim(lower, ["full"]);
  const partial = { kd: { values: [90, 108, 99], seeds }, hard: { values: [100, 100, 100], seeds } };
  assert.doesNotThrow(() => requireMustHold([judgeClaim(mh, partial, "quick")]));
  assert.throws(() => requireMustHold([judgeClaim(mh, partial, "full")]), /required in full mode not reproduced: c \(partial\)/);
  assert.doesNotThrow(() => requireMustHold([judgeClaim(mh, { kd: [1, 2, 3] }, "full")]), "not measured under these settings: left to its verdict");
  assert.throws(() => judgeAll([mh], { ...partial, kdd: 3 }, "quick"), /"kdd" are read by no claim/);
  assert.deepEqual(verdictCounts(judgeAll([mh, claim(lower)], partial, "quick")), { reproduced: 0, partial: 2, "not reproduced": 0, "not run": 0 });
});

test("codeCheck throws with its label when false", () => {
  assert.throws(() => codeCheck(false, "masks held"), /code check failed: masks held/);
});
