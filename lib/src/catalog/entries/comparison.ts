/**
 * Notebook 90: every method with a classifier row, on one task (MNIST digits at 16×16), side by side.
 * Its recipe is the comparison's config; its claims are the papers' headline comparisons, re-judged on
 * the shared task with the one significance rule (paired by seed).
 */
import type { ComparisonConfig } from "../../comparison/methods";
import type { CatalogEntry, Claim } from "../types";
import { recipe } from "../types";
import * as R from "../rules";

/** The comparison's defaults (quick mode); the notebook's parameters cell overrides them. */
export const COMPARISON_DEFAULTS: ComparisonConfig = {
  trainSize: 3000, validationSize: 1000, testSize: 2000, imageSide: 16, splitSeed: 0, seeds: [1, 2], batchSize: 128,
  teacherHidden: [400, 400], teacherDropout: 0.3, teacherInputDropout: 0.1, teacherMaxNorm: 3.5, teacherEpochs: 15, teacherLearningRate: 1.5e-3,
  ensembleSize: 3, studentHidden: [64], studentEpochs: 30, studentLearningRate: 3e-3, temperatures: [2, 4, 8], softWeight: 0.5,
  largeStudentEpochs: 12, reverseTemperature: 4, pruneSparsity: 0.9, pruneRounds: 3, retrainEpochs: 2, retrainLearningRate: 1e-3,
  gmdhSide: 8, gmdhKeep: 16, gmdhMaxLayers: 6, mungeMultiplier: 1, mungeP: 0.3, mungeS: 5,
};

export const COMPARISON_RECIPE = recipe({
  quick: { ...COMPARISON_DEFAULTS, refresh: false },
  full: { trainSize: 7000, seeds: [1, 2, 3, 4, 5], teacherEpochs: 20, studentEpochs: 40, mungeMultiplier: 2, largeStudentEpochs: 20, pruneRounds: 4, retrainEpochs: 3, gmdhKeep: 24, gmdhMaxLayers: 8 },
  rules: {
    trainSize: R.size("training digits", 8000),
    validationSize: R.size("validation digits", 4000),
    testSize: R.size("test digits", 4000),
    imageSide: R.oneOf("digit image side", 8, 14, 16, 28),
    splitSeed: R.seed("seed of the train/validation/test split"),
    seeds: R.seeds("row seeds"),
    batchSize: R.size("batch size", 8000),
    teacherHidden: R.sizes("teacher hidden units per layer"),
    teacherDropout: R.share("teacher dropout"),
    teacherInputDropout: R.share("teacher input dropout"),
    teacherMaxNorm: { min: 0.1, max: 100, what: "teacher max-norm bound" },
    teacherEpochs: R.epochs("teacher epochs"),
    teacherLearningRate: R.learningRate("teacher learning rate"),
    ensembleSize: R.size("ensemble members", 20),
    studentHidden: R.sizes("student hidden units per layer"),
    studentEpochs: R.epochs("student epochs"),
    studentLearningRate: R.learningRate("student learning rate"),
    temperatures: R.temperatures("temperatures the best-T row chooses from"),
    softWeight: R.fraction("weight of the soft term"),
    largeStudentEpochs: R.epochs("large student epochs"),
    reverseTemperature: R.temperature("reverse-distillation temperature"),
    pruneSparsity: { min: 0, max: 0.999, what: "share of the teacher's parameters pruned" },
    pruneRounds: R.size("pruning rounds", 100),
    retrainEpochs: { integer: true, min: 0, max: 1000, what: "retraining epochs per pruning round" },
    retrainLearningRate: R.learningRate("retraining learning rate"),
    gmdhSide: R.oneOf("GMDH feature image side", 4, 7, 8, 14, 16),
    gmdhKeep: R.size("GMDH survivors per layer", 500),
    gmdhMaxLayers: R.size("GMDH layers at most", 50),
    mungeMultiplier: { min: 0.1, max: 100, what: "MUNGE pseudo-examples per training digit" },
    mungeP: R.fraction("MUNGE swap probability"),
    mungeS: { min: 0.01, max: 100, what: "MUNGE local scale" },
    refresh: R.flag("recompute every row instead of loading cached rows"),
  },
});

/** The papers' headline comparisons, as pairs of comparison rows (a beats b in test accuracy). */
export const COMPARISON_PAIRS: ReadonlyArray<{ id: string; a: string; b: string; statement: string; source: string; paperFigure?: string }> = [
  { id: "distilled-beats-hard", a: "distillBestT", b: "hardStudent", statement: "The distilled small student (T chosen on validation) beats the same student on hard labels.", source: "Hinton et al. 2015, section 3", paperFigure: "74 vs 146 test errors on MNIST" },
  { id: "distilled-T1-beats-hard", a: "distillT1", b: "hardStudent", statement: "Distillation at T = 1 beats hard labels.", source: "Hinton et al. 2015, section 2" },
  { id: "higher-T-beats-T1", a: "distillBestT", b: "distillT1", statement: "A higher temperature beats T = 1.", source: "Hinton et al. 2015, section 3", paperFigure: "T = 20 was used for the 800-800 student; high T helped" },
  { id: "ensemble-teacher-beats-single", a: "distillEnsemble", b: "distillBestT", statement: "A student distilled from an ensemble beats one distilled from a single teacher.", source: "Hinton et al. 2015, section 4", paperFigure: "speech: 60.8% frame accuracy distilled from 10 models vs 58.9%" },
  { id: "logit-matching-beats-hard", a: "logitMatching", b: "hardStudent", statement: "A student matching the teacher's logits beats the same student on hard labels.", source: "Ba & Caruana 2014, section 2" },
  { id: "obd-beats-magnitude", a: "obd", b: "magnitudePruning", statement: "OBD with retraining beats magnitude pruning at the same sparsity.", source: "LeCun, Denker & Solla 1989, figure 1" },
  { id: "reverse-distillation-helps", a: "reverseDistill", b: "largeHardStudent", statement: "A weak small teacher helps a large student (reverse distillation).", source: "Yuan et al. 2020, section 3" },
  { id: "pruning-costs-accuracy", a: "teacher", b: "obd", statement: "The unpruned teacher beats its 90%-pruned OBD version.", source: "LeCun, Denker & Solla 1989 (the cost of deletion)" },
];

const pairClaims: Claim[] = COMPARISON_PAIRS.map((p) => ({
  id: p.id,
  statement: p.statement,
  ...(p.paperFigure ? { paperFigure: p.paperFigure } : {}),
  source: p.source,
  metric: `test accuracy per seed on the shared 16×16 digits task, ${p.a} vs ${p.b}`,
  unit: "accuracy",
  rule: { kind: "compare", a: p.a, b: p.b, better: "higher" },
  mustHold: [],
}));

export const COMPARISON_ENTRIES: CatalogEntry[] = [
  {
    notebook: "90_historical_comparison",
    title: "Sixty years side by side",
    method: "Sixty years side by side: accuracy against parameters",
    papers: [],
    year: "1965–2015",
    data: "MNIST digits at 16x16",
    models: "every method",
    libModules: ["comparison/task.ts", "comparison/methods.ts", "comparison/run.ts", "comparison/row-cache.ts", "comparison/summary.ts"],
    recipe: COMPARISON_RECIPE,
    comparisonRows: [],
    timeline: [],
    keyFigure: 1,
    claims: pairClaims,
  },
];
