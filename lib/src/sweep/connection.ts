/**
 * Connecting to the sweep's Redis: one probe that fails fast with a clear, redacted message (so an
 * unreachable or misconfigured Redis is an error within seconds, not a hang), and the options every
 * BullMQ queue and worker uses (reconnect quickly and forever after a successful start, so a Redis
 * restart mid-sweep only pauses the sweep).
 */
import { Redis, type RedisOptions } from "ioredis";
import type { RedisTarget } from "./redis-target";

/** RESP2: the wire protocol BullMQ's scripts and replies were written against. */
const PROTOCOL = 2;

/** One PING with no retries; rejects with ioredis's error (unredacted: callers redact). */
export async function pingRedis(options: RedisOptions, timeoutMs = 3000): Promise<void> {
  const client = new Redis({ ...options, protocol: PROTOCOL, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  // ioredis reports the cause (ECONNREFUSED, NOAUTH, WRONGPASS) as an event; connect() then only says
  // "Connection is closed". Keep the first cause to reject with.
  let cause: Error | undefined;
  client.on("error", (e: Error) => (cause ??= e));
  try {
    await Promise.race([
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs + 500).unref()),
    ]);
  } catch (e) {
    throw cause ?? e;
  } finally {
    client.disconnect();
  }
}

/** Check that the sweep's Redis answers and accepts our credentials, or throw naming its redacted URL. */
export async function probeRedis(target: RedisTarget, timeoutMs = 3000): Promise<void> {
  try {
    await pingRedis(target.options, timeoutMs);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const msg = target.redact(`${err.code ? err.code + ": " : ""}${err.message}`);
    let hint = "check that Redis runs there and that this machine may reach it";
    if (/NOAUTH|WRONGPASS|invalid username-password|Authentication required/i.test(msg)) hint = "the user name or password is missing or wrong; set them in KDH_REDIS_URL or KDH_REDIS_URL_FILE";
    else if (/CERT|certificate|SSL|TLS/i.test(msg)) hint = "the TLS handshake failed; set KDH_REDIS_CA_FILE to the PEM certificate of the authority that signed the server's certificate, and check the host name matches it";
    else if (/NOPERM/i.test(msg)) hint = "the Redis user lacks a permission the sweep needs (see the README's ACL line)";
    throw new Error(`cannot use Redis at ${target.redacted}: ${msg}; ${hint}`);
  }
}

/** Connection options for BullMQ queues and workers: reconnect within 0.2-2 s, forever. */
export function bullConnection(target: RedisTarget): RedisOptions {
  return { ...target.options, protocol: PROTOCOL, maxRetriesPerRequest: null, connectTimeout: 5000, retryStrategy: (times: number) => Math.min(200 * times, 2000) };
}
