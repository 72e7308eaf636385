/** Tests for the full-scale reference records: only real full-default runs are copied, stale ones are flagged. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { configDrift, copyReference, fullDefaults, REFERENCE_DIR, referenceStatus } from "./reference";

const NB = "07_soft_targets_regulariser";

function writeRecord(dir: string, rec: Record<string, unknown>): string {
  const f = path.join(dir, `${NB}.json`);
  fs.writeFileSync(f, JSON.stringify(rec));
  return f;
}

test("a full-mode record of the full defaults is copied with machine and code version; quick or overridden runs are refused", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-ref-"));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-ref-out-"));
  try {
    const config = { ...fullDefaults(NB), mode: "full" };
    assert.equal(config.imageSize, 28, "full defaults resolve the full changes over the quick ones");
    const rec = { notebook: NB, mode: "full", config, seeds: [0, 1, 2], headline: { x: 1 }, claims: [] };
    const written = copyReference(NB, writeRecord(dir, rec), out);
    const ref = JSON.parse(fs.readFileSync(written, "utf8"));
    assert.deepEqual(ref.config, config);
    assert.match(ref.reference.codeVersion, /^[0-9a-f]{16}$/);
    assert.ok(ref.reference.machine.cores >= 1);
    assert.equal(referenceStatus(NB, ref).status, "current");
    assert.throws(() => copyReference(NB, writeRecord(dir, { ...rec, mode: "quick" }), out), /quick-mode run; only full-mode runs are references/);
    assert.throws(() => copyReference(NB, writeRecord(dir, { ...rec, config: { ...config, seeds: [0] } }), out), /differ from the full defaults in seeds; a run with overrides is not a reference/);
    assert.throws(() => copyReference(NB, writeRecord(dir, { ...rec, notebook: "02_hinton_distillation" }), out), /not 07_soft_targets_regulariser/);
    assert.throws(() => copyReference(NB, path.join(dir, "missing.json"), out), /no result record/);
    assert.throws(() => copyReference(NB, writeRecord(dir, rec), out, { status: "failed", mode: "full" }), /last run ended "failed"; only a full-mode run that passed is a reference/);
    assert.ok(fs.existsSync(copyReference(NB, writeRecord(dir, rec), out, { status: "passed", mode: "full" })));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("a reference whose config no longer matches the full defaults is stale, naming what changed", () => {
  const config = { ...fullDefaults(NB), mode: "full" };
  assert.deepEqual(configDrift(NB, config), []);
  const changed = { ...config, maxEpochs: 99, removedLater: 1 };
  assert.deepEqual(configDrift(NB, changed), ["maxEpochs", "removedLater"]);
  const s = referenceStatus(NB, { mode: "full", config: changed });
  assert.equal(s.status, "stale");
  assert.match((s as { why: string }).why, /full defaults changed since \(maxEpochs, removedLater\)/);
  assert.equal(referenceStatus(NB, { mode: "quick", config }).status, "stale");
});

test("every committed reference record matches its notebook's full defaults (re-run it or remove it otherwise)", () => {
  const files = fs.existsSync(REFERENCE_DIR) ? fs.readdirSync(REFERENCE_DIR).filter((f) => f.endsWith(".json")) : [];
  for (const f of files) {
    const nb = f.replace(/\.json$/, "");
    const s = referenceStatus(nb, JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, f), "utf8")));
    assert.equal(s.status, "current", `results/reference/${f} is stale: ${(s as { why?: string }).why}; re-run \`npm run reproduce -- --full --only ${nb.slice(0, 2)}\` and \`npx tsx scripts/reference.ts --only ${nb.slice(0, 2)}\`, or delete it`);
  }
});
