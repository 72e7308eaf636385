/**
 * Full-scale reference records: copies the result records of a finished `--full` run
 * (reports/results/<notebook>.json) into the tracked folder results/reference/, adding the machine, the
 * code version of the notebook's lib modules and the hash of the full-mode defaults they were run with.
 * Only a record written by a full-mode run whose parameters are exactly the notebook's full defaults is
 * copied (a run with `--set` overrides is not a reference); nothing is ever written by hand.
 *
 *   npm run reproduce -- --full --only 02     (hours of quiet CPU for all of them; ≤ 30 min each)
 *   npx tsx scripts/reference.ts --only 02    (copy; without --only: every full record found)
 *   npx tsx scripts/reference.ts --check      (list the committed references, current or stale)
 *
 * A reference whose recorded config no longer equals the notebook's full defaults is "stale": the README
 * marks it so and never shows it as current (scripts/update-readme.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveConfig } from "../lib/src/core/config";
import { stableHash, writeJsonAtomic } from "../lib/src/core/store";
import { codeVersion } from "../lib/src/core/code-version";
import { CATALOG, catalogEntry } from "../lib/src/catalog/catalog";

const ROOT = path.resolve(__dirname, "..");
export const REFERENCE_DIR = path.join(ROOT, "results", "reference");

export interface ReferenceRecordLike {
  notebook?: string;
  mode?: string;
  config?: Record<string, unknown>;
  reference?: { fullConfigHash: string; codeVersion: string; machine: Record<string, unknown>; copiedAtIso: string };
  [k: string]: unknown;
}

/** The notebook's full-mode parameters as its recipe defines them now. */
export function fullDefaults(notebook: string): Record<string, unknown> {
  const r = catalogEntry(notebook).recipe;
  return resolveConfig(r.quick as Record<string, unknown>, r.full as Record<string, unknown>, "the full-mode settings");
}

/** A record's config without the mode key the notebooks add, as the recipe would hold it. */
function recipeConfig(config: Record<string, unknown> | undefined): Record<string, unknown> {
  const { mode: _mode, ...rest } = config ?? {};
  return rest;
}

/** Keys whose recorded value differs from the current full defaults (added, removed or changed). */
export function configDrift(notebook: string, config: Record<string, unknown> | undefined): string[] {
  const want = fullDefaults(notebook);
  const got = recipeConfig(config);
  const keys = [...new Set([...Object.keys(want), ...Object.keys(got)])].sort();
  return keys.filter((k) => stableHash(want[k] ?? null) !== stableHash(got[k] ?? null));
}

export type ReferenceStatus = { status: "current"; note: string } | { status: "stale"; why: string };

/** Current when the record is a full-mode run of exactly the notebook's full defaults; stale otherwise, saying why. */
export function referenceStatus(notebook: string, rec: ReferenceRecordLike): ReferenceStatus {
  if (rec.mode !== "full") return { status: "stale", why: `recorded in ${String(rec.mode)} mode, not full` };
  const drift = configDrift(notebook, rec.config);
  if (drift.length) return { status: "stale", why: `the full defaults changed since (${drift.join(", ")})` };
  const now = codeVersion(catalogEntry(notebook).libModules);
  const then = rec.reference?.codeVersion;
  return { status: "current", note: then && then !== now ? `library code changed since (code version ${then} → ${now}); the settings are the same` : "" };
}

function machine(): Record<string, unknown> {
  return { cpu: os.cpus()[0]?.model ?? "?", cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage: os.loadavg().map((v) => +v.toFixed(2)) };
}

/** The runner's entry for the notebook's latest run (reports/status.json), as far as copying needs it. */
export interface LatestRun {
  status?: string;
  mode?: string;
}

/**
 * Copy one finished full-mode record to the reference folder; throws (naming the notebook and why) for a
 * quick-mode record, a run with overrides, a record of another notebook, or a record whose run then
 * failed (a notebook writes its record before its must-hold claims stop it, and that run is not a reference).
 */
export function copyReference(notebook: string, from: string, toDir = REFERENCE_DIR, latest?: LatestRun): string {
  if (!fs.existsSync(from)) throw new Error(`${notebook}: no result record at ${from}; run \`npm run reproduce -- --full --only ${notebook.slice(0, 2)}\` first`);
  if (latest && latest.status !== "passed") {
    throw new Error(`${notebook}: its last run ${latest.status === undefined ? "has no status" : `ended "${latest.status}"`}; only a full-mode run that passed is a reference (see its report, then npm run reproduce -- --full --only ${notebook.slice(0, 2)})`);
  }
  const rec = JSON.parse(fs.readFileSync(from, "utf8")) as ReferenceRecordLike;
  if (rec.notebook !== notebook) throw new Error(`${from} is a record of ${String(rec.notebook)}, not ${notebook}`);
  if (rec.mode !== "full") throw new Error(`${notebook}: the record at ${from} was written by a ${String(rec.mode)}-mode run; only full-mode runs are references (npm run reproduce -- --full --only ${notebook.slice(0, 2)})`);
  const drift = configDrift(notebook, rec.config);
  if (drift.length) throw new Error(`${notebook}: the run's parameters differ from the full defaults in ${drift.join(", ")}; a run with overrides is not a reference`);
  const out = path.join(toDir, `${notebook}.json`);
  writeJsonAtomic(out, { ...rec, reference: { fullConfigHash: stableHash(fullDefaults(notebook)), codeVersion: codeVersion(catalogEntry(notebook).libModules), machine: machine(), copiedAtIso: new Date().toISOString() } });
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf("--only");
  const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? "").split(",").filter(Boolean) : [];
  const pick = (nb: string) => !only.length || only.some((o) => nb.startsWith(o));
  if (args.includes("--check")) {
    const files = fs.existsSync(REFERENCE_DIR) ? fs.readdirSync(REFERENCE_DIR).filter((f) => f.endsWith(".json")) : [];
    if (!files.length) console.log("no reference records yet (results/reference/ holds none)");
    for (const f of files) {
      const nb = f.replace(/\.json$/, "");
      const s = referenceStatus(nb, JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, f), "utf8")));
      console.log(`${nb}: ${s.status}${s.status === "stale" ? ` (${s.why})` : s.note ? ` (${s.note})` : ""}`);
    }
    return;
  }
  const reports = process.env.KDH_REPORTS_DIR || path.join(ROOT, "reports");
  const statusFile = path.join(reports, "status.json");
  const latestRuns = (fs.existsSync(statusFile) ? JSON.parse(fs.readFileSync(statusFile, "utf8")) : {}) as Record<string, LatestRun>;
  let copied = 0;
  for (const e of CATALOG.filter((c) => pick(c.notebook))) {
    const from = path.join(reports, "results", `${e.notebook}.json`);
    if (!fs.existsSync(from)) continue;
    try {
      console.log(`${e.notebook}: copied to ${path.relative(ROOT, copyReference(e.notebook, from, REFERENCE_DIR, latestRuns[e.notebook] ?? {}))}`);
      copied++;
    } catch (err) {
      console.log(`${e.notebook}: not copied: ${(err as Error).message}`);
    }
  }
  console.log(`${copied} reference record(s) written; commit results/reference/ to publish them`);
}

if (require.main === module) main();
