/**
 * The BullMQ engine's display when nobody serves the queue: after the idle time it says that no worker
 * has taken a job and how to start one; once a worker starts, the sweep completes and the note goes.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { gridOf } from "./grid";
import { progressDisplay } from "./progress";
import { runSweep } from "./run-sweep";
import { SELFTEST_RECIPE, selftestDigest } from "./selftest-recipe";
import { SweepHarness } from "./harness.fixture";

const h = new SweepHarness();
after(() => h.stopAll());

test("no worker serving: the display says so after the idle time; a worker started then finishes the sweep", async () => {
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-idle-client-");
  await h.startRedis();
  const cells = [0, 1].map((variant) => ({ params: { variant, rounds: 10, sleepMs: 0, failSeeds: [], tag: `idle-${Date.now()}` }, seed: 0 }));
  const g = gridOf(SELFTEST_RECIPE, cells);
  const frames: string[] = [];
  let sawNote!: () => void;
  const noted = new Promise<void>((r) => (sawNote = r));
  const display = progressDisplay("sweep selftest (bullmq)", {
    everyMs: 0,
    write: (s) => {
      frames.push(s);
      if (/no worker has taken a job/.test(s)) sawNote();
    },
  });
  const run = runSweep(g, { engine: "bullmq", redis: h.redis!.target, display, log: () => {}, idleNoticeMs: 300 });
  await noted;
  assert.match(frames.find((f) => /no worker/.test(f))!, /^sweep selftest \(bullmq\): 0\/2 done .*ETA \?\n {2}no worker has taken a job for \d+ s: start workers with the same Redis \(npm run sweep -- worker\)$/);
  await h.startWorker({ cacheDir: h.tempDir("kdh-sweep-idle-worker-") }).waitFor(/serving sweep/);
  const r = await run;
  assert.ok(r.ok, JSON.stringify(r.failed));
  assert.deepEqual(r.outcomes.map((o) => (o.row as { digest: number }).digest), cells.map((c) => selftestDigest(c.params, c.seed)));
  assert.doesNotMatch(frames[frames.length - 1], /no worker/, "the last frame has no note");
});
