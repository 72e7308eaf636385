/**
 * reports/index.html, the front page: a card per notebook with its title, year and paper(s) from the
 * catalog, and the verdicts of its claims from the last run (coloured, with our figure beside the
 * paper's on hover), linking the HTML report and the executed notebook. Built from the catalog,
 * reports/status.json (the runner's memory of the last run of each notebook) and
 * reports/results/*.json (what the notebooks wrote).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CATALOG } from "../../lib/src/catalog/catalog";
import { VERDICTS, verdictCounts, type ClaimResult } from "../../lib/src/catalog/verdicts";
import { num, verdictBadge } from "../../lib/src/catalog/claims-box";
import { referenceStatus } from "../reference";

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
  mode?: string;
  claims?: ClaimResult[];
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

/** The record, when it was written by the notebook's last run (a failed run may still have written it before a must-hold claim failed). */
export function recordOfLastRun(s: NotebookStatus | undefined, r: HeadlineRecord | undefined): HeadlineRecord | undefined {
  if (!s || !r || typeof r.finishedAt !== "number") return undefined;
  const runStart = Date.parse(s.finishedAt) - s.seconds * 1000;
  return Number.isFinite(runStart) && r.finishedAt >= runStart - 1000 ? r : undefined;
}

function claimList(claims: ClaimResult[]): string {
  return claims
    .map((c) => {
      const ours = c.ours.map((f) => `${f.metric} ${num(f.mean)}${f.n > 1 ? ` ± ${num(f.sd)} (${f.n} seeds)` : ""}`).join(" vs ");
      const title = `${c.why}${c.paperFigure ? ` | paper: ${c.paperFigure} (${c.source})` : ` | ${c.source}`}`;
      return `<li title="${esc(title)}">${verdictBadge(c.verdict)} ${esc(c.statement)}${ours ? `<div class="ours">ours: ${esc(ours)}${c.paperFigure ? ` · paper: ${esc(c.paperFigure)}` : ""}</div>` : ""}</li>`;
    })
    .join("");
}

/**
 * One card line for a committed full-scale reference record (results/reference/): its verdicts and date,
 * or "stale" with why (its config is no longer the notebook's full defaults), never shown as current.
 */
export function referenceLine(name: string, ref: (HeadlineRecord & { mode?: string; config?: Record<string, unknown>; finishedAtIso?: string }) | undefined): string {
  if (!ref) return "";
  const s = referenceStatus(name, ref);
  if (s.status === "stale") return `<div class="small">full-scale reference: stale (${esc(s.why)})</div>`;
  const counts = verdictCounts(ref.claims ?? []);
  return `<div class="small">full-scale reference (${esc(ref.finishedAtIso?.slice(0, 10) ?? "?")}): ${VERDICTS.filter((v) => counts[v]).map((v) => `${counts[v]}&nbsp;${verdictBadge(v)}`).join(" ") || "no claims"}</div>`;
}

export function indexHtml(notebooks: string[], status: Record<string, NotebookStatus>, results: Record<string, HeadlineRecord | undefined>, generatedAt = new Date(), thumbs: Record<string, string> = {}, references: Record<string, HeadlineRecord | undefined> = {}): string {
  const entries = new Map(CATALOG.map((e) => [e.notebook, e]));
  const allClaims: ClaimResult[] = [];
  const cards = notebooks.map((name) => {
    const s = status[name];
    const e = entries.get(name);
    const rec = recordOfLastRun(s, results[name]);
    const claims = rec?.claims ?? [];
    allClaims.push(...claims);
    const cls = s ? s.status : "notrun";
    const label = s ? s.status : "not run";
    const title = e?.title ?? name;
    const heading = s?.html ? `<a href="${esc(s.html)}">${esc(title)}</a>` : esc(title);
    const papers = e && e.papers.length ? e.papers.map((p) => `${esc(p.authors)} (${p.year}), <i>${esc(p.title)}</i>`).join("; ") : esc(e?.method ?? "");
    const counts = verdictCounts(claims);
    const summary = claims.length ? VERDICTS.filter((v) => counts[v]).map((v) => `${counts[v]}&nbsp;${verdictBadge(v)}`).join(" ") : e && !e.claims.length ? `<span class="small">no paper claims: code checks only</span>` : `<span class="small">no verdicts from this run</span>`;
    const links = [s?.html ? `<a href="${esc(s.html)}">report</a>` : "", s?.executed ? `<a href="${esc(s.executed)}">executed notebook</a>` : ""].filter(Boolean).join(" · ");
    const err = s?.error ? `<pre class="err">${esc(s.error)}</pre>` : "";
    return `<section class="card ${cls}">
<div class="top"><span class="nb">${esc(name.slice(0, 2))}</span><span class="year">${esc(e?.year ?? "")}</span><span class="st">${esc(label)}${s ? ` · ${s.seconds.toFixed(0)} s · ${esc(s.mode)}` : ""}</span></div>
<h2>${heading}</h2>
<div class="paper">${papers}</div>
${thumbs[name] ? `${s?.html ? `<a href="${esc(s.html)}">` : ""}<img class="thumb" src="${esc(thumbs[name])}" alt="key figure of ${esc(name)}">${s?.html ? "</a>" : ""}` : ""}
<div class="verdicts">${summary}</div>${referenceLine(name, references[name])}
${claims.length ? `<ul class="claims">${claimList(claims)}</ul>` : ""}${err}
<div class="links small">${links}${rec?.backend ? ` · backend ${esc(rec.backend)}` : ""}</div>
</section>`;
  });
  const passed = notebooks.filter((n) => status[n]?.status === "passed").length;
  const failed = notebooks.filter((n) => status[n]?.status === "failed").length;
  const stopped = notebooks.filter((n) => status[n]?.status === "interrupted").length;
  const totals = verdictCounts(allClaims);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Knowledge distillation history: does each method do what its paper says?</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; background: #f6f8fa; }
h1 { margin-bottom: 0.2em; } .lead { color: #444; max-width: 60em; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 14px; }
.card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 14px; }
.card.failed { border-color: #cf222e; } .card.interrupted { border-color: #9a6700; } .card.notrun { opacity: 0.75; }
.card h2 { font-size: 17px; margin: 4px 0; } .card h2 a { color: #0b4f9c; text-decoration: none; }
.top { display: flex; gap: 10px; font-size: 12px; color: #666; } .nb { font-weight: bold; color: #222; } .st { margin-left: auto; }
.card.passed .st { color: #1a7f37; } .card.failed .st { color: #cf222e; font-weight: bold; } .card.interrupted .st { color: #9a6700; font-weight: bold; }
.paper { font-size: 13px; color: #444; margin-bottom: 6px; } .verdicts { margin: 6px 0; }
ul.claims { padding-left: 0; list-style: none; margin: 4px 0; font-size: 13px; } ul.claims li { margin: 5px 0; }
.ours { font-size: 11px; color: #666; margin-left: 4px; }
img.thumb { width: 100%; max-height: 210px; object-fit: contain; object-position: left top; border: 1px solid #eee; border-radius: 4px; margin: 4px 0; }
.small { font-size: 12px; color: #666; } pre.err { white-space: pre-wrap; font-size: 12px; color: #cf222e; margin: 4px 0 0; }
</style></head><body>
<h1>Knowledge distillation, from GMDH to Hinton et al.</h1>
<p class="lead">Each card is one notebook: the paper it reproduces and, for each of the paper's claims, the verdict computed by the last run (<b>reproduced</b>: holds, significantly where seeds vary; <b>partial</b>: right direction but not significant, or outside the paper's band; <b>not reproduced</b>: the opposite direction; <b>not run</b>: not measured in this mode). Hover a claim for its figures.</p>
<p>${passed} passed, ${failed} failed, ${stopped ? `${stopped} interrupted, ` : ""}${notebooks.length - passed - failed - stopped} not run · claims: ${VERDICTS.map((v) => `${totals[v]}&nbsp;${verdictBadge(v)}`).join(" ")} · generated ${esc(generatedAt.toISOString())} · every report works offline · <a href="api/index.html">library API reference</a></p>
<div class="grid">
${cards.join("\n")}
</div>
</body></html>
`;
}
