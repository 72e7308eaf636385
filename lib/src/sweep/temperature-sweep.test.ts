/**
 * Notebook 03's grid through the function the notebook calls (runTemperatureGrid), on a tiny grid (one
 * width, two temperatures): run locally on the notebook's own data and teacher, and on two BullMQ workers
 * chosen by the environment as a notebook run would be (KDH_SWEEP_ENGINE=bullmq, KDH_REDIS_URL). Both
 * give identical rows and tables; the teacher both jobs need is trained exactly once, by one worker, while
 * the other waits for the lock and then loads it from the shared teacher cache; the rows the workers
 * computed are in the client's sweep store, so a local run afterwards only reads them; a local run
 * leaves no tensors behind. Workers whose cache folders differ (two machines) train the teacher once:
 * the other fetches it from the sweep's Redis.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { hintonSetup } from "../distillation/setup";
import { progressDisplay } from "./progress";
import { runTemperatureGrid } from "./temperature-grid";
import { TEMPERATURE_SWEEP } from "./temperature-recipe";
import { count, SweepHarness } from "./harness.fixture";

const h = new SweepHarness();
const savedEnv = { ...process.env };
after(async () => {
  for (const k of ["KDH_SWEEP_ENGINE", "KDH_REDIS_URL", "KDH_REDIS_URL_FILE", "KDH_CACHE_DIR"]) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  await h.stopAll();
});

// What kdh.recipeParams("03_temperature") resolves to, with a grid small enough for a test.
const P = { ...(TEMPERATURE_SWEEP.notebook.quick as Record<string, unknown>), trainSize: 300, testSize: 200, teacherEpochs: 1, teacherHidden: [32, 32], widths: [8], temperatures: [1, 4], studentEpochs: 1, mode: "quick" } as Parameters<typeof hintonSetup>[0] & { widths: number[]; temperatures: number[] };
const quiet = { display: null, log: () => {} };

test("03 grid as the notebook runs it: local and two BullMQ workers (engine from the environment) give identical rows", async () => {
  await initBackend();
  delete process.env.KDH_SWEEP_ENGINE;
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-03-local-");
  const setup = await hintonSetup(P, { show: false });
  const tensorsBefore = tf.memory().numTensors;
  const localLog: string[] = [];
  const local = await runTemperatureGrid(P, { setup, display: null, log: (l) => localLog.push(l) });
  assert.equal(local.result.engine, "local");
  assert.deepEqual(localLog.filter((l) => /teacher cache/.test(l)), [], "the jobs use the lent teacher instead of loading it again");
  assert.equal(tf.memory().numTensors, tensorsBefore, "nothing left behind");
  assert.deepEqual(local.rows.map((r) => [r.width, r.T, r.seed]), [[8, 1, 0], [8, 4, 0]]);
  for (const r of local.rows) assert.ok(Number.isInteger(r.errors) && r.errors >= 0 && r.errors <= 200 && r.testN === 200, JSON.stringify(r));
  assert.deepEqual(local.table, [local.rows.map((r) => r.errors)], "one seed: the table holds each cell's errors");
  setup.data.dispose();
  setup.teacher.dispose();

  // Without a lent setup the jobs load their own data and teacher, and the run disposes them.
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-03-own-");
  const tensorsBare = tf.memory().numTensors;
  const ownLog: string[] = [];
  const own = await runTemperatureGrid(P, { display: null, log: (l) => ownLog.push(l) });
  assert.equal(ownLog.filter((l) => /teacher cache: fashion14-teacher0 no entry yet; training it/.test(l)).length, 1, ownLog.join("\n"));
  assert.deepEqual(own.rows, local.rows);
  assert.equal(tf.memory().numTensors, tensorsBare, "the jobs' own data and teacher are disposed after a local run");

  await h.startRedis();
  const cache = h.tempDir("kdh-sweep-03-workers-");
  const ws = [h.startWorker({ cacheDir: cache, lockMs: 30_000 }), h.startWorker({ cacheDir: cache, lockMs: 30_000 })];
  await Promise.all(ws.map((w) => w.waitFor(/serving sweep/)));
  process.env.KDH_SWEEP_ENGINE = "bullmq";
  process.env.KDH_REDIS_URL = h.redis!.url;
  delete process.env.KDH_REDIS_URL_FILE;
  const client = h.tempDir("kdh-sweep-03-client-");
  process.env.KDH_CACHE_DIR = client;
  const shown: string[] = [];
  const remote = await runTemperatureGrid(P, { display: progressDisplay("sweep 03_temperature (bullmq)", { write: (s) => shown.push(s), everyMs: 0 }), log: () => {} });
  assert.equal(remote.result.engine, "bullmq");
  assert.deepEqual(remote.rows, local.rows);
  assert.deepEqual(remote.table, local.table);
  const workers = new Set(remote.result.outcomes.map((o) => o.worker));
  assert.equal(workers.size, 2, "each worker took one job");
  // The live display's last frame: totals with an ETA, then one line per worker.
  const last = shown[shown.length - 1];
  assert.match(last, /^sweep 03_temperature \(bullmq\): 2\/2 done \(0 already stored\), 0 failed, 0 running, elapsed \S+, ETA 0s/);
  for (const w of workers) assert.match(last, new RegExp(`\\n  ${w}: 1 done, 0 failed, 0 running \\(\\d+\\.\\d\\d s/job\\)`), last);

  const out = ws.map((w) => w.output()).join("\n");
  assert.equal(count(out, /teacher cache: fashion14-teacher0 no entry yet, not in the shared store either; training it/g), 1, out);
  assert.equal(count(out, /teacher cache: loaded fashion14-teacher0/g), 1, out, "the other worker, sharing the folder, loads it from there");

  // The rows the workers computed are the client's records: a local run (the notebook re-run) only reads them.
  delete process.env.KDH_SWEEP_ENGINE;
  const reread = await runTemperatureGrid(P, quiet);
  assert.deepEqual(reread.result.outcomes.map((o) => o.status), ["stored", "stored"]);
  assert.deepEqual(reread.rows, local.rows);
});

test("03 grid on two 'machines' that share no folder: the teacher is trained once and reaches the other through Redis", async () => {
  // Another teacher (2 epochs), so that neither the workers above nor Redis hold it yet.
  const P2 = { ...P, teacherEpochs: 2 };
  delete process.env.KDH_SWEEP_ENGINE;
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-03-local2-");
  const local = await runTemperatureGrid(P2, quiet);

  const ws = [h.startWorker({ cacheDir: h.tempDir("kdh-sweep-03-host-a-"), lockMs: 30_000 }), h.startWorker({ cacheDir: h.tempDir("kdh-sweep-03-host-b-"), lockMs: 30_000 })];
  await Promise.all(ws.map((w) => w.waitFor(/serving sweep/)));
  // Only these two serve: stop the pair of the previous test.
  for (const w of h.workers.filter((x) => !ws.includes(x))) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGTERM");
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-03-client2-");
  const remote = await runTemperatureGrid(P2, { engine: "bullmq", redis: h.redis!.target, ...quiet });
  assert.deepEqual(remote.rows, local.rows);
  assert.equal(new Set(remote.result.outcomes.map((o) => o.worker)).size, 2, "each worker took one job");
  const out = ws.map((w) => w.output()).join("\n");
  assert.equal(count(out, /teacher cache: fashion14-teacher0 no entry yet, not in the shared store either; training it/g), 1, out);
  assert.equal(count(out, /teacher cache: published fashion14-teacher0 to the shared store \(Redis redis:\/\/kdh-sweep:\*\*\*@127\.0\.0\.1:\d+\)/g), 1, out);
  assert.equal(count(out, /teacher cache: fetched fashion14-teacher0 from the shared store/g), 1, out);
});
