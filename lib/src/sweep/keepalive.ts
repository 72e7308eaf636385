/**
 * Locks that stay alive while a job blocks its process. Training runs synchronously (one long tf loop),
 * so timers on the worker's main thread, BullMQ's job-lock renewal among them, do not fire until it
 * ends: a job longer than its lock would be declared stalled and handed to a second worker, and a
 * teacher lock would expire while the teacher is still training. A worker thread with its own Redis
 * connection renews those locks instead; it runs whatever the main thread is doing. A lock is renewed
 * only while its key still holds our token, exactly as BullMQ's own extendLock does, and its job is
 * taken out of BullMQ's stalled set.
 */
import { Worker as Thread } from "node:worker_threads";
import type { RedisOptions } from "ioredis";

export interface HeldLock {
  key: string;
  token: string;
  ttlMs: number;
  /** BullMQ job locks: the queue's stalled set and the job id to remove from it at each renewal. */
  stalledKey?: string;
  jobId?: string;
}

export interface Keepalive {
  hold(lock: HeldLock): number;
  release(id: number): void;
  close(): Promise<void>;
}

// Plain JS run by the thread (no TypeScript loader there). ioredis is required by absolute path.
const THREAD_CODE = `
const { parentPort, workerData } = require("node:worker_threads");
const { Redis } = require(workerData.ioredis);
const client = new Redis({ ...workerData.options, retryStrategy: (n) => Math.min(200 * n, 2000) });
client.on("error", () => {});
const RENEW = 'if redis.call("GET", KEYS[1]) == ARGV[1] then redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) return 1 end return 0';
const RENEW_JOB = 'if redis.call("GET", KEYS[1]) == ARGV[1] then redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) redis.call("SREM", KEYS[2], ARGV[3]) return 1 end return 0';
const held = new Map();
let reported = "";
const report = (e) => {
  // One line per distinct error (a Redis restart would otherwise repeat it at every renewal).
  if (e.message !== reported) parentPort.postMessage({ type: "error", message: e.message });
  reported = e.message;
};
const renew = (l) =>
  (l.stalledKey ? client.eval(RENEW_JOB, 2, l.key, l.stalledKey, l.token, String(l.ttlMs), l.jobId) : client.eval(RENEW, 1, l.key, l.token, String(l.ttlMs)))
    .then(() => (reported = ""), report);
parentPort.on("message", (m) => {
  if (m.type === "hold") {
    renew(m.lock);
    held.set(m.id, { lock: m.lock, timer: setInterval(() => renew(m.lock), Math.max(100, Math.floor(m.lock.ttlMs / 3))) });
  } else if (m.type === "release") {
    const h = held.get(m.id);
    if (h) clearInterval(h.timer);
    held.delete(m.id);
  } else if (m.type === "close") {
    for (const h of held.values()) clearInterval(h.timer);
    client.quit().catch(() => client.disconnect()).finally(() => process.exit(0));
  }
});
`;

export function startKeepalive(options: RedisOptions, log: (line: string) => void = (l) => console.error(l)): Keepalive {
  const { retryStrategy: _r, ...plain } = options; // functions cannot cross to a thread
  const thread = new Thread(THREAD_CODE, { eval: true, workerData: { options: plain, ioredis: require.resolve("ioredis") } });
  thread.unref();
  thread.on("message", (m: { type: string; message?: string }) => {
    if (m.type === "error") log(`lock renewal failed: ${m.message} (retrying)`);
  });
  thread.on("error", (e) => {
    // Without the thread, long jobs may be taken over: say so loudly rather than go on silently.
    console.error(`sweep keepalive thread failed: ${e.message}`);
  });
  let next = 1;
  return {
    hold(lock) {
      const id = next++;
      thread.postMessage({ type: "hold", id, lock });
      return id;
    },
    release(id) {
      thread.postMessage({ type: "release", id });
    },
    close: () =>
      new Promise<void>((resolve) => {
        thread.once("exit", () => resolve());
        thread.postMessage({ type: "close" });
        setTimeout(() => void thread.terminate(), 3000).unref();
      }),
  };
}
