/**
 * `runSweep(grid, { engine })`: run a grid locally (the default: what notebooks use unless told
 * otherwise, by the call or by KDH_SWEEP_ENGINE=bullmq in their environment) or as BullMQ jobs on workers sharing a Redis. Either way every row lands in the recipe's
 * store, and the result lists each cell's row or error in grid order.
 *
 * The Redis for the bullmq engine is `opts.redis` (a target built from KDH_REDIS_URL/KDH_REDIS_URL_FILE
 * by default); without one, runSweep refuses rather than guess: `npm run sweep -- run` starts a private
 * Redis and local workers when none is configured.
 */
import { runLocal } from "./engine-local";
import type { SweepGrid } from "./grid";
import { progressDisplay, type ProgressDisplay } from "./progress";
import type { GridCell, JobParams } from "./recipe";
import { REDIS_URL_ENV, REDIS_URL_FILE_ENV, redisTargetFromEnv, type RedisTarget } from "./redis-target";

export type SweepEngine = "local" | "bullmq";

/** Environment variable that switches notebooks to the bullmq engine without editing them. */
export const SWEEP_ENGINE_ENV = "KDH_SWEEP_ENGINE";

/** The engine when none is given: KDH_SWEEP_ENGINE, else "local". */
export function defaultEngine(env: NodeJS.ProcessEnv = process.env): SweepEngine {
  const raw = (env[SWEEP_ENGINE_ENV] ?? "").trim();
  if (raw === "" || raw === "local") return "local";
  if (raw === "bullmq") return "bullmq";
  throw new Error(`${SWEEP_ENGINE_ENV}=${JSON.stringify(raw)} is not a sweep engine; expected "local" or "bullmq"`);
}

export interface JobOutcome<R = unknown> {
  key: string;
  cell: GridCell;
  /** computed in this sweep, found in the store, or failed (error says why). */
  status: "computed" | "stored" | "failed";
  row?: R;
  error?: string;
  worker?: string;
  ms?: number;
}

export interface SweepResult<R = unknown> {
  recipe: string;
  engine: SweepEngine;
  outcomes: JobOutcome<R>[];
  failed: JobOutcome<R>[];
  ok: boolean;
  seconds: number;
}

export interface RunSweepOptions {
  engine?: SweepEngine;
  redis?: RedisTarget;
  /** Progress display; default one for this process (notebook, terminal or log). `null`: none. */
  display?: ProgressDisplay | null;
  log?: (line: string) => void;
  pollMs?: number;
  attempts?: number;
  /** bullmq: after this long with no job taken, the display says workers may be missing (default 15 s). */
  idleNoticeMs?: number;
}

export async function runSweep<P extends JobParams, R>(grid: SweepGrid<P, R>, opts: RunSweepOptions = {}): Promise<SweepResult<R>> {
  const engine = opts.engine ?? defaultEngine();
  const display = opts.display === null ? undefined : (opts.display ?? progressDisplay(`sweep ${grid.recipe.name} (${engine})`));
  if (engine !== "local" && engine !== "bullmq") throw new Error(`engine ${JSON.stringify(engine)} is not "local" or "bullmq"`);
  const t0 = Date.now();
  let outcomes: JobOutcome<R>[];
  if (engine === "local") outcomes = await runLocal(grid, { display, log: opts.log });
  else {
    const target = opts.redis ?? redisTargetFromEnv();
    if (!target) throw new Error(`the bullmq engine needs a Redis: set ${REDIS_URL_ENV} (or ${REDIS_URL_FILE_ENV}), or use npm run sweep -- run, which starts one`);
    // Loaded only here: notebooks that never use the bullmq engine do not load BullMQ and ioredis.
    const { runBullmq } = await import("./engine-bullmq");
    outcomes = await runBullmq(grid, { target, display, log: opts.log, pollMs: opts.pollMs, attempts: opts.attempts, idleNoticeMs: opts.idleNoticeMs });
  }
  const failed = outcomes.filter((o) => o.status === "failed");
  return { recipe: grid.recipe.name, engine, outcomes, failed, ok: failed.length === 0, seconds: (Date.now() - t0) / 1000 };
}

/** One line per failed job (key, seed, worker, error), for a non-zero exit. */
export function describeFailures(result: SweepResult): string[] {
  return result.failed.map((o) => `${o.key} (seed ${o.cell.seed}${o.worker ? `, worker ${o.worker}` : ""}): ${o.error ?? "no error recorded"}`);
}

/** The rows of a sweep in grid order; throws naming every failed job. */
export function sweepRows<R>(result: SweepResult<R>): R[] {
  if (!result.ok) throw new Error(`${result.failed.length} ${result.recipe} job(s) failed:\n${describeFailures(result as SweepResult).join("\n")}`);
  return result.outcomes.map((o) => o.row as R);
}
