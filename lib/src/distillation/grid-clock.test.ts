import { test } from "node:test";
import assert from "node:assert/strict";
import { GridClock } from "./grid-clock";

test("grid clock: run k/N, no ETA before a computed run, ETA = mean computed run × runs left, cached runs count as done", () => {
  const c = new GridClock(5);
  assert.equal(c.label("hard seed 0"), "hard seed 0 · run 1/5");
  c.finish(0, true);
  assert.equal(c.etaSeconds(), null);
  c.finish(10, false);
  c.finish(20, false);
  assert.equal(c.etaSeconds(), 15 * 2);
  assert.equal(c.label("soft seed 2"), "soft seed 2 · run 4/5 · ETA 30 s");
  c.finish(600, false);
  assert.equal(c.label("x"), "x · run 5/5 · ETA 4 min", "(10 + 20 + 600) / 3 = 210 s for the one run left");
  assert.throws(() => new GridClock(0), /whole number ≥ 1/);
});
