/**
 * The experiment of notebook 50: reverse distillation (Yuan et al. 2020: a small, weaker teacher
 * distilled into a large student), their poorly-trained-teacher variant (a teacher of the student's own
 * architecture stopped after a few steps, "De-KD"), their teacher-free variant (a hand-designed virtual
 * teacher, "Tf-KD"), the label-smoothing control (a "teacher" whose distribution is uniform), and
 * born-again generations with their ensemble (Furlanello et al. 2018: students of the teacher's own size,
 * each taught by the previous one; the generations' averaged probabilities), over seeds and training-set
 * sizes, on the digits at 16×16.
 *
 * Every arm of a repeat shares its data split and seed, so arms can be compared seed by seed (paired).
 * Every network gets the same number of optimizer steps whatever the training-set size.
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed, selectExamples, splitDataset } from "@kdh/datasets";
import { evaluateClassifier } from "../core/evaluate";
import type { Mlp } from "../core/models";
import { datasetInputs, digitsAt } from "../data/stage";
import { buildStudent, distillInto, trainOnHardLabels, type ArmResult } from "./students";
import { VirtualTeacher } from "./reverse-experiment-virtual-teacher";

export interface ReverseDistillationConfig {
  seed: number;
  /** Independent repeats (data split, initial weights, batch order). */
  seeds: number;
  trainSizes: number[];
  testSize: number;
  teacherHidden: number[];
  studentHidden: number[];
  steps: number;
  batchSize: number;
  learningRate: number;
  temperatures: number[];
  softWeights: number[];
  labelSmoothing: number;
  bornAgainT: number;
  bornAgainSoftWeight: number;
  generations: number;
  /** Optimizer steps of the poorly trained teacher (the large architecture, stopped early). */
  poorTeacherSteps: number;
  deKdT: number;
  deKdSoftWeight: number;
  /** The virtual teacher's probability on the true class (Yuan et al.: 0.9 or more). */
  tfKdCorrectProb: number;
  tfKdT: number;
  tfKdSoftWeight: number;
}

export const REVERSE_ARMS = {
  teacher: "teacher (small, hard labels)",
  large: "large, hard labels",
  poorTeacher: "poorly trained teacher (large, stopped early)",
  deKd: "large, distilled from the poorly trained teacher (De-KD)",
  tfKd: "large, teacher-free virtual teacher (Tf-KD)",
  banEnsemble: "born-again ensemble (generations averaged)",
} as const;

export interface ReverseDistillationResult {
  kdSettings: { T: number; softWeight: number; name: string }[];
  armNames: string[];
  /** acc[size][arm]: test accuracy per repeat, in repeat order in every arm (pairable). */
  acc: Record<number, Record<string, number[]>>;
  /** Training accuracy of the teacher and of the large hard-label student, per repeat. */
  trainAcc: Record<number, Record<string, number[]>>;
  epochsFor: (n: number) => number;
  seconds: number;
}

const SIDE = 16;

/** Accuracy of the argmax of summed probabilities [n, classes] against labels. */
export function ensembleAccuracy(probSum: tf.Tensor2D, labels: ArrayLike<number>): number {
  const [n, k] = probSum.shape;
  if (n !== labels.length) throw new Error(`ensembleAccuracy: ${n} rows of probabilities but ${labels.length} labels.`);
  const p = probSum.dataSync();
  let ok = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (p[i * k + j] > p[i * k + best]) best = j;
    if (best === labels[i]) ok++;
  }
  return ok / n;
}

export async function runReverseDistillation(c: ReverseDistillationConfig, progress: (line: string) => void = () => {}): Promise<ReverseDistillationResult> {
  const digits = digitsAt(SIDE);
  const D = SIDE * SIDE;
  const maxTrain = Math.max(...c.trainSizes);
  const epochsFor = (n: number) => Math.max(1, Math.round((c.steps * c.batchSize) / n));
  // A teacher that knows nothing: logits 0 for every class, so its distribution is uniform.
  const uniformTeacher = { predict: (x: tf.Tensor) => tf.zeros([x.shape[0], 10]) as tf.Tensor2D };
  const kdSettings = c.temperatures.flatMap((T) => c.softWeights.map((w) => ({ T, softWeight: w, name: `KD T=${T} w=${w}` })));
  const armNames = [
    REVERSE_ARMS.teacher, REVERSE_ARMS.large, ...kdSettings.map((s) => `large, ${s.name}`), `large, label smoothing ε=${c.labelSmoothing}`,
    REVERSE_ARMS.poorTeacher, REVERSE_ARMS.deKd, REVERSE_ARMS.tfKd,
    ...Array.from({ length: c.generations }, (_, g) => `born-again small, generation ${g + 1}`), REVERSE_ARMS.banEnsemble,
  ];
  const acc: Record<number, Record<string, number[]>> = Object.fromEntries(c.trainSizes.map((n) => [n, Object.fromEntries(armNames.map((a) => [a, [] as number[]]))]));
  const trainAcc: Record<number, Record<string, number[]>> = Object.fromEntries(c.trainSizes.map((n) => [n, { [REVERSE_ARMS.large]: [] as number[], [REVERSE_ARMS.teacher]: [] as number[] }]));
  const t0 = Date.now();
  for (let s = 0; s < c.seeds; s++) {
    const seed = deriveSeed(c.seed, `seed:${s}`);
    const [pool, testDs] = splitDataset(digits, [maxTrain, c.testSize], deriveSeed(seed, "split"));
    const testX = datasetInputs(testDs);
    try {
      for (const n of c.trainSizes) {
        const trainDs = selectExamples(pool, Array.from({ length: n }, (_, i) => i));
        const x = datasetInputs(trainDs);
        const data = { x, labels: trainDs.labels, testX, testLabels: testDs.labels, classes: 10 };
        const studentSeed = deriveSeed(seed, `student:${n}`);
        const newLarge = () => buildStudent({ hidden: c.studentHidden, inputSize: D, classes: 10, seed: studentSeed });
        const newSmall = (tag: string) => buildStudent({ hidden: c.teacherHidden, inputSize: D, classes: 10, seed: deriveSeed(seed, `small:${n}:${tag}`) });
        const cfg = { epochs: epochsFor(n), batchSize: c.batchSize, optimizer: "adam" as const, learningRate: c.learningRate, seed: deriveSeed(seed, `batches:${n}`) };
        const quiet = { progress: null };
        const record = (arm: string, r: ArmResult, keep = false): Mlp => {
          acc[n][arm].push(r.test.accuracy);
          progress(`seed ${s + 1}/${c.seeds}, ${n} digits: ${arm} → test accuracy ${r.test.accuracy.toFixed(4)}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
          if (!keep) r.net.dispose();
          return r.net;
        };
        const trainAccuracy = (net: Mlp) => evaluateClassifier(net, x, trainDs.labels).accuracy;
        try {
          const teacher = record(REVERSE_ARMS.teacher, await trainOnHardLabels(newSmall("teacher"), data, cfg, quiet, false), true);
          trainAcc[n][REVERSE_ARMS.teacher].push(trainAccuracy(teacher));
          const hardRun = await trainOnHardLabels(newLarge(), data, cfg, quiet, false);
          trainAcc[n][REVERSE_ARMS.large].push(trainAccuracy(hardRun.net));
          record(REVERSE_ARMS.large, hardRun);
          for (const k of kdSettings) record(`large, ${k.name}`, await distillInto(newLarge(), teacher, data, { T: k.T, softWeight: k.softWeight }, cfg, quiet, false));
          record(`large, label smoothing ε=${c.labelSmoothing}`, await distillInto(newLarge(), uniformTeacher, data, { T: 1, softWeight: c.labelSmoothing }, cfg, quiet, false));
          // De-KD: a teacher of the student's own architecture, stopped after poorTeacherSteps steps, same batches.
          const poorCfg = { ...cfg, epochs: Math.max(1, Math.round((c.poorTeacherSteps * c.batchSize) / n)) };
          const poor = record(REVERSE_ARMS.poorTeacher, await trainOnHardLabels(buildStudent({ hidden: c.studentHidden, inputSize: D, classes: 10, seed: deriveSeed(seed, `poor:${n}`) }), data, poorCfg, quiet, false), true);
          try {
            record(REVERSE_ARMS.deKd, await distillInto(newLarge(), poor, data, { T: c.deKdT, softWeight: c.deKdSoftWeight }, cfg, quiet, false));
          } finally {
            poor.dispose();
          }
          // Tf-KD: the hand-designed virtual teacher, built for this training set's labels.
          record(REVERSE_ARMS.tfKd, await distillInto(newLarge(), new VirtualTeacher(trainDs.labels, 10, c.tfKdCorrectProb), data, { T: c.tfKdT, softWeight: c.tfKdSoftWeight }, cfg, quiet, false));
          // Born again: generation g learns from generation g − 1 (generation 0 is the teacher); the
          // ensemble averages the generations' test probabilities (Furlanello et al.'s BAN ensemble).
          let parent = teacher;
          let probSum: tf.Tensor2D | undefined;
          try {
            for (let g = 1; g <= c.generations; g++) {
              const child = record(`born-again small, generation ${g}`, await distillInto(newSmall(`gen${g}`), parent, data, { T: c.bornAgainT, softWeight: c.bornAgainSoftWeight }, cfg, quiet, false), true);
              parent.dispose();
              parent = child;
              const prev: tf.Tensor2D | undefined = probSum;
              probSum = tf.tidy(() => { const p = tf.softmax(child.predict(testX)) as tf.Tensor2D; return prev ? (tf.add(prev, p) as tf.Tensor2D) : p; });
              prev?.dispose();
            }
            const ensembleAcc = ensembleAccuracy(probSum!, testDs.labels);
            acc[n][REVERSE_ARMS.banEnsemble].push(ensembleAcc);
            progress(`seed ${s + 1}/${c.seeds}, ${n} digits: ${REVERSE_ARMS.banEnsemble} → test accuracy ${ensembleAcc.toFixed(4)}`);
          } finally {
            parent.dispose();
            probSum?.dispose();
          }
        } finally {
          x.dispose();
        }
      }
    } finally {
      testX.dispose();
    }
  }
  return { kdSettings, armNames, acc, trainAcc, epochsFor, seconds: (Date.now() - t0) / 1000 };
}
