/**
 * The methods of the historical comparison, in a registry keyed by name (as torchdistill keys its
 * methods): each entry says what it is (label, year, paper, the suite's notebook that treats it), which
 * part of the comparison config its numbers depend on (for the row cache key), and how to run it for
 * one seed on the shared task. Every entry returns the same kind of row, so the notebook can put 1965
 * and 2015 side by side: test accuracy, non-zero parameters, inference time, training cost.
 *
 * Budget rules shared by every row: one training set, one validation set (only for choices: the
 * temperature, GMDH's external criterion), one test set; the same optimizer (Adam) and batch size for
 * every MLP; students of one size get the same number of epochs whatever their targets. A row's
 * training cost counts only its own training (a distilled student does not pay for its teacher again);
 * a row that chooses among candidates (the temperature grid) pays for all of them.
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed, downsampleImages, ImageDataset } from "@kdh/datasets";
import { Mlp, MlpSpec } from "../core/models";
import { crossEntropyLoss, oneHot, ProgressSink, TrainConfig, TrainHistory } from "../core/train";
import { evaluateClassifier, inferenceMsPer1000 } from "../core/evaluate";
import { ArmData, buildStudent, distillInto, matchLogitsInto, trainOnHardLabels } from "../distillation/students";
import { EnsembleTeacher, trainTeacher } from "../distillation/teachers";
import { pruneLoop, retrainWithMask } from "../pruning/prune-loop";
import { classifyGmdh, countGmdhClassifierParams, fitGmdhClassifier, gmdhAccuracy } from "../gmdh/classify";
import { selectColumns, varyingColumns } from "../gmdh/columns";
import { concatRows, munge } from "../history/munge";
import { ComparisonTask, ComparisonTaskConfig } from "./task";
import type { RowResult } from "./row-cache";
import { COMPARISON_DEFAULTS } from "../catalog/entries/comparison";
import { comparisonRowInfo } from "../catalog/catalog";

/** The comparison's parameters (the notebook's parameters cell overrides them). */
export interface ComparisonConfig extends ComparisonTaskConfig {
  seeds: number[];
  /** Every MLP: Adam, this batch size. */
  batchSize: number;
  /** The unpruned teacher: a dropout MLP (Srivastava et al. 2014), also the pruning rows' starting point. */
  teacherHidden: number[];
  teacherDropout: number;
  teacherInputDropout: number;
  teacherMaxNorm: number;
  teacherEpochs: number;
  teacherLearningRate: number;
  /** Members of the ensemble teacher (the row seed's teacher plus ensembleSize - 1 more seeds). */
  ensembleSize: number;
  /** The small student (every student row of this size gets studentEpochs). */
  studentHidden: number[];
  studentEpochs: number;
  studentLearningRate: number;
  /** Temperatures the best-T row chooses from on the validation part. */
  temperatures: number[];
  /** Weight of the T²-scaled soft term; the hard-label term gets 1 - softWeight. */
  softWeight: number;
  /** Large students (teacher-sized, no dropout) for reverse distillation and its hard-label baseline. */
  largeStudentEpochs: number;
  reverseTemperature: number;
  /** Fraction of the teacher's parameters removed by the pruning rows, over pruneRounds rounds. */
  pruneSparsity: number;
  pruneRounds: number;
  retrainEpochs: number;
  retrainLearningRate: number;
  /** GMDH features: the images area-averaged to gmdhSide x gmdhSide. */
  gmdhSide: number;
  gmdhKeep: number;
  gmdhMaxLayers: number;
  /** Model compression: MUNGE pseudo-examples per training digit, swap probability p, local scale s. */
  mungeMultiplier: number;
  mungeP: number;
  mungeS: number;
}

/** The comparison's defaults live with its catalog entry (the notebook's recipe). */
export { COMPARISON_DEFAULTS };

/** One method's numbers for one seed. */
export interface MethodRow {
  /** Test accuracy in [0, 1]. */
  accuracy: number;
  errors: number;
  testSize: number;
  /** Parameters that are not exactly zero (pruned weights do not count). */
  nonZeroParams: number;
  totalParams: number;
  /** Median ms to classify 1,000 test digits on the current backend. */
  inferenceMsPer1000: number;
  /** This row's own training wall time (teachers it reuses are not counted again). */
  trainSeconds: number;
  /** Passes over the training data for this row; null where the method has no epochs (GMDH). */
  epochs: number | null;
  /** Method-specific facts (chosen temperature, sparsity, depth, ...). */
  details: Record<string, number | string | boolean>;
}

/** What a method run gets: the shared task, the config, and memoised shared pieces. */
export interface ComparisonContext {
  task: ComparisonTask;
  config: ComparisonConfig;
  log: (line: string) => void;
  progress: ProgressSink | null;
  /** The unpruned teacher of this seed (trained once, then loaded from the teacher cache). */
  teacher(seed: number): Promise<TrainedNet>;
  /** The small student trained on hard labels for this seed (the reverse-distillation teacher). */
  smallStudent(seed: number): Promise<TrainedNet>;
  /** Another method's row for this seed (cached or computed), e.g. the chosen temperature. */
  row(method: string, seed: number): Promise<RowResult<MethodRow>>;
}

export interface TrainedNet {
  net: Mlp;
  history: TrainHistory | null;
  fromCache: boolean;
}

/** How one row is computed (its name is the key of a catalog comparison row). */
export interface ComparisonRunner {
  name: string;
  /** The part of the config this row's numbers depend on (including what its dependencies use). */
  config(c: ComparisonConfig): Record<string, unknown>;
  /** False when the seed cannot change the result (GMDH is deterministic): run once. */
  seedDependent: boolean;
  /** A reason the row cannot be produced yet (a missing library piece), or undefined. */
  pending?(): string | undefined;
  run(ctx: ComparisonContext, seed: number): Promise<MethodRow>;
}

/** A runner with its catalog facts: label, year, paper and the notebook that treats the method. */
export interface ComparisonMethod extends ComparisonRunner {
  label: string;
  year: number;
  paper: string;
  notebook: string;
}

// ---- shared recipes --------------------------------------------------------------------------

function adam(c: ComparisonConfig, epochs: number, learningRate: number, seed: number): Partial<TrainConfig> {
  return { epochs, batchSize: c.batchSize, optimizer: "adam", learningRate, seed, lrDecay: 1, validationFraction: 0, patience: 0 };
}

export function teacherSpec(c: ComparisonConfig): Omit<MlpSpec, "inputSize" | "classes" | "seed"> {
  return { hidden: c.teacherHidden, activation: "relu", dropout: c.teacherDropout, inputDropout: c.teacherInputDropout, maxNorm: c.teacherMaxNorm };
}

const teacherKeys = (c: ComparisonConfig) => ({ spec: teacherSpec(c), epochs: c.teacherEpochs, lr: c.teacherLearningRate, batchSize: c.batchSize });
const studentKeys = (c: ComparisonConfig) => ({ hidden: c.studentHidden, epochs: c.studentEpochs, lr: c.studentLearningRate, batchSize: c.batchSize });
const largeKeys = (c: ComparisonConfig) => ({ hidden: c.teacherHidden, epochs: c.largeStudentEpochs, lr: c.teacherLearningRate, batchSize: c.batchSize });

/**
 * Seeds of the ensemble members for a row seed: the row's own teacher first, then the teachers of the
 * next row seeds (cyclically: they are trained for their own rows anyway, so with 3+ seeds an ensemble
 * costs no extra training), then seeds derived from the row seed when there are too few row seeds.
 */
export function ensembleSeeds(seed: number, size: number, rowSeeds: number[] = [seed]): number[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`ensembleSize=${size} must be a positive whole number`);
  const at = Math.max(0, rowSeeds.indexOf(seed));
  const others = Array.from({ length: rowSeeds.length }, (_, k) => rowSeeds[(at + k) % rowSeeds.length]).filter((s) => s !== seed);
  const out = [seed, ...others].slice(0, size);
  for (let k = 1; out.length < size; k++) {
    const s = deriveSeed(seed, `ensemble-member:${k}`) % 1_000_000;
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** Train (or load from the teacher cache) the comparison's teacher for one seed. */
export async function trainComparisonTeacher(task: ComparisonTask, c: ComparisonConfig, seed: number, progress: ProgressSink | null, log: (l: string) => void): Promise<TrainedNet> {
  const r = await trainTeacher({
    name: "cmp-teacher",
    trainX: task.trainX,
    trainLabels: task.train.labels,
    classes: task.classes,
    spec: teacherSpec(c),
    train: adam(c, c.teacherEpochs, c.teacherLearningRate, seed),
    seed,
    hooks: { label: `teacher seed ${seed}`, progress },
    log,
  });
  return { net: r.net, history: r.history, fromCache: r.fromCache };
}

/** Train (or load) the small hard-label student for one seed; cached like a teacher, because it is one. */
export async function trainComparisonSmallStudent(task: ComparisonTask, c: ComparisonConfig, seed: number, progress: ProgressSink | null, log: (l: string) => void): Promise<TrainedNet> {
  const r = await trainTeacher({
    name: "cmp-small-student",
    trainX: task.trainX,
    trainLabels: task.train.labels,
    classes: task.classes,
    spec: { hidden: c.studentHidden, activation: "relu" },
    train: adam(c, c.studentEpochs, c.studentLearningRate, deriveSeed(seed, "small-student")),
    seed,
    hooks: { label: `hard-label student seed ${seed}`, progress },
    log,
  });
  return { net: r.net, history: r.history, fromCache: r.fromCache };
}

/**
 * The ensemble teacher of a row seed. Members that are other rows' teachers come from the run's memo
 * and must stay alive for those rows; `dispose` frees only the extra members trained here.
 */
async function ensembleFor(ctx: ComparisonContext, seed: number, combine: "probs" | "logits"): Promise<{ ensemble: EnsembleTeacher; seeds: number[]; dispose: () => void }> {
  const c = ctx.config;
  const seeds = ensembleSeeds(seed, c.ensembleSize, c.seeds);
  const extra: Mlp[] = [];
  const members: Mlp[] = [];
  for (const s of seeds) {
    if (c.seeds.includes(s)) members.push((await ctx.teacher(s)).net);
    else {
      const t = await trainComparisonTeacher(ctx.task, c, s, ctx.progress, ctx.log);
      extra.push(t.net);
      members.push(t.net);
    }
  }
  return { ensemble: new EnsembleTeacher(members, combine), seeds, dispose: () => extra.forEach((m) => m.dispose()) };
}

function armData(task: ComparisonTask): ArmData {
  return { x: task.trainX, labels: task.train.labels, testX: task.testX, testLabels: task.test.labels, classes: task.classes };
}

/** The row of a trained MLP: test scores, counts and timing. */
export function mlpRow(net: Mlp, task: ComparisonTask, trainSeconds: number, epochs: number | null, details: MethodRow["details"] = {}): MethodRow {
  const scores = evaluateClassifier(net, task.testX, task.test.labels);
  return {
    accuracy: scores.accuracy,
    errors: scores.errors,
    testSize: scores.n,
    nonZeroParams: net.countNonZero(),
    totalParams: net.countParams(),
    inferenceMsPer1000: inferenceMsPer1000(net, task.testX),
    trainSeconds,
    epochs,
    details,
  };
}

const historySeconds = (h: TrainHistory | null) => (h ? h.seconds : NaN);
const historyEpochs = (h: TrainHistory | null) => (h ? h.records.length : null);

function validationAccuracy(net: Mlp, task: ComparisonTask): number {
  return evaluateClassifier(net, task.validationX, task.validation.labels).accuracy;
}

async function prunedTeacherRow(ctx: ComparisonContext, seed: number, method: "obd" | "magnitude"): Promise<MethodRow> {
  const c = ctx.config;
  const teacher = await ctx.teacher(seed);
  const net = teacher.net.clone();
  const targets = oneHot(ctx.task.train.labels, ctx.task.classes);
  // Same deletion schedule for every rule: a constant fraction of what remains per round, chosen so
  // that pruneRounds rounds remove pruneSparsity of the parameters in all.
  const deleteFraction = 1 - Math.pow(1 - c.pruneSparsity, 1 / c.pruneRounds);
  const t0 = performance.now();
  let epochs = 0;
  try {
    const loop = await pruneLoop(
      net.layers,
      { x: ctx.task.trainX, targets },
      { method, rounds: c.pruneRounds, deleteFraction, loss: "cross-entropy", seed: deriveSeed(seed, `prune:${method}`) },
      {
        retrain: async (mask, round) => {
          const h = await retrainWithMask(
            net,
            { x: ctx.task.trainX, targets, labels: ctx.task.train.labels },
            crossEntropyLoss,
            adam(c, c.retrainEpochs, c.retrainLearningRate, deriveSeed(seed, `retrain:${method}:${round}`)),
            mask,
            { label: `${method} round ${round} seed ${seed}`, progress: ctx.progress },
          );
          epochs += h.records.length;
        },
      },
    );
    const violations = loop.mask.violations(net.layers).length;
    loop.mask.dispose();
    if (violations) throw new Error(`${method} pruning left ${violations} deleted parameters non-zero; the mask did not hold`);
    const seconds = (performance.now() - t0) / 1000;
    const total = net.countParams();
    return mlpRow(net, ctx.task, seconds, epochs, {
      sparsity: 1 - net.countNonZero() / total,
      rounds: c.pruneRounds,
      note: "runs as dense matrices: zeros save no time on this backend",
    });
  } finally {
    targets.dispose();
    net.dispose();
  }
}

// ---- the registry ----------------------------------------------------------------------------

/** How each row is computed; what it is (label, year, paper, notebook) comes from the catalog. */
const RUNNERS: readonly ComparisonRunner[] = [
  {
    name: "gmdh",
    seedDependent: false,
    config: (c) => ({ side: c.gmdhSide, keep: c.gmdhKeep, maxLayers: c.gmdhMaxLayers }),
    async run(ctx) {
      const c = ctx.config;
      // The feature stage is part of the method: the same digits, area-averaged to gmdhSide², and the
      // pixels constant on the training part dropped (a constant input cannot enter a unit).
      const small = (ds: ImageDataset) => downsampleImages(ds, c.gmdhSide, c.gmdhSide);
      const [tr, va, te] = [small(ctx.task.train), small(ctx.task.validation), small(ctx.task.test)];
      const px = c.gmdhSide * c.gmdhSide;
      const columns = varyingColumns(tr.images, tr.n, px, 1e-3);
      const m = (ds: ImageDataset) => ({ data: selectColumns(ds.images, ds.n, px, columns), rows: ds.n, cols: columns.length });
      const [xTr, xVa, xTe] = [m(tr), m(va), m(te)];
      const t0 = performance.now();
      const { classifier, fits } = await fitGmdhClassifier(
        { x: xTr, labels: tr.labels, classes: ctx.task.classes },
        { keep: c.gmdhKeep, maxLayers: c.gmdhMaxLayers },
        { x: xVa, labels: va.labels },
        (k) => ctx.progress?.update(`GMDH: class ${k} fitted`),
      );
      const seconds = (performance.now() - t0) / 1000;
      const accuracy = gmdhAccuracy(classifier, xTe, te.labels);
      classifyGmdh(classifier, xTe); // warm-up
      const times = [0, 1, 2].map(() => {
        const t = performance.now();
        classifyGmdh(classifier, xTe);
        return performance.now() - t;
      });
      times.sort((a, b) => a - b);
      const params = countGmdhClassifierParams(classifier);
      return {
        accuracy,
        errors: Math.round((1 - accuracy) * te.n),
        testSize: te.n,
        nonZeroParams: params,
        totalParams: params,
        inferenceMsPer1000: (times[1] / te.n) * 1000,
        trainSeconds: seconds,
        epochs: null,
        details: {
          inputs: columns.length,
          features: `${columns.length} varying pixels of ${c.gmdhSide}x${c.gmdhSide}`,
          meanDepth: fits.reduce((s, f) => s + f.selectedLayer, 0) / fits.length,
          note: "plain JavaScript prediction, not the tfjs backend; deterministic, so run once",
        },
      };
    },
  },
  {
    name: "magnitudePruning",
    seedDependent: true,
    config: (c) => ({ teacher: teacherKeys(c), sparsity: c.pruneSparsity, rounds: c.pruneRounds, retrainEpochs: c.retrainEpochs, lr: c.retrainLearningRate }),
    run: (ctx, seed) => prunedTeacherRow(ctx, seed, "magnitude"),
  },
  {
    name: "obd",
    seedDependent: true,
    config: (c) => ({ teacher: teacherKeys(c), sparsity: c.pruneSparsity, rounds: c.pruneRounds, retrainEpochs: c.retrainEpochs, lr: c.retrainLearningRate }),
    run: (ctx, seed) => prunedTeacherRow(ctx, seed, "obd"),
  },
  {
    name: "modelCompression",
    seedDependent: true,
    config: (c) => ({ teacher: teacherKeys(c), ensembleSize: c.ensembleSize, seeds: c.seeds, student: studentKeys(c), munge: [c.mungeMultiplier, c.mungeP, c.mungeS] }),
    async run(ctx, seed) {
      const c = ctx.config;
      const { train, inputSize } = ctx.task;
      // The transfer set: the training digits plus MUNGE pseudo-digits made from them; the labels are
      // not used, the ensemble's averaged logits are the only targets (the student never sees a label).
      const t0 = performance.now();
      const pseudo = munge({ x: train.images, n: train.n, dim: inputSize }, { p: c.mungeP, s: c.mungeS, multiplier: c.mungeMultiplier, seed: deriveSeed(seed, "munge") });
      const transfer = concatRows({ x: train.images, n: train.n, dim: inputSize }, pseudo);
      const mungeSeconds = (performance.now() - t0) / 1000;
      const x = tf.tensor2d(transfer.x, [transfer.n, transfer.dim]);
      const { ensemble, seeds: memberSeeds, dispose: disposeEnsemble } = await ensembleFor(ctx, seed, "logits");
      const net = buildStudent({ hidden: c.studentHidden, inputSize, classes: ctx.task.classes, seed: deriveSeed(seed, "kd-student") });
      try {
        const r = await matchLogitsInto(net, ensemble, { ...armData(ctx.task), x, labels: null }, adam(c, c.studentEpochs, c.studentLearningRate, deriveSeed(seed, "kd-train")), {}, { label: `model compression seed ${seed}`, progress: ctx.progress }, false);
        return mlpRow(net, ctx.task, r.history.seconds + mungeSeconds, r.history.records.length, {
          transferSet: `${train.n} digits + ${pseudo.n} MUNGE pseudo-digits`,
          members: memberSeeds.join("+"),
          note: "epochs are over the larger transfer set; training time includes MUNGE",
        });
      } finally {
        net.dispose();
        x.dispose();
        disposeEnsemble();
      }
    },
  },
  {
    name: "teacher",
    seedDependent: true,
    config: (c) => ({ teacher: teacherKeys(c) }),
    async run(ctx, seed) {
      const t = await ctx.teacher(seed);
      return mlpRow(t.net, ctx.task, historySeconds(t.history), historyEpochs(t.history), { teacherFromCache: t.fromCache });
    },
  },
  {
    name: "hardStudent",
    seedDependent: true,
    config: (c) => ({ student: studentKeys(c) }),
    async run(ctx, seed) {
      const s = await ctx.smallStudent(seed);
      return mlpRow(s.net, ctx.task, historySeconds(s.history), historyEpochs(s.history), { studentFromCache: s.fromCache });
    },
  },
  {
    name: "logitMatching",
    seedDependent: true,
    config: (c) => ({ teacher: teacherKeys(c), student: studentKeys(c) }),
    async run(ctx, seed) {
      const c = ctx.config;
      const teacher = await ctx.teacher(seed);
      const net = buildStudent({ hidden: c.studentHidden, inputSize: ctx.task.inputSize, classes: ctx.task.classes, seed: deriveSeed(seed, "logit-student") });
      try {
        const r = await matchLogitsInto(net, teacher.net, armData(ctx.task), adam(c, c.studentEpochs, c.studentLearningRate, deriveSeed(seed, "logit-train")), {}, { label: `logit matching seed ${seed}`, progress: ctx.progress }, false);
        return mlpRow(net, ctx.task, r.history.seconds, r.history.records.length);
      } finally {
        net.dispose();
      }
    },
  },
  {
    name: "distillT1",
    seedDependent: true,
    config: (c) => ({ teacher: teacherKeys(c), student: studentKeys(c), softWeight: c.softWeight }),
    async run(ctx, seed) {
      const c = ctx.config;
      const teacher = await ctx.teacher(seed);
      const net = buildStudent({ hidden: c.studentHidden, inputSize: ctx.task.inputSize, classes: ctx.task.classes, seed: deriveSeed(seed, "kd-student") });
      try {
        const r = await distillInto(net, teacher.net, armData(ctx.task), { T: 1, softWeight: c.softWeight }, adam(c, c.studentEpochs, c.studentLearningRate, deriveSeed(seed, "kd-train")), { label: `distill T=1 seed ${seed}`, progress: ctx.progress }, false);
        return mlpRow(net, ctx.task, r.history.seconds, r.history.records.length, { T: 1 });
      } finally {
        net.dispose();
      }
    },
  },
  {
    name: "distillBestT",
    seedDependent: true,
    config: (c) => ({ teacher: teacherKeys(c), student: studentKeys(c), softWeight: c.softWeight, temperatures: c.temperatures }),
    async run(ctx, seed) {
      const c = ctx.config;
      if (!c.temperatures.length) throw new Error("temperatures is empty; give the best-T row at least one temperature, e.g. [2, 4, 8]");
      const teacher = await ctx.teacher(seed);
      let best: { T: number; val: number; net: Mlp } | undefined;
      let seconds = 0;
      let epochs = 0;
      const valByT: string[] = [];
      for (const T of c.temperatures) {
        // The same initial weights and batch order at every T, so only the temperature differs.
        const net = buildStudent({ hidden: c.studentHidden, inputSize: ctx.task.inputSize, classes: ctx.task.classes, seed: deriveSeed(seed, "kd-student") });
        const r = await distillInto(net, teacher.net, armData(ctx.task), { T, softWeight: c.softWeight }, adam(c, c.studentEpochs, c.studentLearningRate, deriveSeed(seed, "kd-train")), { label: `distill T=${T} seed ${seed}`, progress: ctx.progress }, false);
        seconds += r.history.seconds;
        epochs += r.history.records.length;
        const val = validationAccuracy(net, ctx.task);
        valByT.push(`T=${T}: ${val.toFixed(4)}`);
        if (!best || val > best.val) {
          best?.net.dispose();
          best = { T, val, net };
        } else net.dispose();
      }
      try {
        return mlpRow(best!.net, ctx.task, seconds, epochs, { T: best!.T, validationAccuracy: best!.val, validationByT: valByT.join(", "), note: "training cost covers every temperature tried" });
      } finally {
        best!.net.dispose();
      }
    },
  },
  {
    name: "distillEnsemble",
    seedDependent: true,
    config: (c) => ({ teacher: teacherKeys(c), ensembleSize: c.ensembleSize, seeds: c.seeds, student: studentKeys(c), softWeight: c.softWeight, temperatures: c.temperatures }),
    async run(ctx, seed) {
      const c = ctx.config;
      // The temperature the single-teacher row chose on validation for this seed: no second search.
      const T = Number((await ctx.row("distillBestT", seed)).row.details.T);
      const { ensemble, seeds: memberSeeds, dispose: disposeEnsemble } = await ensembleFor(ctx, seed, "probs");
      const net = buildStudent({ hidden: c.studentHidden, inputSize: ctx.task.inputSize, classes: ctx.task.classes, seed: deriveSeed(seed, "kd-student") });
      try {
        const ensembleAccuracy = (() => {
          const logits = ensemble.predict(ctx.task.testX);
          try {
            const pred = tf.tidy(() => tf.argMax(logits, 1).dataSync());
            let right = 0;
            ctx.task.test.labels.forEach((y, i) => (right += pred[i] === y ? 1 : 0));
            return right / ctx.task.test.n;
          } finally {
            logits.dispose();
          }
        })();
        const r = await distillInto(net, ensemble, armData(ctx.task), { T, softWeight: c.softWeight }, adam(c, c.studentEpochs, c.studentLearningRate, deriveSeed(seed, "kd-train")), { label: `distill ensemble T=${T} seed ${seed}`, progress: ctx.progress }, false);
        return mlpRow(net, ctx.task, r.history.seconds, r.history.records.length, { T, members: memberSeeds.join("+"), ensembleTestAccuracy: ensembleAccuracy });
      } finally {
        net.dispose();
        disposeEnsemble();
      }
    },
  },
  {
    name: "largeHardStudent",
    seedDependent: true,
    config: (c) => ({ large: largeKeys(c) }),
    async run(ctx, seed) {
      const c = ctx.config;
      const net = buildStudent({ hidden: c.teacherHidden, inputSize: ctx.task.inputSize, classes: ctx.task.classes, seed: deriveSeed(seed, "large-student") });
      try {
        const r = await trainOnHardLabels(net, armData(ctx.task), adam(c, c.largeStudentEpochs, c.teacherLearningRate, deriveSeed(seed, "large-train")), { label: `large student seed ${seed}`, progress: ctx.progress }, false);
        return mlpRow(net, ctx.task, r.history.seconds, r.history.records.length);
      } finally {
        net.dispose();
      }
    },
  },
  {
    name: "reverseDistill",
    seedDependent: true,
    config: (c) => ({ large: largeKeys(c), student: studentKeys(c), T: c.reverseTemperature, softWeight: c.softWeight }),
    async run(ctx, seed) {
      const c = ctx.config;
      const small = await ctx.smallStudent(seed);
      const net = buildStudent({ hidden: c.teacherHidden, inputSize: ctx.task.inputSize, classes: ctx.task.classes, seed: deriveSeed(seed, "large-student") });
      try {
        const r = await distillInto(net, small.net, armData(ctx.task), { T: c.reverseTemperature, softWeight: c.softWeight }, adam(c, c.largeStudentEpochs, c.teacherLearningRate, deriveSeed(seed, "large-train")), { label: `reverse distillation seed ${seed}`, progress: ctx.progress }, false);
        return mlpRow(net, ctx.task, r.history.seconds, r.history.records.length, { T: c.reverseTemperature });
      } finally {
        net.dispose();
      }
    },
  },
];

/** The registry: each runner joined with its catalog row (a runner without one throws here, at load). */
export const COMPARISON_METHODS: readonly ComparisonMethod[] = RUNNERS.map((r) => ({ ...comparisonRowInfo(r.name), ...r }));

/** Names of the runners (for the catalog test). */
export const COMPARISON_RUNNER_NAMES: readonly string[] = RUNNERS.map((r) => r.name);

export function comparisonMethodNames(): string[] {
  return COMPARISON_METHODS.map((m) => m.name);
}

/** The method registered under `name`; an unknown name is an error listing the valid ones. */
export function comparisonMethod(name: string): ComparisonMethod {
  const m = COMPARISON_METHODS.find((x) => x.name === name);
  if (!m) throw new Error(`unknown comparison method ${JSON.stringify(name)}; valid methods: ${comparisonMethodNames().join(", ")}.`);
  return m;
}
