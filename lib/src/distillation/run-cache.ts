/**
 * Resume for long experiment grids: each finished (arm, seed) run's small result is stored as one JSON
 * record under `<cacheDir>/runs/<experiment>/`, keyed by stableHash({format, experiment, config, code, backend}).
 * A run killed mid-grid and started again reuses every record it finds and recomputes only what is
 * missing. The key carries the code version of the modules that compute the result
 * (core/code-version.ts), so changed training code never reuses an old number. Records are written
 * atomically (a killed write leaves no partial file); a record that does not parse, carries another key or
 * fails its check is announced and recomputed.
 */
import * as tf from "@tensorflow/tfjs";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir } from "../core/paths";
import { stableHash, writeJsonAtomic } from "../core/store";

/** Bump when the meaning of a stored run changes: every older record becomes a miss. */
export const RUN_CACHE_FORMAT = 1;

export interface RunKey {
  /** Experiment name, e.g. "07-fashion": letters, digits, - and _ (it names a folder). */
  experiment: string;
  /** Everything that can change the run's numbers (arm, fraction, seed, learning rate, data, recipe). JSON-able. */
  config: unknown;
  /** Code version of the modules that compute it (codeVersion([...])). */
  code: string;
}

/**
 * The key also carries the backend the run is computed on: each backend rounds differently, so a number
 * computed on blas must not be reported by a later run on wasm as its own.
 */
export function runKeyHash(key: RunKey, backend: string = tf.getBackend() ?? "none"): string {
  return stableHash({ format: RUN_CACHE_FORMAT, experiment: key.experiment, config: key.config, code: key.code, backend });
}

export function runFile(key: RunKey, dir = path.join(cacheDir(), "runs")): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(key.experiment)) throw new Error(`experiment name ${JSON.stringify(key.experiment)} must be 1-64 letters, digits, - or _ (it names a cache folder)`);
  return path.join(dir, key.experiment, `${runKeyHash(key)}.json`);
}

export interface CachedRun<R> {
  result: R;
  fromCache: boolean;
  file: string;
}

/**
 * The result for `key`: loaded when a valid record exists, otherwise computed and stored. `check` validates a
 * loaded result (return a reason to reject it). `log` hears one line per rejected record.
 */
export async function cachedRun<R>(key: RunKey, compute: () => Promise<R>, opts: { dir?: string; check?: (r: R) => string | undefined; log?: (line: string) => void } = {}): Promise<CachedRun<R>> {
  const file = runFile(key, opts.dir);
  const hash = runKeyHash(key);
  if (fs.existsSync(file)) {
    let reason: string | undefined;
    try {
      const rec = JSON.parse(fs.readFileSync(file, "utf8")) as { format?: number; hash?: string; result?: R };
      if (rec.format !== RUN_CACHE_FORMAT) reason = `format ${String(rec.format)}, expected ${RUN_CACHE_FORMAT}`;
      else if (rec.hash !== hash) reason = `key ${String(rec.hash)} does not match ${hash}`;
      else if (rec.result === undefined || rec.result === null) reason = "no result in the record";
      else reason = opts.check?.(rec.result);
      if (!reason) return { result: rec.result as R, fromCache: true, file };
    } catch (e) {
      reason = `unreadable (${(e as Error).message.split("\n")[0]})`;
    }
    (opts.log ?? console.log)(`run cache: ${path.basename(file)} rejected (${reason}); recomputing`);
  }
  const result = await compute();
  writeJsonAtomic(file, { format: RUN_CACHE_FORMAT, hash, experiment: key.experiment, config: key.config, code: key.code, result, producedAt: new Date().toISOString() });
  return { result, fromCache: false, file };
}
