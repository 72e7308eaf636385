/**
 * A sweep on a shared network: the private Redis refuses clients without the password and listens on
 * loopback only; an unreachable Redis is a fast, redacted error; credentials appear in no log line and no
 * process title; hostile jobs are rejected one by one (with their reasons recorded) while the rest of
 * the sweep completes and the worker keeps serving.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Job, Queue, type ConnectionOptions } from "bullmq";
import { bullConnection, probeRedis } from "./connection";
import { gridOf } from "./grid";
import { SWEEP_PREFIX } from "./local-redis";
import { jobKey, makePayload, MAX_PAYLOAD_BYTES } from "./payload";
import { parseRedisUrl } from "./redis-target";
import { runSweep } from "./run-sweep";
import { SELFTEST_RECIPE, selftestDigest } from "./selftest-recipe";
import { SWEEP_QUEUE } from "./worker";
import { SweepHarness } from "./harness.fixture";

const h = new SweepHarness();
let workerCache = "";
const clientLog: string[] = [];
const password = () => new URL(h.redis!.url).password;

before(async () => {
  process.env.KDH_CACHE_DIR = h.tempDir("kdh-sweep-client-");
  workerCache = h.tempDir("kdh-sweep-workers-");
  await h.startRedis();
  await Promise.all([h.startWorker({ cacheDir: workerCache }), h.startWorker({ cacheDir: workerCache })].map((w) => w.waitFor(/serving sweep/)));
});
after(() => h.stopAll());

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

test("the private Redis refuses a client without the password, or with a wrong one, and listens on loopback only", async () => {
  const port = h.redis!.port;
  await assert.rejects(probeRedis(parseRedisUrl(`redis://127.0.0.1:${port}`)), /NOAUTH|Authentication required/);
  await assert.rejects(probeRedis(parseRedisUrl(`redis://kdh-sweep:not-the-password@127.0.0.1:${port}`)), (e: Error) => {
    assert.match(e.message, /WRONGPASS|invalid username-password/);
    assert.ok(e.message.includes(`redis://kdh-sweep:***@127.0.0.1:${port}`), e.message);
    assert.ok(!e.message.includes("not-the-password"), e.message);
    return true;
  });
  await probeRedis(h.redis!.target); // and the right credentials work
  const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === "IPv4" && !i.internal);
  if (external) {
    const reached = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: external.address, port }, () => (s.destroy(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    assert.equal(reached, false, `Redis must not answer on ${external.address}`);
  }
});

test("an unreachable Redis: a clear error naming the redacted URL within seconds", async () => {
  const port = await freePort();
  const target = parseRedisUrl(`redis://kdh-sweep:s3cret-pw@127.0.0.1:${port}`);
  const g = gridOf(SELFTEST_RECIPE, [{ params: { variant: 0, rounds: 1, sleepMs: 0, failSeeds: [], tag: "unreachable" }, seed: 0 }]);
  const t0 = Date.now();
  await assert.rejects(runSweep(g, { engine: "bullmq", redis: target, display: null, log: () => {} }), (e: Error) => {
    assert.ok(e.message.includes(`redis://kdh-sweep:***@127.0.0.1:${port}`), e.message);
    assert.match(e.message, /ECONNREFUSED/);
    assert.ok(!e.message.includes("s3cret-pw"), e.message);
    return true;
  });
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  // A worker pointed there exits with the same redacted message.
  const w = h.startWorker({ url: `redis://kdh-sweep:s3cret-pw@127.0.0.1:${port}`, cacheDir: workerCache });
  const code = await w.exited;
  assert.equal(code, 2);
  assert.match(w.output(), new RegExp(`cannot use Redis at redis://kdh-sweep:\\*\\*\\*@127\\.0\\.0\\.1:${port}`));
  assert.ok(!w.output().includes("s3cret-pw"));
});

test("hostile jobs are each rejected with their reason; the rest of the sweep completes; the workers keep serving", async () => {
  const cells = [0, 1, 2].map((variant) => ({ params: { variant, rounds: 100, sleepMs: 0, failSeeds: [], tag: "hostile" }, seed: 0 }));
  const g = gridOf(SELFTEST_RECIPE, cells);
  const valid = makePayload(SELFTEST_RECIPE, { params: { variant: 9, rounds: 100, sleepMs: 0, failSeeds: [], tag: "hostile" }, seed: 0 }, g.code);
  const bad: Array<{ what: string; data: Record<string, unknown>; id?: string; reason: RegExp }> = [
    { what: "unknown recipe", data: { ...valid, recipe: "shell" }, reason: /unknown recipe "shell"/ },
    { what: "out-of-range parameter", data: { ...valid, params: { ...valid.params, rounds: -5 } }, reason: /rounds.*-5 is not a whole number, between 0 and/ },
    { what: "path-like key", data: { ...valid, params: { ...valid.params, "../../x": 1 } }, reason: /parameter name "\.\.\/\.\.\/x" is not a plain identifier/ },
    { what: "path-like value", data: { ...valid, params: { ...valid.params, tag: "../../etc/passwd" } }, reason: /strings must be plain words/ },
    { what: "oversized payload", data: { ...valid, params: { ...valid.params, tag: "a".repeat(MAX_PAYLOAD_BYTES) } }, reason: /bytes, more than the 16384 allowed/ },
    { what: "unknown payload key", data: { ...valid, exec: "touch /tmp/owned" }, reason: /unknown payload key\(s\) "exec"/ },
    { what: "job id that is not its payload's key", data: { ...valid }, id: "selftest-s0-000000000000000000000000", reason: /is not the key of its payload/ },
  ];
  const queue = new Queue(SWEEP_QUEUE, { connection: bullConnection(h.redis!.target) as ConnectionOptions, prefix: SWEEP_PREFIX });
  try {
    const ids = bad.map((b, i) => b.id ?? `hostile-${i}-${Date.now()}`);
    await queue.addBulk(bad.map((b, i) => ({ name: "selftest", data: b.data, opts: { jobId: ids[i], attempts: 3 } })));
    const r = await runSweep(g, { engine: "bullmq", redis: h.redis!.target, display: null, log: (l) => clientLog.push(l) });
    assert.ok(r.ok, JSON.stringify(r.failed));
    assert.deepEqual(r.outcomes.map((o) => (o.row as { digest: number }).digest), cells.map((c) => selftestDigest(c.params, c.seed)));
    for (let i = 0; i < bad.length; i++) {
      let job = await Job.fromId(queue, ids[i]);
      for (let k = 0; k < 50 && job && (await job.getState()) !== "failed"; k++) {
        await new Promise((res) => setTimeout(res, 100));
        job = await Job.fromId(queue, ids[i]);
      }
      assert.ok(job, `${bad[i].what}: job kept`);
      assert.equal(await job!.getState(), "failed", `${bad[i].what}: failed`);
      assert.match(job!.failedReason, /^rejected: /, `${bad[i].what}: ${job!.failedReason}`);
      assert.match(job!.failedReason, bad[i].reason, `${bad[i].what}: ${job!.failedReason}`);
      assert.equal(job!.attemptsMade, 1, `${bad[i].what}: not retried`);
    }
    // Nothing was written but the good rows, under the workers' cache folder.
    const written = fs.readdirSync(path.join(workerCache, "sweep", "selftest")).filter((f) => g.keys.some((k) => f === `${k}.json`));
    assert.equal(written.length, g.keys.length);
    assert.ok(!fs.existsSync("/tmp/owned"));
    assert.ok(!fs.existsSync(path.join(workerCache, "x")));
    // The workers still serve: another grid completes.
    const again = await runSweep(gridOf(SELFTEST_RECIPE, [{ params: { variant: 0, rounds: 1, sleepMs: 0, failSeeds: [], tag: "after-hostile" }, seed: 3 }]), { engine: "bullmq", redis: h.redis!.target, display: null, log: (l) => clientLog.push(l) });
    assert.ok(again.ok);
  } finally {
    await queue.close();
  }
  assert.equal(jobKey(valid), jobKey({ ...valid })); // keys are pure functions of the payload
});

test("credentials appear in no log line and no process title; a URL file others can read is refused", async () => {
  const pw = password();
  assert.ok(pw.length >= 32);
  const pids = [...h.workers.map((w) => w.pid), h.redis!.pid()!];
  for (const pid of pids) {
    if (!fs.existsSync(`/proc/${pid}/cmdline`)) continue; // exited (the unreachable-Redis worker)
    const title = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    assert.ok(!title.includes(pw), `pid ${pid}: ${title}`);
  }
  const logs = [...h.workers.map((w) => w.output()), ...clientLog].join("\n");
  assert.ok(logs.includes("***"), "the redacted URL was printed");
  assert.ok(!logs.includes(pw), "no password in worker or client output");

  const dir = h.tempDir("kdh-sweep-url-");
  const file = path.join(dir, "redis-url");
  fs.writeFileSync(file, h.redis!.url + "\n", { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  const open = h.startWorker({ cacheDir: workerCache, env: { KDH_REDIS_URL_FILE: file } });
  assert.equal(await open.exited, 2);
  assert.match(open.output(), /can be read by other users \(mode 644\); run chmod 600/);
  fs.chmodSync(file, 0o600);
  const fromFile = h.startWorker({ cacheDir: workerCache, env: { KDH_REDIS_URL_FILE: file } });
  await fromFile.waitFor(/serving sweep on redis:\/\/kdh-sweep:\*\*\*@127\.0\.0\.1/);
  assert.ok(!fs.readFileSync(`/proc/${fromFile.pid}/cmdline`, "utf8").includes(pw));
  assert.ok(!fromFile.output().includes(pw) && !open.output().includes(pw));

  // --redis names the server; the password comes from a private file, so the process title holds no secret.
  const bare = `redis://kdh-sweep@127.0.0.1:${h.redis!.port}`;
  const pwFile = path.join(dir, "redis-password");
  fs.writeFileSync(pwFile, pw + "\n", { mode: 0o600 });
  fs.chmodSync(pwFile, 0o600);
  const byFlag = h.startWorker({ url: null, cacheDir: workerCache, args: ["--redis", bare], env: { KDH_REDIS_PASSWORD_FILE: pwFile } });
  await byFlag.waitFor(/serving sweep on redis:\/\/kdh-sweep:\*\*\*@127\.0\.0\.1/);
  const title = fs.readFileSync(`/proc/${byFlag.pid}/cmdline`, "utf8").split("\0").join(" ");
  assert.ok(title.includes(bare) && !title.includes(pw), title);
  const r = await runSweep(gridOf(SELFTEST_RECIPE, [{ params: { variant: 0, rounds: 1, sleepMs: 0, failSeeds: [], tag: "by-flag" }, seed: 0 }]), { engine: "bullmq", redis: h.redis!.target, display: null, log: () => {} });
  assert.ok(r.ok, JSON.stringify(r.failed));
  // Without the password the same flag is refused by Redis, with the fix named.
  const noPw = h.startWorker({ url: null, cacheDir: workerCache, args: ["--redis", bare] });
  assert.equal(await noPw.exited, 2);
  assert.match(noPw.output(), /cannot use Redis at redis:\/\/kdh-sweep@127\.0\.0\.1:\d+\/?: .*(NOAUTH|WRONGPASS|Authentication required|invalid username-password).*set them in KDH_REDIS_URL/);
  // And a URL with a password on the command line is refused before anything connects.
  const onCmdLine = h.startWorker({ url: null, cacheDir: workerCache, args: ["--redis", h.redis!.url] });
  assert.equal(await onCmdLine.exited, 2);
  assert.match(onCmdLine.output(), /carries a password, and a command line is visible to every user/);
  assert.ok(![byFlag, noPw, onCmdLine].some((w) => w.output().includes(pw)), "no password in any output");
});
