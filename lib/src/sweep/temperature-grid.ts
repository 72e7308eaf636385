/**
 * Notebook 03's grid as the notebook runs it (Hinton, Vinyals & Dean 2015, section 3): the width ×
 * temperature × seed cells of its resolved parameters through runSweep. The engine is a property of the
 * run's environment, not of the recipe: local by default, BullMQ workers when KDH_SWEEP_ENGINE=bullmq
 * (the Redis from KDH_REDIS_URL or the file named by KDH_REDIS_URL_FILE). The notebook's parameters, and
 * with them its config hash, are therefore the same under either engine, and so are its rows: both land
 * in the sweep store (<cacheDir>/sweep/03_temperature/, one record per job key), from which a killed run
 * resumes per cell and the notebook renders.
 */
import type { ExperimentData } from "../distillation/transfer";
import type { Mlp } from "../core/models";
import { sweepGrid } from "./grid";
import { defaultEngine, runSweep, sweepRows, type RunSweepOptions, type SweepResult } from "./run-sweep";
import { lendTemperatureSetup, temperatureTable, TEMPERATURE_SWEEP, type TemperatureCellParams, type TemperatureRow } from "./temperature-recipe";

export interface TemperatureGridRun {
  /** One row per (width, T, seed), in grid order: widths outermost, then temperatures, then seeds. */
  rows: TemperatureRow[];
  /** [width][T] mean test errors over the seeds, as the notebook plots them. */
  table: number[][];
  result: SweepResult<TemperatureRow>;
}

/**
 * Run notebook 03's grid for its parameters `P` (kdh.recipeParams("03_temperature")). With the local
 * engine, `setup` (the data and teacher kdh.hintonSetup(P) returned) is used by every job instead of a
 * second copy; BullMQ workers load or train their own. Throws naming every failed job.
 */
export async function runTemperatureGrid(
  P: { widths: number[]; temperatures: number[] } & Record<string, unknown>,
  opts: RunSweepOptions & { setup?: { data: ExperimentData; teacher: Mlp } } = {},
): Promise<TemperatureGridRun> {
  const { setup, ...sweepOpts } = opts;
  const grid = sweepGrid(TEMPERATURE_SWEEP, { params: P });
  const engine = sweepOpts.engine ?? defaultEngine();
  const endLoan = engine === "local" ? lendTemperatureSetup(grid.cells[0].params as TemperatureCellParams, setup) : () => undefined;
  try {
    const result = (await runSweep(grid, { ...sweepOpts, engine })) as SweepResult<TemperatureRow>;
    const rows = sweepRows(result);
    return { rows, table: temperatureTable(rows, P.widths, P.temperatures), result };
  } finally {
    endLoan();
  }
}
