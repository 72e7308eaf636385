import { test } from "node:test";
import assert from "node:assert/strict";
import { gridOf, sweepGrid } from "./grid";
import { sweepRecipe, sweepRecipeNames } from "./recipes";
import { SELFTEST_RECIPE } from "./selftest-recipe";
import { sweepCodeVersion } from "./sweep-code-version";

test("notebook 03's grid: width × temperature × seed cells, quick and full, each a valid job", () => {
  const quick = sweepGrid("03_temperature");
  assert.equal(quick.cells.length, 3 * 5 * 1);
  assert.deepEqual(quick.cells.slice(0, 2).map((c) => [c.params.width, c.params.T, c.seed]), [[10, 1, 0], [10, 2.5, 0]]);
  const full = sweepGrid("03_temperature", { mode: "full" });
  // The full grid is whatever the recipe's full settings say: one cell per width × temperature × seed.
  const F = { ...full.recipe.notebook.quick, ...full.recipe.notebook.full } as { widths: number[]; temperatures: number[]; sweepSeeds: number[] };
  assert.equal(full.cells.length, F.widths.length * F.temperatures.length * F.sweepSeeds.length);
  assert.ok(full.cells.length > quick.cells.length, "full mode sweeps more cells than quick mode");
  assert.equal(full.cells[0].params.trainSize, 60000);
  assert.equal(new Set(full.keys).size, full.keys.length, "keys unique");
  const narrowed = sweepGrid("03_temperature", { overrides: { widths: "30", temperatures: "2,4", sweepSeeds: "[0, 1]" } });
  assert.equal(narrowed.cells.length, 4);
  // A notebook passes the parameters it resolved (mode included): the same cells and keys.
  const P = { ...sweepGrid("03_temperature").recipe.notebook.quick, widths: [30], temperatures: [2, 4], sweepSeeds: [0, 1], mode: "quick" };
  assert.deepEqual(sweepGrid("03_temperature", { params: P }).keys, narrowed.keys);
});

test("notebook 90's grid: one job per method and seed (seed-free methods once)", () => {
  const g = sweepGrid("90_historical_comparison");
  const methods = new Set(g.cells.map((c) => c.params.method));
  assert.ok(methods.size >= 5);
  for (const c of g.cells) assert.ok([1, 2].includes(c.seed));
  assert.equal(new Set(g.keys).size, g.keys.length);
});

test("bad grids fail before anything is enqueued, naming the value", () => {
  assert.throws(() => sweepGrid("03_temperature", { overrides: { temperatures: "0" } }), /temperatures=\[0\].*element 0 = 0 is not between/);
  assert.throws(() => sweepGrid("03_temperature", { overrides: { nonsense: 1 } }), /unknown parameter "nonsense"/);
  assert.throws(() => sweepRecipe("99_none"), new RegExp(`no sweep recipe "99_none"; recipes: ${sweepRecipeNames().join(", ")}`));
  assert.throws(() => gridOf(SELFTEST_RECIPE, []), /grid is empty/);
  assert.throws(() => gridOf(SELFTEST_RECIPE, [{ params: { variant: 0, rounds: 1, sleepMs: 0, failSeeds: [], tag: "a/b" }, seed: 0 }]), /cell 0 \(seed 0\): .*plain words/);
});

test("the code version is part of every key", () => {
  const cell = { params: { variant: 0, rounds: 1, sleepMs: 0, failSeeds: [], tag: "k" }, seed: 0 };
  assert.match(sweepCodeVersion(), /^[0-9a-f]{16}$/);
  assert.notEqual(gridOf(SELFTEST_RECIPE, [cell], "0000000000000000").keys[0], gridOf(SELFTEST_RECIPE, [cell], "1111111111111111").keys[0]);
});
