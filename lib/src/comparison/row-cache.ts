/**
 * A cache of comparison rows: one JSON record per (method, seed) under `<cacheDir>/comparison/`, keyed by
 * stableHash({method, config, seed, task}). A row is reused only when the record's own configHash equals
 * the hash recomputed from the current method config, seed and task; anything else (no file, a stale
 * hash, a truncated or hand-edited file, a row that fails its check) is announced in one line and
 * recomputed. Records are written atomically, so a killed run leaves the old record or the new one.
 *
 * Why keep rows and not only models: most rows (pruning rounds, a temperature sweep, GMDH) cost far
 * more than their few numbers, and the comparison notebook must be able to re-render cheaply.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir } from "../core/paths";
import { stableHash, writeJsonAtomic } from "../core/store";

/** Bump when the meaning of a stored row changes: every older record becomes a miss. */
export const ROW_CACHE_FORMAT = 1;

export interface RowKey {
  method: string;
  /** Everything about the method's recipe that can change its numbers. JSON-able. */
  config: unknown;
  seed: number;
  /** The task identity (data source, split, fingerprint). */
  task: unknown;
  /** Version of the code that computes the row (core/code-version.ts); part of the hash when given. */
  code?: string;
}

export interface RowRecord<R> {
  format: number;
  method: string;
  seed: number;
  configHash: string;
  config: unknown;
  task: unknown;
  row: R;
  producedAt: string;
}

export interface RowResult<R> {
  row: R;
  /** "computed" in this run, or "cached": loaded from a record whose configHash matched. */
  source: "computed" | "cached";
  configHash: string;
  /** The hash the loaded record carried (equals configHash for cached rows), for the notebook's assertion. */
  recordHash: string;
  file: string;
  note: string;
}

export function rowConfigHash(key: RowKey): string {
  return stableHash({ format: ROW_CACHE_FORMAT, method: key.method, config: key.config, seed: key.seed, task: key.task, ...(key.code !== undefined ? { code: key.code } : {}) });
}

export function rowCacheDir(): string {
  return path.join(cacheDir(), "comparison");
}

export function rowFile(key: RowKey, dir = rowCacheDir()): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(key.method)) throw new Error(`method name ${JSON.stringify(key.method)} must be 1-64 letters, digits, - or _ (it names a cache file)`);
  if (!Number.isInteger(key.seed) || key.seed < 0) throw new Error(`seed=${key.seed} must be a non-negative whole number`);
  return path.join(dir, `${key.method}-s${key.seed}-${rowConfigHash(key)}.json`);
}

/** Why a stored record cannot be used, or undefined when it can. */
function rejectReason<R>(rec: unknown, key: RowKey, hash: string, check?: (row: R) => string | undefined): string | undefined {
  if (!rec || typeof rec !== "object") return "not a JSON object";
  const r = rec as Partial<RowRecord<R>>;
  if (r.format !== ROW_CACHE_FORMAT) return `format ${String(r.format)}, expected ${ROW_CACHE_FORMAT}`;
  if (r.configHash !== hash) return `config hash ${String(r.configHash)} does not match ${hash}`;
  if (r.method !== key.method || r.seed !== key.seed) return `record is for ${String(r.method)} seed ${String(r.seed)}`;
  if (r.row === undefined || r.row === null || typeof r.row !== "object") return "no row in the record";
  return check?.(r.row as R);
}

/**
 * The row for `key`: loaded when a valid record with the same config hash exists, otherwise computed
 * by `compute()` and stored. `check` validates a loaded row (return a reason to reject it).
 */
export async function cachedRow<R>(
  key: RowKey,
  compute: () => Promise<R> | R,
  opts: { dir?: string; log?: (line: string) => void; refresh?: boolean; check?: (row: R) => string | undefined } = {},
): Promise<RowResult<R>> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const hash = rowConfigHash(key);
  const file = rowFile(key, opts.dir);
  let why = "no record yet";
  if (opts.refresh) why = "refresh requested";
  else if (fs.existsSync(file)) {
    let rec: unknown;
    try {
      rec = JSON.parse(fs.readFileSync(file, "utf8"));
      const reason = rejectReason<R>(rec, key, hash, opts.check);
      if (reason === undefined) {
        const note = `row cache: loaded ${key.method} seed ${key.seed} (config hash ${hash})`;
        log(note);
        return { row: (rec as RowRecord<R>).row, source: "cached", configHash: hash, recordHash: (rec as RowRecord<R>).configHash, file, note };
      }
      why = `unusable record (${reason})`;
    } catch (e) {
      why = `corrupt record (${(e as Error).message.split("\n")[0]})`;
    }
  }
  const note = `row cache: ${key.method} seed ${key.seed}: ${why}; computing it`;
  log(note);
  const row = await compute();
  const record: RowRecord<R> = { format: ROW_CACHE_FORMAT, method: key.method, seed: key.seed, configHash: hash, config: key.config, task: key.task, row, producedAt: new Date().toISOString() };
  writeJsonAtomic(file, record);
  return { row, source: "computed", configHash: hash, recordHash: hash, file, note };
}
