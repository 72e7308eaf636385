/**
 * The claims box at the top of every HTML report, rendered by the report step from the notebook's
 * results record (so it sits above the first cell whatever the notebook printed): per claim the paper's
 * figure, ours (mean ± sd, seeds, mode) and the verdict. When this run wrote no record (it stopped
 * before its last cell), the box lists the catalog's claims as "not run" and says why.
 */
import * as fs from "node:fs";
import { claimsBoxHtml, esc } from "../../lib/src/catalog/claims-box";
import { CATALOG } from "../../lib/src/catalog/catalog";
import { judgeAll, type ClaimResult } from "../../lib/src/catalog/verdicts";
import type { Mode } from "../../lib/src/core/config";

export interface RecordForBox {
  finishedAt?: number;
  mode?: string;
  claims?: ClaimResult[];
}

/** The box for one notebook: from a record written by this run (finishedAt ≥ runStart), else "not run". */
export function reportClaimsBox(notebook: string, record: RecordForBox | undefined, runStart: number, mode: Mode): string {
  const fresh = record && typeof record.finishedAt === "number" && record.finishedAt >= runStart;
  if (fresh && record!.claims) return claimsBoxHtml(record!.claims, { title: "Claims and verdicts of this run" });
  const entry = CATALOG.find((e) => e.notebook === notebook);
  const notRun = entry ? judgeAll(entry.claims, {}, mode, notebook) : [];
  const why = fresh ? "this run's record carries no claims" : "this run wrote no results record (it stopped before its last cell; see the error below)";
  return claimsBoxHtml(notRun, { title: `Claims and verdicts of this run: ${esc(why)}` });
}

/** Insert the box after the report's first heading (the notebook's title), or at the top of the body. */
export function insertClaimsBox(html: string, box: string): string {
  const h1 = html.indexOf("</h1>");
  if (h1 >= 0) return html.slice(0, h1 + 5) + "\n" + box + html.slice(h1 + 5);
  const body = /<body[^>]*>/i.exec(html);
  if (body) return html.slice(0, body.index + body[0].length) + "\n" + box + html.slice(body.index + body[0].length);
  return box + html;
}

/** Rewrite an exported report in place with its claims box. */
export function addClaimsBox(htmlFile: string, notebook: string, record: RecordForBox | undefined, runStart: number, mode: Mode): void {
  const html = fs.readFileSync(htmlFile, "utf8");
  const tmp = `${htmlFile}.claims-${process.pid}`;
  fs.writeFileSync(tmp, insertClaimsBox(html, reportClaimsBox(notebook, record, runStart, mode)));
  fs.renameSync(tmp, htmlFile);
}
