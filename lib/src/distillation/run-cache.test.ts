/** Tests for the run cache: store and reuse, a changed config or code version is a miss, damaged records are recomputed. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cachedRun, runFile, runKeyHash } from "./run-cache";

test("a run is computed once and reused; another config or code version computes again; a damaged record is recomputed", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-runs-"));
  let calls = 0;
  const compute = async () => ({ errors: 10 + ++calls });
  const key = { experiment: "t", config: { arm: "soft", seed: 1 }, code: "abc" };
  const lines: string[] = [];
  const opts = { dir, log: (l: string) => lines.push(l) };
  try {
    const a = await cachedRun(key, compute, opts);
    assert.deepEqual([a.fromCache, a.result.errors], [false, 11]);
    const b = await cachedRun(key, compute, opts);
    assert.deepEqual([b.fromCache, b.result.errors, calls], [true, 11, 1]);
    assert.equal((await cachedRun({ ...key, config: { arm: "soft", seed: 2 } }, compute, opts)).fromCache, false);
    assert.equal((await cachedRun({ ...key, code: "abd" }, compute, opts)).fromCache, false, "changed code never reuses an old number");
    fs.writeFileSync(runFile(key, dir), "{ truncated");
    const c = await cachedRun(key, compute, opts);
    assert.equal(c.fromCache, false);
    assert.match(lines.join("\n"), /rejected \(unreadable/);
    const checked = await cachedRun(key, compute, { ...opts, check: (r) => (r.errors > 100 ? undefined : "too few errors") });
    assert.equal(checked.fromCache, false, "a record failing its check is recomputed");
    assert.throws(() => runFile({ ...key, experiment: "../x" }, dir), /experiment name/);
    assert.deepEqual(fs.readdirSync(path.join(dir, "t")).filter((f) => f.includes(".tmp")), [], "no temporary file left behind");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a run computed on one backend is not reused on another", () => {
  const key = { experiment: "t", config: { arm: "soft", seed: 1 }, code: "abc" };
  assert.notEqual(runKeyHash(key, "blas"), runKeyHash(key, "wasm"), "the backend is part of the key");
  assert.equal(runKeyHash(key, "blas"), runKeyHash({ ...key }, "blas"));
});
