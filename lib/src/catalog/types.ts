/**
 * The catalog's vocabulary: what an entry (one notebook, one method or family of methods) declares, and
 * what a claim is. Only types and tiny constructors live here; the entries themselves are in
 * `entries/*.ts`, the judging in `verdicts.ts`, the significance rule in `significance.ts`.
 */
import type { Mode, ParamRules } from "../core/config";

/** One publication an entry reproduces. */
export interface Paper {
  /** "Hinton, Vinyals & Dean" */
  authors: string;
  year: number;
  title: string;
}

/**
 * A typed run recipe: quick defaults (the schema: every key a notebook can set), what full mode changes,
 * and a rule for every parameter (checked by `notebookParams` before any data loads).
 */
export interface Recipe<T extends object> {
  quick: T;
  full: Partial<T>;
  rules: ParamRules<T>;
}

/**
 * How a claim is judged. Samples are a notebook's measurements (one value per seed, or one value).
 * - `compare`: metric `a` is better than metric `b` (`better: "lower"` for errors, `"higher"` for
 *   accuracies), judged by the one significance rule (`significance.ts`). With `band`, the relative
 *   improvement (b − a)/b (for "lower"; (a − b)/b for "higher") is also compared with the paper's.
 * - `threshold`: metric `a` lies on the claimed side of `value` (`op`); a per-seed sample must be beyond
 *   the bar by more than two standard errors (≥ 3 seeds), a single value is read as it is (used for
 *   deterministic quantities such as a fitted slope or a deviation from a closed form).
 * - `band`: metric `a` lies within `tolerance` (absolute, in the metric's unit) of `value`, the
 *   paper's figure (or a closed-form prediction).
 */
export type ClaimRule =
  | { kind: "compare"; a: string; b: string; better: "lower" | "higher"; band?: { paperRelative: number; tolerance: number } }
  | { kind: "threshold"; a: string; op: "<" | ">"; value: number }
  | { kind: "band"; a: string; value: number; tolerance: number };

/** One claim of a paper, as this suite tests it. */
export interface Claim {
  /** Unique within its entry, kebab-case: "distilled-beats-hard". */
  id: string;
  /** One sentence, as a reader would say it ("A student distilled at T = 20 makes fewer errors than ..."). */
  statement: string;
  /** The paper's own figure, in words and numbers ("74 vs 146 test errors"), or undefined when the paper gives none. */
  paperFigure?: string;
  /** Where the figure or statement comes from: "Hinton et al. 2015, section 3" / "table 1" / "figure 2". */
  source: string;
  /** The metric(s) our run reports, in words ("mean test errors over seeds, distilled vs hard labels"). */
  metric: string;
  /** Unit of the measured numbers, for display ("errors of 1,000", "%", "points"). */
  unit: string;
  rule: ClaimRule;
  /** Modes in which the notebook fails unless the verdict is "reproduced". Empty: judged, never fatal. */
  mustHold: Mode[];
}

/** A row the historical comparison (notebook 90) computes for this entry; its runner lives in comparison/methods.ts. */
export interface ComparisonRowInfo {
  /** Key of the runner in comparison/methods.ts. */
  name: string;
  label: string;
  year: number;
  paper: string;
}

/** A point on notebook 90's history timeline. */
export interface TimelinePoint {
  year: number;
  method: string;
  paper: string;
}

/** One notebook and the method(s) it reproduces. */
export interface CatalogEntry {
  /** NN_name of the notebook (notebooks/<notebook>.ipynb). */
  notebook: string;
  /** Title as shown on the front page ("Knowledge distillation"). */
  title: string;
  /** One line: what is reproduced. */
  method: string;
  papers: Paper[];
  /** Display year (the main paper's, or a range such as "1965–2015"). */
  year: string;
  data: string;
  models: string;
  /** Lib modules that implement it, relative to lib/src ("distillation/losses.ts"). Also the code version of its cache keys. */
  libModules: string[];
  /** The notebook's run recipe (its parameters cell is `kdh.recipeParams("<notebook>")`). */
  recipe: Recipe<object>;
  /** Rows this entry contributes to the historical comparison. */
  comparisonRows: ComparisonRowInfo[];
  /** Points on the history timeline. */
  timeline: TimelinePoint[];
  claims: Claim[];
  /** Key figure shown as the front page's thumbnail: the index (0-based) of the figure in the report. */
  keyFigure?: number;
}

/** Declare a recipe with its types checked (T is inferred from `quick`). */
export function recipe<T extends object>(r: { quick: T; full?: Partial<T>; rules: ParamRules<T> }): Recipe<T> {
  return { quick: r.quick, full: r.full ?? {}, rules: r.rules };
}
