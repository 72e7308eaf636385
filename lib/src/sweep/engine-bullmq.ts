/**
 * The BullMQ engine's client side: enqueue a grid's jobs (job id = job key, so enqueuing a grid twice
 * adds nothing the queue already holds; a job that failed before is retried), then follow them until
 * each has completed or failed for good, writing each row into the recipe's store as it arrives so the
 * notebook renders from the same records as after a local run. The client polls job states rather than
 * listening to an event stream, so a Redis restart loses nothing it needs: it reconnects and reads the
 * states again.
 */
import { Job, Queue, type ConnectionOptions } from "bullmq";
import { bullConnection, probeRedis } from "./connection";
import { storeOf } from "./execute";
import type { SweepGrid } from "./grid";
import { SWEEP_PREFIX } from "./local-redis";
import { makePayload } from "./payload";
import { emptyProgress, workerStats, type ProgressDisplay, type SweepProgress } from "./progress";
import type { JobParams } from "./recipe";
import type { RedisTarget } from "./redis-target";
import type { JobOutcome } from "./run-sweep";
import { SWEEP_QUEUE, type WorkerProgress, type WorkerReturn } from "./worker";

export interface BullmqEngineOptions {
  target: RedisTarget;
  display?: ProgressDisplay;
  log?: (line: string) => void;
  pollMs?: number;
  /** Give up when Redis stays unreachable this long during the sweep. Default 5 min. */
  reconnectTimeoutMs?: number;
  /** Tries per job (a job that throws is retried this many times in all). Default 2. */
  attempts?: number;
  /** After this long with no job taken, the display says workers may be missing. Default 15 s. */
  idleNoticeMs?: number;
}

/** After this long without any job taken, the progress display says workers may be missing. */
const IDLE_NOTICE_MS = 15_000;

/** Jobs stay in Redis this long after they finish, so a re-enqueued grid finds them (and adds nothing). */
const KEEP_SECONDS = 14 * 24 * 3600;

export async function runBullmq<P extends JobParams, R>(grid: SweepGrid<P, R>, opts: BullmqEngineOptions): Promise<JobOutcome<R>[]> {
  const { target } = opts;
  const log = (l: string) => (opts.log ?? ((x: string) => console.log(x)))(target.redact(l));
  const pollMs = opts.pollMs ?? 100;
  await probeRedis(target);
  const store = storeOf(grid.recipe);
  const outcomes = new Map<string, JobOutcome<R>>();
  const progress: SweepProgress = emptyProgress(grid.cells.length);
  const index = new Map(grid.keys.map((k, i) => [k, i]));

  const queue = new Queue(SWEEP_QUEUE, { connection: bullConnection(target) as ConnectionOptions, prefix: SWEEP_PREFIX });
  let lastError = "";
  queue.on("error", (e) => (lastError = target.redact(e.message)));
  try {
    const toAdd: { name: string; data: unknown; opts: { jobId: string; attempts: number; removeOnComplete: { age: number }; removeOnFail: { age: number } } }[] = [];
    grid.cells.forEach((cell, i) => {
      const key = grid.keys[i];
      const have = store.load?.(cell, key);
      if (have !== undefined) {
        outcomes.set(key, { key, cell, status: "stored", row: have });
        progress.cached++;
        return;
      }
      toAdd.push({ name: grid.recipe.name, data: makePayload(grid.recipe, cell, grid.code), opts: { jobId: key, attempts: opts.attempts ?? 2, removeOnComplete: { age: KEEP_SECONDS }, removeOnFail: { age: KEEP_SECONDS } } });
    });
    for (let i = 0; i < toAdd.length; i += 500) await queue.addBulk(toAdd.slice(i, i + 500));
    // A job id that already existed kept its old job: one that failed for good is given another try.
    for (const j of toAdd) {
      const job = await Job.fromId(queue, j.opts.jobId);
      if (job && (await job.getState()) === "failed") {
        log(`retrying ${j.opts.jobId}, which failed before: ${job.failedReason}`);
        await job.retry("failed");
      }
    }
    log(`enqueued ${toAdd.length} ${grid.recipe.name} job(s) on ${target.redacted} (${progress.cached} already stored)`);

    const pending = new Set(toAdd.map((j) => j.opts.jobId));
    const enqueuedAt = Date.now();
    let taken = false;
    const running = new Map<string, string>();
    const readded = new Map<string, number>();
    let unreachableSince = 0;
    while (pending.size) {
      try {
        // States first, then the jobs that need reading (a job read before its state could miss a return
        // value set in between). Concurrent commands share one pipelined connection: one round trip each.
        const keys = [...pending];
        const states = await Promise.all(keys.map((k) => queue.getJobState(k)));
        const wanted = keys.filter((_, i) => ["completed", "failed", "active"].includes(states[i]));
        if (wanted.length) taken = true;
        const jobs = new Map(await Promise.all(wanted.map(async (k) => [k, await Job.fromId(queue, k)] as const)));
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          const state = states[i];
          if (state !== "unknown" && !jobs.has(key)) {
            running.delete(key); // waiting, delayed (a retry), prioritized
            continue;
          }
          const job = jobs.get(key);
          if (!job) {
            // Redis lost it (restarted without persistence, flushed): enqueue it again, a few times at most.
            const n = (readded.get(key) ?? 0) + 1;
            if (n > 3) throw new Error(`job ${key} vanished from Redis ${n} times; is something deleting the sweep's keys?`);
            readded.set(key, n);
            const j = toAdd.find((x) => x.opts.jobId === key)!;
            log(`job ${key} is no longer in Redis (restarted without persistence?); enqueuing it again`);
            await queue.add(j.name, j.data, j.opts);
            continue;
          }
          const cell = grid.cells[index.get(key)!];
          if (state === "completed") {
            const ret = job.returnvalue as WorkerReturn<R>;
            await store.save(cell, key, ret.row);
            outcomes.set(key, { key, cell, status: "computed", row: ret.row, worker: ret.worker, ms: ret.ms });
            pending.delete(key);
            running.delete(key);
            const w = workerStats(progress, ret.worker);
            w.done++;
            w.busyMs += ret.ms;
            progress.done++;
          } else if (state === "failed") {
            const worker = job.processedBy ?? running.get(key) ?? "?";
            outcomes.set(key, { key, cell, status: "failed", error: job.failedReason, worker });
            pending.delete(key);
            running.delete(key);
            workerStats(progress, worker).failed++;
            progress.failed++;
          } else {
            const p = job.progress as WorkerProgress | number;
            if (p && typeof p === "object" && typeof p.worker === "string") running.set(key, p.worker);
          }
        }
        if (unreachableSince) log(`job states readable again from ${target.redacted}`);
        unreachableSince = 0;
        progress.notice = undefined;
        // Nothing taken yet: the queue has no live worker, or all of them are busy with other grids.
        if (!taken && Date.now() - enqueuedAt > (opts.idleNoticeMs ?? IDLE_NOTICE_MS)) {
          progress.notice = `no worker has taken a job for ${Math.round((Date.now() - enqueuedAt) / 1000)} s: start workers with the same Redis (npm run sweep -- worker)`;
        }
      } catch (e) {
        const msg = target.redact((e as Error).message);
        if (/vanished/.test(msg)) throw e;
        if (!unreachableSince) {
          unreachableSince = Date.now();
          log(`cannot read job states from ${target.redacted} (${lastError || msg}); retrying`);
        }
        progress.notice = `Redis not answering for ${Math.round((Date.now() - unreachableSince) / 1000)} s, reconnecting`;
        if (Date.now() - unreachableSince > (opts.reconnectTimeoutMs ?? 300_000)) throw new Error(`Redis at ${target.redacted} unreachable for ${Math.round((Date.now() - unreachableSince) / 1000)} s (${msg}); the jobs stay queued: run the same sweep again to pick them up`);
      }
      for (const w of progress.workers.values()) w.running = 0;
      for (const w of running.values()) workerStats(progress, w).running++;
      progress.running = running.size;
      opts.display?.update(progress);
      if (pending.size) await new Promise((r) => setTimeout(r, pollMs));
    }
    opts.display?.done(progress);
  } finally {
    await queue.close().catch(() => undefined);
  }
  return grid.keys.map((k) => outcomes.get(k)!);
}
