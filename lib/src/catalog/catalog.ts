/**
 * The catalog: one entry per notebook, the single source of the README's notebook table, notebook 90's
 * timeline and comparison rows, the report index and every verdict. See index.ts for the API.
 */
import { notebookParams, runMode, type Mode } from "../core/config";
import type { CatalogEntry, ComparisonRowInfo, Recipe, TimelinePoint } from "./types";
import { judgeAll, type ClaimResult, type NotMeasured } from "./verdicts";
import type { Measured } from "./significance";
import { TOUR_ENTRIES, TOUR_RECIPE } from "./entries/tour";
import { HINTON_ENTRIES, SOFT_TARGETS_RECIPE, DISTILLATION_RECIPE, TEMPERATURE_RECIPE, OMITTED_CLASS_RECIPE, LOGIT_MATCHING_RECIPE } from "./entries/hinton";
import { PRUNING_ENTRIES, OBD_RECIPE, WEIGHT_DECAY_RECIPE } from "./entries/pruning";
import { EARLY_ENTRIES, GMDH_RECIPE, MODEL_COMPRESSION_RECIPE, CHUNKER_RECIPE, TEACHER_STUDENT_RECIPE } from "./entries/early";
import { REVERSE_ENTRIES, REVERSE_DISTILLATION_RECIPE } from "./entries/reverse";
import { COMPARISON_ENTRIES, COMPARISON_RECIPE } from "./entries/comparison";
import { APPLICATION_ENTRIES, GRAPH_DISTILLATION_RECIPE, BEHAVIOURAL_CLONING_RECIPE } from "./entries/applications";
import { REGULARISER_ENTRIES, REGULARISER_RECIPE } from "./entries/regulariser";

/** Every entry, in notebook order. */
export const CATALOG: readonly CatalogEntry[] = [...TOUR_ENTRIES, ...HINTON_ENTRIES, ...REGULARISER_ENTRIES, ...PRUNING_ENTRIES, ...EARLY_ENTRIES, ...REVERSE_ENTRIES, ...COMPARISON_ENTRIES, ...APPLICATION_ENTRIES].sort((a, b) => a.notebook.localeCompare(b.notebook));

/**
 * Typed recipes by notebook: `recipeParams("02_hinton_distillation")` returns that notebook's parameters
 * with their exact types. A new notebook adds its recipe here and its entry to CATALOG.
 */
export const RECIPES = {
  "00_tour": TOUR_RECIPE,
  "01_soft_targets": SOFT_TARGETS_RECIPE,
  "02_hinton_distillation": DISTILLATION_RECIPE,
  "03_temperature": TEMPERATURE_RECIPE,
  "04_omitted_class": OMITTED_CLASS_RECIPE,
  "05_logit_matching": LOGIT_MATCHING_RECIPE,
  "06_graph_distillation": GRAPH_DISTILLATION_RECIPE,
  "07_soft_targets_regulariser": REGULARISER_RECIPE,
  "10_optimal_brain_damage": OBD_RECIPE,
  "11_biased_weight_decay": WEIGHT_DECAY_RECIPE,
  "20_gmdh_ivakhnenko": GMDH_RECIPE,
  "30_model_compression": MODEL_COMPRESSION_RECIPE,
  "40_chunker_automatizer": CHUNKER_RECIPE,
  "41_teacher_student": TEACHER_STUDENT_RECIPE,
  "50_reverse_distillation": REVERSE_DISTILLATION_RECIPE,
  "55_behavioural_cloning": BEHAVIOURAL_CLONING_RECIPE,
  "90_historical_comparison": COMPARISON_RECIPE,
};
export type RecipeName = keyof typeof RECIPES;
export type ParamsOf<N extends RecipeName> = (typeof RECIPES)[N] extends Recipe<infer T> ? T : never;

function names(): string {
  return CATALOG.map((e) => e.notebook).join(", ");
}

/** The entry of a notebook; an unknown name throws listing the valid ones. */
export function catalogEntry(notebook: string): CatalogEntry {
  const e = CATALOG.find((x) => x.notebook === notebook);
  if (!e) throw new Error(`no catalog entry for notebook ${JSON.stringify(notebook)}; entries: ${names()}. Add one in lib/src/catalog/entries/.`);
  return e;
}

/**
 * A notebook's resolved parameters: its recipe's quick defaults, the full-mode changes when KDH_MODE=full,
 * the user's overrides (KDH_PARAMS), every value checked against the recipe's rules.
 */
export function recipeParams<N extends RecipeName>(notebook: N): ParamsOf<N> & { mode: Mode } {
  const r = RECIPES[notebook] as unknown as Recipe<ParamsOf<N>>;
  if (!r) throw new Error(`no recipe for notebook ${JSON.stringify(notebook)}; recipes: ${Object.keys(RECIPES).join(", ")}.`);
  return notebookParams<ParamsOf<N>>({ quick: r.quick, full: r.full, rules: r.rules });
}

/** Judge every claim of a notebook's entry on its measurements (metric name → per-seed values or a number). */
export function judgeClaims(notebook: string, measured: Record<string, Measured | NotMeasured | undefined>, mode: Mode = runMode()): ClaimResult[] {
  return judgeAll(catalogEntry(notebook).claims, measured, mode, notebook);
}

/** The history timeline, oldest first, each point linked to its entry's notebook. */
export function historyTimeline(): Array<TimelinePoint & { notebook: string }> {
  return CATALOG.flatMap((e) => e.timeline.map((t) => ({ ...t, notebook: e.notebook }))).sort((a, b) => a.year - b.year);
}

/** Every comparison row the catalog declares, with the notebook that treats it. */
export function comparisonRows(): Array<ComparisonRowInfo & { notebook: string }> {
  return CATALOG.flatMap((e) => e.comparisonRows.map((r) => ({ ...r, notebook: e.notebook })));
}

/** One comparison row's catalog info; unknown names throw listing the valid ones. */
export function comparisonRowInfo(name: string): ComparisonRowInfo & { notebook: string } {
  const rows = comparisonRows();
  const r = rows.find((x) => x.name === name);
  if (!r) throw new Error(`no catalog entry declares the comparison row ${JSON.stringify(name)}; rows: ${rows.map((x) => x.name).join(", ")}.`);
  return r;
}
