import { test } from "node:test";
import assert from "node:assert/strict";
import { compareSamples, stats, toSample } from "./significance";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

test("stats: mean and sample sd by hand", () => {
  // 2, 4, 6: mean 4, squared deviations 4 + 0 + 4 = 8, /(3−1) = 4, sd 2.
  const s = stats([2, 4, 6]);
  close(s.mean, 4);
  close(s.sd, 2);
  assert.equal(stats([5]).sd, 0);
});

test("paired: the seed effect cancels (hand-computed)", () => {
  // a = 10, 20, 30 and b = 9, 18.5, 29 on seeds 1, 2, 3: differences 1, 1.5, 1: mean 7/6,
  // sd = sqrt(((−1/6)² + (1/3)² + (−1/6)²)/2) = sqrt((1/36 + 4/36 + 1/36)/2) = sqrt(1/12) = 0.288675,
  // se = 0.288675/√3 = 0.166667; 2se = 0.3333 < 1.1667: significant. Unpaired it would not be (sd ≈ 10).
  const r = compareSamples({ values: [10, 20, 30], seeds: [1, 2, 3] }, { values: [9, 18.5, 29], seeds: [1, 2, 3] });
  assert.equal(r.design, "paired");
  close(r.difference, 7 / 6);
  close(r.standardError, Math.sqrt(1 / 12) / Math.sqrt(3));
  assert.equal(r.significant, true);
  // The same values with seeds in another order pair by seed, not by position.
  const shuffled = compareSamples({ values: [30, 10, 20], seeds: [3, 1, 2] }, { values: [9, 18.5, 29], seeds: [1, 2, 3] });
  close(shuffled.difference, 7 / 6);
  assert.equal(shuffled.significant, true);
  const unpaired = compareSamples([10, 20, 30], [9, 18.5, 29]);
  assert.equal(unpaired.design, "unpaired");
  assert.equal(unpaired.significant, false);
});

test("unpaired: se = sqrt(sa²/na + sb²/nb) (hand-computed)", () => {
  // a = 1, 2, 3 (mean 2, sd 1), b = 4, 6, 8 (mean 6, sd 2): d = −4, se = sqrt(1/3 + 4/3) = 1.290994; 2se = 2.58 < 4.
  const r = compareSamples([1, 2, 3], [4, 6, 8]);
  close(r.difference, -4);
  close(r.standardError, Math.sqrt(5 / 3));
  assert.equal(r.significant, true);
  // a = 1, 2, 3 vs b = 2, 4, 6 (mean 4, sd 2): d = −2, se 1.290994, 2se = 2.58 > 2: not significant.
  assert.equal(compareSamples([1, 2, 3], [2, 4, 6]).significant, false);
});

test("one-sample against a single number", () => {
  // a = 1, 2, 3 against 0: d = 2, se = 1/√3 = 0.57735, 2se = 1.1547 < 2: significant; against 1.2: d = 0.8, not.
  const r = compareSamples([1, 2, 3], 0);
  assert.equal(r.design, "one-sample");
  close(r.standardError, 1 / Math.sqrt(3));
  assert.equal(r.significant, true);
  assert.equal(compareSamples([1, 2, 3], 1.2).significant, false);
  assert.equal(compareSamples(0, [1, 2, 3]).significant, true, "either side may be the single number");
});

test("fewer than 3 seeds or single values: never significant, with the reason", () => {
  for (const [a, b] of [[[1, 2], [10, 11]], [5, 9], [{ values: [1, 2], seeds: [1, 2] }, { values: [8, 9], seeds: [1, 2] }], [[1, 2], 100]] as const) {
    const r = compareSamples(a as never, b as never);
    assert.equal(r.significant, false, JSON.stringify([a, b]));
    assert.match(r.note ?? "", /needs 3/);
  }
});

test("zero spread: any non-zero difference is significant, zero is not", () => {
  assert.equal(compareSamples({ values: [3, 4, 5], seeds: [0, 1, 2] }, { values: [2, 3, 4], seeds: [0, 1, 2] }).significant, true);
  assert.equal(compareSamples({ values: [3, 4, 5], seeds: [0, 1, 2] }, { values: [3, 4, 5], seeds: [0, 1, 2] }).significant, false);
});

test("bad measurements are rejected with the value named", () => {
  assert.throws(() => toSample([1, NaN]), /NaN is not a finite number/);
  assert.throws(() => toSample([]), /non-empty/);
  assert.throws(() => toSample({ values: [1, 2], seeds: [1] }), /2 values but 1 seeds/);
});
