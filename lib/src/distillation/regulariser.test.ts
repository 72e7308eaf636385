/** Tests for section 5 (soft targets as a regulariser): shares, the gap closed, and resume after a kill. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gapClosedPerSeed, repeatIndices, roundCopies, shareIndices } from "./regulariser";

test("shares: seeded, nested within a seed (3% inside 10%), sizes rounded, bad shares named", () => {
  const a = shareIndices(1000, 0.03, 5);
  const b = shareIndices(1000, 0.1, 5);
  assert.equal(a.length, 30);
  assert.equal(b.length, 100);
  assert.deepEqual(Array.from(a), Array.from(b.slice(0, 30)), "the smaller share is inside the larger one");
  assert.deepEqual(Array.from(shareIndices(1000, 0.03, 5)), Array.from(a), "same seed, same images");
  assert.notDeepEqual(Array.from(shareIndices(1000, 0.03, 6)), Array.from(a), "another seed, other images");
  assert.equal(new Set(b).size, 100, "no image twice");
  assert.equal(shareIndices(1000, 1, 0).length, 1000);
  for (const bad of [0, -0.1, 1.5, NaN]) assert.throws(() => shareIndices(1000, bad, 0), /share=.* must be in \(0, 1\]/);
  assert.throws(() => shareIndices(10, 0.01, 0), /is empty/);
});

test("rounds: a small share is repeated in whole copies to fill a round; a large one is not", () => {
  // 150 images (3% of 5,000) in rounds of 5,000: ceil(5000 / 150) = 34 copies, 5,100 images per round.
  for (const [n, round, copies] of [[150, 5000, 34], [5000, 5000, 1], [5001, 5000, 1], [1650, 5500, 4], [30, 0, 1], [1, 7, 7]]) {
    assert.equal(roundCopies(n, round), copies, `${n} images, rounds of ${round}`);
  }
  assert.deepEqual(Array.from(repeatIndices(new Int32Array([4, 2, 9]), 3)), [4, 2, 9, 4, 2, 9, 4, 2, 9]);
  assert.deepEqual(Array.from(repeatIndices(new Int32Array([7]), 1)), [7]);
  assert.throws(() => roundCopies(0, 100), /at least one image, got 0/);
});

test("gap closed: per-seed numerators over the mean gap (hand arithmetic), NaN when there is no gap", () => {
  // Paper, as errors of 100: hard 3% 55.5, soft 3% 43.0, all 41.1 → (55.5 − 43) / (55.5 − 41.1) = 0.868.
  assert.ok(Math.abs(gapClosedPerSeed([55.5], [43.0], [41.1])[0] - 12.5 / 14.4) < 1e-12);
  // hard [100, 110, 120] mean 110, full [60, 60, 60] → gap 50; soft [80, 100, 100] → [0.4, 0.2, 0.4].
  const g = gapClosedPerSeed([100, 110, 120], [80, 100, 100], [60, 60, 60]);
  [0.4, 0.2, 0.4].forEach((v, i) => assert.ok(Math.abs(g[i] - v) < 1e-12, `seed ${i}: ${g[i]} vs ${v}`));
  assert.ok(gapClosedPerSeed([50, 50], [40, 40], [60, 60]).every(Number.isNaN), "full data worse than 3%: no gap to close");
  assert.throws(() => gapClosedPerSeed([1, 2], [1], [0, 0]), /pair by seed/);
});

test("a grid killed mid-way resumes: the finished arm×seed runs are reused, the rest computed, the numbers as an unbroken run's", () => {
  const child = path.join(__dirname, "regulariser-kill.fixture.ts");
  const run = (dir: string, ...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", child, dir, ...args], { encoding: "utf8", env: { ...process.env, KDH_CACHE_DIR: dir } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-s5-kill-"));
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-s5-fresh-"));
  try {
    const killed = run(dir, "kill", "5");
    assert.equal(killed.signal, "SIGKILL", `the child was not killed: ${killed.stderr}`);
    const records = fs.readdirSync(path.join(dir, "runs", "kill-test")).filter((f) => f.endsWith(".json"));
    assert.equal(records.length, 5, "five finished runs were stored before the kill");
    const resumed = run(dir, "resume");
    assert.equal(resumed.status, 0, resumed.stderr);
    const a = JSON.parse(resumed.stdout.trim().split("\n").pop()!);
    // 3 shares × 2 arms × (2 learning rates + 2 more seeds) = 24 runs.
    assert.equal(a.runsFromCache, 5, "the five finished runs were reused");
    assert.equal(a.runsComputed, 19, "only the missing runs were computed");
    const b = JSON.parse(run(fresh, "resume").stdout.trim().split("\n").pop()!);
    assert.equal(b.runsFromCache, 0);
    assert.equal(b.runsComputed, 24);
    assert.deepEqual(a.results, b.results, "a resumed grid gives the same numbers as an unbroken one");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(fresh, { recursive: true, force: true });
  }
});
