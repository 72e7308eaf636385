/**
 * Sweeps from the command line: a notebook's grid as BullMQ jobs on workers sharing a Redis.
 *
 *   npm run sweep -- worker [--redis URL] [--concurrency N] [--lock-ms MS]
 *   npm run sweep -- run NOTEBOOK [--full] [--set key=value ...] [--redis URL] [--workers N] [--concurrency N]
 *   npm run sweep -- list
 *
 * The Redis is read from KDH_REDIS_URL or from the file named by KDH_REDIS_URL_FILE, or named by
 * `--redis redis://[user@]host:port`; a password never comes from the command line (arguments are
 * visible to every user through `ps`): a --redis URL holding one is refused, and its password comes
 * from KDH_REDIS_PASSWORD_FILE (or KDH_REDIS_PASSWORD). Without any of these, `run` starts a private
 * redis-server on 127.0.0.1 (protected mode, a free port, a random password, its own temporary folder)
 * and --workers local workers (default 2), and stops them all when it exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { sweepCodeVersion } from "../lib/src/sweep/sweep-code-version";
import { sweepGrid } from "../lib/src/sweep/grid";
import { startLocalRedis, type LocalRedis } from "../lib/src/sweep/local-redis";
import { sweepRecipe, sweepRecipeNames } from "../lib/src/sweep/recipes";
import { checkNoPassword, REDIS_PASSWORD_ENV, REDIS_PASSWORD_FILE_ENV, REDIS_URL_ENV, REDIS_URL_FILE_ENV, redisTargetFromCommandLine, redisTargetFromEnv, type RedisTarget } from "../lib/src/sweep/redis-target";
import { describeFailures, runSweep } from "../lib/src/sweep/run-sweep";
import { startSweepWorker } from "../lib/src/sweep/worker";

/** Set by `run`, the tests and the benchmark for the workers they start: stop when the parent is gone. */
export const EXIT_WITH_PARENT_ENV = "KDH_SWEEP_EXIT_WITH_PARENT";

export const USAGE = `usage: npm run sweep -- worker [--redis URL] [--concurrency N] [--lock-ms MS]
       npm run sweep -- run NOTEBOOK [--full] [--set key=value ...] [--redis URL] [--workers N] [--concurrency N]
       npm run sweep -- list
The Redis comes from ${REDIS_URL_ENV} or ${REDIS_URL_FILE_ENV}, or --redis redis://[user@]host:port with its password in ${REDIS_PASSWORD_FILE_ENV}
(never on the command line); without one, "run" starts its own on 127.0.0.1 with --workers local workers (default 2).`;

export interface SweepArgs {
  command: "worker" | "run" | "list";
  notebook?: string;
  full: boolean;
  set: Record<string, string>;
  workers?: number;
  concurrency: number;
  lockMs?: number;
  /** --redis: the server only (a URL with a password is refused here). */
  redis?: string;
}

function positiveInt(flag: string, v: string | undefined, min = 1): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min || n > 64 * 1024 * 1024) throw new Error(`${flag} needs a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
  return n;
}

export function parseSweepArgs(argv: string[]): SweepArgs {
  const [command, ...rest] = argv;
  if (command !== "worker" && command !== "run" && command !== "list") throw new Error(`unknown command ${JSON.stringify(command ?? "")}\n${USAGE}`);
  const out: SweepArgs = { command, full: false, set: {}, concurrency: 1 };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => inline ?? rest[++i];
    if (flag === "--redis" && command !== "list") {
      const url = value();
      if (!url || url.startsWith("--")) throw new Error(`--redis needs a URL, redis://[user@]host[:port][/db] (rediss:// for TLS)`);
      checkNoPassword(url, "--redis");
      out.redis = url;
    } else if (flag === "--full" && command === "run") out.full = true;
    else if (flag === "--set" && command === "run") {
      const kv = value() ?? "";
      const eq = kv.indexOf("=");
      if (eq < 1) throw new Error(`--set needs key=value, got ${JSON.stringify(kv)}`);
      out.set[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (flag === "--workers" && command === "run") out.workers = positiveInt("--workers", value(), 0);
    else if (flag === "--concurrency" && command !== "list") out.concurrency = positiveInt("--concurrency", value());
    else if (flag === "--lock-ms" && command === "worker") out.lockMs = positiveInt("--lock-ms", value(), 500);
    else if (!a.startsWith("-") && command === "run" && out.notebook === undefined) out.notebook = a;
    else throw new Error(`unexpected argument ${hideUrlPasswords(JSON.stringify(a))}\n${USAGE}`);
  }
  if (command === "run" && !out.notebook) throw new Error(`run needs a notebook or recipe: one of ${sweepRecipeNames().join(", ")}`);
  return out;
}

/** Any scheme://user:password@ in a text with the password replaced by ***. */
export function hideUrlPasswords(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:@/\s"]*:)[^@/\s"]+@/gi, "$1***@");
}

/** A recipe by full name or by its notebook number ("03" → "03_temperature"). */
export function resolveRecipeName(name: string): string {
  const names = sweepRecipeNames();
  if (names.includes(name)) return name;
  const hits = names.filter((n) => n.startsWith(`${name}_`) || n.startsWith(name));
  if (hits.length === 1) return hits[0];
  throw new Error(`no sweep recipe ${JSON.stringify(name)}${hits.length > 1 ? ` (ambiguous: ${hits.join(", ")})` : ""}; recipes: ${names.join(", ")}`);
}

/** The Redis a command was given: --redis (password from the environment), else KDH_REDIS_URL(_FILE), else none. */
function configuredRedis(args: SweepArgs): { target: RedisTarget; url?: string } | undefined {
  if (args.redis) return redisTargetFromCommandLine(args.redis);
  const target = redisTargetFromEnv();
  return target ? { target } : undefined;
}

async function workerCommand(args: SweepArgs): Promise<number> {
  const target = configuredRedis(args)?.target;
  if (!target) throw new Error(`no Redis configured: give --redis redis://host:port (password in ${REDIS_PASSWORD_FILE_ENV}) or set ${REDIS_URL_ENV} (or ${REDIS_URL_FILE_ENV}) to the sweep's Redis; "npm run sweep -- run" starts a private one with its own workers`);
  const worker = await startSweepWorker({ target, concurrency: args.concurrency, lockMs: args.lockMs });
  await new Promise<void>((resolve) => {
    const stop = (why: string) => {
      console.log(`[${worker.name}] ${why}: finishing active jobs, then stopping`);
      resolve();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
    // A worker started by `run` (or a test) must not outlive it, even when it was killed outright.
    if (process.env[EXIT_WITH_PARENT_ENV] === "1") {
      const parent = process.ppid;
      setInterval(() => {
        if (process.ppid !== parent) stop("the process that started this worker is gone");
      }, 1000).unref();
    }
  });
  await worker.close();
  return 0;
}

/**
 * Math threads per local worker: the cores shared out among the jobs that run at once (n workers ×
 * concurrency), at least one. OpenBLAS threads spin while they wait, so two processes that each use
 * every core slow each other down far more than twice; a KDH_BLAS_THREADS the user set is kept.
 */
export function localWorkerThreads(n: number, concurrency: number, cores: number, env: NodeJS.ProcessEnv = process.env): string {
  return env.KDH_BLAS_THREADS || String(Math.max(1, Math.floor(cores / Math.max(1, n * concurrency))));
}

/** Local worker processes for `run`: the URL goes through their environment only. */
function spawnWorkers(n: number, url: string | undefined, concurrency: number, redact: (s: string) => string): ChildProcess[] {
  const children: ChildProcess[] = [];
  for (let i = 0; i < n; i++) {
    const env: NodeJS.ProcessEnv = { ...process.env, [EXIT_WITH_PARENT_ENV]: "1", KDH_BLAS_THREADS: localWorkerThreads(n, concurrency, os.availableParallelism()) };
    if (url) {
      env[REDIS_URL_ENV] = url;
      for (const k of [REDIS_URL_FILE_ENV, REDIS_PASSWORD_ENV, REDIS_PASSWORD_FILE_ENV]) delete env[k];
    }
    const c = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "sweep.ts"), "worker", "--concurrency", String(concurrency)], { env, stdio: ["ignore", "pipe", "pipe"] });
    for (const s of [c.stdout!, c.stderr!]) readline.createInterface({ input: s }).on("line", (l) => console.log(redact(l)));
    children.push(c);
  }
  return children;
}

async function stopChildren(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const t = setTimeout(() => c.kill("SIGKILL"), 5000);
          c.once("exit", () => {
            clearTimeout(t);
            resolve();
          });
          c.kill("SIGTERM");
        }),
    ),
  );
}

async function runCommand(args: SweepArgs): Promise<number> {
  const recipe = sweepRecipe(resolveRecipeName(args.notebook!));
  const grid = sweepGrid(recipe, { mode: args.full ? "full" : "quick", overrides: args.set });
  console.log(`${recipe.name}: ${grid.cells.length} job(s), ${args.full ? "full" : "quick"} mode, code version ${sweepCodeVersion()}`);
  let local: LocalRedis | undefined;
  const given = configuredRedis(args);
  let target: RedisTarget | undefined = given?.target;
  let children: ChildProcess[] = [];
  const cleanup = async () => {
    await stopChildren(children);
    await local?.stop();
  };
  const onSignal = (sig: NodeJS.Signals) => {
    console.log(`${sig}: stopping workers${local ? " and the private Redis" : ""}; queued jobs stay in ${local ? "nothing (the private Redis is removed)" : "Redis"}`);
    void cleanup().then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (!target) {
      local = await startLocalRedis({ log: (l) => console.log(l) });
      target = local.target;
    }
    const n = args.workers ?? (local ? 2 : 0);
    if (n) {
      children = spawnWorkers(n, local?.url ?? given?.url, args.concurrency, target.redact);
      console.log(`started ${n} local worker(s) (pids ${children.map((c) => c.pid).join(", ")}), ${localWorkerThreads(n, args.concurrency, os.availableParallelism())} math thread(s) each`);
    }
    if (!n) console.log(`no local workers: start workers on the same Redis (npm run sweep -- worker, with the same ${args.redis ? "--redis and password file" : REDIS_URL_ENV})`);
    const result = await runSweep(grid, { engine: "bullmq", redis: target });
    console.log(`${recipe.name}: ${result.outcomes.filter((o) => o.status === "computed").length} computed, ${result.outcomes.filter((o) => o.status === "stored").length} already stored, ${result.failed.length} failed, ${result.seconds.toFixed(1)} s`);
    if (!result.ok) {
      console.error(`${result.failed.length} job(s) failed:\n${describeFailures(result).map((l) => "  " + target!.redact(l)).join("\n")}`);
      return 1;
    }
    return 0;
  } finally {
    await cleanup();
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseSweepArgs(argv);
  if (args.command === "list") {
    for (const n of sweepRecipeNames()) console.log(`${n}: ${sweepRecipe(n).title}`);
    return 0;
  }
  return args.command === "worker" ? workerCommand(args) : runCommand(args);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      const t = (() => {
        try {
          return configuredRedis(parseSweepArgs(process.argv.slice(2)))?.target;
        } catch {
          return undefined;
        }
      })();
      const msg = hideUrlPasswords((e as Error).message ?? String(e));
      console.error(`sweep: ${t ? t.redact(msg) : msg}`);
      process.exit(2);
    },
  );
}
