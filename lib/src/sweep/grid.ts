/**
 * A grid: one recipe and the cells it runs, each with its job key (config hash + code version). Built
 * from a notebook's parameters (quick or full defaults, the user's overrides, every value checked
 * against the recipe's rules), or from explicit cells. Each cell is checked exactly as a worker will
 * check it, so a bad grid fails here, before anything is enqueued.
 */
import { checkParamRules, resolveConfig, type Mode } from "../core/config";
import { sweepCodeVersion } from "./sweep-code-version";
import { checkPayload, jobKey, makePayload } from "./payload";
import type { GridCell, JobParams, JobValue, SweepRecipe } from "./recipe";
import { sweepRecipe } from "./recipes";

export interface SweepGrid<P extends JobParams = JobParams, R = unknown> {
  recipe: SweepRecipe<P, R>;
  cells: GridCell<P>[];
  /** Job key of each cell, same order. */
  keys: string[];
  code: string;
}

/**
 * The grid of a recipe: its notebook parameters in `mode`, with `overrides` (as `--set` would give them);
 * or, in a notebook, the parameters it already resolved: `sweepGrid("03_temperature", { params: P })`.
 */
export function sweepGrid(recipe: string | SweepRecipe, opts: { mode?: Mode; overrides?: Record<string, unknown>; params?: Record<string, unknown>; code?: string } = {}): SweepGrid {
  const r = typeof recipe === "string" ? sweepRecipe(recipe) : recipe;
  const nb = r.notebook;
  let params: Record<string, JobValue>;
  let mode = opts.mode ?? "quick";
  if (opts.params) {
    if (opts.overrides) throw new Error("give sweepGrid either params (already resolved) or mode and overrides, not both");
    const { mode: m, ...rest } = opts.params as Record<string, unknown> & { mode?: Mode };
    if (m) mode = m;
    params = resolveConfig(nb.quick, rest, `the ${r.name} grid's parameters`) as Record<string, JobValue>;
  } else {
    const base = mode === "full" ? resolveConfig(nb.quick, nb.full ?? {}, `${r.name}'s full-mode settings`) : nb.quick;
    params = resolveConfig(base, opts.overrides ?? {}, `the ${r.name} grid`) as Record<string, JobValue>;
  }
  if (nb.rules) checkParamRules(params, nb.rules, (k) => `${r.name} parameter ${k}=${JSON.stringify(params[k])}`);
  return gridOf(r, r.grid(params, mode), opts.code);
}

/** A grid of explicit cells; every cell is validated as a worker would validate its payload. */
export function gridOf<P extends JobParams, R>(recipe: SweepRecipe<P, R>, cells: GridCell<P>[], code = sweepCodeVersion()): SweepGrid<P, R> {
  if (!cells.length) throw new Error(`the ${recipe.name} grid is empty; give at least one cell`);
  const keys = cells.map((cell, i) => {
    const check = checkPayload(makePayload(recipe as SweepRecipe, cell, code), (n) => (n === recipe.name ? (recipe as SweepRecipe) : undefined), { code });
    if (!check.ok) throw new Error(`${recipe.name} grid cell ${i} (seed ${cell.seed}): ${check.reason}`);
    return check.key;
  });
  return { recipe, cells, keys, code };
}

export { jobKey };
