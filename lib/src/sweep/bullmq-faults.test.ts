/**
 * The BullMQ engine under faults, on loopback with a private Redis and real worker processes:
 * same rows as the local engine, a worker SIGKILLed mid-job, Redis restarted mid-sweep, a job that
 * throws, a grid enqueued twice. Rows are checked against selftestDigest, a plain-JS reference.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { gridOf } from "./grid";
import { runSweep, type SweepResult } from "./run-sweep";
import { SELFTEST_RECIPE, selftestDigest, type SelftestParams, type SelftestRow } from "./selftest-recipe";
import { count, SweepHarness } from "./harness.fixture";
import { Redis } from "ioredis";
import { stableHash } from "../core/store";
import { bullConnection } from "./connection";
import { startKeepalive } from "./keepalive";
import { SWEEP_PREFIX } from "./local-redis";
import { withRedisLock } from "./redis-lock";

/** Hash rounds that keep this thread busy for about `ms` (selftest jobs block their worker that long). */
function roundsFor(ms: number): number {
  selftestDigest({ variant: 0, rounds: 1_000_000, sleepMs: 0, failSeeds: [], tag: "warm-up" }, 0);
  const t0 = performance.now();
  selftestDigest({ variant: 0, rounds: 1_000_000, sleepMs: 0, failSeeds: [], tag: "calibrate" }, 0);
  return Math.round((ms / (performance.now() - t0)) * 1_000_000);
}

function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* block the event loop, as a synchronous training loop does */
  }
}

const h = new SweepHarness();
let workerCache = "";

before(async () => {
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-client-");
  workerCache = h.tempDir("kdh-sweep-workers-");
  await h.startRedis();
  const ws = [h.startWorker({ cacheDir: workerCache }), h.startWorker({ cacheDir: workerCache })];
  await Promise.all(ws.map((w) => w.waitFor(/serving sweep/)));
});
after(() => h.stopAll());

function grid(tag: string, opts: Partial<SelftestParams> & { variants?: number; seeds?: number[] } = {}) {
  const cells = [];
  for (let variant = 0; variant < (opts.variants ?? 3); variant++) {
    for (const seed of opts.seeds ?? [0, 1]) cells.push({ params: { variant, rounds: 5000, sleepMs: opts.sleepMs ?? 0, failSeeds: opts.failSeeds ?? [], tag }, seed });
  }
  return gridOf(SELFTEST_RECIPE, cells);
}

function rows(r: SweepResult<SelftestRow>): SelftestRow[] {
  assert.ok(r.ok, `sweep failed: ${JSON.stringify(r.failed)}`);
  return r.outcomes.map((o) => o.row!);
}

function expected(g: ReturnType<typeof grid>): SelftestRow[] {
  return g.cells.map((c) => ({ digest: selftestDigest(c.params, c.seed), variant: c.params.variant, seed: c.seed }));
}

const bull = { engine: "bullmq" as const, display: null, log: () => {} };
const workersOutput = () => h.workers.map((w) => w.output()).join("\n");

test("a local run and a BullMQ run on 2 workers give identical rows (and the reference digests)", async () => {
  // Jobs of 300 ms, so that both workers get some even on a busy machine.
  const g = grid("identical", { variants: 4, sleepMs: 300 });
  const local = await runSweep(g, { engine: "local", display: null, log: () => {} });
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-client-");
  const remote = await runSweep(g, { ...bull, redis: h.redis!.target });
  assert.deepEqual(rows(remote), rows(local));
  assert.deepEqual(rows(local), expected(g));
  const byWorker = new Set(remote.outcomes.map((o) => o.worker));
  assert.equal(byWorker.size, 2, `both workers took jobs: ${[...byWorker].join(", ")}`);
  assert.ok(remote.outcomes.every((o) => o.status === "computed"));
});

test("a worker SIGKILLed mid-job: the job is retried on the other worker, same rows", async () => {
  const g = grid("kill", { variants: 2, seeds: [0], sleepMs: 1500 });
  const mine = new RegExp(`started (${g.keys.join("|")})`);
  const live = h.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  const run = runSweep(g, { ...bull, redis: h.redis!.target });
  // Both workers take one job each; kill the one that holds the first job of the grid.
  const victim = await Promise.race(live.map((w) => w.waitFor(new RegExp(`started ${g.keys[0]}`)).then(() => w)));
  victim.child.kill("SIGKILL");
  await victim.exited;
  const r = await run;
  assert.deepEqual(rows(r), expected(g));
  const survivor = live.find((w) => w !== victim)!;
  assert.match(survivor.output(), new RegExp(`finished ${g.keys[0]} in`), "the killed worker's job was finished by the other worker");
  assert.doesNotMatch(victim.output(), new RegExp(`finished ${g.keys[0]}`));
  assert.ok(mine.test(survivor.output()));
  // Two workers again for the following tests.
  await h.startWorker({ cacheDir: workerCache }).waitFor(/serving sweep/);
});

test("Redis restarted mid-sweep: workers and client reconnect; every job is computed exactly once", async () => {
  const g = grid("restart", { variants: 4, sleepMs: 300 });
  const run = runSweep(g, { ...bull, redis: h.redis!.target });
  await new Promise((r) => setTimeout(r, 900));
  await h.redis!.restart();
  const r = await run;
  assert.deepEqual(rows(r), expected(g));
  const out = workersOutput();
  for (const key of g.keys) assert.equal(count(out, new RegExp(`finished ${key} in`, "g")), 1, `${key} computed once`);
});

test("a job that throws is recorded with its error; the others complete; the failure names the job", async () => {
  const g = grid("throws", { variants: 2, seeds: [0, 1, 2], failSeeds: [1] });
  const r = await runSweep(g, { ...bull, redis: h.redis!.target, attempts: 1 });
  assert.equal(r.ok, false);
  assert.deepEqual(r.failed.map((o) => o.key).sort(), g.keys.filter((_, i) => g.cells[i].seed === 1).sort());
  for (const f of r.failed) assert.match(f.error ?? "", /fails on purpose \(seed listed in failSeeds\)/);
  const done = r.outcomes.filter((o) => o.status === "computed");
  assert.equal(done.length, 4);
  for (const o of done) assert.equal((o.row as SelftestRow).digest, selftestDigest(o.cell.params as SelftestParams, o.cell.seed));
  // The same grid again: the failed jobs get another try (and fail again), the finished ones are not rerun.
  const lines: string[] = [];
  const again = await runSweep(g, { ...bull, log: (l) => lines.push(l), redis: h.redis!.target, attempts: 1 });
  assert.deepEqual(again.failed.map((o) => o.key).sort(), r.failed.map((o) => o.key).sort());
  assert.equal(lines.filter((l) => /^retrying selftest-s1-\w+, which failed before: .*fails on purpose/.test(l)).length, 2, lines.join("\n"));
  assert.deepEqual(again.outcomes.filter((o) => o.status !== "failed").map((o) => o.status), ["stored", "stored", "stored", "stored"]);
});

test("enqueuing the same grid twice (at once, then again) does not double the work", async () => {
  const g = grid("twice", { variants: 3, sleepMs: 100 });
  const [a, b] = await Promise.all([runSweep(g, { ...bull, redis: h.redis!.target }), runSweep(g, { ...bull, redis: h.redis!.target })]);
  assert.deepEqual(rows(a), rows(b));
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-client-"); // a client with no stored rows: only the queue can dedupe
  const c = await runSweep(g, { ...bull, redis: h.redis!.target });
  assert.deepEqual(rows(c), expected(g));
  const out = workersOutput();
  for (const key of g.keys) assert.equal(count(out, new RegExp(`finished ${key} in`, "g")), 1, `${key} computed once`);
});

test("a job that blocks its worker's event loop for longer than its lock is not handed to another worker", async () => {
  // The workers' locks last 2 s; this job keeps its worker's main thread busy for about 3 s.
  const cells = [{ params: { variant: 0, rounds: roundsFor(3000), sleepMs: 0, failSeeds: [], tag: "blocking" }, seed: 0 }];
  const g = gridOf(SELFTEST_RECIPE, cells);
  const r = await runSweep(g, { ...bull, redis: h.redis!.target });
  assert.deepEqual(rows(r), expected(g));
  assert.equal(count(workersOutput(), new RegExp(`started ${g.keys[0]}`, "g")), 1, workersOutput());
});

test("a teacher lock held through a blocked event loop: kept by the keepalive thread, lost without it", async () => {
  const client = new Redis(bullConnection(h.redis!.target));
  const keepalive = startKeepalive(bullConnection(h.redis!.target));
  try {
    const name = `blocking-lock-${Date.now()}`;
    const key = `${SWEEP_PREFIX}:lock:${stableHash(name, 24)}`;
    const holderAfterBlock = async (ka?: typeof keepalive) =>
      withRedisLock(client, SWEEP_PREFIX, name, async () => {
        busyWait(2500); // ttl 1 s: only a renewal from another thread keeps the key
        return client.get(key);
      }, { ttlMs: 1000, keepalive: ka });
    assert.match((await holderAfterBlock(keepalive)) ?? "", /^[0-9a-f]{32}$/, "still ours with the keepalive thread");
    assert.equal(await holderAfterBlock(undefined), null, "expired without it (the control)");
    assert.equal(await client.exists(key), 0, "released");
  } finally {
    await keepalive.close();
    client.disconnect();
  }
});
