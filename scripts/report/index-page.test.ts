/** Tests for the index page: one row per notebook, status, links, escaping, stale numbers hidden. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatHeadline, indexHtml, type NotebookStatus } from "./index-page";

test("formatHeadline rounds to 4 significant digits and truncates long lists", () => {
  assert.equal(formatHeadline({ a: 0.123456, b: 74, c: "x" }), "a=0.1235, b=74, c=x");
  assert.equal(formatHeadline(undefined), "");
  assert.equal(formatHeadline({ long: "y".repeat(50) }, 20).length, 20);
});

test("index rows: passed links its report, failed shows its error, not-run is listed", () => {
  const status: Record<string, NotebookStatus> = {
    "00_tour": { name: "00_tour", status: "passed", seconds: 12.34, mode: "quick", finishedAt: "t", html: "html/00_tour.html", executed: "notebooks/00_tour.ipynb" },
    "01_x": { name: "01_x", status: "failed", seconds: 3, mode: "quick", finishedAt: "t", error: "error in cell 4: <boom>", html: "html/01_x.html" },
  };
  const results = { "00_tour": { headline: { entropyAtT1: 0.15 }, backend: "wasm" }, "01_x": { headline: { stale: 1 } }, "02_y": { headline: { old: 2 }, backend: "cpu" } };
  const html = indexHtml(["00_tour", "01_x", "02_y"], status, results, new Date(0));
  assert.match(html, /<a href="html\/00_tour\.html">00_tour<\/a>/);
  assert.match(html, /12\.3<\/td>/);
  assert.match(html, /entropyAtT1=0\.15/);
  assert.match(html, /error in cell 4: &lt;boom&gt;/);
  assert.ok(!html.includes("stale=1"), "a failed notebook's old numbers are not shown");
  assert.ok(!html.includes("old=2") && !html.includes(">cpu<"), "a notebook not run shows no numbers");
  assert.match(html, /1 passed, 1 failed, 1 not run/);
});

test("an interrupted notebook shows as interrupted, with what stopped it", () => {
  const status: Record<string, NotebookStatus> = {
    "04_x": { name: "04_x", status: "interrupted", seconds: 7, mode: "quick", finishedAt: "t", error: "interrupted in cell 3: stopped by SIGINT after 7.0 s" },
  };
  const html = indexHtml(["04_x", "05_y"], status, {}, new Date(0));
  assert.match(html, /<tr class="interrupted"><td>04_x<\/td><td class="st">interrupted<\/td>/);
  assert.match(html, /interrupted in cell 3: stopped by SIGINT after 7\.0 s/);
  assert.match(html, /0 passed, 0 failed, 1 interrupted, 1 not run/);
});
