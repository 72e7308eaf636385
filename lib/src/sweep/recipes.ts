/**
 * The recipes a worker will run, by name. Fixed at build time: a job can only name one of these.
 */
import type { SweepRecipe } from "./recipe";
import { SELFTEST_RECIPE } from "./selftest-recipe";
import { TEMPERATURE_SWEEP } from "./temperature-recipe";
import { COMPARISON_SWEEP } from "./comparison-recipe";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const REGISTRY: ReadonlyMap<string, SweepRecipe<any, any>> = new Map(
  [SELFTEST_RECIPE, TEMPERATURE_SWEEP, COMPARISON_SWEEP].map((r) => [r.name, r] as const),
);

export function sweepRecipeNames(): string[] {
  return [...REGISTRY.keys()];
}

/** The recipe registered under `name`, or undefined. */
export function findSweepRecipe(name: string): SweepRecipe | undefined {
  return REGISTRY.get(name);
}

/** The recipe registered under `name`; an unknown name throws listing the valid ones. */
export function sweepRecipe(name: string): SweepRecipe {
  const r = REGISTRY.get(name);
  if (!r) throw new Error(`no sweep recipe ${JSON.stringify(name)}; recipes: ${sweepRecipeNames().join(", ")}`);
  return r;
}
