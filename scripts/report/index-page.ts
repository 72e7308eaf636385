/**
 * reports/index.html: one row per notebook with its status, wall time, run size, backend and headline
 * numbers, linking the HTML report and the executed notebook. Built from reports/status.json (the
 * runner's memory of the last run of each notebook) and reports/results/*.json (what the notebooks wrote).
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface NotebookStatus {
  name: string;
  status: "passed" | "failed" | "interrupted";
  seconds: number;
  mode: "quick" | "full";
  finishedAt: string;
  /** One-paragraph failure description, when failed. */
  error?: string;
  /** Relative to reports/, when written. */
  html?: string;
  executed?: string;
}

export interface HeadlineRecord {
  headline?: Record<string, unknown>;
  backend?: string;
  finishedAt?: number;
}

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

export function formatHeadline(h: Record<string, unknown> | undefined, maxChars = 200): string {
  if (!h) return "";
  const parts = Object.entries(h).map(([k, v]) => `${k}=${typeof v === "number" ? Number(v.toPrecision(4)) : String(v)}`);
  const s = parts.join(", ");
  return s.length > maxChars ? s.slice(0, maxChars - 1) + "…" : s;
}

export function readStatus(file: string): Record<string, NotebookStatus> {
  if (!fs.existsSync(file)) return {};
  try {
    const v = JSON.parse(fs.readFileSync(file, "utf8"));
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch {
    return {}; // a corrupt status file only loses history; the run rewrites it
  }
}

export function readHeadline(resultsDir: string, name: string): HeadlineRecord | undefined {
  const f = path.join(resultsDir, `${name}.json`);
  if (!fs.existsSync(f)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(f, "utf8"));
  } catch {
    return undefined;
  }
}

export function indexHtml(notebooks: string[], status: Record<string, NotebookStatus>, results: Record<string, HeadlineRecord | undefined>, generatedAt = new Date()): string {
  const rows = notebooks.map((name) => {
    const s = status[name];
    const r = results[name];
    const cls = s ? s.status : "notrun";
    const label = s ? s.status : "not run";
    const link = s?.html ? `<a href="${esc(s.html)}">${esc(name)}</a>` : esc(name);
    const nb = s?.executed ? ` <a class="small" href="${esc(s.executed)}">.ipynb</a>` : "";
    const err = s?.error ? `<pre class="err">${esc(s.error)}</pre>` : "";
    return `<tr class="${cls}"><td>${link}${nb}</td><td class="st">${esc(label)}</td><td class="num">${s ? s.seconds.toFixed(1) : ""}</td><td>${esc(s?.mode ?? "")}</td><td>${esc(s ? (r?.backend ?? "") : "")}</td><td>${esc(formatHeadline(s?.status === "passed" ? r?.headline : undefined))}${err}</td><td class="small">${esc(s?.finishedAt ?? "")}</td></tr>`;
  });
  const passed = notebooks.filter((n) => status[n]?.status === "passed").length;
  const failed = notebooks.filter((n) => status[n]?.status === "failed").length;
  const stopped = notebooks.filter((n) => status[n]?.status === "interrupted").length;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Knowledge distillation history: reports</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; } th, td { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
td.num { text-align: right; } .small { font-size: 12px; color: #666; }
tr.passed td.st { color: #1a7f37; font-weight: bold; } tr.failed td.st { color: #cf222e; font-weight: bold; } tr.notrun td.st { color: #888; } tr.interrupted td.st { color: #9a6700; font-weight: bold; }
pre.err { white-space: pre-wrap; font-size: 12px; color: #cf222e; margin: 4px 0 0; max-width: 70em; }
</style></head><body>
<h1>Knowledge distillation, from GMDH to Hinton et al.: notebook reports</h1>
<p>${passed} passed, ${failed} failed, ${stopped ? `${stopped} interrupted, ` : ""}${notebooks.length - passed - failed - stopped} not run · generated ${esc(generatedAt.toISOString())} · every report is self-contained (plotly.js inlined) and works offline.</p>
<table><thead><tr><th>notebook</th><th>status</th><th>seconds</th><th>mode</th><th>backend</th><th>headline numbers</th><th>finished</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>
</body></html>
`;
}
