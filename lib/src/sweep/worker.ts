/**
 * A sweep worker: takes jobs from the sweep's BullMQ queue, checks each payload against the recipe
 * registry and this checkout's code version, runs it (executeJob) and returns its row. A job that fails
 * the checks is failed at once with its reason (no retry) and the worker carries on; a job that throws
 * is retried up to its attempts and then recorded with its error. A worker killed mid-job loses its
 * lock; BullMQ's stalled-job check hands the job to another worker.
 * Writes go only to the recipe's store (cache folder) and the teacher cache: no payload value is a path.
 * Teachers are mirrored in the sweep's Redis (teacher-mirror.ts), so workers on other machines load
 * a teacher trained here instead of training it again.
 */
import * as os from "node:os";
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import { Redis } from "ioredis";
import { sweepCodeVersion } from "./sweep-code-version";
import { bullConnection, probeRedis } from "./connection";
import { executeJob } from "./execute";
import { SWEEP_PREFIX } from "./local-redis";
import { checkPayload } from "./payload";
import type { SweepRecipe } from "./recipe";
import { findSweepRecipe } from "./recipes";
import type { RedisTarget } from "./redis-target";
import { withRedisLock } from "./redis-lock";
import { startKeepalive } from "./keepalive";
import { setTeacherMirror } from "../distillation/cache";
import { redisTeacherMirror } from "./teacher-mirror";

export const SWEEP_QUEUE = "sweep";

/** What a worker returns for a job (BullMQ stores it as the job's return value). */
export interface WorkerReturn<R = unknown> {
  row: R;
  worker: string;
  ms: number;
  stored: boolean;
}

/** What a worker reports as job progress. */
export interface WorkerProgress {
  worker: string;
  fraction: number;
  text?: string;
}

export interface SweepWorkerOptions {
  target: RedisTarget;
  concurrency?: number;
  /** Shown in progress lines; default host:pid. */
  name?: string;
  log?: (line: string) => void;
  /** Recipe lookup (tests add recipes; the default is the fixed registry). */
  lookup?: (name: string) => SweepRecipe | undefined;
  /**
   * Lock on an active job, renewed every lockMs/3 from a separate thread (a job may block the main one);
   * a worker silent for lockMs is presumed dead and its job handed to another. Default 30 s.
   */
  lockMs?: number;
  /** How often workers look for jobs of dead workers. Default lockMs. */
  stalledIntervalMs?: number;
}

export interface SweepWorker {
  name: string;
  close(): Promise<void>;
}

function showId(id: string | undefined): string {
  const s = JSON.stringify(String(id ?? ""));
  return s.length > 80 ? `${s.slice(0, 77)}..."` : s;
}

export async function startSweepWorker(opts: SweepWorkerOptions): Promise<SweepWorker> {
  const target = opts.target;
  const raw = opts.log ?? ((l: string) => console.log(l));
  const log = (line: string) => raw(target.redact(line));
  const name = opts.name ?? `${os.hostname()}:${process.pid}`;
  const lookup = opts.lookup ?? findSweepRecipe;
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new Error(`concurrency ${concurrency} must be a whole number from 1 to 64`);
  const lockMs = opts.lockMs ?? 30_000;
  await probeRedis(target);
  const code = sweepCodeVersion();
  const lockClient = new Redis({ ...bullConnection(target), maxRetriesPerRequest: 20 });
  lockClient.on("error", () => {
    /* reconnects on its own; lock calls report failures where they happen */
  });

  // Teachers this worker trains go to the sweep's Redis; ones trained elsewhere come from it.
  setTeacherMirror(redisTeacherMirror(lockClient, `Redis ${target.redacted}`));

  const keepalive = startKeepalive(bullConnection(target), (l) => log(`[${name}] ${l}`));
  const stalledKey = `${SWEEP_PREFIX}:${SWEEP_QUEUE}:stalled`;

  const processor = async (job: Job, token?: string): Promise<WorkerReturn> => {
    const check = checkPayload(job.data, lookup, { code, jobId: job.id });
    if (!check.ok) {
      log(`[${name}] rejected job ${showId(job.id)}: ${check.reason}`);
      throw new UnrecoverableError(`rejected: ${check.reason}`);
    }
    const { recipe, payload, key } = check;
    const ctx = {
      log: (line: string) => log(`[${name}] ${key}: ${line}`),
      progress: (fraction: number, text?: string) => {
        job.updateProgress({ worker: name, fraction, ...(text ? { text } : {}) } satisfies WorkerProgress).catch(() => undefined);
      },
      exclusive: <T>(what: string, fn: () => Promise<T>) => withRedisLock(lockClient, SWEEP_PREFIX, what, fn, { keepalive, onWait: (l) => log(`[${name}] ${key}: ${l}`) }),
    };
    await job.updateProgress({ worker: name, fraction: 0 } satisfies WorkerProgress);
    log(`[${name}] started ${key}`);
    // The job's lock is kept alive from another thread while the job may block this one.
    const held = token ? keepalive.hold({ key: `${SWEEP_PREFIX}:${SWEEP_QUEUE}:${job.id}:lock`, token, ttlMs: lockMs, stalledKey, jobId: job.id }) : undefined;
    try {
      const r = await executeJob(recipe, { params: payload.params, seed: payload.seed }, key, ctx);
      log(`[${name}] ${r.stored ? "found stored row for" : "finished"} ${key}${r.stored ? "" : ` in ${(r.ms / 1000).toFixed(2)} s`}`);
      return { row: r.row, worker: name, ms: r.ms, stored: r.stored };
    } catch (e) {
      const msg = target.redact((e as Error).message ?? String(e));
      log(`[${name}] job ${key} failed: ${msg}`);
      throw new Error(`${msg} (on worker ${name})`);
    } finally {
      if (held !== undefined) keepalive.release(held);
    }
  };

  const worker = new Worker(SWEEP_QUEUE, processor, {
    connection: bullConnection(target) as ConnectionOptions,
    prefix: SWEEP_PREFIX,
    concurrency,
    name,
    lockDuration: lockMs,
    stalledInterval: opts.stalledIntervalMs ?? lockMs,
    maxStalledCount: 2,
  });
  let lastError = "";
  worker.on("error", (e) => {
    const msg = target.redact(e.message);
    if (msg !== lastError) log(`[${name}] ${msg}`);
    lastError = msg;
  });
  worker.on("ready", () => {
    if (lastError) log(`[${name}] Redis connection back`);
    lastError = "";
  });
  await worker.waitUntilReady();
  log(`[${name}] serving ${SWEEP_QUEUE} on ${target.redacted}, concurrency ${concurrency}, code version ${code}`);
  return {
    name,
    async close() {
      await worker.close();
      setTeacherMirror(undefined);
      await keepalive.close();
      lockClient.disconnect();
    },
  };
}
