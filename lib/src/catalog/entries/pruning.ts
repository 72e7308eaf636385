/** Pruning by saliency (LeCun, Denker & Solla 1989; Hassibi & Stork 1993) and biased weight decay (Hanson & Pratt 1989): notebooks 10 and 11. */
import type { CatalogEntry, Claim } from "../types";
import { recipe } from "../types";
import * as R from "../rules";

// Quick: 72 s measured at load average 12 on the 2 shared cores (training, the exact-Hessian reference, two
// delete-and-retrain loops: OBD and magnitude). The Optimal Brain Surgeon arm (one outer-product Hessian over
// obsSamples digits, one float64 inverse, 2,680 one-at-a-time deletions, all single-threaded JavaScript) added 15 s of
// CPU time to the run (/usr/bin/time: 45 s against 30 s) and 37 s of wall time at load average 7–9.
// Full: 7,291 digits, 150 epochs, two loops of 14 rounds × 15 retraining epochs ≈ 10× the quick run's training work
// ≈ 12 min at that load; OBS's Hessian over 7,291 digits is 2.4× the quick one, its inverse and deletions the same.
export const OBD_RECIPE = recipe({
  quick: {
    seed: 10, trainSize: 3000, testSize: 2000, hidden: 10, loss: "squared-error", epochs: 100, batchSize: 64, learningRate: 0.05, lrDecay: 0.97,
    curvePoints: 40, rounds: 10, deleteFraction: 0.2, retrainEpochs: 5, exactSamples: 100, obsAlpha: 1e-4, obsSamples: 3000,
  },
  full: { trainSize: 7291, testSize: 2007, epochs: 150, rounds: 14, retrainEpochs: 15, exactSamples: 300, obsSamples: 7291 },
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
    obsAlpha: { min: 1e-10, max: 1, what: "α of Optimal Brain Surgeon's Hessian αI + (1/P)ΣXXᵀ (Hassibi & Stork used 1e-8 to 1e-4)" },
    obsSamples: R.size("training digits the Optimal Brain Surgeon Hessian is summed over (at most trainSize)", 9000),
  },
});

// Quick: a 3-point strength grid per penalty on the first seed, then 3 seeds × 5 arms (23 runs of a
// 256-30-10 net on 1,000 digits for 30 epochs): 130 s measured at load average 14 on the 2 shared cores.
// Full: 5 seeds (31 runs) on 3,000 digits for 60 epochs, each run ~6× a quick one: ≈ 31/23 × 6 × 130 s ≈ 18 min
// at that load, less on an idle machine.
export const WEIGHT_DECAY_RECIPE = recipe({
  quick: {
    seeds: [11, 12, 13], trainSize: 1000, validationSize: 500, testSize: 2000, hidden: 30, epochs: 30, batchSize: 50, learningRate: 0.05, momentum: 0.9,
    quadraticLambdas: [0.0003, 0.001, 0.003], eliminationLambdas: [0.0001, 0.0003, 0.001], eliminationScale: 0.05,
    unitLambdas: [0.3, 1, 3], unitScale: 20, validationTolerance: 0.01, removalTolerance: 0.01,
    deadUnitTotal: 0.1, convergedAccuracy: 0.95, nearZero: 0.01,
  },
  full: { seeds: [11, 12, 13, 14, 15], trainSize: 3000, validationSize: 1000, testSize: 3000, epochs: 60 },
  rules: {
    seeds: R.seeds(),
    trainSize: R.size("training digits", 9000),
    validationSize: R.size("validation digits (strength selection)", 9000),
    testSize: R.size("test digits", 9000),
    hidden: R.size("hidden tanh units", 2000),
    epochs: R.epochs(),
    batchSize: R.size("batch size", 9000),
    learningRate: R.learningRate(),
    momentum: { min: 0, max: 0.999, what: "momentum" },
    quadraticLambdas: { min: 0, max: 1, minLength: 1, what: "strengths of quadratic decay tried on the validation split" },
    eliminationLambdas: { min: 0, max: 1, minLength: 1, what: "strengths of weight elimination tried on the validation split" },
    eliminationScale: { min: 1e-6, max: 10, what: "w0, the weight scale of weight elimination" },
    unitLambdas: { min: 0, max: 10, minLength: 1, what: "strengths of the unit biases tried on the validation split (price of one live unit)" },
    unitScale: { min: 1e-6, max: 1000, what: "s0, the summed |incoming weight| where the unit biases saturate" },
    validationTolerance: { min: 0, max: 0.5, what: "validation-accuracy loss (vs no decay) allowed when picking the strongest penalty" },
    removalTolerance: { min: 0, max: 0.5, what: "validation-accuracy loss allowed when deleting the weakest hidden units of a trained net" },
    deadUnitTotal: { min: 1e-6, max: 100, what: "summed |incoming weight| below which a hidden unit counts as removed" },
    convergedAccuracy: R.fraction("training accuracy a run must reach to count as converged"),
    nearZero: { min: 0, max: 1, what: "|w| below which a weight counts as near zero" },
  },
});

const LECUN = { authors: "LeCun, Denker & Solla", year: 1989, title: "Optimal Brain Damage" };
const HASSIBI = { authors: "Hassibi & Stork", year: 1993, title: "Second order derivatives for network pruning: Optimal Brain Surgeon" };
const HS = "Hassibi & Stork 1993";
const HS_FIGURE = "OBS permits the pruning of more weights than other methods (for the same error on the training set), and thus better generalisation; on the MONK's problems 90%, 76% and 62% fewer weights than backpropagation with weight decay";
const HS_SOURCE = `${HS}, abstract (the MONK's weight counts as the abstract states them; the paper's table itself was not in the sources we could search, and its comparison there is against weight decay, not OBD)`;
const HANSON = { authors: "Hanson & Pratt", year: 1989, title: "Comparing Biases for Minimal Network Construction with Back-Propagation" };

const HP = "Hanson & Pratt 1989";
const perSeed = (what: string) => `${what}, per seed, each penalty at its validation-chosen strength`;
const unitClaims = (kind: "hyperbolic" | "exponential"): Claim[] => [
  {
    id: `${kind}-removes-units`,
    statement: `Hanson & Pratt's ${kind} bias on hidden units leaves fewer live hidden units than training without a bias.`,
    paperFigure: "the number of hidden units decreases with the bias runs (qualitative; their parity, counting and speech tasks)",
    source: `${HP}, abstract and results`,
    metric: perSeed(`hidden units removable (weakest first, folded into the output biases, validation accuracy within removalTolerance), ${kind} unit bias vs no decay`),
    unit: "hidden units",
    rule: { kind: "compare", a: `${kind}UnitsRemoved`, b: "noneUnitsRemoved", better: "higher" },
    mustHold: [],
  },
  {
    id: `${kind}-fails-to-converge-more`,
    statement: `The ${kind} unit bias fails to converge more often than training without a bias.`,
    paperFigure: "the constrained search minimises hidden units with an expected increase in local minima (lower probability of convergence)",
    source: `${HP}, abstract and results`,
    metric: perSeed(`runs not converged (1 = training accuracy below convergedAccuracy), ${kind} unit bias vs no decay`),
    unit: "runs",
    rule: { kind: "compare", a: `${kind}NotConverged`, b: "noneNotConverged", better: "higher" },
    mustHold: [],
  },
];

export const PRUNING_ENTRIES: CatalogEntry[] = [
  {
    notebook: "10_optimal_brain_damage",
    title: "Optimal Brain Damage and Optimal Brain Surgeon",
    method: "Optimal Brain Damage (second-order saliency pruning) and Optimal Brain Surgeon (full inverse Hessian, weight correction)",
    papers: [LECUN, HASSIBI],
    year: "1989",
    data: "MNIST digits at 16x16",
    models: "MLP 256-10-10 tanh (2,680 parameters)",
    libModules: ["pruning/hessian-diagonal.ts", "pruning/exact-hessian.ts", "pruning/saliency.ts", "pruning/masks.ts", "pruning/prune-loop.ts", "pruning/dense.ts", "pruning/baselines.ts", "pruning/obs.ts", "pruning/obs-hessian.ts"],
    recipe: OBD_RECIPE,
    comparisonRows: [
      { name: "magnitudePruning", label: "magnitude pruning + retraining of the teacher", year: 1989, paper: "the baseline of LeCun, Denker & Solla 1989" },
      { name: "obd", label: "Optimal Brain Damage + retraining of the teacher", year: 1989, paper: "LeCun, Denker & Solla 1989" },
    ],
    timeline: [
      { year: 1989, method: "Optimal Brain Damage and magnitude pruning", paper: "LeCun, Denker & Solla 1989" },
      { year: 1993, method: "Optimal Brain Surgeon: the full inverse Hessian corrects the kept weights", paper: HS },
    ],
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
      {
        id: "prediction-tracks-then-departs-early",
        statement: "OBD's predicted objective (the objective before deletion plus the deleted saliencies) tracks the actual objective, within a factor of 2, over the first half of the deletions ...",
        paperFigure: "predicted and actual objective agree while few parameters are deleted (Fig. 1b)",
        source: "LeCun, Denker & Solla 1989, figure 1b",
        metric: "largest |log₁₀(actual ÷ predicted objective)| over the first half of the deletions, no retraining (one seed); the factor 2 is our bar",
        unit: "log₁₀ ratio",
        rule: { kind: "threshold", a: "predictionEarlyMaxLogRatio", op: "<", value: 0.30103 },
        mustHold: [],
      },
      {
        id: "prediction-tracks-then-departs-late",
        statement: "... and departs from it, by more than a factor of 2, once more than half of the parameters are gone.",
        paperFigure: "the prediction departs from the actual objective as deletions accumulate (Fig. 1b)",
        source: "LeCun, Denker & Solla 1989, figure 1b",
        metric: "largest |log₁₀(actual ÷ predicted objective)| over the second half of the deletions (all deleted excluded), no retraining (one seed)",
        unit: "log₁₀ ratio",
        rule: { kind: "threshold", a: "predictionLateMaxLogRatio", op: ">", value: 0.30103 },
        mustHold: [],
      },
      {
        id: "obd-below-magnitude-with-retraining",
        statement: "With the same retraining after every round, OBD keeps a lower training objective than magnitude pruning in most rounds.",
        paperFigure: "OBD is better than magnitude-based deletion (the paper compares them without retraining; this is the fair baseline for its retraining result)",
        source: "LeCun, Denker & Solla 1989, figures 1–2",
        metric: "share of rounds where OBD's retrained training objective is below magnitude pruning's (one seed)",
        unit: "share",
        rule: { kind: "threshold", a: "obdBelowMagnitudeRetrainedFraction", op: ">", value: 0.5 },
        mustHold: [],
      },
      {
        id: "obd-removes-at-least-magnitude-with-retraining",
        statement: "With retraining, OBD removes at least as large a share of the parameters as magnitude pruning before the test error rises by more than 1 point.",
        source: "LeCun, Denker & Solla 1989, figure 2 (magnitude arm ours)",
        metric: "largest deleted share within 1 point of the unpruned test error, OBD minus magnitude, both retrained (one seed)",
        unit: "share",
        rule: { kind: "threshold", a: "obdMinusMagnitudeDeletedWithin1Point", op: ">", value: -0.001 },
        mustHold: [],
      },
      {
        id: "obs-below-obd",
        statement: "Without retraining, Optimal Brain Surgeon (deleting one weight at a time and correcting the others) keeps a lower training objective than OBD at the same number of weights, over most deletion counts.",
        paperFigure: HS_FIGURE,
        source: HS_SOURCE,
        metric: "share of interior deletion counts (of Fig. 1a's) where OBS's training objective is below OBD's, both without retraining (one seed)",
        unit: "share",
        rule: { kind: "threshold", a: "obsBelowObdFraction", op: ">", value: 0.5 },
        mustHold: [],
      },
      {
        id: "obs-below-magnitude",
        statement: "Without retraining, OBS keeps a lower training objective than magnitude pruning at the same number of weights, over most deletion counts.",
        paperFigure: "OBS is significantly better than magnitude-based methods",
        source: `${HS}, abstract`,
        metric: "share of interior deletion counts where OBS's training objective is below magnitude pruning's, both without retraining (one seed)",
        unit: "share",
        rule: { kind: "threshold", a: "obsBelowMagnitudeFraction", op: ">", value: 0.5 },
        mustHold: [],
      },
      {
        id: "obs-removes-more-at-same-training-error",
        statement: "Without retraining, OBS deletes more weights than OBD before the training error rises by more than 1 point.",
        paperFigure: HS_FIGURE,
        source: HS_SOURCE,
        metric: "share of the parameters deleted before the training error first exceeds the unpruned net's + 1 point, OBS minus OBD, no retraining (one seed); the 1-point bar is ours",
        unit: "share",
        rule: { kind: "threshold", a: "obsMinusObdDeletedWithin1PointTrain", op: ">", value: 0 },
        mustHold: [],
      },
      {
        id: "obs-generalises-better",
        statement: "Without retraining, OBS's test error is below OBD's at the same number of weights, over most deletion counts.",
        paperFigure: "OBS ... thus yields better generalization on test data",
        source: `${HS}, abstract`,
        metric: "share of interior deletion counts where OBS's test error is below OBD's, both without retraining (one seed)",
        unit: "share",
        rule: { kind: "threshold", a: "obsTestBelowObdFraction", op: ">", value: 0.5 },
        mustHold: [],
      },
    ],
  },
  {
    notebook: "11_biased_weight_decay",
    title: "Biased weight decay",
    method: "Biases on hidden units (hyperbolic, exponential) against quadratic decay and weight elimination",
    papers: [HANSON, { authors: "Weigend, Rumelhart & Huberman", year: 1991, title: "Generalization by Weight-Elimination with Application to Forecasting" }],
    year: "1989",
    data: "MNIST digits at 16x16",
    models: "MLP 256-30-10 tanh (7,990 parameters)",
    libModules: ["history/weight-decay.ts", "history/unit-bias.ts", "core/train.ts"],
    recipe: WEIGHT_DECAY_RECIPE,
    comparisonRows: [],
    timeline: [{ year: 1989, method: "biases on hidden units: penalties that empty whole units", paper: "Hanson & Pratt 1989" }],
    keyFigure: 0,
    claims: [
      ...unitClaims("hyperbolic"),
      ...unitClaims("exponential"),
      {
        id: "unit-bias-beats-quadratic-on-units",
        statement: "At validation-chosen strengths, the hyperbolic unit bias removes more hidden units than quadratic weight decay.",
        source: `${HP}, sections 2–3 (the unit biases against plain decay)`,
        metric: perSeed("hidden units removable, hyperbolic unit bias vs quadratic decay"),
        unit: "hidden units",
        rule: { kind: "compare", a: "hyperbolicUnitsRemoved", b: "quadraticUnitsRemoved", better: "higher" },
        mustHold: [],
      },
      {
        id: "unit-bias-generalises",
        statement: "The hyperbolic unit bias improves test accuracy over training without a bias.",
        paperFigure: "minimal representations are proposed to improve generalisation (Rumelhart's motivation, as they state it)",
        source: `${HP}, abstract`,
        metric: perSeed("test accuracy, hyperbolic unit bias vs no decay"),
        unit: "accuracy",
        rule: { kind: "compare", a: "hyperbolicTestAccuracy", b: "noneTestAccuracy", better: "higher" },
        mustHold: [],
      },
      {
        id: "elimination-more-near-zero",
        statement: "Weight elimination (the per-weight hyperbolic penalty) leaves more weights near zero than quadratic decay.",
        paperFigure: "weight elimination drives unneeded weights to zero while sparing the useful ones",
        source: "Weigend, Rumelhart & Huberman 1991",
        metric: perSeed("share of weights with |w| < nearZero, weight elimination vs quadratic decay"),
        unit: "share",
        rule: { kind: "compare", a: "eliminationNearZero", b: "quadraticNearZero", better: "higher" },
        mustHold: [],
      },
    ],
  },
];
