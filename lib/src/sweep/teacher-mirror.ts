/**
 * Trained teachers shared through the sweep's Redis. Every worker already reaches that Redis, and only
 * it: machines need no shared folder (NFS) for a teacher trained on one of them to reach the others.
 * One entry is one hash, field = file name of the teacher cache entry (manifest, network, weights),
 * under the sweep's key prefix (so the workers' ACL user may write it), kept as long as finished jobs.
 * The cache folder stays the source of truth: a fetched entry is written there and checked against
 * its checksums and key like any other before it is used, and a refused or unreadable copy means
 * training, never a failed job. The Redis lock around teacher training (redis-lock.ts) makes the
 * other workers wait for the first one's copy instead of training theirs.
 */
import type { Redis } from "ioredis";
import type { TeacherMirror } from "../distillation/cache";
import { SWEEP_PREFIX } from "./local-redis";

/** Same lifetime as a finished job's record. */
const KEEP_SECONDS = 14 * 24 * 3600;
/** The paper's full teacher (784-1200-1200-10) is about 9.6 MB; far larger is not a teacher of this suite. */
export const MAX_TEACHER_BYTES = 256 * 1024 * 1024;
const ENTRY = /^[A-Za-z0-9_-]{1,160}$/;

export function teacherMirrorKey(entry: string): string {
  if (!ENTRY.test(entry)) throw new Error(`teacher entry ${JSON.stringify(entry)} is not a cache folder name (letters, digits, - and _)`);
  return `${SWEEP_PREFIX}:teacher:${entry}`;
}

export function redisTeacherMirror(client: Redis, describe: string): TeacherMirror {
  return {
    describe,
    async fetch(entry) {
      const h = await client.hgetallBuffer(teacherMirrorKey(entry));
      const bytes = Object.values(h).reduce((a, b) => a + b.byteLength, 0);
      if (bytes > MAX_TEACHER_BYTES) throw new Error(`the shared copy holds ${bytes} bytes, more than the ${MAX_TEACHER_BYTES} a teacher may; not written to disk`);
      return Object.keys(h).length ? h : undefined;
    },
    async publish(entry, files) {
      const bytes = Object.values(files).reduce((a, b) => a + b.byteLength, 0);
      if (bytes > MAX_TEACHER_BYTES) throw new Error(`the entry holds ${bytes} bytes, more than the ${MAX_TEACHER_BYTES} a shared teacher may`);
      const key = teacherMirrorKey(entry);
      // One transaction: a reader sees the old entry or the whole new one, never a mix.
      await client.multi().del(key).hset(key, files).expire(key, KEEP_SECONDS).exec();
    },
  };
}
