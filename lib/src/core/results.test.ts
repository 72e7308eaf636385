/** Tests for result records: atomic write, added provenance, validation on write and read. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkNotebookName, readResults, resultsPath, writeResults } from "./results";
import { stableHash } from "./store";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-results-"));
process.env.KDH_REPORTS_DIR = dir;
process.env.KDH_MODE = "quick";

test("writeResults writes a complete record that readResults returns", () => {
  const config = { epochs: 2, temperature: 20 };
  const startedAt = Date.now() - 1500;
  const rec = writeResults("07_demo", { config, seed: 42, headline: { errors: 74, ok: true }, startedAt });
  const file = path.join(dir, "results", "07_demo.json");
  assert.equal(resultsPath("07_demo"), file);
  const onDisk = JSON.parse(fs.readFileSync(file, "utf8"));
  assert.deepEqual(onDisk, rec);
  assert.equal(rec.mode, "quick");
  assert.deepEqual(rec.seeds, [42]);
  assert.equal(rec.configHash, stableHash({ config, seeds: [42] }));
  assert.ok(rec.durationSeconds! >= 1.5 && rec.durationSeconds! < 60, `duration ${rec.durationSeconds}`);
  assert.equal(typeof rec.backend, "string");
  assert.deepEqual(readResults("07_demo"), rec);
  // no temp files left beside it
  assert.deepEqual(fs.readdirSync(path.join(dir, "results")), ["07_demo.json"]);
});

test("a different config gives a different hash", () => {
  const a = writeResults("08_a", { config: { lr: 0.1 }, headline: { x: 1 } });
  const b = writeResults("08_a", { config: { lr: 0.2 }, headline: { x: 1 } });
  assert.notEqual(a.configHash, b.configHash);
});

test("names, headlines and seeds are validated", () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ["../evil", { headline: { a: 1 } }, /not valid/],
    ["00_tour.ipynb", { headline: { a: 1 } }, /not valid/],
    ["tour", { headline: { a: 1 } }, /not valid/],
    ["00_tour", { headline: { a: NaN } }, /headline\.a/],
    ["00_tour", { headline: { a: [1] } }, /headline\.a/],
    ["00_tour", {}, /headline/],
    ["00_tour", { headline: {}, seed: 1.5 }, /seed 1\.5/],
  ];
  for (const [name, input, re] of bad) {
    assert.throws(() => writeResults(name, input as never), re, `${name} ${JSON.stringify(input)}`);
  }
  assert.equal(checkNotebookName("12_hinton-2015"), "12_hinton-2015");
});

test("readResults: undefined when absent, a clear error when corrupt", () => {
  assert.equal(readResults("99_absent"), undefined);
  fs.writeFileSync(path.join(dir, "results", "98_bad.json"), "{ half");
  assert.throws(() => readResults("98_bad"), /98_bad\.json is not valid JSON/);
  fs.writeFileSync(path.join(dir, "results", "97_other.json"), JSON.stringify({ notebook: "00_tour", headline: {} }));
  assert.throws(() => readResults("97_other"), /not a result record of 97_other/);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("claims: judged claims are carried as they are; anything else is rejected", () => {
  const claim = { id: "a-claim", statement: "s", verdict: "partial", mode: "quick", why: "w", ours: [{ metric: "m", mean: 1, sd: 0, n: 1 }], source: "paper" };
  const rec = writeResults("06_claims", { headline: { x: 1 }, claims: [claim] as never });
  assert.deepEqual(readResults("06_claims")!.claims, [claim]);
  assert.equal(rec.claims![0].verdict, "partial");
  assert.throws(() => writeResults("06_claims", { headline: { x: 1 }, claims: [{ ...claim, verdict: "maybe" }] as never }), /not a judged claim/);
  assert.throws(() => writeResults("06_claims", { headline: { x: 1 }, claims: [claim, claim] as never }), /appears twice/);
  assert.throws(() => writeResults("06_claims", { headline: { x: 1 }, claims: "reproduced" as never }), /claims must be the list/);
});
