import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

function runChild(dir: string, who: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "store-concurrency.fixture.ts"), dir, who], { cwd: __dirname });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code) => resolve({ code, out, err }));
  });
}

test("two processes filling the same cache entry at once: one builds, the other waits and loads it intact", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "race-"));
  const [a, b] = await Promise.all([runChild(dir, "first"), runChild(dir, "second")]);
  assert.equal(a.code, 0, a.err);
  assert.equal(b.code, 0, b.err);
  const results = [JSON.parse(a.out), JSON.parse(b.out)];
  assert.deepEqual(results.map((r) => r.outcome).sort(), ["built", "loaded"]);
  // Both see the entry written by the one that built it.
  const builder = results.find((r) => r.outcome === "built").who;
  for (const r of results) assert.equal(r.builtBy, builder);
  assert.ok(!fs.existsSync(path.join(dir, "entry.lock")), "the lock file was left behind");
  assert.deepEqual(fs.readdirSync(path.join(dir, "entry")).filter((f) => f.endsWith(".tmp")), []);
});

test("a process killed while holding the lock does not wedge the next run", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "race-kill-"));
  const p = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "store-concurrency.fixture.ts"), dir, "victim"], { cwd: __dirname });
  // Wait until it holds the lock (the lock file exists), then SIGKILL it mid-"training".
  for (let i = 0; i < 200 && !fs.existsSync(path.join(dir, "entry.lock")); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(fs.existsSync(path.join(dir, "entry.lock")), "the child never took the lock");
  p.kill("SIGKILL");
  await new Promise((r) => p.on("exit", r));
  const next = await runChild(dir, "survivor");
  assert.equal(next.code, 0, next.err);
  assert.deepEqual(JSON.parse(next.out), { who: "survivor", outcome: "built", builtBy: "survivor" });
});
