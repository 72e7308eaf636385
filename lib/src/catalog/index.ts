/**
 * The catalog: one typed entry per notebook, the spine of the suite.
 *
 * Declaring (lib/src/catalog/entries/<area>.ts, then add the recipe to RECIPES and the entries to CATALOG
 * in catalog.ts; catalog.test.ts then insists that the notebook exists, calls recipeParams and judgeClaims,
 * and that every parameter has a rule):
 *   import * as R from "../rules";   // size, sizes, seeds, seed, epochs, temperature(s), fraction(s), share, learningRate(s), oneOf, flag
 *   const MY_RECIPE = recipe({ quick: {...}, full: {...}, rules: { trainSize: R.size("training images"), seeds: R.seeds(), ... } });
 *   (a notebook on the Hinton teacher: withHintonTeacher({ quick, full, rules }) adds the one teacher recipe.)
 *   const entry: CatalogEntry = { notebook: "NN_name", title, method, papers, year, data, models,
 *     libModules: ["area/file.ts"], recipe: MY_RECIPE, comparisonRows: [], timeline: [], claims: [ {
 *       id: "distilled-beats-hard", statement: "one sentence", paperFigure: "74 vs 146 test errors",
 *       source: "Hinton et al. 2015, section 3", metric: "test errors per seed", unit: "test errors",
 *       rule: { kind: "compare", a: "distilledErrors", b: "hardErrors", better: "lower" }, mustHold: [] } ] };
 *   Rules: `compare` (a better than b, one significance rule, optional band on the relative gain),
 *   `threshold` (a < or > a bar), `band` (a within value ± tolerance). `mustHold`: the modes in which a
 *   verdict other than "reproduced" fails the notebook; paper headline claims are judged, not required.
 *
 * Using, in a notebook:
 *   const P = kdh.recipeParams("NN_name");                       // typed, rule-checked parameters
 *   kdh.codeCheck(ok, "what the code guarantees");                // a property of the code, not a claim
 *   const claims = kdh.judgeClaims("NN_name", { distilledErrors: { values, seeds }, hardErrors: { values, seeds } });
 *   kdh.showClaims(claims);                                       // the claims box, in the notebook
 *   kdh.writeResults("NN_name", { ..., claims: claims });         // the record carries every verdict
 *   kdh.requireMustHold(claims);                                  // fails only on must-hold claims
 *
 * Reading: CATALOG, catalogEntry(name), historyTimeline(), comparisonRows(), comparisonRowInfo(name),
 * compareSamples(a, b) (the significance rule), judgeClaim/judgeAll, verdictCounts, claimsBoxHtml(record).
 * Code version: codeVersion(entry.libModules) (core/code-version.ts) hashes the lib sources an entry depends
 * on; teacher cache keys carry codeVersion(TRAINING_CODE_MODULES), comparison rows rowCodeVersion(notebook).
 * Verdict rule in short: reproduced = holds (significantly where seeds vary; within the band where the paper
 * gives a number); partial = right direction, not significant or outside the band; not reproduced = the
 * opposite direction (significant or not); not run = a metric absent in this mode.
 */
export {
  recipe,
  type Paper,
  type Recipe,
  type ClaimRule,
  type Claim,
  type ComparisonRowInfo,
  type TimelinePoint,
  type CatalogEntry,
} from "./types";
export * as paramRules from "./rules";
export { compareSamples, type Sample, type Measured, type Difference } from "./significance";
export {
  judgeClaim,
  judgeAll,
  notMeasured,
  requireMustHold,
  codeCheck,
  verdictCounts,
  VERDICTS,
  type Verdict,
  type MeasuredFigure,
  type ClaimResult,
  type NotMeasured,
} from "./verdicts";
export { withHintonTeacher, HINTON_TEACHER, type HintonTeacherParams } from "./hinton-teacher";
export {
  CATALOG,
  RECIPES,
  catalogEntry,
  recipeParams,
  judgeClaims,
  historyTimeline,
  comparisonRows,
  comparisonRowInfo,
  type RecipeName,
  type ParamsOf,
} from "./catalog";
export { showClaims, claimsBoxHtml } from "./claims-box";
export { COMPARISON_DEFAULTS, COMPARISON_PAIRS } from "./entries/comparison";
