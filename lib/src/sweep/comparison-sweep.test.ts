/**
 * Notebook 90's rows swept through BullMQ land in the client's comparison row cache: runComparison,
 * run afterwards on the client with the same config, loads them (source "cached") with the same numbers
 * instead of computing them, as the notebook will.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../core/backend";
import { runComparison } from "../comparison/run";
import { loadComparisonTask } from "../comparison/task";
import { COMPARISON_DEFAULTS } from "../comparison/methods";
import { COMPARISON_SWEEP, type ComparisonJobRow } from "./comparison-recipe";
import { gridOf, sweepGrid } from "./grid";
import { runSweep } from "./run-sweep";
import { SweepHarness } from "./harness.fixture";

const h = new SweepHarness();
after(() => h.stopAll());

test("90 rows from a worker are found in the client's row cache by runComparison", async () => {
  await initBackend();
  const config = { ...COMPARISON_DEFAULTS, trainSize: 300, validationSize: 100, testSize: 200, seeds: [1], teacherHidden: [32], teacherEpochs: 1, studentHidden: [16], studentEpochs: 1 };
  const all = sweepGrid(COMPARISON_SWEEP, { overrides: config });
  const methods = ["teacher", "hardStudent"];
  const g = gridOf(COMPARISON_SWEEP, all.cells.filter((c) => methods.includes(c.params.method as string)));
  assert.equal(g.cells.length, 2);

  await h.startRedis();
  const w = h.startWorker({ cacheDir: h.tempDir("kdh-sweep-90-worker-"), lockMs: 30_000 });
  await w.waitFor(/serving sweep/);
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-90-client-");
  const r = await runSweep(g, { engine: "bullmq", redis: h.redis!.target, display: null, log: () => {} });
  assert.ok(r.ok, JSON.stringify(r.failed));

  const lines: string[] = [];
  const entries = await runComparison(loadComparisonTask(config), config, { methods, progress: null, log: (l) => lines.push(l) });
  for (const e of entries) {
    const swept = r.outcomes.find((o) => (o.row as ComparisonJobRow).method === e.method)!.row as ComparisonJobRow;
    assert.equal(e.result?.source, "cached", `${e.method}: ${lines.join("\n")}`);
    assert.deepEqual(e.result?.row, swept.row);
    assert.equal(e.result?.configHash, swept.configHash);
  }
});
