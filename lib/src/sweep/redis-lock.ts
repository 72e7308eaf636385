/**
 * "Only one worker at a time does this", across machines: a Redis key set with NX and an expiry,
 * holding a random token, renewed while the holder works and deleted only by its holder (compare and
 * delete in one script). A holder that dies stops renewing, so its lock expires after `ttlMs` and a
 * waiting worker takes over. Used around teacher training, so two workers never train one teacher
 * at once; the waiter then finds the teacher in the shared cache folder.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { stableHash } from "../core/store";
import type { Keepalive } from "./keepalive";

const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export async function withRedisLock<T>(
  client: Redis,
  prefix: string,
  name: string,
  fn: () => Promise<T>,
  opts: { ttlMs?: number; pollMs?: number; onWait?: (line: string) => void; keepalive?: Keepalive } = {},
): Promise<T> {
  const ttl = opts.ttlMs ?? 30_000;
  const poll = opts.pollMs ?? 500;
  const key = `${prefix}:lock:${stableHash(name, 24)}`;
  const token = randomBytes(16).toString("hex");
  let announced = false;
  for (;;) {
    if ((await client.set(key, token, "PX", ttl, "NX")) === "OK") break;
    if (!announced) {
      opts.onWait?.(`waiting for another worker to finish ${name}`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, poll));
  }
  // Renewed from the keepalive thread when there is one (fn may block this thread for hours), else here.
  const held = opts.keepalive?.hold({ key, token, ttlMs: ttl });
  const timer =
    held === undefined
      ? setInterval(() => {
          client.eval(RENEW, 1, key, token, String(ttl)).catch(() => {
            /* a missed renewal during a Redis restart is retried on the next tick; the ttl covers several */
          });
        }, Math.max(100, Math.floor(ttl / 3)))
      : undefined;
  try {
    return await fn();
  } finally {
    if (timer) clearInterval(timer);
    if (held !== undefined) opts.keepalive!.release(held);
    await client.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
