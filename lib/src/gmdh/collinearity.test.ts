import { test } from "node:test";
import assert from "node:assert/strict";
import { firstCollinearPair } from "./collinearity";
import { allPairs } from "./fit";

/** Column statistics over all rows, as fitLayer computes them. */
function stats(x: number[][]) {
  const n = x.length;
  const m = x[0].length;
  const mean = new Float64Array(m);
  const std = new Float64Array(m);
  for (const row of x) row.forEach((v, c) => (mean[c] += v / n));
  for (const row of x) row.forEach((v, c) => (std[c] += (v - mean[c]) ** 2 / n));
  return { flat: Float64Array.from(x.flat()), m, rows: Int32Array.from(x.keys()), mean, std: std.map(Math.sqrt) };
}

const base = [
  [1, 4, 0.5],
  [2, 1, -1],
  [3, 7, 2],
  [5, 2, 0],
  [8, 3, 1.5],
];

test("rank test: duplicates, scaled copies and exact affine combinations are found; independent columns are not", () => {
  const cases: [string, (r: number[]) => number[], { i: number; j: number } | null][] = [
    ["independent", (r) => r, null],
    ["exact copy of column 0 as column 2", (r) => [r[0], r[1], r[0]], { i: 0, j: 2 }],
    // x2 = 3 − 2·x1 has correlation −1 exactly: collinear whatever the sign.
    ["negated affine copy", (r) => [r[0], 3 - 2 * r[0], r[2]], { i: 0, j: 1 }],
  ];
  for (const [what, f, want] of cases) {
    const s = stats(base.map(f));
    const got = firstCollinearPair(s.flat, s.m, s.rows, s.mean, s.std, 1e-6);
    assert.deepEqual(got && { i: got.i, j: got.j }, want, what);
    if (got) assert.ok(Math.abs(Math.abs(got.correlation) - 1) < 1e-12, `${what}: |r| = 1 in float64`);
  }
});

test("rank test: the tolerance decides nearly collinear pairs (hand-computed correlation)", () => {
  // Columns a = (1,2,3,4) and b = (1,2,3,5): r = 0.982708..., so 1 − r² = 0.034285...
  const x = [
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 5],
  ];
  const s = stats(x);
  assert.equal(firstCollinearPair(s.flat, s.m, s.rows, s.mean, s.std, 0.03), null);
  const hit = firstCollinearPair(s.flat, s.m, s.rows, s.mean, s.std, 0.04);
  assert.ok(hit && Math.abs(hit.correlation - 0.9827076298239908) < 1e-12);
});

test("the pair index formula used in error reports matches allPairs order", () => {
  const m = 7;
  const { i: I, j: J } = allPairs(m);
  for (let p = 0; p < I.length; p++) assert.equal(I[p] * m - (I[p] * (I[p] + 1)) / 2 + (J[p] - I[p] - 1), p);
});
