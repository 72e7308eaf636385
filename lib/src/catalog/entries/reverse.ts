/** Reverse distillation (Yuan et al. 2020) and born-again networks (Furlanello et al. 2018): notebook 50. */
import type { CatalogEntry } from "../types";
import { recipe } from "../types";
import * as R from "../rules";

export const REVERSE_DISTILLATION_RECIPE = recipe({
  quick: {
    seed: 50, seeds: 3, trainSizes: [300, 1500], testSize: 2000, teacherHidden: [32], studentHidden: [400, 400], steps: 200, batchSize: 64, learningRate: 0.001,
    // Two KD settings (not four) keep the quick run near its old cost with the three added arms: measured with
    // the four-setting grid, 293 s wall at load 14 on 2 cores (68 s user CPU); this grid trains ~18% fewer nets.
    temperatures: [2, 5], softWeights: [0.5], labelSmoothing: 0.1, bornAgainT: 1, bornAgainSoftWeight: 1, generations: 2,
    // De-KD: the large architecture stopped after 10 of the 200 steps (chosen before any run, not tuned).
    poorTeacherSteps: 10, deKdT: 2, deKdSoftWeight: 0.5,
    // Tf-KD: Yuan et al. put 0.9 or more on the true class; T and the weight match the KD grid's middle.
    tfKdCorrectProb: 0.9, tfKdT: 2, tfKdSoftWeight: 0.5,
  },
  // Full: 5 seeds × 4 sizes × ~20 nets (12 KD settings) × 600 steps ≈ 242,000 network-steps, 18× the measured
  // four-setting quick run (6 × ~11 nets × 200 steps = 13,300 in 68 s user CPU): ≈ 21 min of CPU, within 30 min.
  full: { seeds: 5, trainSizes: [300, 1000, 3000, 7000], steps: 600, temperatures: [1, 2, 5, 10], softWeights: [0.2, 0.5, 0.9], generations: 3, poorTeacherSteps: 30 },
  rules: {
    seed: R.seed("base seed (each repeat derives its own)"),
    seeds: R.size("independent repeats", 100),
    trainSizes: { integer: true, min: 10, max: 7000, minLength: 1, what: "labelled training digits per run" },
    testSize: R.size("test digits", 2500),
    teacherHidden: R.sizes("small teacher hidden units per layer"),
    studentHidden: R.sizes("large student hidden units per layer"),
    steps: R.size("optimizer steps per network", 1000000),
    batchSize: R.size("batch size", 7000),
    learningRate: R.learningRate("learning rate (Adam)"),
    temperatures: R.temperatures("distillation temperatures"),
    softWeights: R.fractions("weights of the soft term"),
    labelSmoothing: R.fraction("label smoothing ε"),
    bornAgainT: R.temperature("born-again temperature"),
    bornAgainSoftWeight: R.fraction("born-again weight of the soft term"),
    generations: R.size("born-again generations", 20),
    poorTeacherSteps: R.size("optimizer steps of the poorly trained teacher", 1000000),
    deKdT: R.temperature("De-KD temperature"),
    deKdSoftWeight: R.fraction("De-KD weight of the soft term"),
    tfKdCorrectProb: { min: 0.11, max: 0.999, what: "the virtual teacher's probability on the true class (above 1/10, below 1)" },
    tfKdT: R.temperature("Tf-KD temperature"),
    tfKdSoftWeight: R.fraction("Tf-KD weight of the soft term"),
  },
});

const YUAN = { authors: "Yuan, Tay, Li, Wang & Feng", year: 2020, title: "Revisiting Knowledge Distillation via Label Smoothing Regularization" };
const FURLANELLO = { authors: "Furlanello, Lipton, Tschannen, Itti & Anandkumar", year: 2018, title: "Born-Again Neural Networks" };

export const REVERSE_ENTRIES: CatalogEntry[] = [
  {
    notebook: "50_reverse_distillation",
    title: "Reverse distillation and born-again students",
    method: "Reverse distillation and born-again students",
    papers: [YUAN, FURLANELLO],
    year: "2020/2018",
    data: "MNIST digits at 16x16",
    models: "256-32-10 teacher → 256-400-400-10 student; poorly trained 256-400-400-10 teacher; virtual teacher; born-again 256-32-10 and their ensemble",
    libModules: ["distillation/reverse-experiment.ts", "distillation/reverse-experiment-virtual-teacher.ts", "distillation/losses.ts", "distillation/students.ts", "data/stage.ts", "core/train.ts"],
    recipe: REVERSE_DISTILLATION_RECIPE,
    comparisonRows: [
      { name: "largeHardStudent", label: "large student on hard labels", year: 2020, paper: "the baseline of Yuan et al. 2020" },
      { name: "reverseDistill", label: "reverse distillation: small student teaches a large one", year: 2020, paper: "Yuan, Tay, Li, Wang & Feng 2020" },
    ],
    timeline: [{ year: 2020, method: "reverse distillation: a weak teacher for a strong student", paper: "Yuan et al. 2020" }],
    keyFigure: 1,
    claims: [
      {
        id: "teacher-is-weaker",
        statement: "At the smallest training size the small teacher is weaker than the large student on hard labels (the premise of reverse distillation).",
        source: "Yuan et al. 2020, section 3 (the Re-KD setting)",
        metric: "test accuracy per seed at the smallest size, small teacher vs large student on hard labels",
        unit: "accuracy",
        rule: { kind: "compare", a: "teacherAccSmallest", b: "largeHardAccSmallest", better: "lower" },
        mustHold: [],
      },
      {
        id: "reverse-kd-helps-small-data",
        statement: "Distilling the weaker small teacher into the large student improves it, at the smallest training size.",
        paperFigure: "a weaker or poorly trained teacher still improved its student (Re-KD, CIFAR-100 and Tiny-ImageNet)",
        source: "Yuan et al. 2020, section 3",
        metric: "test accuracy per seed at the smallest size, large student distilled (mean over the KD settings tried) vs hard labels",
        unit: "accuracy",
        rule: { kind: "compare", a: "kdAccSmallest", b: "largeHardAccSmallest", better: "higher" },
        mustHold: [],
      },
      {
        id: "reverse-kd-helps-large-data",
        statement: "The same at the largest training size.",
        paperFigure: "a weaker or poorly trained teacher still improved its student (Re-KD, CIFAR-100 and Tiny-ImageNet)",
        source: "Yuan et al. 2020, section 3",
        metric: "test accuracy per seed at the largest size, distilled (mean over KD settings) vs hard labels",
        unit: "accuracy",
        rule: { kind: "compare", a: "kdAccLargest", b: "largeHardAccLargest", better: "higher" },
        mustHold: [],
      },
      {
        id: "label-smoothing-helps",
        statement: "Label smoothing, a teacher that knows nothing, also improves the large student at the smallest size.",
        paperFigure: "KD works as a learned label smoothing; a manually designed uniform teacher gives comparable gains (Tf-KD)",
        source: "Yuan et al. 2020, sections 4–5",
        metric: "test accuracy per seed at the smallest size, label smoothing vs hard labels",
        unit: "accuracy",
        rule: { kind: "compare", a: "labelSmoothingAccSmallest", b: "largeHardAccSmallest", better: "higher" },
        mustHold: [],
      },
      {
        id: "born-again-beats-teacher",
        statement: "A born-again student of its teacher's own size beats its teacher (first generation, smallest size).",
        paperFigure: "born-again DenseNets and ResNets outperformed their teachers on CIFAR-10/100",
        source: "Furlanello et al. 2018, section 4",
        metric: "test accuracy per seed at the smallest size, generation 1 vs its teacher",
        unit: "accuracy",
        rule: { kind: "compare", a: "bornAgainAccSmallest", b: "teacherAccSmallest", better: "higher" },
        mustHold: [],
      },
      {
        id: "poor-teacher-is-poor",
        statement: "The teacher stopped after a few steps is far weaker than the large student on hard labels (the premise of De-KD).",
        source: "Yuan et al. 2020, section 3 (the De-KD setting)",
        metric: "test accuracy per seed at the smallest size, poorly trained teacher vs large student on hard labels",
        unit: "accuracy",
        rule: { kind: "compare", a: "poorTeacherAccSmallest", b: "largeHardAccSmallest", better: "lower" },
        mustHold: [],
      },
      {
        id: "de-kd-helps",
        statement: "Distilling the poorly trained teacher into the large student still improves it, at the smallest training size.",
        paperFigure: "a poorly trained teacher with much lower accuracy still improved its student (De-KD)",
        source: "Yuan et al. 2020, section 3",
        metric: "test accuracy per seed at the smallest size, De-KD student vs hard labels",
        unit: "accuracy",
        rule: { kind: "compare", a: "deKdAccSmallest", b: "largeHardAccSmallest", better: "higher" },
        mustHold: [],
      },
      {
        id: "tf-kd-helps",
        statement: "The teacher-free virtual teacher (true class 0.9, the rest shared uniformly) improves the large student at the smallest size.",
        paperFigure: "Tf-KD, with no teacher network, gave gains comparable to normal KD",
        source: "Yuan et al. 2020, section 5",
        metric: "test accuracy per seed at the smallest size, Tf-KD student vs hard labels",
        unit: "accuracy",
        rule: { kind: "compare", a: "tfKdAccSmallest", b: "largeHardAccSmallest", better: "higher" },
        mustHold: [],
      },
      {
        id: "ban-ensemble-beats-single",
        statement: "Averaging the born-again generations beats the first generation alone (smallest size).",
        paperFigure: "ensembles of born-again networks improved on the single born-again networks",
        source: "Furlanello et al. 2018, section 4",
        metric: "test accuracy per seed at the smallest size, ensemble of the generations vs generation 1",
        unit: "accuracy",
        rule: { kind: "compare", a: "banEnsembleAccSmallest", b: "bornAgainAccSmallest", better: "higher" },
        mustHold: [],
      },
    ],
  },
];
