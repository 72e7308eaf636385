/**
 * Sweep benchmark: (1) the BullMQ engine's overhead per job on loopback, from a grid of no-op jobs run
 * locally and then through Redis by one worker: (bullmq time − local time) / jobs (target < 50 ms);
 * (2) the throughput of two workers against a local run of the same CPU-bound grid (selftest jobs of
 * about --cpuMs each): local time / bullmq time (target ≥ 0.9: two workers are no slower than one
 * process; on an idle machine with two free cores they should approach 2). Workers are started before
 * the clock starts. Figures are printed and marked against their targets; they mean something only on a
 * quiet machine, so the load average is printed first (with a warning when it is not near 0). The whole
 * run stops after --maxSeconds (default 300) rather than hang on a machine too busy to finish.
 *
 * (3) the same ratio on the real thing, notebook 03's quick grid of distilled students (its teacher trained
 * once beforehand, outside the clock), where the workers' math threads share the cores.
 *
 * usage: npx tsx scripts/sweep-bench.ts [--jobs=200] [--cpuJobs=20] [--cpuMs=300] [--workers=2] [--skipThroughput] [--skipTraining] [--trainingEpochs=10] [--maxSeconds=300]
 *   --trainingEpochs sets the students' epochs of (3): 10 is the quick grid, whose jobs (~0.2 s each) are
 *   small enough for each worker's first load of the data and teacher to weigh; more epochs show job sizes
 *   like the full grid's.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCliArgs } from "../lib/src/core/config";
import { gridOf } from "../lib/src/sweep/grid";
import { startLocalRedis, type LocalRedis } from "../lib/src/sweep/local-redis";
import { runSweep } from "../lib/src/sweep/run-sweep";
import { SELFTEST_RECIPE, selftestDigest, type SelftestParams } from "../lib/src/sweep/selftest-recipe";
import { sweepGrid } from "../lib/src/sweep/grid";
import { lendTemperatureSetup, type TemperatureCellParams } from "../lib/src/sweep/temperature-recipe";
import { localWorkerThreads } from "./sweep";

const args = parseCliArgs(process.argv.slice(2), { jobs: 200, cpuJobs: 20, cpuMs: 300, workers: 2, skipThroughput: false, skipTraining: false, trainingEpochs: 10, maxSeconds: 300 });
for (const k of ["jobs", "cpuJobs", "cpuMs", "workers", "trainingEpochs", "maxSeconds"] as const) {
  if (!Number.isInteger(args[k]) || args[k] < 1) throw new Error(`--${k}=${args[k]}: expected a whole number ≥ 1`);
}
/** A 1-minute load average above this means other work shares the cores, and the figures are not to be trusted. */
const QUIET_LOAD = 0.3;

function cells(n: number, rounds: number, tag: string) {
  return Array.from({ length: n }, (_, variant) => ({ params: { variant, rounds, sleepMs: 0, failSeeds: [], tag } as SelftestParams, seed: 0 }));
}

/** n worker processes, each given its share of the cores for math threads, as `npm run sweep -- run` does. */
function startWorkers(n: number, redis: LocalRedis, cache: string): Promise<ChildProcess[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, KDH_REDIS_URL: redis.url, KDH_CACHE_DIR: cache, KDH_SWEEP_EXIT_WITH_PARENT: "1", KDH_BLAS_THREADS: localWorkerThreads(n, 1, os.availableParallelism()) };
  delete env.KDH_REDIS_URL_FILE;
  return Promise.all(
    Array.from({ length: n }, () => {
      const c = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "sweep.ts"), "worker"], { env, stdio: ["ignore", "pipe", "inherit"] });
      return new Promise<ChildProcess>((resolve) => {
        let out = "";
        c.stdout!.on("data", (d: Buffer) => {
          out += d.toString();
          if (/serving sweep/.test(out)) resolve(c);
        });
      });
    }),
  );
}

async function stop(children: ChildProcess[]) {
  await Promise.all(children.map((c) => new Promise<void>((r) => (c.exitCode !== null ? r() : (c.once("exit", () => r()), c.kill("SIGTERM"))))));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

async function main() {
  const started = performance.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-sweep-bench-"));
  const redis = await startLocalRedis({ stopOnSignals: true });
  let workers: ChildProcess[] = [];
  // A machine too busy to finish in the budget gets a clear stop instead of a hang.
  const watchdog = setTimeout(() => {
    console.error(`sweep-bench: stopped after ${args.maxSeconds} s (--maxSeconds); the machine is too busy for a benchmark`);
    void stop(workers)
      .then(() => redis.stop())
      .finally(() => {
        fs.rmSync(tmp, { recursive: true, force: true });
        process.exit(1);
      });
  }, args.maxSeconds * 1000);
  watchdog.unref();
  const quiet = { display: null, log: () => {} };
  try {
    const load = os.loadavg();
    console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "unknown CPU"}; load average ${load.map((x) => x.toFixed(2)).join(" ")} (1, 5, 15 min) at the start`);
    if (load[0] > QUIET_LOAD) console.log(`WARNING: the 1-minute load average is ${load[0].toFixed(2)}, not near 0: other processes share the cores and the figures below are not the machine's. Rerun on a quiet machine.`);
    // (1) overhead per job: no-op jobs, one worker, so the difference is queue round trips.
    process.env.KDH_CACHE_DIR = path.join(tmp, "local");
    const noop = gridOf(SELFTEST_RECIPE, cells(args.jobs, 0, `noop-${Date.now()}`));
    const tLocal = await timed(() => runSweep(noop, { engine: "local", ...quiet }));
    workers = await startWorkers(1, redis, path.join(tmp, "w1"));
    process.env.KDH_CACHE_DIR = path.join(tmp, "client1");
    const tBull = await timed(() => runSweep(noop, { engine: "bullmq", redis: redis.target, ...quiet }));
    await stop(workers);
    const overheadMs = ((tBull - tLocal) / args.jobs) * 1000;
    console.log(`overhead per job (${args.jobs} no-op jobs, 1 worker, loopback): local ${tLocal.toFixed(2)} s, bullmq ${tBull.toFixed(2)} s → ${overheadMs.toFixed(1)} ms/job (target < 50 ms: ${overheadMs < 50 ? "met" : "NOT met"})`);

    if (!args.skipThroughput) {
      // (2) throughput: CPU-bound jobs of about cpuMs each.
      const probe = performance.now();
      selftestDigest({ variant: 0, rounds: 2_000_000, sleepMs: 0, failSeeds: [], tag: "calibrate" }, 0);
      const perRound = (performance.now() - probe) / 2_000_000;
      const rounds = Math.max(1, Math.round(args.cpuMs / perRound));
      const cpu = gridOf(SELFTEST_RECIPE, cells(args.cpuJobs, rounds, `cpu-${Date.now()}`));
      process.env.KDH_CACHE_DIR = path.join(tmp, "local2");
      const tl = await timed(() => runSweep(cpu, { engine: "local", ...quiet }));
      workers = await startWorkers(args.workers, redis, path.join(tmp, "w2"));
      process.env.KDH_CACHE_DIR = path.join(tmp, "client2");
      const tb = await timed(() => runSweep(cpu, { engine: "bullmq", redis: redis.target, ...quiet }));
      await stop(workers);
      const ratio = tl / tb;
      console.log(`throughput (${args.cpuJobs} jobs of ~${args.cpuMs} ms CPU): local ${(args.cpuJobs / tl).toFixed(2)} jobs/s, ${args.workers} workers ${(args.cpuJobs / tb).toFixed(2)} jobs/s → ratio ${ratio.toFixed(2)} (target ≥ 0.9: ${ratio >= 0.9 ? "met" : "NOT met"})`);
    }
    if (!args.skipTraining) {
      // (3) training throughput: 03's quick grid. The teacher is trained first (a one-cell grid, outside the
      // clock); the data and teacher that run left in this process are dropped, so the local run loads them
      // again from the cache as each worker does.
      const warmDir = path.join(tmp, "train-local");
      process.env.KDH_CACHE_DIR = warmDir;
      const g03 = sweepGrid("03_temperature", { overrides: { studentEpochs: String(args.trainingEpochs) } });
      const release = lendTemperatureSetup(g03.cells[0].params as TemperatureCellParams);
      await runSweep(sweepGrid("03_temperature", { overrides: { widths: "5", temperatures: "1" } }), { engine: "local", ...quiet });
      release();
      const end = lendTemperatureSetup(g03.cells[0].params as TemperatureCellParams);
      const tl = await timed(() => runSweep(g03, { engine: "local", ...quiet }));
      end();
      // Workers: the trained teacher, none of the rows.
      const workerDir = path.join(tmp, "train-workers");
      fs.cpSync(path.join(warmDir, "teachers"), path.join(workerDir, "teachers"), { recursive: true });
      workers = await startWorkers(args.workers, redis, workerDir);
      process.env.KDH_CACHE_DIR = path.join(tmp, "train-client");
      const tb = await timed(() => runSweep(g03, { engine: "bullmq", redis: redis.target, ...quiet }));
      await stop(workers);
      const ratio = tl / tb;
      console.log(`training throughput (notebook 03's quick grid, ${g03.cells.length} students of ${args.trainingEpochs} epochs): local ${tl.toFixed(1)} s, ${args.workers} workers (${localWorkerThreads(args.workers, 1, os.availableParallelism())} math thread(s) each) ${tb.toFixed(1)} s → ratio ${ratio.toFixed(2)} (target ≥ 0.9: ${ratio >= 0.9 ? "met" : "NOT met"})`);
    }
    console.log(`benchmark took ${((performance.now() - started) / 1000).toFixed(1)} s; load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  } finally {
    clearTimeout(watchdog);
    await stop(workers);
    await redis.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
