/**
 * Test harness for sweeps: a private Redis and worker processes (scripts/sweep.ts worker) whose output
 * is captured, all stopped by `stopAll()` whatever happened, so no test leaves a process behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../core/paths";
import { startLocalRedis, type LocalRedis } from "./local-redis";
import { REDIS_PASSWORD_ENV, REDIS_PASSWORD_FILE_ENV, REDIS_URL_ENV, REDIS_URL_FILE_ENV } from "./redis-target";

export interface WorkerProc {
  child: ChildProcess;
  pid: number;
  output: () => string;
  /** Resolves when the output matches `re` (rejects after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  exited: Promise<number | null>;
}

export class SweepHarness {
  redis?: LocalRedis;
  workers: WorkerProc[] = [];
  dirs: string[] = [];

  tempDir(prefix: string): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  async startRedis(): Promise<LocalRedis> {
    this.redis = await startLocalRedis({ stopOnSignals: true });
    return this.redis;
  }

  /**
   * A worker process; its Redis URL goes through the environment only, as in real use, unless `url` is
   * null (then `args` or `env` say where Redis is, e.g. --redis and a password file).
   */
  startWorker(opts: { url?: string | null; cacheDir: string; lockMs?: number; concurrency?: number; env?: Record<string, string>; args?: string[] }): WorkerProc {
    const env: NodeJS.ProcessEnv = { ...process.env, KDH_CACHE_DIR: opts.cacheDir, [REDIS_URL_ENV]: opts.url ?? this.redis!.url, KDH_SWEEP_EXIT_WITH_PARENT: "1" };
    for (const k of [REDIS_URL_FILE_ENV, REDIS_PASSWORD_ENV, REDIS_PASSWORD_FILE_ENV]) delete env[k];
    if (opts.url === null || (opts.env && REDIS_URL_FILE_ENV in opts.env)) delete env[REDIS_URL_ENV];
    Object.assign(env, opts.env ?? {});
    const args = ["--import", "tsx", path.join(repoRoot(), "scripts", "sweep.ts"), "worker", "--concurrency", String(opts.concurrency ?? 1), "--lock-ms", String(opts.lockMs ?? 2000), ...(opts.args ?? [])];
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const w of [...waiters]) if (w.re.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const proc: WorkerProc = {
      child,
      pid: child.pid!,
      output: () => out,
      exited,
      waitFor: (re, ms = 20_000) =>
        new Promise<void>((resolve, reject) => {
          if (re.test(out)) return resolve();
          const t = setTimeout(() => reject(new Error(`worker ${child.pid}: no output matching ${re} within ${ms} ms; output:\n${out}`)), ms);
          waiters.push({ re, resolve: () => (clearTimeout(t), resolve()) });
        }),
    };
    this.workers.push(proc);
    return proc;
  }

  async stopAll(): Promise<void> {
    for (const w of this.workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    await Promise.all(this.workers.map((w) => w.exited));
    await this.redis?.stop();
    for (const d of this.dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Occurrences of `re` (global) in a text. */
export function count(text: string, re: RegExp): number {
  return [...text.matchAll(re)].length;
}
