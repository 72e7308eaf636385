/**
 * Rewrites the generated parts of README.md from the latest run, so no number in the README is typed
 * by hand: the notebook table (between `<!-- notebooks:start -->` and `<!-- notebooks:end -->`) from
 * notebooks/catalog.json, reports/status.json (seconds, mode) and reports/results/*.json (headline
 * numbers, backend); the benchmark table (between `<!-- bench:start -->` and `<!-- bench:end -->`)
 * from reports/bench/bench.json.
 *
 *   npx tsx scripts/update-readme.ts            (after `npm run reproduce` and `npm run bench`)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../lib/src/core/store";

const ROOT = path.resolve(__dirname, "..");
const REPORTS = process.env.KDH_REPORTS_DIR || path.join(ROOT, "reports");

interface CatalogEntry {
  method: string;
  paper: string;
  year: string;
  data: string;
  models: string;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

function formatValue(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3);
  return String(v);
}

export function notebookTable(catalog: Record<string, CatalogEntry>, status: Record<string, { status: string; seconds: number; mode: string }>, results: Record<string, { headline?: Record<string, unknown>; backend?: string }>): string {
  const rows = ["| notebook | method | paper | year | data | teacher → student | quick-mode time | headline (from the last run) |", "|---|---|---|---|---|---|---|---|"];
  for (const [name, c] of Object.entries(catalog)) {
    if (!fs.existsSync(path.join(ROOT, "notebooks", `${name}.ipynb`))) continue;
    const s = status[name];
    const time = s && s.mode === "quick" ? `${s.seconds.toFixed(0)} s${s.status === "passed" ? "" : ` (${s.status})`}` : "not run yet";
    const h = results[name]?.headline ?? {};
    const headline = Object.entries(h).slice(0, 4).map(([k, v]) => `${k} ${formatValue(v)}`).join("; ") || "-";
    rows.push(`| [${name}](notebooks/${name}.ipynb) | ${c.method} | ${c.paper} | ${c.year} | ${c.data} | ${c.models} | ${time} | ${headline} |`);
  }
  const backends = [...new Set(Object.values(results).map((r) => r.backend).filter(Boolean))];
  rows.push("", `Times and numbers from the last \`npm run reproduce\` on this machine (backend: ${backends.join(", ") || "unknown"}); regenerate with \`npx tsx scripts/update-readme.ts\`.`);
  return rows.join("\n");
}

export function benchTable(bench: { machine?: Record<string, unknown>; rows?: Record<string, unknown>[] } | undefined): string {
  if (!bench || !Array.isArray(bench.rows)) return "No benchmark has been run yet: `npm run bench`.";
  const cols = Object.keys(bench.rows[0] ?? {});
  const lines = [`| ${cols.join(" | ")} |`, `|${cols.map(() => "---").join("|")}|`];
  for (const r of bench.rows) lines.push(`| ${cols.map((c) => formatValue(r[c] ?? "")).join(" | ")} |`);
  const m = bench.machine ?? {};
  lines.push("", `Machine: ${Object.entries(m).map(([k, v]) => `${k} ${formatValue(v)}`).join(", ")}.`);
  return lines.join("\n");
}

function replaceBetween(text: string, tag: string, body: string): string {
  const start = `<!-- ${tag}:start -->`;
  const end = `<!-- ${tag}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md lacks the markers ${start} … ${end}`);
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

function main(): void {
  const catalog = readJson<Record<string, CatalogEntry>>(path.join(ROOT, "notebooks", "catalog.json"));
  if (!catalog) throw new Error("notebooks/catalog.json is missing or not valid JSON");
  const status = readJson<Record<string, { status: string; seconds: number; mode: string }>>(path.join(REPORTS, "status.json")) ?? {};
  const resultsDir = path.join(REPORTS, "results");
  const results: Record<string, { headline?: Record<string, unknown>; backend?: string }> = {};
  if (fs.existsSync(resultsDir)) {
    for (const f of fs.readdirSync(resultsDir).filter((f) => f.endsWith(".json"))) {
      const r = readJson<{ headline?: Record<string, unknown>; backend?: string }>(path.join(resultsDir, f));
      if (r) results[f.replace(/\.json$/, "")] = r;
    }
  }
  const readme = path.join(ROOT, "README.md");
  let text = fs.readFileSync(readme, "utf8");
  text = replaceBetween(text, "notebooks", notebookTable(catalog, status, results));
  text = replaceBetween(text, "bench", benchTable(readJson(path.join(REPORTS, "bench", "bench.json"))));
  writeFileAtomic(readme, text);
  console.log(`README.md updated from ${Object.keys(status).length} notebook runs and ${Object.keys(results).length} result records`);
}

if (require.main === module) main();
