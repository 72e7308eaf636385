/**
 * Notebook 03's real recipe on a tiny grid (one width, two temperatures): the local engine and two
 * BullMQ workers give identical rows, and the teacher both jobs need is trained exactly once, by one
 * worker, while the other waits for the lock and then loads it from the shared teacher cache.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../core/backend";
import { sweepGrid } from "./grid";
import { runSweep } from "./run-sweep";
import { temperatureTable, type TemperatureRow } from "./temperature-recipe";
import { count, SweepHarness } from "./harness.fixture";

const h = new SweepHarness();
after(() => h.stopAll());

test("03 grid: local and two BullMQ workers give identical rows; one teacher training for both", async () => {
  await initBackend();
  const g = sweepGrid("03_temperature", { overrides: { trainSize: 300, testSize: 200, teacherEpochs: 1, teacherHidden: "32,32", widths: "8", temperatures: "1,4", studentEpochs: 1 } });
  assert.equal(g.cells.length, 2);
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-03-local-");
  const local = await runSweep(g, { engine: "local", display: null, log: () => {} });
  assert.ok(local.ok, JSON.stringify(local.failed));

  await h.startRedis();
  const cache = h.tempDir("kdh-sweep-03-workers-");
  const ws = [h.startWorker({ cacheDir: cache, lockMs: 30_000 }), h.startWorker({ cacheDir: cache, lockMs: 30_000 })];
  await Promise.all(ws.map((w) => w.waitFor(/serving sweep/)));
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-03-client-");
  const remote = await runSweep(g, { engine: "bullmq", redis: h.redis!.target, display: null, log: () => {} });
  assert.ok(remote.ok, JSON.stringify(remote.failed));
  assert.deepEqual(remote.outcomes.map((o) => o.row), local.outcomes.map((o) => o.row));
  assert.equal(new Set(remote.outcomes.map((o) => o.worker)).size, 2, "each worker took one job");

  const out = ws.map((w) => w.output()).join("\n");
  assert.equal(count(out, /teacher cache: fashion14-teacher0 no entry yet; training it/g), 1, out);
  assert.equal(count(out, /teacher cache: loaded fashion14-teacher0/g), 1, out);

  const rows = remote.outcomes.map((o) => o.row as TemperatureRow);
  const table = temperatureTable(rows, [8], [1, 4]);
  assert.deepEqual(table, [[rows[0].errors, rows[1].errors]]);
  for (const r of rows) assert.ok(r.errors >= 0 && r.errors <= 200 && r.testN === 200);
});
