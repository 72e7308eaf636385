/**
 * Sweeps: a notebook's grid as jobs, run locally (the default) or on BullMQ workers sharing a Redis.
 *
 *   const grid = kdh.sweepGrid("03_temperature", { mode: P.mode, overrides: {...} });
 *   const result = await kdh.runSweep(grid, { engine: "local" });   // or "bullmq" with KDH_REDIS_URL set
 *   const rows = kdh.sweepRows(result);                              // grid order; throws naming failed jobs
 *   const { table } = await kdh.runTemperatureGrid(P, { setup });    // notebook 03's grid, engine from the environment
 *
 * Workers: `npm run sweep -- worker`; a grid from the command line: `npm run sweep -- run 03 [--full]`.
 * Only the light modules are exported here (this file is part of @kdh/lib, which every notebook loads):
 * the worker, the private Redis and the BullMQ client load BullMQ and ioredis, and are imported by path
 * (worker.ts, local-redis.ts, connection.ts, engine-bullmq.ts) where they are needed.
 */
export type { SweepRecipe, GridCell, JobContext, JobParams, JobValue, RowStore } from "./recipe";
export { sweepRecipe, sweepRecipeNames } from "./recipes";
export { sweepGrid, gridOf, type SweepGrid } from "./grid";
export {
  runSweep,
  sweepRows,
  type SweepEngine,
  type SweepResult,
  type RunSweepOptions,
  type JobOutcome,
} from "./run-sweep";
export type { ProgressDisplay, SweepProgress } from "./progress";
export type { RedisTarget } from "./redis-target";
export { SELFTEST_RECIPE, selftestDigest, type SelftestParams, type SelftestRow } from "./selftest-recipe";
export {
  TEMPERATURE_SWEEP,
  temperatureTable,
  type TemperatureCellParams,
  type TemperatureRow,
  type TemperatureSetup,
} from "./temperature-recipe";
export { runTemperatureGrid, type TemperatureGridRun } from "./temperature-grid";
export { COMPARISON_SWEEP, type ComparisonJobParams, type ComparisonJobRow } from "./comparison-recipe";
