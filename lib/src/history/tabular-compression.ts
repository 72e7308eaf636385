/**
 * Model compression on a mixed continuous/nominal table (notebook 30's second experiment): an MLP ensemble
 * labels pseudo-data made by MUNGE (with its nominal rule: swap the neighbour's level), by RANDOM and by the
 * naive-Bayes sampler; a small MLP matches the ensemble's logits on the original rows plus the pseudo-rows.
 * Baselines: the small MLP on the original labels, and logit matching on the original rows only.
 * Nets see continuous attributes as they are and nominal ones one-hot; the generators work on the raw codes.
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "@kdh/datasets";
import { buildMlp, type Mlp } from "../core/models";
import { evaluateClassifier } from "../core/evaluate";
import { matchLogitsInto, trainOnHardLabels } from "../distillation/students";
import { EnsembleTeacher } from "../distillation/teachers";
import { concatRows, munge, type Table } from "./munge";
import { naiveBayesPseudoData } from "./naive-bayes-pseudo";
import { encodeMixed, mixedTabular, randomMixedPseudoData } from "./mixed-tabular";

export interface TabularCompressionConfig {
  seed: number;
  trainSize: number;
  testSize: number;
  continuous: number;
  nominal: number;
  levels: number;
  labelNoise: number;
  ensembleSize: number;
  memberWidths: number[];
  teacherEpochs: number;
  studentHidden: number[];
  studentSteps: number;
  batchSize: number;
  learningRate: number;
  mungeP: number;
  mungeS: number;
  pseudoSize: number;
}

export interface TabularCompressionResult {
  teacherAccuracy: number;
  hardLabelsAccuracy: number;
  originalOnlyAccuracy: number;
  mungeAccuracy: number;
  randomAccuracy: number;
  naiveBayesAccuracy: number;
}

export async function runTabularCompression(c: TabularCompressionConfig, progress: (line: string) => void = () => {}): Promise<TabularCompressionResult> {
  const ruleSeed = deriveSeed(c.seed, "rule");
  const spec = { continuous: c.continuous, nominal: c.nominal, levels: c.levels, labelNoise: c.labelNoise };
  const train = mixedTabular({ ...spec, n: c.trainSize, seed: deriveSeed(c.seed, "train") }, ruleSeed);
  const test = mixedTabular({ ...spec, n: c.testSize, seed: deriveSeed(c.seed, "test") }, ruleSeed);
  const enc = (t: Table) => encodeMixed(t, train.nominalMask, c.levels);
  const e = enc(train);
  const D = e.dim;
  const xTrain = tf.tensor2d(e.x, [train.n, D]);
  const xTest = tf.tensor2d(enc(test).x, [test.n, D]);
  const data = { x: xTrain, labels: train.labels, testX: xTest, testLabels: test.labels, classes: 2 };
  const members: Mlp[] = [];
  try {
    for (let m = 0; m < c.ensembleSize; m++) {
      const net = buildMlp({ inputSize: D, hidden: [c.memberWidths[m % c.memberWidths.length]], classes: 2, seed: deriveSeed(c.seed, `member${m}`) });
      members.push(net);
      await trainOnHardLabels(net, data, { epochs: c.teacherEpochs, batchSize: 32, optimizer: "adam", learningRate: 0.002, seed: deriveSeed(c.seed, `memberdata${m}`) }, { progress: null }, false);
      progress(`tabular: ensemble member ${m + 1}/${c.ensembleSize}`);
    }
    const teacher = new EnsembleTeacher(members, "logits");
    const teacherAccuracy = evaluateClassifier(teacher as never, xTest, test.labels).accuracy;
    const studentSeed = deriveSeed(c.seed, "student");
    const cfgFor = (n: number) => ({ epochs: Math.max(1, Math.round((c.studentSteps * c.batchSize) / n)), batchSize: c.batchSize, optimizer: "adam" as const, learningRate: c.learningRate, seed: studentSeed });
    const newStudent = () => buildMlp({ inputSize: D, hidden: c.studentHidden, classes: 2, seed: studentSeed });
    const hard = await trainOnHardLabels(newStudent(), data, cfgFor(train.n), { progress: null }, false);
    const hardLabelsAccuracy = hard.test.accuracy;
    hard.net.dispose();
    const logitStudent = async (t: Table, label: string): Promise<number> => {
      const xx = tf.tensor2d(enc(t).x, [t.n, D]);
      try {
        const r = await matchLogitsInto(newStudent(), teacher, { ...data, x: xx, labels: null }, cfgFor(t.n), {}, { progress: null }, false);
        r.net.dispose();
        progress(`tabular: ${label} → test accuracy ${r.test.accuracy.toFixed(4)}`);
        return r.test.accuracy;
      } finally {
        xx.dispose();
      }
    };
    const mult = Math.ceil(c.pseudoSize / train.n);
    const take = (t: Table): Table => ({ x: t.x.slice(0, c.pseudoSize * t.dim), n: c.pseudoSize, dim: t.dim });
    const mungeRows = take(munge(train, { p: c.mungeP, s: c.mungeS, multiplier: mult, seed: deriveSeed(c.seed, "munge"), nominal: train.nominalMask }));
    const randomRows = randomMixedPseudoData(train, train.nominalMask, c.levels, c.pseudoSize, deriveSeed(c.seed, "random"));
    const nbRows = naiveBayesPseudoData(train, train.labels, c.pseudoSize, deriveSeed(c.seed, "naive-bayes"));
    return {
      teacherAccuracy,
      hardLabelsAccuracy,
      originalOnlyAccuracy: await logitStudent(train, "logits on original rows"),
      mungeAccuracy: await logitStudent(concatRows(train, mungeRows), `+${c.pseudoSize} MUNGE`),
      randomAccuracy: await logitStudent(concatRows(train, randomRows), `+${c.pseudoSize} random`),
      naiveBayesAccuracy: await logitStudent(concatRows(train, nbRows), `+${c.pseudoSize} naive Bayes`),
    };
  } finally {
    for (const m of members) m.dispose();
    tf.dispose([xTrain, xTest]);
  }
}
