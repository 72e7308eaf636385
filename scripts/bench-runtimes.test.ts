/** Tests for the benchmark's wall-time summary: which record wins, quick-suite sums, "not run". */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collectRunTimes, formatRunTimes, readRunTimes } from "./bench-runtimes";
import type { NotebookStatus } from "./report/index-page";

const st = (name: string, mode: "quick" | "full", seconds: number, status: "passed" | "failed" = "passed"): NotebookStatus =>
  ({ name, status, seconds, mode, finishedAt: `2026-01-0${seconds % 9 + 1}T00:00:00Z` });

test("quick suite sums the quick-mode times; a notebook last run in full mode counts as a full time", () => {
  const status = { "00_a": st("00_a", "quick", 10), "01_b": st("01_b", "quick", 20.5), "02_c": st("02_c", "full", 300) };
  const t = collectRunTimes(["00_a", "01_b", "02_c"], status, {});
  assert.deepEqual(t.quick.map((r) => r.seconds), [10, 20.5]);
  assert.deepEqual(t.quickMissing, ["02_c"]);
  assert.equal(t.full["02_c"]?.seconds, 300);
  assert.equal(t.full["00_a"], undefined);
  const lines = formatRunTimes(t, 3);
  assert.match(lines[0], /^quick suite: 30\.5 s over 2 of 3 notebooks \(not run: 02_c\)/);
  assert.deepEqual(lines.slice(1).map((l) => l.replace(/ \(status.*$/, "")), ["full 00_a: not run", "full 01_b: not run", "full 02_c: 5.0 min"]);
});

test("a result record fills in when the runner's status is missing or of the other mode", () => {
  const t = collectRunTimes(
    ["00_a", "01_b", "02_c"],
    { "00_a": st("00_a", "quick", 12) },
    {
      "00_a": { mode: "full", durationSeconds: 999 }, // a full run recorded by the notebook, quick run by the runner
      "01_b": { mode: "full", durationSeconds: 95.5, finishedAtIso: "2026-01-02T00:00:00Z" },
      "02_c": { mode: "full" }, // no duration: not run
    },
  );
  assert.equal(t.quick[0].source, "status");
  assert.equal(t.full["00_a"]?.seconds, 999, "the notebook's full-mode record gives its full time");
  assert.deepEqual(t.full["01_b"], { notebook: "01_b", seconds: 95.5, source: "result record", finishedAt: "2026-01-02T00:00:00Z" });
  assert.equal(t.full["02_c"], undefined);
});

test("failed runs are marked; nothing at all gives 'not run'", () => {
  const t = collectRunTimes(["00_a"], { "00_a": st("00_a", "quick", 4, "failed") }, {});
  assert.match(formatRunTimes(t, 1)[0], /\(failed: 00_a\)/);
  assert.deepEqual(formatRunTimes(collectRunTimes(["00_a"], {}, {}), 1), ["quick suite: not run (no quick-mode run records)", "full 00_a: not run"]);
});

test("readRunTimes reads status.json and results/*.json, and survives an unreadable record", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-runtimes-"));
  fs.mkdirSync(path.join(dir, "results"));
  fs.writeFileSync(path.join(dir, "status.json"), JSON.stringify({ "00_a": st("00_a", "quick", 7) }));
  fs.writeFileSync(path.join(dir, "results", "01_b.json"), JSON.stringify({ mode: "full", durationSeconds: 61 }));
  fs.writeFileSync(path.join(dir, "results", "02_c.json"), "{ not json");
  const t = readRunTimes(dir, ["00_a", "01_b", "02_c"]);
  assert.equal(t.quick.length, 1);
  assert.equal(t.full["01_b"]?.seconds, 61);
  assert.equal(t.full["02_c"], undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a full-mode time comes from the committed reference record when no local run has one; a local full run wins", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-runtimes-"));
  const refs = path.join(dir, "reference");
  fs.mkdirSync(path.join(dir, "results"));
  fs.mkdirSync(refs);
  fs.writeFileSync(path.join(dir, "status.json"), JSON.stringify({ "00_a": st("00_a", "quick", 7), "01_b": st("01_b", "full", 90) }));
  fs.writeFileSync(path.join(refs, "00_a.json"), JSON.stringify({ mode: "full", durationSeconds: 1500, finishedAtIso: "2026-11-30T01:00:00Z" }));
  fs.writeFileSync(path.join(refs, "01_b.json"), JSON.stringify({ mode: "full", durationSeconds: 1200 }));
  fs.writeFileSync(path.join(refs, "02_c.json"), JSON.stringify({ mode: "quick", durationSeconds: 5 }));
  const t = readRunTimes(dir, ["00_a", "01_b", "02_c"], refs);
  assert.deepEqual([t.full["00_a"]?.seconds, t.full["00_a"]?.source], [1500, "reference record"]);
  assert.deepEqual([t.full["01_b"]?.seconds, t.full["01_b"]?.source], [90, "status"]);
  assert.equal(t.full["02_c"], undefined);
  assert.match(formatRunTimes(t, 3).join("\n"), /full 00_a: 25\.0 min \(reference record, 2026-11-30T01:00:00Z\)/);
  fs.rmSync(dir, { recursive: true, force: true });
});
