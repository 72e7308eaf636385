/**
 * Wall times of whole runs for the benchmark's summary: the quick suite (every notebook in quick mode)
 * and each notebook in full mode, from the latest run records. The benchmark itself times kernels and
 * steps; these are what a user waits for.
 *
 * Sources, per notebook: reports/status.json (the runner's record of the last run: seconds, mode,
 * passed/failed) and reports/results/<notebook>.json (what the notebook wrote: mode, durationSeconds
 * from its first cell to its last). The status seconds come first because they include kernel start-up
 * and report writing; a result record fills in when the runner's status is missing. Each notebook keeps
 * only its latest run, so a notebook last run in quick mode has its full-mode time from the committed
 * full-scale reference record (results/reference/<notebook>.json) when there is one, else "not run".
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readStatus, type NotebookStatus } from "./report/index-page";

export interface ResultTimes {
  mode?: string;
  durationSeconds?: number;
  finishedAtIso?: string;
}

export interface RunTime {
  notebook: string;
  seconds: number;
  source: "status" | "result record" | "reference record";
  finishedAt?: string;
  failed?: boolean;
}

export interface RunTimes {
  /** Notebooks with a quick-mode time, and the ones without. */
  quick: RunTime[];
  quickMissing: string[];
  /** Per notebook: its full-mode time, or undefined when its latest run was not a full one. */
  full: Record<string, RunTime | undefined>;
}

function timeOf(name: string, mode: "quick" | "full", status: Record<string, NotebookStatus>, results: Record<string, ResultTimes | undefined>): RunTime | undefined {
  const s = status[name];
  if (s && s.mode === mode && Number.isFinite(s.seconds)) {
    return { notebook: name, seconds: s.seconds, source: "status", finishedAt: s.finishedAt, failed: s.status !== "passed" };
  }
  const r = results[name];
  if (r && r.mode === mode && typeof r.durationSeconds === "number" && Number.isFinite(r.durationSeconds)) {
    return { notebook: name, seconds: r.durationSeconds, source: "result record", finishedAt: r.finishedAtIso };
  }
  return undefined;
}

export function collectRunTimes(
  notebooks: string[],
  status: Record<string, NotebookStatus>,
  results: Record<string, ResultTimes | undefined>,
  references: Record<string, ResultTimes | undefined> = {},
): RunTimes {
  const quick: RunTime[] = [];
  const quickMissing: string[] = [];
  const full: Record<string, RunTime | undefined> = {};
  for (const name of notebooks) {
    const q = timeOf(name, "quick", status, results);
    if (q) quick.push(q);
    else quickMissing.push(name);
    const ref = references[name];
    const fromReference = ref && ref.mode === "full" && typeof ref.durationSeconds === "number" && Number.isFinite(ref.durationSeconds)
      ? { notebook: name, seconds: ref.durationSeconds, source: "reference record" as const, finishedAt: ref.finishedAtIso }
      : undefined;
    full[name] = timeOf(name, "full", status, results) ?? fromReference;
  }
  return { quick, quickMissing, full };
}

const fmtSeconds = (s: number) => (s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

/** Lines for the benchmark's output. */
export function formatRunTimes(t: RunTimes, total: number): string[] {
  const lines: string[] = [];
  if (t.quick.length === 0) {
    lines.push("quick suite: not run (no quick-mode run records)");
  } else {
    const sum = t.quick.reduce((a, r) => a + r.seconds, 0);
    const failed = t.quick.filter((r) => r.failed).map((r) => r.notebook);
    const latest = t.quick.map((r) => r.finishedAt ?? "").sort().pop();
    lines.push(
      `quick suite: ${fmtSeconds(sum)} over ${t.quick.length} of ${total} notebooks` +
        (t.quickMissing.length ? ` (not run: ${t.quickMissing.join(", ")})` : "") +
        (failed.length ? ` (failed: ${failed.join(", ")})` : "") +
        (latest ? `, latest ${latest}` : ""),
    );
  }
  for (const [name, r] of Object.entries(t.full)) {
    lines.push(`full ${name}: ${r ? `${fmtSeconds(r.seconds)}${r.failed ? " (failed)" : ""} (${r.source}${r.finishedAt ? `, ${r.finishedAt}` : ""})` : "not run"}`);
  }
  return lines;
}

/** `<dir>/<notebook>.json` for each notebook that has one; an unreadable file counts as absent. */
function readRecords(dir: string, notebooks: string[]): Record<string, ResultTimes | undefined> {
  const out: Record<string, ResultTimes | undefined> = {};
  for (const name of notebooks) {
    const f = path.join(dir, `${name}.json`);
    if (!fs.existsSync(f)) continue;
    try {
      out[name] = JSON.parse(fs.readFileSync(f, "utf8")) as ResultTimes;
    } catch {
      out[name] = undefined; // unreadable: counted as not run, the runner rewrites it
    }
  }
  return out;
}

/**
 * Reads reports/status.json and reports/results/*.json under `reports` for the notebooks given, and the
 * committed reference records under `referenceDir` (if given) for full-mode times no local run has.
 */
export function readRunTimes(reports: string, notebooks: string[], referenceDir?: string): RunTimes {
  const status = readStatus(path.join(reports, "status.json"));
  return collectRunTimes(notebooks, status, readRecords(path.join(reports, "results"), notebooks), referenceDir ? readRecords(referenceDir, notebooks) : {});
}
