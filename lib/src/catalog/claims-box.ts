/**
 * The claims box: what a reader sees first in a report and in the notebook — per claim the paper's
 * figure, ours (mean ± sd, seeds, mode) and the verdict, coloured. Plain HTML with inline styles, so it
 * renders the same in Jupyter, in the exported report and on the index page.
 */
import { displayHtml, inKernel } from "../core/display";
import { verdictCounts, VERDICTS, type ClaimResult, type MeasuredFigure, type Verdict } from "./verdicts";

export const VERDICT_COLOURS: Record<Verdict, { fg: string; bg: string }> = {
  reproduced: { fg: "#fff", bg: "#1a7f37" },
  partial: { fg: "#222", bg: "#f2c94c" },
  "not reproduced": { fg: "#fff", bg: "#cf222e" },
  "not run": { fg: "#fff", bg: "#8c959f" },
};

export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

export const num = (x: number) => (!Number.isFinite(x) ? "–" : Math.abs(x) >= 100 ? x.toFixed(1) : Number(x.toPrecision(3)).toString());

export function verdictBadge(v: Verdict): string {
  const c = VERDICT_COLOURS[v];
  return `<span class="kdh-verdict" style="display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;color:${c.fg};background:${c.bg}">${esc(v)}</span>`;
}

export function figureText(f: MeasuredFigure): string {
  return f.n > 1 ? `${num(f.mean)} ± ${num(f.sd)} <span style="color:#666">(${f.n} seeds)</span>` : `${num(f.mean)} <span style="color:#666">(1 run)</span>`;
}

/** The box, from judged claims. `title` defaults to "Claims and verdicts". */
export function claimsBoxHtml(claims: readonly ClaimResult[], opts: { title?: string; mode?: string } = {}): string {
  const mode = opts.mode ?? claims[0]?.mode ?? "";
  if (!claims.length) return `<div class="kdh-claims" style="border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:8px 0;font-family:system-ui,sans-serif;font-size:14px"><b>${esc(opts.title ?? "Claims and verdicts")}</b>: this notebook reproduces no paper's claim; its checks are code checks.</div>`;
  const counts = verdictCounts(claims);
  const summary = VERDICTS.filter((v) => counts[v]).map((v) => `${counts[v]} ${verdictBadge(v)}`).join(" ");
  const rows = claims.map((c) => {
    const ours = c.ours.length ? c.ours.map((f) => `<div><code style="font-size:12px">${esc(f.metric)}</code> ${figureText(f)}</div>`).join("") : `<span style="color:#666">not measured</span>`;
    return `<tr style="border-top:1px solid #eee;vertical-align:top">
<td style="padding:4px 8px">${verdictBadge(c.verdict)}${c.mustHold ? `<div style="font-size:11px;color:#666">must hold in ${esc(c.mode)}</div>` : ""}</td>
<td style="padding:4px 8px"><b>${esc(c.statement)}</b><div style="font-size:12px;color:#555">${esc(c.why)}</div></td>
<td style="padding:4px 8px;font-size:13px">${c.paperFigure ? esc(c.paperFigure) : `<span style="color:#666">no figure</span>`}<div style="font-size:11px;color:#666">${esc(c.source)}</div></td>
<td style="padding:4px 8px;font-size:13px">${ours}<div style="font-size:11px;color:#666">${esc(c.unit)}</div></td>
</tr>`;
  });
  return `<div class="kdh-claims" style="border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:8px 0;font-family:system-ui,sans-serif;font-size:14px">
<div style="margin-bottom:6px"><b>${esc(opts.title ?? "Claims and verdicts")}</b> · ${esc(mode)} mode · ${summary}</div>
<table style="border-collapse:collapse;width:100%"><thead><tr style="text-align:left;font-size:12px;color:#555"><th style="padding:2px 8px;width:10.5em">verdict</th><th style="padding:2px 8px;width:42%">claim</th><th style="padding:2px 8px;width:25%">paper</th><th style="padding:2px 8px">ours</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
<div style="font-size:11px;color:#666;margin-top:4px">Verdicts are computed from this run: reproduced = holds (significantly: mean difference &gt; 2 standard errors over ≥ 3 seeds, paired by seed; within the band where the paper gives a number); partial = right direction but not significant, or outside the band; not reproduced = the opposite direction; not run = not measured in this mode.</div>
</div>`;
}

/** Show the claims box in the notebook (or print it on a console). */
export function showClaims(claims: readonly ClaimResult[]): void {
  if (inKernel()) displayHtml(claimsBoxHtml(claims));
  else for (const c of claims) console.log(`[${c.verdict}] ${c.id}: ${c.why}`);
}
