import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gridOf } from "./grid";
import { defaultEngine, describeFailures, runSweep, sweepRows } from "./run-sweep";
import { SELFTEST_RECIPE, selftestDigest } from "./selftest-recipe";
import { sweepRowFile } from "./sweep-store";

test("local engine: rows in grid order, stored once and reused, failures named", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-sweep-local-"));
  process.env.KDH_CACHE_DIR = dir;
  try {
    const cells = [0, 1, 2].flatMap((variant) => [0, 1].map((seed) => ({ params: { variant, rounds: 50, sleepMs: 0, failSeeds: [1], tag: "local" }, seed })));
    const g = gridOf(SELFTEST_RECIPE, cells);
    const quiet = { engine: "local" as const, display: null, log: () => {} };
    const first = await runSweep(g, quiet);
    assert.equal(first.ok, false);
    assert.deepEqual(first.outcomes.map((o) => o.status), ["computed", "failed", "computed", "failed", "computed", "failed"]);
    assert.deepEqual(first.outcomes.filter((o) => o.row).map((o) => (o.row as { digest: number }).digest), cells.filter((c) => c.seed === 0).map((c) => selftestDigest(c.params, 0)));
    assert.match(describeFailures(first)[0], /^selftest-s1-[0-9a-f]{24} \(seed 1, worker local\): selftest job variant 0 seed 1 fails on purpose/);
    assert.throws(() => sweepRows(first), /3 selftest job\(s\) failed:\nselftest-s1-/);
    assert.ok(fs.existsSync(sweepRowFile("selftest", g.keys[0])));
    const again = await runSweep(g, quiet);
    assert.deepEqual(again.outcomes.map((o) => o.status), ["stored", "failed", "stored", "failed", "stored", "failed"]);
    // A corrupt record is recomputed, not loaded.
    fs.writeFileSync(sweepRowFile("selftest", g.keys[0]), "{ not json");
    assert.equal((await runSweep(g, quiet)).outcomes[0].status, "computed");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the engine defaults to local; KDH_SWEEP_ENGINE switches it; anything else is refused", () => {
  assert.equal(defaultEngine({}), "local");
  assert.equal(defaultEngine({ KDH_SWEEP_ENGINE: "bullmq" }), "bullmq");
  assert.throws(() => defaultEngine({ KDH_SWEEP_ENGINE: "celery" }), /KDH_SWEEP_ENGINE="celery" is not a sweep engine; expected "local" or "bullmq"/);
});

test("the bullmq engine without a Redis says how to get one", async () => {
  const g = gridOf(SELFTEST_RECIPE, [{ params: { variant: 0, rounds: 1, sleepMs: 0, failSeeds: [], tag: "noredis" }, seed: 0 }]);
  const saved = { url: process.env.KDH_REDIS_URL, file: process.env.KDH_REDIS_URL_FILE };
  delete process.env.KDH_REDIS_URL;
  delete process.env.KDH_REDIS_URL_FILE;
  try {
    await assert.rejects(runSweep(g, { engine: "bullmq", display: null }), /the bullmq engine needs a Redis: set KDH_REDIS_URL/);
  } finally {
    if (saved.url !== undefined) process.env.KDH_REDIS_URL = saved.url;
    if (saved.file !== undefined) process.env.KDH_REDIS_URL_FILE = saved.file;
  }
});
