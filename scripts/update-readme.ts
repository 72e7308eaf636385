/**
 * Rewrites the generated parts of README.md from the latest run, so no number in the README is typed
 * by hand: the notebook table (between `<!-- notebooks:start -->` and `<!-- notebooks:end -->`) from
 * the catalog (lib/src/catalog), reports/status.json (seconds, mode), reports/results/*.json (the last
 * quick run's verdicts) and results/reference/*.json (committed full-scale reference records, when
 * there are any: their verdicts fill the last column); the benchmark table (between `<!-- bench:start -->` and `<!-- bench:end -->`)
 * from reports/bench/bench.json.
 *
 *   npx tsx scripts/update-readme.ts            (after `npm run reproduce` and `npm run bench`)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../lib/src/core/store";
import { CATALOG } from "../lib/src/catalog/catalog";
import type { CatalogEntry } from "../lib/src/catalog/types";
import { VERDICTS, verdictCounts, type Verdict } from "../lib/src/catalog/verdicts";
import { referenceStatus, type ReferenceRecordLike } from "./reference";

const ROOT = path.resolve(__dirname, "..");
const REPORTS = process.env.KDH_REPORTS_DIR || path.join(ROOT, "reports");

interface RecordLike {
  headline?: Record<string, unknown>;
  backend?: string;
  mode?: string;
  finishedAtIso?: string;
  claims?: Array<{ id: string; verdict: Verdict }>;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

const MARK: Record<Verdict, string> = { reproduced: "✅", partial: "🟡", "not reproduced": "❌", "not run": "⚪" };

/** "2 ✅ reproduced, 1 ❌ not reproduced" (verdict counts of a record), or a dash. */
export function verdictSummary(rec: RecordLike | undefined, claimCount: number): string {
  if (!claimCount) return "code checks only";
  if (!rec?.claims) return "-";
  const counts = verdictCounts(rec.claims);
  return VERDICTS.filter((v) => counts[v]).map((v) => `${counts[v]} ${MARK[v]} ${v}`).join(", ");
}

/**
 * One row per catalog entry whose notebook exists: method, paper, year, data, models, quick-mode time,
 * the last quick run's verdicts, and the full-scale reference verdicts (from results/reference/).
 */
export function notebookTable(
  catalog: readonly CatalogEntry[],
  status: Record<string, { status: string; seconds: number; mode: string }>,
  quick: Record<string, RecordLike>,
  reference: Record<string, RecordLike>,
): string {
  const rows = ["| notebook | method | paper | year | data | teacher → student | quick-mode time | verdicts, last quick run | verdicts, full-scale reference |", "|---|---|---|---|---|---|---|---|---|"];
  for (const c of catalog) {
    const name = c.notebook;
    if (!fs.existsSync(path.join(ROOT, "notebooks", `${name}.ipynb`))) continue;
    const s = status[name];
    const time = s && s.mode === "quick" ? `${s.seconds.toFixed(0)} s${s.status === "passed" ? "" : ` (${s.status})`}` : "not run yet";
    const q = quick[name]?.mode === "quick" ? quick[name] : undefined;
    const ref = reference[name];
    const paper = c.papers.length ? c.papers.map((p) => p.authors).join("; ") : "-";
    // A stale reference (its config is no longer the notebook's full defaults) is never shown as current.
    const stale = ref ? referenceStatus(name, ref as ReferenceRecordLike) : undefined;
    const refCell = !ref ? (c.claims.length ? "no reference run yet" : "-") : stale?.status === "stale" ? `stale: ${stale.why}` : `${verdictSummary(ref, c.claims.length)} (${ref.finishedAtIso?.slice(0, 10) ?? "?"})`;
    rows.push(`| [${name}](notebooks/${name}.ipynb) | ${c.method} | ${paper} | ${c.year} | ${c.data} | ${c.models} | ${time} | ${verdictSummary(q, c.claims.length)} | ${refCell} |`);
  }
  // "none": a notebook that made no tensors (plain-JS simulations) never chose a backend.
  const backends = [...new Set(Object.values(quick).map((r) => r.backend).filter((b) => b && b !== "none"))];
  rows.push(
    "",
    `Verdicts are computed by each run from the catalog's claims (lib/src/catalog): ✅ reproduced, 🟡 partial (right direction but not significant, or outside the paper's band), ❌ not reproduced (the opposite direction), ⚪ not run in that mode. Times and quick verdicts from the last \`npm run reproduce\` on this machine (backend: ${backends.join(", ") || "unknown"}); reference verdicts from the full-scale records committed in \`results/reference/\`, whose [README](results/reference/README.md) says what they show and why a claim did not reproduce. Regenerate with \`npx tsx scripts/update-readme.ts\`.`,
  );
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

function readRecords(dir: string): Record<string, RecordLike> {
  const out: Record<string, RecordLike> = {};
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const r = readJson<RecordLike>(path.join(dir, f));
    if (r) out[f.replace(/\.json$/, "")] = r;
  }
  return out;
}

function main(): void {
  const status = readJson<Record<string, { status: string; seconds: number; mode: string }>>(path.join(REPORTS, "status.json")) ?? {};
  const results = readRecords(path.join(REPORTS, "results"));
  const reference = readRecords(path.join(ROOT, "results", "reference"));
  const readme = path.join(ROOT, "README.md");
  let text = fs.readFileSync(readme, "utf8");
  text = replaceBetween(text, "notebooks", notebookTable(CATALOG, status, results, reference));
  // Without a new measurement the committed benchmark table stays as it is (it is not replaced by "not run").
  const bench = readJson<BenchJson>(path.join(REPORTS, "bench", "bench.json"));
  if (bench) text = replaceBetween(text, "bench", benchTable(bench));
  writeFileAtomic(readme, text);
  console.log(`README.md updated from ${Object.keys(status).length} notebook runs, ${Object.keys(results).length} result records and ${Object.keys(reference).length} reference records`);
}

if (require.main === module) main();
