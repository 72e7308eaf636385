/**
 * The default home of sweep rows: one JSON record per job under `<cacheDir>/sweep/<recipe>/<job key>.json`,
 * written atomically. The file name is the job key (a hash computed from the validated payload), never
 * a string taken from a job, so a job cannot choose where its row is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir } from "../core/paths";
import { writeJsonAtomic } from "../core/store";
import type { GridCell, JobParams, RowStore } from "./recipe";

export const SWEEP_STORE_FORMAT = 1;
const SAFE = /^[A-Za-z0-9_-]{1,160}$/;

export interface SweepRecord<R> {
  format: number;
  recipe: string;
  key: string;
  params: JobParams;
  seed: number;
  row: R;
  producedAt: string;
}

export function sweepRowFile(recipe: string, key: string, dir = path.join(cacheDir(), "sweep")): string {
  if (!SAFE.test(recipe) || !SAFE.test(key)) throw new Error(`recipe ${JSON.stringify(recipe)} and job key ${JSON.stringify(key)} must be letters, digits, - or _ (they name a file)`);
  return path.join(dir, recipe, `${key}.json`);
}

/** A store in `dir` (default `<cacheDir>/sweep`, resolved when used, so KDH_CACHE_DIR set later applies). */
export function sweepStore<P extends JobParams, R>(recipe: string, check?: (row: R) => string | undefined, dir?: string): RowStore<P, R> {
  return {
    load(cell: GridCell<P>, key: string): R | undefined {
      const file = sweepRowFile(recipe, key, dir);
      if (!fs.existsSync(file)) return undefined;
      try {
        const rec = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<SweepRecord<R>>;
        if (rec.format !== SWEEP_STORE_FORMAT || rec.key !== key || rec.recipe !== recipe || rec.seed !== cell.seed) return undefined;
        if (rec.row === undefined || (check && check(rec.row as R) !== undefined)) return undefined;
        return rec.row as R;
      } catch {
        return undefined; // a corrupt record is recomputed and overwritten
      }
    },
    save(cell: GridCell<P>, key: string, row: R): void {
      const rec: SweepRecord<R> = { format: SWEEP_STORE_FORMAT, recipe, key, params: cell.params, seed: cell.seed, row, producedAt: new Date().toISOString() };
      writeJsonAtomic(sweepRowFile(recipe, key, dir), rec);
    },
  };
}
