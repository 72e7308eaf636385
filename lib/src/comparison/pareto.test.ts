import { test } from "node:test";
import assert from "node:assert/strict";
import { dominates, paretoFront, ParetoPoint } from "./pareto";

const P = (cost: number, value: number): ParetoPoint => ({ cost, value });

test("the Pareto front of hand-made sets (worked out on paper)", () => {
  const cases: Array<{ name: string; points: ParetoPoint[]; front: number[] }> = [
    {
      // 0: small, weak; 1: mid, better; 2: big, best; 3: big but worse than 1 (dominated by 1);
      // 4: as small as 0 but worse (dominated by 0); 5: between 1 and 2 in cost, as good as 1 (dominated by 1).
      name: "a staircase with dominated points",
      points: [P(10, 0.8), P(100, 0.9), P(1000, 0.95), P(2000, 0.85), P(10, 0.7), P(500, 0.9)],
      front: [0, 1, 2],
    },
    { name: "one point", points: [P(5, 0.5)], front: [0] },
    { name: "the cheapest is also the best", points: [P(300, 0.8), P(1, 0.99), P(20, 0.9)], front: [1] },
    { name: "exact duplicates both stay", points: [P(3, 0.5), P(3, 0.5), P(4, 0.4)], front: [0, 1] },
    { name: "non-finite points (pending rows) take no part", points: [P(NaN, NaN), P(10, 0.6), P(Infinity, 0.99), P(20, 0.7)], front: [1, 3] },
    { name: "equal cost: only the more accurate", points: [P(50, 0.7), P(50, 0.75)], front: [1] },
    { name: "empty", points: [], front: [] },
  ];
  for (const c of cases) assert.deepEqual(paretoFront(c.points), c.front, c.name);
});

test("dominance needs no worse on both axes and strictly better on one", () => {
  assert.equal(dominates(P(1, 0.9), P(2, 0.8)), true);
  assert.equal(dominates(P(1, 0.9), P(1, 0.9)), false);
  assert.equal(dominates(P(1, 0.8), P(2, 0.9)), false);
  assert.equal(dominates(P(1, 0.9), P(1, 0.8)), true);
});
