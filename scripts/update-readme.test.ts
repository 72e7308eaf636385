/** Tests for the README's generated notebook table: one row per catalog entry, verdicts of the quick run and of reference records. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { notebookTable, verdictSummary } from "./update-readme";
import { CATALOG } from "../lib/src/catalog/catalog";
import { fullDefaults } from "./reference";

test("verdict summaries count a record's verdicts; entries without claims say so", () => {
  assert.equal(verdictSummary({ claims: [{ id: "a", verdict: "reproduced" }, { id: "b", verdict: "not reproduced" }, { id: "c", verdict: "reproduced" }] }, 3), "2 ✅ reproduced, 1 ❌ not reproduced");
  assert.equal(verdictSummary(undefined, 3), "-");
  assert.equal(verdictSummary(undefined, 0), "code checks only");
});

test("the table has a row per catalog entry, quick verdicts only from quick records, reference verdicts with their date", () => {
  const quick = { "02_hinton_distillation": { mode: "quick", backend: "blas", claims: [{ id: "distilled-beats-hard", verdict: "not reproduced" as const }] }, "03_temperature": { mode: "full", claims: [{ id: "x", verdict: "reproduced" as const }] } };
  const reference = {
    "02_hinton_distillation": { mode: "full", config: { ...fullDefaults("02_hinton_distillation"), mode: "full" }, finishedAtIso: "2026-12-01T10:00:00Z", claims: [{ id: "distilled-beats-hard", verdict: "partial" as const }] },
    "04_omitted_class": { mode: "full", config: { ...fullDefaults("04_omitted_class"), studentEpochs: 3, mode: "full" }, finishedAtIso: "2026-12-01T10:00:00Z", claims: [{ id: "bias-shift-recovers-class", verdict: "reproduced" as const }] },
  };
  const table = notebookTable(CATALOG, { "02_hinton_distillation": { status: "passed", seconds: 120.4, mode: "quick" } }, quick, reference);
  const rows = table.split("\n").filter((l) => l.startsWith("| ["));
  assert.equal(rows.length, CATALOG.length);
  const r02 = rows.find((l) => l.includes("02_hinton_distillation"))!;
  assert.match(r02, /\| 120 s \| 1 ❌ not reproduced \| 1 🟡 partial \(2026-12-01\) \|$/);
  const r03 = rows.find((l) => l.includes("03_temperature"))!;
  assert.match(r03, /\| not run yet \| - \| no reference run yet \|$/, "a full-mode record is not shown as the quick run's");
  const r04 = rows.find((l) => l.includes("04_omitted_class"))!;
  assert.match(r04, /\| stale: the full defaults changed since \(studentEpochs\) \|$/, "a stale reference is never shown as current");
  assert.doesNotMatch(r04, /✅/);
  assert.match(table, /backend: blas/);
  assert.doesNotMatch(table, /\w=\d/, "no raw key=value strings");
});
