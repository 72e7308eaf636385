/**
 * The catalog: one typed entry per notebook, the spine of the suite.
 *
 * Declaring (lib/src/catalog/entries/<area>.ts, then RECIPES and CATALOG in catalog.ts):
 *   const MY_RECIPE = recipe({ quick: {...}, full: {...}, rules: { trainSize: R.size("training images"), seeds: R.seeds(), ... } });
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
 * Code version: entryCodeVersion(entry) hashes the lib sources an entry depends on (for cache keys).
 */
export * from "./types";
export * as paramRules from "./rules";
export * from "./significance";
export * from "./verdicts";
export * from "./hinton-teacher";
export * from "./catalog";
export * from "./claims-box";
export { COMPARISON_DEFAULTS, COMPARISON_PAIRS } from "./entries/comparison";
