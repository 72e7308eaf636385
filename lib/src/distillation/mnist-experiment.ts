/**
 * The MNIST experiment of Hinton, Vinyals & Dean (2015), section 3, as one reusable run: a regularised
 * teacher (and an ensemble of such teachers), an unregularised student trained on hard labels, the same
 * student distilled at temperature T from the single teacher and from the ensemble, each student arm
 * over several seeds with the same budget and its own learning rate picked on a validation split, plus
 * the optimizer interaction: the T^2-scaled soft term makes gradients scale like logit differences, so a
 * plain/momentum SGD learning rate tuned for cross-entropy can be far too large for it.
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "@kdh/datasets";
import type { TrainConfig, TrainHooks } from "../core/train";
import { evaluateClassifier } from "../core/evaluate";
import type { Mlp } from "../core/models";
import { EnsembleTeacher, Teacher, TransferSetLogits, trainCnnTeacher, trainTeacher } from "./teachers";
import { ArmData, ArmResult, buildStudent, distillInto, meanSd, trainOnHardLabels } from "./students";
import type { ExperimentData } from "./transfer";
import { codeVersion, TRAINING_CODE_MODULES } from "../core/code-version";
import { dataFingerprint } from "./cache";
import { cachedRun } from "./run-cache";
import { GridClock } from "./grid-clock";

/** Lib modules whose code decides a section 3 student run's numbers (the run cache's code version). */
export const SECTION3_CODE_MODULES = [...TRAINING_CODE_MODULES, "distillation/mnist-experiment.ts", "distillation/transfer.ts", "data/stage.ts"];

/** What a finished student run leaves in the run cache (the network itself is not kept). */
interface RunNumbers {
  testErrors: number;
  curve: number[];
  valAccuracy: number;
  finalLoss: number;
}

function runNumbers(r: ArmResult): RunNumbers {
  const last = r.history.records[r.history.records.length - 1];
  const out = { testErrors: r.test.errors, curve: r.testErrorsByEpoch, valAccuracy: last.valAccuracy ?? NaN, finalLoss: last.loss };
  r.net.dispose();
  return out;
}

/**
 * A hard-label student run from the run cache, or trained and kept there. Its key holds no teacher: the
 * run does not depend on one, so the MLP-teacher and CNN-teacher sections share it when their images,
 * student and training config match (as in full mode), instead of training the same baseline twice.
 */
async function cachedHardRun(source: string, dataId: string, cfg: Section3Config, train: Partial<TrainConfig>, seed: number, curve: boolean, clock: GridClock, go: (label: string) => Promise<ArmResult>, log: (line: string) => void): Promise<RunNumbers> {
  const t = Date.now();
  const config = { data: dataId, studentHidden: cfg.studentHidden, batchSize: cfg.batchSize, train, seed, curve };
  const r = await cachedRun<RunNumbers>({ experiment: `s3-hard-${source}`, config, code: codeVersion(SECTION3_CODE_MODULES) }, () => go(clock.label(`hard labels seed ${seed}`)).then(runNumbers), { log });
  clock.finish((Date.now() - t) / 1000, r.fromCache);
  return r.result;
}

/** The data's identity in run-cache keys. */
function dataKey(data: ExperimentData): string {
  return dataFingerprint({ x: data.trainX.dataSync() as Float32Array, y: data.train.labels, tx: data.testX.dataSync() as Float32Array, ty: data.test.labels });
}

export interface Section3Config {
  teacherHidden: number[];
  teacherDropout: number;
  teacherInputDropout: number;
  teacherMaxNorm: number;
  teacherEpochs: number;
  teacherLr: number;
  jitterPixels: number;
  /** Teachers in the ensemble (member 0 is "the teacher"). */
  ensembleSize: number;
  studentHidden: number[];
  studentEpochs: number;
  batchSize: number;
  /** Learning rates tried for each student arm with Adam; the best on a validation split is used for all seeds. */
  lrGrid: number[];
  validationFraction: number;
  T: number;
  softWeight: number;
  seeds: number[];
  /** Momentum-SGD learning rate tuned for cross-entropy, for the optimizer-interaction runs. */
  sgdLr: number;
  sgdMomentum: number;
}

export type ArmName = "hard labels" | "distilled (teacher)" | "distilled (ensemble)";

export interface ArmSummary {
  arm: ArmName;
  learningRate: number;
  /** Validation accuracy per learning rate tried (empty when the grid has one value). */
  lrSearch: { lr: number; valAccuracy: number }[];
  errors: number[];
  /** Validation accuracy of each seed's final run (NaN without a grid: nothing is held out then). */
  valAccuracies: number[];
  curves: number[][];
}

export interface Section3Result {
  dataset: string;
  testN: number;
  trainN: number;
  teacher: { errors: number; describe: string; fromCache: boolean; curve: number[] };
  ensemble: { errors: number; members: number[] };
  arms: ArmSummary[];
  sgd: { arm: string; learningRate: number; errors: number; finalLoss: number }[];
  seconds: number;
}

function adam(cfg: Section3Config, lr: number, seed: number, epochs: number, validationFraction = 0): Partial<TrainConfig> {
  return { epochs, batchSize: cfg.batchSize, optimizer: "adam", learningRate: lr, seed, validationFraction, patience: 0, jitterPixels: 0 };
}

/** Runs one arm costs: with a grid, every rate on the first seed, then the other seeds at the chosen one. */
export function runsPerArm(grid: number[], seeds: number[]): number {
  return grid.length > 1 ? grid.length + seeds.length - 1 : seeds.length;
}

/**
 * One student arm over the seeds, with its own Adam learning rate. With a grid, each rate trains on the
 * first seed with the validation split held out and the best by validation accuracy is chosen; the other
 * seeds then train at that rate on the same share of the images, so the first seed's search run at the
 * chosen rate is its final run too (an arm costs runsPerArm runs, not grid + seeds). Without a grid,
 * every seed trains on all the images.
 */
async function armOverSeeds(cfg: Section3Config, grid: number[], run: (train: Partial<TrainConfig>, seed: number) => Promise<RunNumbers>) {
  const heldOut = grid.length > 1 ? cfg.validationFraction : 0;
  const [first, ...rest] = cfg.seeds;
  const lrSearch: ArmSummary["lrSearch"] = [];
  const searched = new Map<number, RunNumbers>();
  for (const candidate of grid.length > 1 ? grid : []) {
    const r = await run(adam(cfg, candidate, first, cfg.studentEpochs, heldOut), first);
    searched.set(candidate, r);
    lrSearch.push({ lr: candidate, valAccuracy: r.valAccuracy });
  }
  const learningRate = lrSearch.length ? lrSearch.reduce((a, b) => (b.valAccuracy > a.valAccuracy ? b : a)).lr : grid[0];
  const runs: RunNumbers[] = [];
  for (const seed of [first, ...rest]) runs.push(searched.get(learningRate) && seed === first ? searched.get(learningRate)! : await run(adam(cfg, learningRate, seed, cfg.studentEpochs, heldOut), seed));
  return { learningRate, lrSearch, errors: runs.map((r) => r.testErrors), valAccuracies: runs.map((r) => r.valAccuracy), curves: runs.map((r) => r.curve) };
}

export type TeacherRecipe = Pick<Section3Config, "teacherHidden" | "teacherDropout" | "teacherInputDropout" | "teacherMaxNorm" | "teacherEpochs" | "teacherLr" | "jitterPixels" | "batchSize"> & { seeds: number[] };

/**
 * Member k of the teacher ensemble for this data and recipe, from the teacher cache when it was trained
 * before: notebooks 01, 03, 04 and 05 call this with notebook 02's recipe and reuse its teacher.
 */
export function sectionTeacher(data: ExperimentData, cfg: TeacherRecipe, k = 0, log: (line: string) => void = console.log) {
  const seed = deriveSeed(cfg.seeds[0], `teacher:${k}`) % 1_000_000;
  return trainTeacher({
    name: `${data.name.startsWith("Fashion") ? "fashion" : "digits"}${data.imageSize}-teacher${k}`,
    trainX: data.trainX,
    trainLabels: data.train.labels,
    classes: data.classes,
    spec: { hidden: cfg.teacherHidden, activation: "relu", dropout: cfg.teacherDropout, inputDropout: cfg.teacherInputDropout, maxNorm: cfg.teacherMaxNorm },
    train: { epochs: cfg.teacherEpochs, batchSize: cfg.batchSize, optimizer: "adam", learningRate: cfg.teacherLr, jitterPixels: cfg.jitterPixels, imageSize: data.imageSize },
    seed,
    log,
  });
}

export async function runSection3(data: ExperimentData, cfg: Section3Config, log: (line: string) => void = console.log): Promise<Section3Result> {
  const t0 = Date.now();
  const labels = data.train.labels;
  const testLabels = data.test.labels;
  // Teachers: dropout, max-norm, jitter (the paper's recipe), one cache entry per member.
  const members: Mlp[] = [];
  let teacherInfo: Section3Result["teacher"] | undefined;
  for (let k = 0; k < cfg.ensembleSize; k++) {
    const t = await sectionTeacher(data, cfg, k, log);
    members.push(t.net);
    if (k === 0) teacherInfo = { errors: evaluateClassifier(t.net, data.testX, testLabels).errors, describe: t.net.describe(), fromCache: t.fromCache, curve: (t.history?.records ?? []).map((r) => r.loss) };
  }
  const ensemble = new EnsembleTeacher(members, "probs");
  const memberErrors = members.map((m) => evaluateClassifier(m, data.testX, testLabels).errors);
  const ensembleErrors = evaluateClassifier(ensemble as unknown as Mlp, data.testX, testLabels).errors;
  log(`teacher: ${teacherInfo!.errors} test errors; ensemble of ${members.length}: ${ensembleErrors}`);

  const armData: ArmData = { x: data.trainX, labels, testX: data.testX, testLabels, classes: data.classes };
  const teacherOnTransfer = new TransferSetLogits(members[0], armData.x);
  const quiet: TrainHooks = {};
  const runArm = async (arm: ArmName, train: Partial<TrainConfig>, seed: number, curve: boolean, label = `${arm} seed ${seed}`): Promise<ArmResult> => {
    const net = buildStudent({ hidden: cfg.studentHidden, inputSize: data.inputSize, classes: data.classes, seed });
    const hooks = { ...quiet, label };
    if (arm === "hard labels") return trainOnHardLabels(net, armData, train, hooks, curve);
    const teacher: Teacher = arm === "distilled (teacher)" ? teacherOnTransfer : ensemble;
    return distillInto(net, teacher, armData, { T: cfg.T, softWeight: cfg.softWeight, softTerm: "kl" }, train, hooks, curve);
  };

  // Every finished (arm, learning rate, seed) run is kept in the run cache: a killed full run resumes here.
  const code = codeVersion(SECTION3_CODE_MODULES);
  const dataId = dataKey(data);
  const source = data.name.startsWith("Fashion") ? "fashion" : "digits";
  const base = { data: dataId, teacher: { hidden: cfg.teacherHidden, dropout: cfg.teacherDropout, inputDropout: cfg.teacherInputDropout, maxNorm: cfg.teacherMaxNorm, epochs: cfg.teacherEpochs, lr: cfg.teacherLr, jitter: cfg.jitterPixels, seed: cfg.seeds[0] }, studentHidden: cfg.studentHidden, batchSize: cfg.batchSize, T: cfg.T, softWeight: cfg.softWeight };
  const armNames = (["hard labels", "distilled (teacher)", "distilled (ensemble)"] as ArmName[]).filter((a) => a !== "distilled (ensemble)" || cfg.ensembleSize >= 2);
  const clock = new GridClock(armNames.length * runsPerArm(cfg.lrGrid, cfg.seeds) + 3);
  const cached = async (arm: string, train: Partial<TrainConfig>, seed: number, extra: object, go: (label: string) => Promise<ArmResult>): Promise<RunNumbers> => {
    const t = Date.now();
    const r = await cachedRun<RunNumbers>({ experiment: `s3-${data.name.startsWith("Fashion") ? "fashion" : "digits"}`, config: { ...base, ...extra, arm, train, seed }, code }, () => go(clock.label(`${arm} seed ${seed}`)).then(runNumbers), { log });
    clock.finish((Date.now() - t) / 1000, r.fromCache);
    return r.result;
  };
  const runArmCached = (arm: ArmName, train: Partial<TrainConfig>, seed: number, curve: boolean) =>
    arm === "hard labels"
      ? cachedHardRun(source, dataId, cfg, train, seed, curve, clock, (label) => runArm(arm, train, seed, curve, label), log)
      : cached(arm, train, seed, { curve, ensembleSize: arm === "distilled (ensemble)" ? cfg.ensembleSize : 1 }, (label) => runArm(arm, train, seed, curve, label));

  const arms: ArmSummary[] = [];
  for (const arm of armNames) {
    const a = await armOverSeeds(cfg, cfg.lrGrid, (train, seed) => runArmCached(arm, train, seed, true));
    const s = meanSd(a.errors);
    log(`${arm}: lr ${a.learningRate}, test errors ${a.errors.join(", ")} (mean ${s.mean.toFixed(1)} ± ${s.sd.toFixed(1)})`);
    arms.push({ arm, ...a });
  }

  // Optimizer interaction: momentum SGD at a rate tuned for cross-entropy, then the KD loss at that rate
  // and at a rate scaled down by T (gradients of the T^2-weighted soft term are about T times larger
  // than the hard term's early on, when q - p is not yet small: T (q - p) vs (q - y)).
  const sgd: Section3Result["sgd"] = [];
  const sgdRuns: [string, ArmName, number][] = [
    ["hard labels, SGD", "hard labels", cfg.sgdLr],
    ["distilled (teacher), SGD same lr", "distilled (teacher)", cfg.sgdLr],
    [`distilled (teacher), SGD lr / ${Math.round(Math.sqrt(cfg.T))}`, "distilled (teacher)", cfg.sgdLr / Math.round(Math.sqrt(cfg.T))],
  ];
  for (const [label, arm, lr] of sgdRuns) {
    const train: Partial<TrainConfig> = { epochs: cfg.studentEpochs, batchSize: cfg.batchSize, optimizer: "momentum", momentum: cfg.sgdMomentum, learningRate: lr, seed: cfg.seeds[0] };
    try {
      const r = await runArmCached(arm, train, cfg.seeds[0], false);
      sgd.push({ arm: label, learningRate: lr, errors: r.testErrors, finalLoss: r.finalLoss });
    } catch (e) {
      // A diverged run is a result here, not a crash: report it as all-wrong.
      log(`${label}: ${(e as Error).message.split(".")[0]}`);
      sgd.push({ arm: label, learningRate: lr, errors: data.test.n, finalLoss: NaN });
    }
  }
  teacherOnTransfer.dispose();
  ensemble.dispose();
  return {
    dataset: data.name,
    testN: data.test.n,
    trainN: data.train.n,
    teacher: teacherInfo!,
    ensemble: { errors: ensembleErrors, members: memberErrors },
    arms,
    sgd,
    seconds: (Date.now() - t0) / 1000,
  };
}

/**
 * The convolutional-teacher arm (not in the paper): on Fashion-MNIST an MLP teacher is barely better
 * than an MLP student, so the paper's claim cannot show there; a small CNN trained on the same images is
 * clearly stronger. The same MLP student is trained on hard labels and distilled from the CNN at each
 * temperature in `temperatures`, every arm over the same seeds and epochs, each with its own Adam
 * learning rate picked on a validation split (seed 0). `data.imageSize` must be a multiple of 4.
 */
export interface CnnArmConfig {
  channels: [number, number];
  dense: number;
  dropout: number;
  epochs: number;
  learningRate: number;
  batchSize: number;
  temperatures: number[];
  /** Learning rates tried for each student arm (Adam); one value = no search. */
  lrGrid: number[];
}

export interface CnnArmResult {
  dataset: string;
  imageSize: number;
  testN: number;
  trainN: number;
  teacher: { errors: number; describe: string; fromCache: boolean; seconds: number; curve: number[] };
  /** arm: "hard labels" or "distilled (CNN, T = t)"; T null for hard labels. */
  arms: (Omit<ArmSummary, "arm"> & { arm: string; T: number | null })[];
  /**
   * The temperature whose students scored best on their validation splits (mean over the seeds), chosen
   * without the test set; null when nothing was held out (a single learning rate) or no T was tried.
   */
  bestT: number | null;
  seconds: number;
}

/** The distilled arm with the highest mean validation accuracy over its seeds; null when none was measured. */
export function bestTemperature(arms: CnnArmResult["arms"]): number | null {
  let best: { T: number; acc: number } | null = null;
  for (const a of arms) {
    if (a.T === null) continue;
    const acc = a.valAccuracies.reduce((s, v) => s + v, 0) / a.valAccuracies.length;
    if (!Number.isFinite(acc)) continue;
    if (!best || acc > best.acc) best = { T: a.T, acc };
  }
  return best?.T ?? null;
}

export async function runCnnTeacherArm(data: ExperimentData, cfg: Section3Config, cnn: CnnArmConfig, log: (line: string) => void = console.log): Promise<CnnArmResult> {
  const t0 = Date.now();
  for (const T of cnn.temperatures) if (!(Number.isFinite(T) && T > 0)) throw new Error(`CNN arm temperature ${T} must be a positive number`);
  if (cnn.lrGrid.length === 0) throw new Error("CNN arm lrGrid is empty; give at least one Adam learning rate");
  const t = await trainCnnTeacher({
    name: `${data.name.startsWith("Fashion") ? "fashion" : "digits"}${data.imageSize}-cnn`,
    trainX: data.trainX,
    trainLabels: data.train.labels,
    classes: data.classes,
    imageSize: data.imageSize,
    spec: { channels: cnn.channels, dense: cnn.dense, dropout: cnn.dropout },
    train: { epochs: cnn.epochs, batchSize: cnn.batchSize, optimizer: "adam", learningRate: cnn.learningRate, validationFraction: 0, patience: 0, jitterPixels: 0 },
    seed: deriveSeed(cfg.seeds[0], "cnn-teacher") % 1_000_000,
    log,
  });
  const teacher = { errors: evaluateClassifier(t.net, data.testX, data.test.labels).errors, describe: t.net.describe(), fromCache: t.fromCache, seconds: t.seconds, curve: (t.history?.records ?? []).map((r) => r.loss) };
  log(`CNN teacher: ${teacher.errors} test errors (${t.fromCache ? "from cache" : `trained in ${t.seconds.toFixed(0)} s`})`);

  const armData: ArmData = { x: data.trainX, labels: data.train.labels, testX: data.testX, testLabels: data.test.labels, classes: data.classes };
  const teacherOnTransfer = new TransferSetLogits(t.net, armData.x);
  const code = codeVersion(SECTION3_CODE_MODULES);
  const dataId = dataKey(data);
  const source = data.name.startsWith("Fashion") ? "fashion" : "digits";
  const base = { data: dataId, cnn: { channels: cnn.channels, dense: cnn.dense, dropout: cnn.dropout, epochs: cnn.epochs, lr: cnn.learningRate, batchSize: cnn.batchSize, seed: cfg.seeds[0] }, studentHidden: cfg.studentHidden, batchSize: cfg.batchSize, softWeight: cfg.softWeight };
  const clock = new GridClock((1 + cnn.temperatures.length) * runsPerArm(cnn.lrGrid, cfg.seeds));
  const runOne = async (T: number | null, train: Partial<TrainConfig>, seed: number, curve: boolean): Promise<RunNumbers> => {
    if (T === null) {
      return cachedHardRun(source, dataId, cfg, train, seed, curve, clock, async (label) => {
        const net = buildStudent({ hidden: cfg.studentHidden, inputSize: data.inputSize, classes: data.classes, seed });
        return trainOnHardLabels(net, armData, train, { label }, curve);
      }, log);
    }
    const t0 = Date.now();
    const arm = `distilled from CNN, T = ${T}`;
    const r = await cachedRun<RunNumbers>({ experiment: `s3cnn-${source}`, config: { ...base, T, train, seed, curve }, code }, async () => {
      const net = buildStudent({ hidden: cfg.studentHidden, inputSize: data.inputSize, classes: data.classes, seed });
      const hooks: TrainHooks = { label: clock.label(`${arm} seed ${seed}`) };
      return runNumbers(await distillInto(net, teacherOnTransfer, armData, { T, softWeight: cfg.softWeight, softTerm: "kl" }, train, hooks, curve));
    }, { log });
    clock.finish((Date.now() - t0) / 1000, r.fromCache);
    return r.result;
  };
  const arms: CnnArmResult["arms"] = [];
  try {
    for (const T of [null, ...cnn.temperatures]) {
      const arm = T === null ? "hard labels" : `distilled (CNN, T = ${T})`;
      const a = await armOverSeeds(cfg, cnn.lrGrid, (train, seed) => runOne(T, train, seed, true));
      const s = meanSd(a.errors);
      log(`${arm}: lr ${a.learningRate}, test errors ${a.errors.join(", ")} (mean ${s.mean.toFixed(1)} ± ${s.sd.toFixed(1)})`);
      arms.push({ arm, T, ...a });
    }
  } finally {
    teacherOnTransfer.dispose();
    t.net.dispose();
  }
  return { dataset: data.name, imageSize: data.imageSize, testN: data.test.n, trainN: data.train.n, teacher, arms, bestT: bestTemperature(arms), seconds: (Date.now() - t0) / 1000 };
}

/** Hinton et al. (2015), section 3, on MNIST (60k training, 10k test): the paper's own test errors. */
export const PAPER_MNIST_ERRORS = { teacher: 67, hardLabelStudent: 146, distilledStudent: 74 } as const;
