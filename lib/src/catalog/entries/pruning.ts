/** Pruning by saliency (LeCun, Denker & Solla 1989) and biased weight decay (Hanson & Pratt 1989): notebooks 10 and 11. */
import type { CatalogEntry, Claim } from "../types";
import { recipe } from "../types";
import * as R from "../rules";

export const OBD_RECIPE = recipe({
  quick: {
    seed: 10, trainSize: 3000, testSize: 2000, hidden: 10, loss: "squared-error", epochs: 100, batchSize: 64, learningRate: 0.05, lrDecay: 0.97,
    curvePoints: 40, rounds: 10, deleteFraction: 0.2, retrainEpochs: 5, exactSamples: 100,
  },
  full: { trainSize: 7291, testSize: 2007, epochs: 150, rounds: 14, retrainEpochs: 15, exactSamples: 300 },
  rules: {
    seed: R.seed(),
    trainSize: R.size("training digits", 9000),
    testSize: R.size("test digits", 9000),
    hidden: R.size("hidden tanh units", 1000),
    loss: R.oneOf("training objective", "squared-error", "cross-entropy"),
    epochs: R.epochs(),
    batchSize: R.size("batch size", 9000),
    learningRate: R.learningRate(),
    lrDecay: { min: 0.5, max: 1, what: "learning-rate decay per epoch" },
    curvePoints: R.size("deletion counts on the no-retraining curves", 1000),
    rounds: R.size("delete-and-retrain rounds", 100),
    deleteFraction: { min: 0.001, max: 0.9, what: "share of the remaining parameters deleted per round" },
    retrainEpochs: R.epochs("retraining epochs per round"),
    exactSamples: R.size("digits for the exact finite-difference Hessian", 2000),
  },
});

export const WEIGHT_DECAY_RECIPE = recipe({
  quick: {
    seed: 11, trainSize: 2000, testSize: 2000, hidden: 100, epochs: 40, batchSize: 64, learningRate: 0.05, momentum: 0.9,
    quadraticLambda: 0.002, hyperbolicLambda: 0.0005, exponentialLambda: 0.0005, scale: 0.05, nearZero: 0.01,
    pruneFractions: [0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99],
  },
  full: { trainSize: 7000, testSize: 3000, epochs: 80 },
  rules: {
    seed: R.seed(),
    trainSize: R.size("training digits", 9000),
    testSize: R.size("test digits", 9000),
    hidden: R.size("hidden tanh units", 2000),
    epochs: R.epochs(),
    batchSize: R.size("batch size", 9000),
    learningRate: R.learningRate(),
    momentum: { min: 0, max: 0.999, what: "momentum" },
    quadraticLambda: R.nonNegative("strength of quadratic decay", 1),
    hyperbolicLambda: R.nonNegative("strength of hyperbolic decay", 1),
    exponentialLambda: R.nonNegative("strength of exponential decay", 1),
    scale: { min: 1e-6, max: 10, what: "w0, the scale of the saturating biases" },
    nearZero: { min: 0, max: 1, what: "|w| below which a weight counts as near zero" },
    pruneFractions: { min: 0, max: 0.9999, minLength: 1, what: "shares of the weights pruned by magnitude (must include 0.9)" },
  },
});

const LECUN = { authors: "LeCun, Denker & Solla", year: 1989, title: "Optimal Brain Damage" };
const HANSON = { authors: "Hanson & Pratt", year: 1989, title: "Comparing Biases for Minimal Network Construction with Back-Propagation" };

const saturating = (kind: "hyperbolic" | "exponential"): Claim[] => [
  {
    id: `${kind}-more-near-zero`,
    statement: `${kind[0].toUpperCase() + kind.slice(1)} decay leaves more weights near zero than quadratic decay.`,
    paperFigure: "saturating biases drive unneeded weights to zero while sparing the useful ones",
    source: "Hanson & Pratt 1989, sections 2–3",
    metric: `share of weights with |w| < nearZero, ${kind} minus quadratic (one seed)`,
    unit: "share",
    rule: { kind: "threshold", a: `${kind}NearZeroOverQuadratic`, op: ">", value: 0 },
    mustHold: ["quick", "full"],
  },
  {
    id: `${kind}-survives-90pct-pruning`,
    statement: `The ${kind}-decay net loses less than 1 point of accuracy when 90% of its weights are pruned by magnitude, without retraining.`,
    source: "Hanson & Pratt 1989 (minimal networks); pruning as in LeCun et al. 1989",
    metric: `unpruned minus 90%-pruned test accuracy, ${kind} decay (one seed)`,
    unit: "accuracy",
    rule: { kind: "threshold", a: `${kind}DropAt90`, op: "<", value: 0.01 },
    mustHold: ["quick", "full"],
  },
  {
    id: `${kind}-beats-no-decay-pruned`,
    statement: `Pruned to 90%, the ${kind}-decay net is more accurate than the undecayed net pruned as far.`,
    source: "Hanson & Pratt 1989",
    metric: `90%-pruned test accuracy, ${kind} minus no decay (one seed)`,
    unit: "accuracy",
    rule: { kind: "threshold", a: `${kind}OverNoDecayAt90`, op: ">", value: 0 },
    mustHold: ["quick", "full"],
  },
  {
    id: `${kind}-best-at-sparsest`,
    statement: `At the sparsest level tried, the ${kind}-decay net beats both the undecayed and the quadratic net.`,
    source: "Hanson & Pratt 1989",
    metric: `test accuracy at the sparsest level, ${kind} minus the better of no decay and quadratic (one seed)`,
    unit: "accuracy",
    rule: { kind: "threshold", a: `${kind}OverBestOtherAtSparsest`, op: ">", value: 0 },
    mustHold: ["quick", "full"],
  },
];

export const PRUNING_ENTRIES: CatalogEntry[] = [
  {
    notebook: "10_optimal_brain_damage",
    title: "Optimal Brain Damage",
    method: "Optimal Brain Damage (second-order saliency pruning)",
    papers: [LECUN],
    year: "1989",
    data: "MNIST digits at 16x16",
    models: "MLP 256-10-10 tanh (2,680 parameters)",
    libModules: ["pruning/hessian-diagonal.ts", "pruning/exact-hessian.ts", "pruning/saliency.ts", "pruning/masks.ts", "pruning/prune-loop.ts", "pruning/dense.ts", "pruning/baselines.ts"],
    recipe: OBD_RECIPE,
    comparisonRows: [
      { name: "magnitudePruning", label: "magnitude pruning + retraining of the teacher", year: 1989, paper: "the baseline of LeCun, Denker & Solla 1989" },
      { name: "obd", label: "Optimal Brain Damage + retraining of the teacher", year: 1989, paper: "LeCun, Denker & Solla 1989" },
    ],
    timeline: [{ year: 1989, method: "Optimal Brain Damage and magnitude pruning", paper: "LeCun, Denker & Solla 1989" }],
    keyFigure: 0,
    claims: [
      {
        id: "obd-below-magnitude",
        statement: "Deleting by second-order saliency raises the training objective less than deleting the smallest weights, over most deletion counts.",
        paperFigure: "OBD deletes with much less damage to the objective than magnitude-based deletion",
        source: "LeCun, Denker & Solla 1989, figure 1",
        metric: "share of interior deletion counts where OBD's objective is below magnitude pruning's (one seed)",
        unit: "share",
        rule: { kind: "threshold", a: "obdBelowMagnitudeFraction", op: ">", value: 0.7 },
        mustHold: ["quick", "full"],
      },
      {
        id: "half-removable-with-retraining",
        statement: "With retraining, at least half of the parameters can be removed with the test error within 1 point of the unpruned net.",
        paperFigure: "with retraining, a large share of the parameters could be deleted with no loss of accuracy",
        source: "LeCun, Denker & Solla 1989, figure 2",
        metric: "largest deleted share with test error ≤ unpruned + 1 point (one seed)",
        unit: "share",
        rule: { kind: "threshold", a: "maxDeletedFractionWithin1Point", op: ">", value: 0.5 },
        mustHold: ["quick", "full"],
      },
      {
        id: "diagonal-hessian-ranks",
        statement: "The second-order backprop (diagonal, Levenberg–Marquardt) ranks parameters like the exact Hessian diagonal (Spearman > 0.9).",
        paperFigure: "the diagonal approximation is computed by a backprop-like pass at the cost of a gradient",
        source: "LeCun, Denker & Solla 1989, section 3",
        metric: "Spearman rank correlation, approximate vs finite-difference saliencies",
        unit: "rank correlation",
        rule: { kind: "threshold", a: "hessianSpearman", op: ">", value: 0.9 },
        mustHold: ["quick", "full"],
      },
    ],
  },
  {
    notebook: "11_biased_weight_decay",
    title: "Biased weight decay",
    method: "Biased weight decay (quadratic, hyperbolic, exponential) as a compression baseline",
    papers: [HANSON],
    year: "1989",
    data: "MNIST digits at 16x16",
    models: "MLP 256-100-10 (26.6k weights), pruned by magnitude",
    libModules: ["history/weight-decay.ts", "pruning/masks.ts", "core/train.ts"],
    recipe: WEIGHT_DECAY_RECIPE,
    comparisonRows: [],
    timeline: [{ year: 1989, method: "biased weight decay, then magnitude pruning", paper: "Hanson & Pratt 1989" }],
    keyFigure: 0,
    claims: [
      {
        id: "quadratic-more-near-zero",
        statement: "Quadratic weight decay leaves more weights near zero than no decay.",
        source: "Hanson & Pratt 1989, section 2",
        metric: "share of weights with |w| < nearZero, quadratic minus no decay (one seed)",
        unit: "share",
        rule: { kind: "threshold", a: "quadraticNearZeroOverNone", op: ">", value: 0 },
        mustHold: ["quick", "full"],
      },
      ...saturating("hyperbolic"),
      ...saturating("exponential"),
    ],
  },
];
