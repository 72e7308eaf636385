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
  /** Which headline keys of the results record to show (default: the first four). */
  headline?: string[];
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
    const keys = c.headline ?? Object.keys(h).slice(0, 4);
    const headline = keys.filter((k) => k in h).map((k) => `${k} ${formatValue(h[k])}`).join("; ") || "-";
    rows.push(`| [${name}](notebooks/${name}.ipynb) | ${c.method} | ${c.paper} | ${c.year} | ${c.data} | ${c.models} | ${time} | ${headline} |`);
  }
  // "none": a notebook that made no tensors (plain-JS simulations) never chose a backend.
  const backends = [...new Set(Object.values(results).map((r) => r.backend).filter((b) => b && b !== "none"))];
  rows.push("", `Times and numbers from the last \`npm run reproduce\` on this machine (backend: ${backends.join(", ") || "unknown"}); regenerate with \`npx tsx scripts/update-readme.ts\`.`);
  return rows.join("\n");
}

interface BenchJson {
  date?: string;
  machine?: { cpu?: string; cores?: number; node?: string; loadAverage?: number[] };
  defaultBackend?: string;
  rows?: { name: string; describe?: string }[];
  measurements?: { row: string; backend: string; ms?: number; examplesPerSec?: number; skipped?: string; error?: string }[];
  peer?: { torch?: string; threads?: number; missing?: string; rows?: Record<string, { ms: number; examples: number }> };
}

/** The benchmark as a markdown table: one line per row and backend, PyTorch last, throughput ratio ours/peer. */
export function benchTable(bench: BenchJson | undefined): string {
  if (!bench || !Array.isArray(bench.measurements)) return "No benchmark has been run yet: `npm run bench`.";
  const lines = ["| step | backend | ms | examples/s | ours/PyTorch |", "|---|---|---:|---:|---:|"];
  const describe = new Map((bench.rows ?? []).map((r) => [r.name, r.describe ?? r.name]));
  for (const name of [...new Set(bench.measurements.map((m) => m.row))]) {
    const peer = bench.peer?.rows?.[name];
    for (const m of bench.measurements.filter((x) => x.row === name)) {
      const ms = m.ms !== undefined ? m.ms.toFixed(1) : m.skipped ? "skipped" : "failed";
      const ratio = peer && m.ms ? (peer.ms / m.ms).toFixed(2) : "-";
      lines.push(`| ${describe.get(name)} | ${m.backend} | ${ms} | ${m.examplesPerSec ? m.examplesPerSec.toFixed(0) : "-"} | ${ratio} |`);
    }
    if (peer) lines.push(`| ${describe.get(name)} | PyTorch ${bench.peer?.torch ?? ""} | ${peer.ms.toFixed(1)} | ${((peer.examples * 1000) / peer.ms).toFixed(0)} | 1.00 |`);
  }
  const m = bench.machine ?? {};
  const load = m.loadAverage ? `; load average at the time ${m.loadAverage.map((v) => v.toFixed(1)).join(", ")}` : "";
  const peerNote = bench.peer?.missing ? ` PyTorch peer missing: ${bench.peer.missing}.` : ` PyTorch with ${bench.peer?.threads ?? "?"} threads.`;
  lines.push("", `Measured ${bench.date ?? ""} on ${m.cpu ?? "?"}, ${m.cores ?? "?"} cores, Node ${m.node ?? "?"}${load}; default backend ${bench.defaultBackend ?? "?"}.${peerNote} Medians after warm-up; ratios above 1 mean faster than PyTorch.`);
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
  text = replaceBetween(text, "bench", benchTable(readJson<BenchJson>(path.join(REPORTS, "bench", "bench.json"))));
  writeFileAtomic(readme, text);
  console.log(`README.md updated from ${Object.keys(status).length} notebook runs and ${Object.keys(results).length} result records`);
}

if (require.main === module) main();
