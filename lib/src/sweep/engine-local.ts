/**
 * The local engine (the default): the grid's jobs one after another in this process, through the same
 * executeJob as a worker, so rows, stores and failures are the same as with BullMQ.
 */
import { executeJob } from "./execute";
import type { SweepGrid } from "./grid";
import { emptyProgress, workerStats, type ProgressDisplay } from "./progress";
import type { JobParams } from "./recipe";
import type { JobOutcome } from "./run-sweep";

export async function runLocal<P extends JobParams, R>(grid: SweepGrid<P, R>, opts: { display?: ProgressDisplay; log?: (line: string) => void } = {}): Promise<JobOutcome<R>[]> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const progress = emptyProgress(grid.cells.length);
  const me = workerStats(progress, "local");
  const out: JobOutcome<R>[] = [];
  for (let i = 0; i < grid.cells.length; i++) {
    const cell = grid.cells[i];
    const key = grid.keys[i];
    me.running = progress.running = 1;
    opts.display?.update(progress);
    const ctx = { log: (l: string) => log(`${key}: ${l}`), progress: () => {}, exclusive: <T>(_: string, fn: () => Promise<T>) => fn() };
    try {
      const r = await executeJob(grid.recipe, cell, key, ctx);
      out.push({ key, cell, status: r.stored ? "stored" : "computed", row: r.row, worker: "local", ms: r.ms });
      if (r.stored) progress.cached++;
      else {
        progress.done++;
        me.done++;
        me.busyMs += r.ms;
      }
    } catch (e) {
      out.push({ key, cell, status: "failed", error: (e as Error).message, worker: "local" });
      log(`job ${key} failed: ${(e as Error).message}`);
      progress.failed++;
      me.failed++;
    }
  }
  me.running = progress.running = 0;
  opts.display?.done(progress);
  return out;
}
