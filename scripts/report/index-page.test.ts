/** Tests for the index page: one row per notebook, status, links, escaping, stale numbers hidden. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatHeadline, indexHtml, recordOfLastRun, type NotebookStatus } from "./index-page";

test("formatHeadline rounds to 4 significant digits and truncates long lists", () => {
  assert.equal(formatHeadline({ a: 0.123456, b: 74, c: "x" }), "a=0.1235, b=74, c=x");
  assert.equal(formatHeadline(undefined), "");
  assert.equal(formatHeadline({ long: "y".repeat(50) }, 20).length, 20);
});

test("index cards: title and paper from the catalog, verdicts of this run, errors, stale records hidden, no key=value", () => {
  const t = Date.parse("2026-01-01T00:10:00Z");
  const status: Record<string, NotebookStatus> = {
    "00_tour": { name: "00_tour", status: "passed", seconds: 12.34, mode: "quick", finishedAt: new Date(t).toISOString(), html: "html/00_tour.html", executed: "notebooks/00_tour.ipynb" },
    "02_hinton_distillation": { name: "02_hinton_distillation", status: "failed", seconds: 60, mode: "quick", finishedAt: new Date(t).toISOString(), error: "error in cell 4: <boom>", html: "html/02_hinton_distillation.html" },
  };
  const claim = { id: "distilled-beats-hard", statement: "Distilled beats hard.", paperFigure: "74 vs 146", source: "s3", metric: "m", unit: "u", rule: "r", mode: "quick", verdict: "not reproduced", mustHold: false, why: "w", ours: [{ metric: "distilledErrors", mean: 193.7, sd: 3, n: 3 }] } as const;
  const results = {
    "00_tour": { headline: { entropyAtT1: 0.15 }, backend: "wasm", finishedAt: t - 1000, claims: [] },
    // Written during the failed run (before a must-hold claim failed): its verdicts are shown.
    "02_hinton_distillation": { headline: { stale: 1 }, finishedAt: t - 5000, claims: [claim] },
    "03_temperature": { headline: { old: 2 }, backend: "cpu", finishedAt: t, claims: [{ ...claim, statement: "Old claim." }] },
  };
  const html = indexHtml(["00_tour", "02_hinton_distillation", "03_temperature"], status, results as never, new Date(0), { "00_tour": "thumbs/00_tour.png" });
  assert.match(html, /<a href="html\/00_tour\.html"><img class="thumb" src="thumbs\/00_tour\.png"/);
  assert.equal((html.match(/<img/g) ?? []).length, 1, "a thumbnail only where one exists");
  assert.match(html, /<a href="html\/00_tour\.html">A tour: backends/);
  assert.match(html, /Hinton, Vinyals &amp; Dean \(2015\)/);
  assert.match(html, /no paper claims: code checks only/);
  assert.match(html, /Distilled beats hard\./);
  assert.match(html, /ours: distilledErrors 193\.7 ± 3 \(3 seeds\) · paper: 74 vs 146/);
  assert.match(html, /error in cell 4: &lt;boom&gt;/);
  assert.ok(!html.includes("Old claim."), "a notebook not run shows no verdicts");
  assert.ok(!/\w=\d/.test(html.replace(/<[^>]*>/g, "")), "no raw key=value strings in the text");
  assert.match(html, /1 passed, 1 failed, 1 not run/);
});

test("an interrupted notebook shows as interrupted, with what stopped it", () => {
  const status: Record<string, NotebookStatus> = {
    "04_x": { name: "04_x", status: "interrupted", seconds: 7, mode: "quick", finishedAt: "t", error: "interrupted in cell 3: stopped by SIGINT after 7.0 s" },
  };
  const html = indexHtml(["04_x", "05_y"], status, {}, new Date(0));
  assert.match(html, /<section class="card interrupted">/);
  assert.match(html, /<span class="st">interrupted · 7 s · quick<\/span>/);
  assert.match(html, /interrupted in cell 3: stopped by SIGINT after 7\.0 s/);
  assert.match(html, /0 passed, 0 failed, 1 interrupted, 1 not run/);
});

test("recordOfLastRun: only a record written during the last run counts", () => {
  const s: NotebookStatus = { name: "x", status: "passed", seconds: 10, mode: "quick", finishedAt: new Date(20_000).toISOString() };
  assert.ok(recordOfLastRun(s, { finishedAt: 15_000 }));
  assert.equal(recordOfLastRun(s, { finishedAt: 5_000 }), undefined);
  assert.equal(recordOfLastRun(undefined, { finishedAt: 15_000 }), undefined);
});

test("a card shows the committed full-scale reference's verdicts, or 'stale' when its config is no longer the full defaults", async () => {
  const { fullDefaults } = await import("../reference");
  const cfg = { ...fullDefaults("02_hinton_distillation"), mode: "full" };
  const claims = [{ id: "distilled-beats-hard", verdict: "reproduced" }];
  const current = indexHtml(["02_hinton_distillation"], {}, {}, new Date(0), {}, { "02_hinton_distillation": { mode: "full", config: cfg, finishedAtIso: "2026-12-02T00:00:00Z", claims } as never });
  assert.match(current, /full-scale reference \(2026-12-02\): 1&nbsp;/);
  const stale = indexHtml(["02_hinton_distillation"], {}, {}, new Date(0), {}, { "02_hinton_distillation": { mode: "full", config: { ...cfg, studentEpochs: 2 }, claims } as never });
  assert.match(stale, /full-scale reference: stale \(the full defaults changed since \(studentEpochs\)\)/);
  assert.doesNotMatch(stale, /full-scale reference \(/);
});
