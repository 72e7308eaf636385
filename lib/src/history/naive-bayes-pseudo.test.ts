import { test } from "node:test";
import assert from "node:assert/strict";
import { naiveBayesPseudoData } from "./naive-bayes-pseudo";

test("naiveBayesPseudoData: each attribute comes from the same class's training values", () => {
  // Class 0 rows: (0, 10), (1, 11); class 1 row: (5, 50). A pseudo-row is class 0 iff its first value is 0 or 1.
  const t = { x: new Float32Array([0, 10, 5, 50, 1, 11]), n: 3, dim: 2 };
  const p = naiveBayesPseudoData(t, [0, 1, 0], 3000, 7);
  assert.equal(p.n, 3000);
  let class1 = 0, mixed = 0;
  for (let i = 0; i < p.n; i++) {
    const [a, b] = [p.x[2 * i], p.x[2 * i + 1]];
    if (a === 5) { class1++; assert.equal(b, 50); }
    else { assert.ok(a === 0 || a === 1); assert.ok(b === 10 || b === 11); if (b - a !== 10) mixed++; }
  }
  // Class 1 has prior 1/3: 1000 expected, sd ≈ 26; attributes independent within class 0: half the rows mix.
  assert.ok(Math.abs(class1 - 1000) < 120, `class-1 rows ${class1}`);
  assert.ok(Math.abs(mixed / (3000 - class1) - 0.5) < 0.05, `mixed share ${mixed / (3000 - class1)}`);
  assert.deepEqual(naiveBayesPseudoData(t, [0, 1, 0], 50, 7).x, naiveBayesPseudoData(t, [0, 1, 0], 50, 7).x);
});

test("naiveBayesPseudoData: bad inputs are named", () => {
  const t = { x: new Float32Array(4), n: 2, dim: 2 };
  assert.throws(() => naiveBayesPseudoData(t, [0], 5, 1), /1 labels for 2 examples/);
  assert.throws(() => naiveBayesPseudoData(t, [0, 1], 0, 1), /count=0/);
  assert.throws(() => naiveBayesPseudoData(t, [0, -1], 5, 1), /label 1 is -1/);
  assert.throws(() => naiveBayesPseudoData({ x: new Float32Array(3), n: 2, dim: 2 }, [0, 1], 5, 1), /expected n\*dim/);
});
