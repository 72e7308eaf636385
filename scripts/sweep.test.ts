import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { localWorkerThreads, parseSweepArgs, resolveRecipeName } from "./sweep";

test("arguments: --redis names a server but a URL with a password is refused; bad flags are named", () => {
  assert.deepEqual(parseSweepArgs(["run", "03", "--full", "--set", "widths=30", "--workers=3"]), { command: "run", notebook: "03", full: true, set: { widths: "30" }, workers: 3, concurrency: 1 });
  assert.equal(parseSweepArgs(["worker", "--concurrency", "4"]).concurrency, 4);
  assert.equal(parseSweepArgs(["worker", "--redis", "redis://kdh-sweep@10.0.0.5:6379"]).redis, "redis://kdh-sweep@10.0.0.5:6379");
  assert.equal(parseSweepArgs(["run", "03", "--redis=rediss://redis.lab:6380"]).redis, "rediss://redis.lab:6380");
  const bad: Array<[string[], RegExp]> = [
    [["worker", "--redis", "redis://u:pw@h"], /--redis redis:\/\/u:\*\*\*@h carries a password, .*visible to every user .*KDH_REDIS_PASSWORD_FILE .*KDH_REDIS_URL_FILE or KDH_REDIS_URL/],
    [["run", "03", "--redis=redis://u:pw@h"], /carries a password/],
    [["worker", "--redis"], /--redis needs a URL/],
    [["worker", "--redis-url=redis://u:pw@h"], /unexpected argument "--redis-url=redis:\/\/u:\*\*\*@h"/],
    [["worker", "--concurrency", "0"], /--concurrency needs a whole number ≥ 1, got "0"/],
    [["run"], /run needs a notebook or recipe/],
    [["walk"], /unknown command "walk"/],
    [["worker", "--full"], /unexpected argument "--full"/],
  ];
  for (const [argv, re] of bad) {
    assert.throws(() => parseSweepArgs(argv), (e: Error) => re.test(e.message) && !e.message.includes("pw@"), argv.join(" "));
  }
  assert.equal(resolveRecipeName("03"), "03_temperature");
  assert.equal(resolveRecipeName("selftest"), "selftest");
  assert.throws(() => resolveRecipeName("7"), /no sweep recipe "7"/);
});

test("local workers share the cores: math threads per worker = cores / jobs at once, at least 1; a user's choice is kept", () => {
  const cases: Array<[number, number, number, NodeJS.ProcessEnv, string]> = [
    [2, 1, 2, {}, "1"],
    [1, 1, 2, {}, "2"],
    [2, 1, 8, {}, "4"],
    [2, 2, 8, {}, "2"],
    [3, 1, 2, {}, "1"],
    [2, 1, 2, { KDH_BLAS_THREADS: "2" }, "2"],
  ];
  for (const [n, c, cores, env, want] of cases) assert.equal(localWorkerThreads(n, c, cores, env), want, `${n} workers × ${c} on ${cores} cores`);
});

test("run without a configured Redis: starts its own and two workers, names the failed jobs, exits 1, leaves nothing running", async () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-sweep-cli-"));
  const env = { ...process.env, KDH_CACHE_DIR: cache };
  delete env.KDH_REDIS_URL;
  delete env.KDH_REDIS_URL_FILE;
  try {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "sweep.ts"), "run", "selftest", "--set", "variants=2", "--set", "seeds=0,1", "--set", "failSeeds=1"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.equal(code, 1, out);
    assert.match(out, /2 job\(s\) failed:\n {2}selftest-s1-[0-9a-f]{24} \(seed 1, worker [^)]+\): selftest job variant \d seed 1 fails on purpose/, out);
    assert.match(out, /2 computed, 0 already stored, 2 failed/, out);
    const redisPid = Number(/started redis-server redis:\/\/kdh-sweep:\*\*\*@127\.0\.0\.1:\d+ \(pid (\d+)/.exec(out)?.[1]);
    assert.ok(redisPid > 0, out);
    assert.ok(!fs.existsSync(`/proc/${redisPid}`) || /zombie|Z/.test(fs.readFileSync(`/proc/${redisPid}/stat`, "utf8").split(" ")[2]), `redis-server stopped\n${out}`);
    const workerPids = (/started 2 local worker\(s\) \(pids (\d+), (\d+)\)/.exec(out) ?? []).slice(1).map(Number);
    assert.equal(workerPids.length, 2, out);
    for (const pid of workerPids) assert.ok(!fs.existsSync(`/proc/${pid}`), `worker ${pid} stopped\n${out}`);
    assert.doesNotMatch(out, /kdh-sweep:[0-9a-f]{16,}@/, "no password printed");
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test("run killed outright (SIGKILL): its workers and its Redis stop too", async () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-sweep-cli-kill-"));
  const env = { ...process.env, KDH_CACHE_DIR: cache };
  delete env.KDH_REDIS_URL;
  delete env.KDH_REDIS_URL_FILE;
  const pids: number[] = [];
  let redisDir = "";
  try {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "sweep.ts"), "run", "selftest", "--set", "variants=4", "--set", "sleepMs=20000"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no workers started:\n${out}`)), 30_000);
      const on = (d: Buffer) => {
        out += d.toString();
        if ((out.match(/\] started selftest-/g) ?? []).length >= 2) (clearTimeout(t), resolve());
      };
      child.stdout.on("data", on);
      child.stderr.on("data", on);
    });
    const started = /started redis-server \S+ \(pid (\d+), data in (\S+)\)/.exec(out)!;
    pids.push(Number(started[1]));
    redisDir = started[2];
    assert.deepEqual(fs.readdirSync(redisDir).filter((f) => f.endsWith(".conf")), [], "no config file (passwords) left on disk");
    pids.push(...(/started 2 local worker\(s\) \(pids (\d+), (\d+)\)/.exec(out) ?? []).slice(1).map(Number));
    assert.equal(pids.length, 3, out);
    child.kill("SIGKILL");
    const alive = () => pids.filter((p) => fs.existsSync(`/proc/${p}`) && !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${p}/stat`, "utf8")));
    for (let i = 0; i < 100 && alive().length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(alive(), [], "workers and redis-server gone within 10 s");
  } finally {
    for (const p of pids) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        /* already gone, as it should be */
      }
    }
    fs.rmSync(cache, { recursive: true, force: true });
    // A SIGKILLed run cannot remove its Redis folder (job data only, no passwords): the test does.
    if (redisDir.includes("kdh-redis-")) fs.rmSync(redisDir, { recursive: true, force: true });
  }
});
