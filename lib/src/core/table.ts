/**
 * Tables for notebooks: an array of row objects or a danfojs-node DataFrame rendered as an HTML table
 * (nbconvert keeps text/html verbatim, so the table survives into the report), converted to a
 * DataFrame, or saved as CSV atomically. danfojs-node is required lazily: it is heavy to load and only
 * the notebooks that want a DataFrame should pay for it.
 */
import { escapeHtml } from "./plot";
import { displayHtml, inKernel } from "./display";
import { writeFileAtomic } from "./store";

export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

/** The part of a danfojs DataFrame this module uses. */
export interface DataFrameLike {
  columns: string[];
  values: unknown[][] | unknown[];
}

function isDataFrame(x: unknown): x is DataFrameLike {
  return !!x && typeof x === "object" && Array.isArray((x as DataFrameLike).columns) && Array.isArray((x as DataFrameLike).values);
}

/** Columns (in first-seen order) and rows of either input. */
export function tableData(input: Row[] | DataFrameLike): { columns: string[]; rows: Cell[][] } {
  if (isDataFrame(input)) {
    const columns = input.columns.map(String);
    const rows = (input.values as unknown[]).map((r) => (Array.isArray(r) ? (r as Cell[]) : [r as Cell]));
    return { columns, rows };
  }
  if (!Array.isArray(input)) {
    throw new Error(`expected an array of row objects or a danfojs DataFrame, got ${input === null ? "null" : typeof input}`);
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  input.forEach((row, i) => {
    if (!row || typeof row !== "object" || Array.isArray(row)) throw new Error(`row ${i} must be an object such as {name: "a", value: 1}, got ${JSON.stringify(row)}`);
    for (const k of Object.keys(row)) if (!seen.has(k)) (seen.add(k), columns.push(k));
  });
  return { columns, rows: input.map((row) => columns.map((c) => row[c])) };
}

export interface TableOptions {
  /** Caption above the table. */
  caption?: string;
  /** Significant digits for non-integer numbers (default 4). */
  digits?: number;
  /** Show at most this many rows (default 200); the rest is summarised in one line. */
  maxRows?: number;
}

function formatCell(v: Cell, digits: number): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
    return String(Number(v.toPrecision(digits)));
  }
  return String(v);
}

/** The table as an HTML string (escaped; numbers right-aligned). */
export function tableHtml(input: Row[] | DataFrameLike, opts: TableOptions = {}): string {
  const { columns, rows } = tableData(input);
  const digits = opts.digits ?? 4;
  const maxRows = opts.maxRows ?? 200;
  const shown = rows.slice(0, maxRows);
  const head = columns.map((c) => `<th style="text-align:left;padding:2px 8px">${escapeHtml(c)}</th>`).join("");
  const body = shown
    .map((r) => `<tr>${r.map((v) => `<td style="padding:2px 8px;text-align:${typeof v === "number" ? "right" : "left"}">${escapeHtml(formatCell(v, digits))}</td>`).join("")}</tr>`)
    .join("");
  const more = rows.length > shown.length ? `<div style="font-size:12px;color:#666">… ${rows.length - shown.length} more rows</div>` : "";
  const caption = opts.caption ? `<caption style="text-align:left;font-weight:bold">${escapeHtml(opts.caption)}</caption>` : "";
  return `<table class="kdh-table" style="border-collapse:collapse;font-size:13px">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

/** Plain-text rendering for consoles. */
export function tableText(input: Row[] | DataFrameLike, opts: TableOptions = {}): string {
  const { columns, rows } = tableData(input);
  const digits = opts.digits ?? 4;
  const cells = [columns, ...rows.map((r) => r.map((v) => formatCell(v, digits)))];
  const widths = columns.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? "").length)));
  const line = (r: string[]) => r.map((v, j) => (v ?? "").padEnd(widths[j])).join("  ").trimEnd();
  return [opts.caption ?? "", line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].filter((s, i) => i > 0 || s).join("\n");
}

/** Show a table in the notebook (a text table on the console outside a kernel). */
export function showTable(input: Row[] | DataFrameLike, opts: TableOptions = {}): void {
  if (inKernel()) displayHtml(tableHtml(input, opts));
  else console.log(tableText(input, opts));
}

/** A danfojs-node DataFrame from row objects (columns in first-seen order). */
export function toDataFrame(rows: Row[]): unknown {
  const { columns, rows: values } = tableData(rows);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dfd = require("danfojs-node") as { DataFrame: new (data: unknown, opts?: unknown) => unknown };
  return new dfd.DataFrame(values, { columns });
}

function csvField(v: Cell): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text (RFC 4180 quoting) of either input; numbers at full precision. */
export function toCsv(input: Row[] | DataFrameLike): string {
  const { columns, rows } = tableData(input);
  return [columns.map(csvField).join(","), ...rows.map((r) => r.map(csvField).join(","))].join("\n") + "\n";
}

/** Save either input as CSV, atomically (a reader never sees half a file). */
export function saveCsv(input: Row[] | DataFrameLike, file: string): void {
  writeFileAtomic(file, toCsv(input));
}
