/**
 * Running one validated job, the same way in the local engine and on a BullMQ worker: a row already in
 * the recipe's store is returned as it is; otherwise the recipe runs, its row is checked, normalised to
 * what JSON carries (so a local row and a row that crossed Redis are identical) and stored.
 */
import { initBackend } from "../core/backend";
import type { GridCell, JobContext, JobParams, RowStore, SweepRecipe } from "./recipe";
import { sweepStore } from "./sweep-store";

export function storeOf<P extends JobParams, R>(recipe: SweepRecipe<P, R>): RowStore<P, R> {
  return recipe.store ?? sweepStore<P, R>(recipe.name, recipe.checkRow?.bind(recipe));
}

export interface JobRun<R> {
  row: R;
  /** True when the row came from the store and nothing was computed. */
  stored: boolean;
  ms: number;
}

export async function executeJob<P extends JobParams, R>(recipe: SweepRecipe<P, R>, cell: GridCell<P>, key: string, ctx: JobContext): Promise<JobRun<R>> {
  const store = storeOf(recipe);
  const have = store.load?.(cell, key);
  if (have !== undefined) return { row: have, stored: true, ms: 0 };
  if (recipe.backend) await initBackend();
  const t0 = performance.now();
  const computed = await recipe.run(cell.params, cell.seed, ctx);
  const text = JSON.stringify(computed);
  if (text === undefined) throw new Error(`recipe ${recipe.name} returned ${String(computed)}, not a JSON row`);
  const row = JSON.parse(text) as R;
  const why = recipe.checkRow?.(row);
  if (why) throw new Error(`recipe ${recipe.name} returned an unusable row: ${why}`);
  await store.save(cell, key, row);
  return { row, stored: false, ms: performance.now() - t0 };
}
