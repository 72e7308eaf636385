import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cachedRow, rowConfigHash, rowFile, RowKey } from "./row-cache";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "kdh-rowcache-"));
const key = (over: Partial<RowKey> = {}): RowKey => ({ method: "hardStudent", config: { epochs: 5, hidden: [32] }, seed: 1, task: { fingerprint: "abc" }, ...over });

/** A compute function that counts its calls and returns a fresh row each time. */
function counter() {
  let calls = 0;
  return { compute: () => ({ accuracy: 0.5 + ++calls / 100 }), calls: () => calls };
}

test("a row is reused only when method, config, seed and task all match", async () => {
  const dir = tmp();
  const c = counter();
  const first = await cachedRow(key(), c.compute, { dir, log: () => {} });
  assert.equal(first.source, "computed");
  assert.deepEqual(first.row, { accuracy: 0.51 });
  const again = await cachedRow(key(), c.compute, { dir, log: () => {} });
  assert.equal(again.source, "cached");
  assert.deepEqual(again.row, { accuracy: 0.51 });
  assert.equal(again.recordHash, again.configHash);
  assert.equal(c.calls(), 1);
  const changes: Array<[string, Partial<RowKey>]> = [
    ["config", { config: { epochs: 6, hidden: [32] } }],
    ["seed", { seed: 2 }],
    ["task", { task: { fingerprint: "abd" } }],
    ["method", { method: "distillT1" }],
  ];
  for (const [what, over] of changes) {
    const before = c.calls();
    const r = await cachedRow(key(over), c.compute, { dir, log: () => {} });
    assert.equal(r.source, "computed", `a changed ${what} must recompute`);
    assert.equal(c.calls(), before + 1);
    assert.notEqual(r.configHash, first.configHash);
  }
  // Key order inside the config does not matter (stable hash).
  assert.equal(rowConfigHash(key({ config: { hidden: [32], epochs: 5 } })), first.configHash);
});

test("a corrupt, stale or foreign record is recomputed and overwritten, never loaded", async () => {
  const cases: Array<[string, (file: string, good: string) => string]> = [
    ["truncated JSON", (_f, good) => good.slice(0, good.length / 2)],
    ["empty file", () => ""],
    ["a different config hash inside", (_f, good) => good.replace(/"configHash": "[0-9a-f]+"/, '"configHash": "0000000000000000"')],
    ["another seed's record", (_f, good) => good.replace(/"seed": 1/, '"seed": 7')],
    ["an old format", (_f, good) => good.replace(/"format": 1/, '"format": 0')],
    ["a row that fails its check", (_f, good) => good.replace(/"accuracy": [0-9.]+/, '"accuracy": 7')],
  ];
  for (const [what, damage] of cases) {
    const dir = tmp();
    const c = counter();
    const check = (row: { accuracy: number }) => (row.accuracy >= 0 && row.accuracy <= 1 ? undefined : `accuracy ${row.accuracy} outside [0, 1]`);
    await cachedRow(key(), c.compute, { dir, log: () => {}, check });
    const file = rowFile(key(), dir);
    fs.writeFileSync(file, damage(file, fs.readFileSync(file, "utf8")));
    const lines: string[] = [];
    const r = await cachedRow(key(), c.compute, { dir, log: (l) => lines.push(l), check });
    assert.equal(r.source, "computed", `${what}: must recompute`);
    assert.equal(c.calls(), 2, `${what}: compute runs again`);
    assert.match(lines[0], /computing it/, `${what}: the log says why`);
    const reread = await cachedRow(key(), c.compute, { dir, log: () => {}, check });
    assert.equal(reread.source, "cached", `${what}: the rewritten record is good`);
    assert.deepEqual(reread.row, { accuracy: 0.52 });
  }
});

test("refresh recomputes even a good record; bad method names and seeds are refused", async () => {
  const dir = tmp();
  const c = counter();
  await cachedRow(key(), c.compute, { dir, log: () => {} });
  const r = await cachedRow(key(), c.compute, { dir, log: () => {}, refresh: true });
  assert.equal(r.source, "computed");
  assert.equal(c.calls(), 2);
  assert.throws(() => rowFile(key({ method: "../evil" }), dir), /method name "..\/evil"/);
  assert.throws(() => rowFile(key({ seed: -1 }), dir), /seed=-1/);
});
