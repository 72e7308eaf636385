/**
 * Result records: every notebook ends by writing its headline numbers to reports/results/<notebook>.json,
 * together with what is needed to trust and repeat them (backend, run size, resolved config, seeds, a
 * config hash, start/end times). The runner's index page, the comparison notebook and the README table
 * all read these records, so they are validated on the way in and on the way out.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { backendChoice } from "./backend";
import { runMode, type Mode } from "./config";
import { resultsDir } from "./paths";
import { stableHash, writeJsonAtomic } from "./store";

export type Headline = Record<string, number | string | boolean>;

/** What a notebook passes in. */
export interface ResultInput {
  config?: Record<string, unknown>;
  seed?: number;
  seeds?: number[];
  /** The few numbers that the notebook reproduces; shown in the summary table and index page. */
  headline: Headline;
  /** When the notebook's work began (ms since epoch, e.g. Date.now() in its first cell). */
  startedAt?: number;
  /** The notebook's catalog claims as judged on this run (kdh.judgeClaims): figures and verdicts. */
  claims?: RecordedClaim[];
  [extra: string]: unknown;
}

/** What a record keeps of a judged claim (the shape of catalog/verdicts.ts ClaimResult; core does not import the catalog). */
export interface RecordedClaim {
  id: string;
  statement: string;
  verdict: "reproduced" | "partial" | "not reproduced" | "not run";
  mode: Mode;
  why: string;
  ours: Array<{ metric: string; mean: number; sd: number; n: number; seeds?: number[] }>;
  paperFigure?: string;
  source: string;
}

const VERDICT_NAMES = ["reproduced", "partial", "not reproduced", "not run"];

function checkClaims(claims: unknown): void {
  if (claims === undefined) return;
  if (!Array.isArray(claims)) throw new Error(`writeResults: claims must be the list kdh.judgeClaims returned, got ${JSON.stringify(claims)?.slice(0, 80)}`);
  const ids = new Set<string>();
  for (const c of claims as RecordedClaim[]) {
    if (!c || typeof c.id !== "string" || !VERDICT_NAMES.includes(c.verdict) || !Array.isArray(c.ours)) {
      throw new Error(`writeResults: claim ${JSON.stringify(c)?.slice(0, 120)} is not a judged claim (id, verdict, ours); pass what kdh.judgeClaims returned.`);
    }
    if (ids.has(c.id)) throw new Error(`writeResults: claim ${JSON.stringify(c.id)} appears twice`);
    ids.add(c.id);
  }
}

/** What lands in the file. */
export interface ResultRecord extends ResultInput {
  notebook: string;
  backend: string;
  backendReason: string;
  mode: Mode;
  config: Record<string, unknown>;
  configHash: string;
  seeds: number[];
  startedAt?: number;
  startedAtIso?: string;
  finishedAt: number;
  finishedAtIso: string;
  durationSeconds?: number;
}

const NAME = /^[0-9]{2}_[A-Za-z0-9_-]+$/;

/** Notebook names look like `00_tour` (no folder, no extension). */
export function checkNotebookName(name: string): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new Error(`notebook name ${JSON.stringify(name)} is not valid; expected two digits, an underscore and letters/digits/_/-, like "00_tour" (no folder, no .ipynb).`);
  }
  return name;
}

function checkHeadline(headline: unknown): Headline {
  if (!headline || typeof headline !== "object" || Array.isArray(headline)) {
    throw new Error(`writeResults needs a headline object of numbers/strings/booleans such as {testErrors: 74}, got ${JSON.stringify(headline)}`);
  }
  for (const [k, v] of Object.entries(headline)) {
    const ok = (typeof v === "number" && Number.isFinite(v)) || typeof v === "string" || typeof v === "boolean";
    if (!ok) throw new Error(`headline.${k} = ${String(v)} is not a finite number, string or boolean; headline values are shown in tables, so compute a number first.`);
  }
  return headline as Headline;
}

/** The path of a notebook's record. */
export function resultsPath(notebook: string): string {
  return path.join(resultsDir(), `${checkNotebookName(notebook)}.json`);
}

/** Write reports/results/<notebook>.json atomically and return the record written. */
export function writeResults(notebook: string, input: ResultInput): ResultRecord {
  checkNotebookName(notebook);
  if (!input || typeof input !== "object") throw new Error(`writeResults(${JSON.stringify(notebook)}, record): record must be an object with a headline, got ${typeof input}`);
  checkHeadline(input.headline);
  checkClaims(input.claims);
  const seeds = input.seeds ?? (input.seed !== undefined ? [input.seed] : []);
  for (const s of seeds) {
    if (!Number.isInteger(s)) throw new Error(`seed ${String(s)} is not an integer; pass the integer seeds the notebook used.`);
  }
  const choice = backendChoice();
  const config = input.config ?? {};
  const finishedAt = Date.now();
  const record: ResultRecord = {
    ...input,
    notebook,
    backend: choice?.name ?? "none",
    backendReason: choice?.reason ?? "initBackend() was not called",
    mode: runMode(),
    config,
    configHash: stableHash({ config, seeds }),
    seeds,
    finishedAt,
    finishedAtIso: new Date(finishedAt).toISOString(),
  };
  if (input.startedAt !== undefined) {
    if (!Number.isFinite(input.startedAt) || input.startedAt > finishedAt) throw new Error(`startedAt ${input.startedAt} must be a time in ms before now (use Date.now() at the start)`);
    record.startedAtIso = new Date(input.startedAt).toISOString();
    record.durationSeconds = Math.round(finishedAt - input.startedAt) / 1000;
  }
  writeJsonAtomic(resultsPath(notebook), record);
  return record;
}

/** The record of a notebook, or undefined when it has none; a malformed file throws naming it. */
export function readResults(notebook: string): ResultRecord | undefined {
  const file = resultsPath(notebook);
  if (!fs.existsSync(file)) return undefined;
  let rec: ResultRecord;
  try {
    rec = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}); delete it and rerun the notebook.`);
  }
  if (!rec || typeof rec !== "object" || rec.notebook !== notebook || !rec.headline) {
    throw new Error(`${file} is not a result record of ${notebook} (missing notebook/headline); delete it and rerun the notebook.`);
  }
  return rec;
}
