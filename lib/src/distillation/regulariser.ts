/**
 * Soft targets as a regulariser: Hinton, Vinyals & Dean (2015), section 5 (table 2). A teacher trained
 * once on the whole training set (and cached); students trained on a small share of it with hard labels
 * or with the teacher's soft targets; plus the curve over several shares. The paper's speech model on 3%
 * of the data: 44.5% test frame accuracy with hard targets, 57.0% with soft targets, 58.9% with all the
 * data. Every student arm gets its own Adam learning rate, picked on a validation split held out of the
 * training set (never the test set), and early stopping on the same split's errors.
 *
 * Each finished (teacher, arm, share, seed, learning rate) run is stored in the run cache (run-cache.ts),
 * so a killed run resumes where it stopped.
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed, makeRng, permutation, splitDataset, type ImageDataset } from "@kdh/datasets";
import { crossEntropyLoss, oneHot, trainNetwork, type LossFn, type ProgressSink } from "../core/train";
import { progressLine } from "../core/display";
import { evaluateClassifier } from "../core/evaluate";
import type { Network } from "../core/models";
import { codeVersion, TRAINING_CODE_MODULES } from "../core/code-version";
import { datasetInputs } from "../data/stage";
import { buildDistillationTargets, makeDistillationLoss } from "./losses";
import { buildStudent } from "./students";
import { trainCnnTeacher, trainTeacher } from "./teachers";
import { dataFingerprint } from "./cache";
import { cachedRun } from "./run-cache";
import { loadExperimentData, type ImageSource } from "./transfer";

/** The paper's section 5 figures (speech, test frame accuracy %). */
export const PAPER_SECTION5 = { hard3pct: 44.5, soft3pct: 57.0, all: 58.9 } as const;

/** Lib modules whose code decides a student run's numbers (the run cache's code version). */
export const REGULARISER_CODE_MODULES = [...TRAINING_CODE_MODULES, "distillation/regulariser.ts", "distillation/transfer.ts", "data/stage.ts"];

export interface RegulariserData {
  name: string;
  source: ImageSource;
  imageSize: number;
  classes: number;
  train: ImageDataset;
  val: ImageDataset;
  test: ImageDataset;
  trainX: tf.Tensor2D;
  valX: tf.Tensor2D;
  testX: tf.Tensor2D;
  /** Fingerprint of train + val + test (part of every run's cache key). */
  fingerprint: string;
  dispose(): void;
}

/**
 * Train / validation / test images: the validation split is held out of the training pool (seeded) and
 * seen by no teacher and no student's weights; it only picks learning rates and stopping epochs.
 */
export function loadRegulariserData(opts: { source: ImageSource; trainSize: number; valSize: number; testSize: number; imageSize: number; seed: number }): RegulariserData {
  const d = loadExperimentData({ source: opts.source, trainSize: opts.trainSize + opts.valSize, testSize: opts.testSize, imageSize: opts.imageSize, seed: opts.seed });
  d.dispose();
  if (d.train.n < opts.trainSize + opts.valSize) throw new Error(`${d.name} has ${d.train.n} training images, fewer than trainSize + valSize = ${opts.trainSize + opts.valSize}; lower them`);
  const [train, val] = splitDataset(d.train, [opts.trainSize, opts.valSize], deriveSeed(opts.seed, "validation"));
  const trainX = datasetInputs(train);
  const valX = datasetInputs(val);
  const testX = datasetInputs(d.test);
  return {
    name: d.name,
    source: opts.source,
    imageSize: opts.imageSize,
    classes: d.classes,
    train,
    val,
    test: d.test,
    trainX,
    valX,
    testX,
    fingerprint: dataFingerprint({ train: train.images, trainY: train.labels, val: val.images, valY: val.labels, test: d.test.images, testY: d.test.labels }),
    dispose: () => tf.dispose([trainX, valX, testX]),
  };
}

/**
 * The indices of a seeded share of `n` training images: the first round(share · n) of one permutation per
 * seed, so for one seed every smaller share is inside every larger one and both arms see the same images.
 */
export function shareIndices(n: number, share: number, seed: number): Int32Array {
  if (!(share > 0 && share <= 1)) throw new Error(`share=${share} must be in (0, 1]`);
  const k = Math.round(share * n);
  if (k < 1) throw new Error(`share ${share} of ${n} training images is empty; raise the share or the training set`);
  return permutation(n, makeRng(deriveSeed(seed, "share"))).slice(0, k);
}

export type TeacherKind = "cnn" | "mlp";

export interface RegulariserConfig {
  teacher: TeacherKind;
  /** CNN teacher (teacher = "cnn"). */
  cnnChannels: [number, number];
  cnnDense: number;
  cnnDropout: number;
  cnnEpochs: number;
  /** MLP teacher (teacher = "mlp"): the paper's recipe shape. */
  mlpHidden: number[];
  mlpDropout: number;
  mlpInputDropout: number;
  mlpMaxNorm: number;
  mlpEpochs: number;
  jitterPixels: number;
  teacherLr: number;
  teacherBatchSize: number;
  /** Students. */
  studentHidden: number[];
  shares: number[];
  lrGrid: number[];
  maxEpochs: number;
  patience: number;
  /**
   * Training images per round at least: a share smaller than this is repeated (whole copies) until a round
   * holds this many, and maxEpochs and patience count rounds. Without it a 3% share gets 1/33 of the
   * optimisation steps of the full set within the same epoch cap, and the soft-target students, which keep
   * improving long after the hard-label ones overfit, are stopped by the cap, not by the validation split.
   * 0 = a round is one epoch.
   */
  roundImages: number;
  batchSize: number;
  T: number;
  softWeight: number;
  seeds: number[];
}

export type StudentArm = "hard" | "soft";

export interface RunScore {
  lr: number;
  valErrors: number;
  testErrors: number;
  bestEpoch: number;
  epochs: number;
  seconds: number;
}

export interface ShareResult {
  share: number;
  n: number;
  arm: StudentArm;
  /** Learning rate picked on the validation split (first seed). */
  lr: number;
  /** Validation errors per learning rate tried (first seed). */
  lrSearch: { lr: number; valErrors: number }[];
  /** Test errors per seed, in cfg.seeds order. */
  testErrors: number[];
  bestEpochs: number[];
}

export interface RegulariserResult {
  dataset: string;
  teacher: { kind: TeacherKind; describe: string; testErrors: number; fromCache: boolean; seconds: number };
  trainN: number;
  valN: number;
  testN: number;
  results: ShareResult[];
  runsFromCache: number;
  runsComputed: number;
  seconds: number;
}

/** Progress of the whole grid: called before each run with its label, done/total runs and an ETA. */
export type GridProgress = (p: { label: string; done: number; total: number; etaSeconds: number | null }) => void;

/** Copy / restore of a network's weights (the best validation epoch). */
function snapshot(net: Network): Float32Array[] {
  return net.variables.map((v) => (v.dataSync() as Float32Array).slice());
}
function restore(net: Network, w: Float32Array[]): void {
  net.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(w[i], v.shape))));
}

/** Copies of a share that make one training round of at least `roundImages` images (1 when the share is larger). */
export function roundCopies(shareImages: number, roundImages: number): number {
  if (!(shareImages > 0)) throw new Error(`a share must hold at least one image, got ${shareImages}`);
  return Math.max(1, Math.ceil(roundImages / shareImages));
}

/** The share's indices repeated `copies` times (each epoch of the repeated set is one round). */
export function repeatIndices(idx: Int32Array, copies: number): Int32Array {
  const out = new Int32Array(idx.length * copies);
  for (let c = 0; c < copies; c++) out.set(idx, c * idx.length);
  return out;
}

/**
 * One student run: Adam at `lr`, at most maxEpochs rounds, stopped after `patience` rounds without fewer
 * validation errors; the network ends with the weights of its best validation round.
 */
async function studentRun(data: RegulariserData, idx: Int32Array, targetsAll: tf.Tensor2D, loss: LossFn, cfg: RegulariserConfig, lr: number, seed: number, label: string, line: ProgressSink): Promise<RunScore> {
  const t0 = Date.now();
  const net = buildStudent({ hidden: cfg.studentHidden, inputSize: data.imageSize * data.imageSize, classes: data.classes, seed });
  const idxT = tf.tensor1d(repeatIndices(idx, roundCopies(idx.length, cfg.roundImages)), "int32");
  const x = tf.gather(data.trainX, idxT) as tf.Tensor2D;
  const targets = tf.gather(targetsAll, idxT) as tf.Tensor2D;
  idxT.dispose();
  let best = { errors: Infinity, epoch: 0, weights: undefined as Float32Array[] | undefined };
  let epochs = 0;
  try {
    await trainNetwork(net, { x, targets }, loss, { epochs: cfg.maxEpochs, batchSize: cfg.batchSize, optimizer: "adam", learningRate: lr, seed, validationFraction: 0, patience: 0, jitterPixels: 0 }, {
      label,
      // One progress line for the whole grid (not one display per run): "<run label>: epoch k/n ...".
      progress: { update: (text) => line.update(`${label}: ${text}`), done: (text) => line.update(`${label}: ${text}`) },
      onEpochEnd: (r) => {
        epochs = r.epoch;
        const e = evaluateClassifier(net, data.valX, data.val.labels).errors;
        if (e < best.errors) best = { errors: e, epoch: r.epoch, weights: snapshot(net) };
        return r.epoch - best.epoch < cfg.patience;
      },
    });
    if (best.weights) restore(net, best.weights);
    const testErrors = evaluateClassifier(net, data.testX, data.test.labels).errors;
    return { lr, valErrors: best.errors, testErrors, bestEpoch: best.epoch, epochs, seconds: (Date.now() - t0) / 1000 };
  } finally {
    tf.dispose([x, targets]);
    net.dispose();
  }
}

/** Train (or load from the teacher cache) the section 5 teacher on the whole training set. */
export async function regulariserTeacher(data: RegulariserData, cfg: RegulariserConfig, log: (line: string) => void = console.log) {
  const prefix = `${data.source}${data.imageSize}-s5`;
  const seed = deriveSeed(cfg.seeds[0], `s5-teacher-${cfg.teacher}`) % 1_000_000;
  if (cfg.teacher === "cnn") {
    return trainCnnTeacher({
      name: `${prefix}-cnn`, trainX: data.trainX, trainLabels: data.train.labels, classes: data.classes, imageSize: data.imageSize,
      spec: { channels: cfg.cnnChannels, dense: cfg.cnnDense, dropout: cfg.cnnDropout },
      train: { epochs: cfg.cnnEpochs, batchSize: cfg.teacherBatchSize, optimizer: "adam", learningRate: cfg.teacherLr, validationFraction: 0, patience: 0, jitterPixels: 0 },
      seed, log,
    });
  }
  const t0 = Date.now();
  const t = await trainTeacher({
    name: `${prefix}-mlp`, trainX: data.trainX, trainLabels: data.train.labels, classes: data.classes,
    spec: { hidden: cfg.mlpHidden, activation: "relu", dropout: cfg.mlpDropout, inputDropout: cfg.mlpInputDropout, maxNorm: cfg.mlpMaxNorm },
    train: { epochs: cfg.mlpEpochs, batchSize: cfg.teacherBatchSize, optimizer: "adam", learningRate: cfg.teacherLr, jitterPixels: cfg.jitterPixels, imageSize: data.imageSize },
    seed, log,
  });
  return { ...t, seconds: (Date.now() - t0) / 1000 };
}

/** The whole section 5 grid on one data set and one teacher. */
export async function runSoftTargetRegulariser(data: RegulariserData, cfg: RegulariserConfig, opts: { log?: (line: string) => void; progress?: GridProgress; experiment?: string } = {}): Promise<RegulariserResult> {
  const log = opts.log ?? console.log;
  const t0 = Date.now();
  if (cfg.seeds.length < 1 || cfg.lrGrid.length < 1 || cfg.shares.length < 1) throw new Error("seeds, lrGrid and shares must each hold at least one value");
  const t = await regulariserTeacher(data, cfg, log);
  const teacher = { kind: cfg.teacher, describe: t.net.describe(), testErrors: evaluateClassifier(t.net, data.testX, data.test.labels).errors, fromCache: t.fromCache, seconds: t.seconds };
  log(`${data.name}: ${cfg.teacher} teacher ${teacher.describe}, ${teacher.testErrors} test errors (${t.fromCache ? "from the teacher cache" : `trained in ${t.seconds.toFixed(0)} s`})`);
  const logits = t.net.predict(data.trainX);
  t.net.dispose();
  const hardTargets = oneHot(data.train.labels, data.classes);
  const softTargets = buildDistillationTargets(logits, "logits", data.train.labels);
  logits.dispose();
  const softLoss = makeDistillationLoss({ T: cfg.T, softWeight: cfg.softWeight, teacherIs: "logits", classes: data.classes, softTerm: "kl" }) as LossFn;
  const code = codeVersion(REGULARISER_CODE_MODULES);
  const experiment = opts.experiment ?? `s5-${data.source}`;
  // Everything but the per-run values (arm, share, seed, lr) that can change a run's numbers.
  const teacherRecipe = cfg.teacher === "cnn"
    ? { channels: cfg.cnnChannels, dense: cfg.cnnDense, dropout: cfg.cnnDropout, epochs: cfg.cnnEpochs }
    : { hidden: cfg.mlpHidden, dropout: cfg.mlpDropout, inputDropout: cfg.mlpInputDropout, maxNorm: cfg.mlpMaxNorm, epochs: cfg.mlpEpochs, jitter: cfg.jitterPixels };
  const base = {
    data: data.fingerprint,
    teacher: { kind: cfg.teacher, ...teacherRecipe, lr: cfg.teacherLr, batchSize: cfg.teacherBatchSize, seed: cfg.seeds[0], testErrors: teacher.testErrors },
    T: cfg.T, softWeight: cfg.softWeight, studentHidden: cfg.studentHidden, maxEpochs: cfg.maxEpochs, patience: cfg.patience, roundImages: cfg.roundImages, batchSize: cfg.batchSize,
  };

  const total = cfg.shares.length * 2 * (cfg.lrGrid.length + cfg.seeds.length - 1);
  let done = 0;
  let computedSeconds = 0;
  let computed = 0;
  let fromCache = 0;
  let doneImages = 0;
  let computedImages = 0;
  const runsPerArm = cfg.lrGrid.length + cfg.seeds.length - 1;
  const roundOf = (n: number) => n * roundCopies(n, cfg.roundImages);
  const totalImages = cfg.shares.reduce((a, sh) => a + 2 * runsPerArm * (roundOf(Math.max(1, Math.round(sh * data.train.n))) + data.val.n), 0);
  const one = async (arm: StudentArm, share: number, idx: Int32Array, seed: number, lr: number): Promise<RunScore> => {
    const label = `${data.name} · ${arm} targets · ${+(100 * share).toFixed(1)}% · seed ${seed} · lr ${lr}`;
    // ETA from the runs computed so far, weighted by work (images trained on + validation images scored
    // per epoch): the grid starts with the small shares' cheap runs and ends with the big ones.
    const etaSeconds = computedImages > 0 ? (computedSeconds / computedImages) * (totalImages - doneImages) : null;
    opts.progress?.({ label, done, total, etaSeconds });
    const eta = etaSeconds === null ? "" : ` · ETA ${etaSeconds < 120 ? `${Math.round(etaSeconds)} s` : `${Math.round(etaSeconds / 60)} min`}`;
    const r = await cachedRun<RunScore>(
      { experiment, config: { ...base, arm, share, seed, lr }, code },
      () => studentRun(data, idx, arm === "hard" ? hardTargets : softTargets, arm === "hard" ? crossEntropyLoss : softLoss, cfg, lr, seed, `${label} · run ${done + 1}/${total}${eta}`, line),
      { check: (s) => (Number.isFinite(s.testErrors) && Number.isFinite(s.valErrors) ? undefined : "non-finite scores"), log },
    );
    done++;
    doneImages += roundOf(idx.length) + data.val.n;
    if (r.fromCache) fromCache++;
    else {
      computed++;
      computedSeconds += r.result.seconds;
      computedImages += roundOf(idx.length) + data.val.n;
    }
    return r.result;
  };

  const line = progressLine(`${data.name}: section 5 grid`);
  const results: ShareResult[] = [];
  try {
    for (const share of cfg.shares) {
      for (const arm of ["hard", "soft"] as StudentArm[]) {
        const idx0 = shareIndices(data.train.n, share, cfg.seeds[0]);
        const search: RunScore[] = [];
        for (const lr of cfg.lrGrid) search.push(await one(arm, share, idx0, cfg.seeds[0], lr));
        const bestRun = search.reduce((a, b) => (b.valErrors < a.valErrors ? b : a));
        const testErrors = [bestRun.testErrors];
        const bestEpochs = [bestRun.bestEpoch];
        for (const seed of cfg.seeds.slice(1)) {
          const r = await one(arm, share, shareIndices(data.train.n, share, seed), seed, bestRun.lr);
          testErrors.push(r.testErrors);
          bestEpochs.push(r.bestEpoch);
        }
        results.push({ share, n: idx0.length, arm, lr: bestRun.lr, lrSearch: search.map((s) => ({ lr: s.lr, valErrors: s.valErrors })), testErrors, bestEpochs });
        log(`${data.name} ${arm} targets on ${(100 * share).toFixed(1)}% (${idx0.length} images): lr ${bestRun.lr}, test errors ${testErrors.join(", ")}`);
      }
    }
    line.done(`${total} runs: ${computed} computed, ${fromCache} from the run cache, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    tf.dispose([hardTargets, softTargets]);
  }
  return { dataset: data.name, teacher, trainN: data.train.n, valN: data.val.n, testN: data.test.n, results, runsFromCache: fromCache, runsComputed: computed, seconds: (Date.now() - t0) / 1000 };
}

/**
 * Share of the gap closed per seed: (hard_s − soft_s) / (mean hard − mean full), with the small share's
 * hard and soft errors paired by seed and the gap (hard-label student on the small share vs on all the
 * data) taken over the seeds' means, so a noisy per-seed denominator cannot blow up. NaN when the gap is
 * not positive (the full-data student is no better: nothing to close).
 */
export function gapClosedPerSeed(hardSmall: number[], softSmall: number[], hardFull: number[]): number[] {
  if (hardSmall.length !== softSmall.length) throw new Error(`hard (${hardSmall.length}) and soft (${softSmall.length}) errors must pair by seed`);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const gap = mean(hardSmall) - mean(hardFull);
  if (!(gap > 0)) return hardSmall.map(() => NaN);
  return hardSmall.map((h, i) => (h - softSmall[i]) / gap);
}

/** The share result of an arm, or undefined. */
export function shareResult(r: RegulariserResult, arm: StudentArm, share: number): ShareResult | undefined {
  return r.results.find((x) => x.arm === arm && Math.abs(x.share - share) < 1e-12);
}
