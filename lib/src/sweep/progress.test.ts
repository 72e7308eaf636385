import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyProgress, etaMs, progressDisplay, progressLines, workerStats } from "./progress";

test("ETA: time per finished job so far × jobs left (stored rows count as neither)", () => {
  const p = emptyProgress(10);
  p.startedAt = 0;
  assert.ok(Number.isNaN(etaMs(p, 5000)), "no estimate before a job finished");
  p.cached = 2;
  p.done = 3;
  p.failed = 1; // 4 finished in 8 s → 2 s each; 10 - 2 - 4 = 4 left → 8 s
  assert.equal(etaMs(p, 8000), 8000);
  p.done = 7;
  p.failed = 1;
  assert.equal(etaMs(p, 9000), 0);
});

test("progress lines: totals, then one line per worker", () => {
  const p = emptyProgress(6);
  p.startedAt = 0;
  p.done = 2;
  p.running = 1;
  const a = workerStats(p, "host-a:1");
  a.done = 2;
  a.busyMs = 3000;
  workerStats(p, "host-b:2").running = 1;
  assert.deepEqual(progressLines(p, 4000), [
    "2/6 done (0 already stored), 0 failed, 1 running, elapsed 4s, ETA 8s",
    "  host-a:1: 2 done, 0 failed, 0 running (1.50 s/job)",
    "  host-b:2: 0 done, 0 failed, 1 running",
  ]);
  const out: string[] = [];
  const d = progressDisplay("sweep x", { write: (s) => out.push(s), everyMs: 60_000 });
  d.update(p);
  d.update(p); // throttled
  d.done(p);
  assert.equal(out.length, 2);
  assert.match(out[0], /^sweep x: 2\/6 done/);
});
