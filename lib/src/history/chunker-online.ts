/**
 * The chunker and the automatizer learning together, online, as in Schmidhuber (1992, section 3).
 *
 * At every training step, on one minibatch drawn from the training sequences:
 *   1. the automatizer A's current predictions decide which symbols are surprises (p(actual) < threshold;
 *      the first symbol always is);
 *   2. the chunker C takes one step on predicting the next surprise from the surprises so far;
 *   3. A takes one step on next-symbol prediction plus `stateWeight` × the squared error of its state head
 *      against C's current hidden state (held after the last surprise), the target that collapses C into A.
 * Nothing is frozen: as A learns, fewer symbols are surprises and C's input shrinks, exactly as in the paper.
 * A plain RNN with A's architecture and initial weights is trained on the same minibatches, one step each.
 *
 * Evaluated every `evalEvery` steps on the held-out test sequences: final-symbol accuracy of the plain net,
 * of the two-net system (A where A is confident, else C) and of A alone (the collapsed net). "Steps to solve"
 * is the first evaluation at which an arm reaches `solveAccuracy`; an arm that never does is recorded as
 * unsolved and counted as `maxSteps + evalEvery` (a censored value, which can only understate a gap).
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed, makeRng } from "@kdh/datasets";
import { TinyRnn, compressSequences, chunkerStateTargets, finalAccuracy, findSurprises, nextSymbolLoss, oneHotSequences, systemFinalAccuracy } from "./chunker";
import { chunkTask } from "./chunk-task";

export interface OnlineChunkerConfig {
  lag: number;
  words: number;
  wordLength: number;
  hidden: number;
  chunkerHidden: number;
  trainSequences: number;
  testSequences: number;
  batchSize: number;
  maxSteps: number;
  learningRate: number;
  surpriseThreshold: number;
  stateWeight: number;
  evalEvery: number;
  solveAccuracy: number;
  seed: number;
}

export const ONLINE_CHUNKER_DEFAULTS: OnlineChunkerConfig = {
  lag: 8,
  words: 8,
  wordLength: 4,
  hidden: 16,
  chunkerHidden: 8,
  trainSequences: 192,
  testSequences: 64,
  batchSize: 32,
  maxSteps: 400,
  learningRate: 0.01,
  surpriseThreshold: 0.75,
  stateWeight: 1,
  evalEvery: 10,
  solveAccuracy: 0.95,
  seed: 40,
};

export interface OnlineChunkerRecord {
  step: number;
  plainAccuracy: number;
  systemAccuracy: number;
  collapsedAccuracy: number;
  /** Share of the test sequences' symbols after the first that A passes up to C. */
  passedUpFraction: number;
  /** Share of test sequences whose final symbol A still fails to predict (passes up as a surprise). */
  finalSurpriseFraction: number;
}

export interface OnlineChunkerResult {
  records: OnlineChunkerRecord[];
  /** First evaluation step at which each arm reached solveAccuracy on the test set, or -1. */
  solvedAt: { plain: number; system: number; collapsed: number };
  /** solvedAt with unsolved arms counted as maxSteps + evalEvery (for averaging). */
  stepsToSolve: { plain: number; system: number; collapsed: number };
  config: OnlineChunkerConfig;
}

function checkConfig(c: OnlineChunkerConfig): void {
  for (const k of ["lag", "words", "wordLength", "hidden", "chunkerHidden", "trainSequences", "testSequences", "batchSize", "maxSteps", "evalEvery"] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`${k}=${c[k]} must be a positive integer.`);
  }
  if (c.batchSize > c.trainSequences) throw new Error(`batchSize=${c.batchSize} is larger than trainSequences=${c.trainSequences}; use a smaller batch or more sequences.`);
  if (!(c.learningRate > 0)) throw new Error(`learningRate=${c.learningRate} must be > 0.`);
  if (!(c.surpriseThreshold > 0 && c.surpriseThreshold < 1)) throw new Error(`surpriseThreshold=${c.surpriseThreshold} must be in (0, 1).`);
  if (!(c.stateWeight >= 0)) throw new Error(`stateWeight=${c.stateWeight} must be >= 0.`);
  if (!(c.solveAccuracy > 0 && c.solveAccuracy <= 1)) throw new Error(`solveAccuracy=${c.solveAccuracy} must be in (0, 1].`);
}

function minimize(opt: tf.Optimizer, vars: tf.Variable[], loss: () => tf.Scalar): void {
  const cost = opt.minimize(loss, true, vars);
  cost?.dispose();
}

/**
 * Runs the three arms on one seed until the plain net and the collapsed net have both solved the task or
 * maxSteps is reached (the system is solved no later than the collapsed net, since A confident and right
 * is the system's answer too).
 */
export function runOnlineChunker(overrides: Partial<OnlineChunkerConfig> = {}, onRecord?: (r: OnlineChunkerRecord) => void): OnlineChunkerResult {
  const cfg: OnlineChunkerConfig = { ...ONLINE_CHUNKER_DEFAULTS, ...overrides };
  checkConfig(cfg);
  const task = chunkTask({ lag: cfg.lag, words: cfg.words, wordLength: cfg.wordLength, trainSequences: cfg.trainSequences, testSequences: cfg.testSequences, seed: deriveSeed(cfg.seed, "task") });
  const V = task.alphabet.length;
  const T = task.length;
  const xTest = oneHotSequences(task.test, task.nTest, T, V);
  const netSeed = deriveSeed(cfg.seed, "automatizer");
  const plain = new TinyRnn({ inputSize: V, hidden: cfg.hidden, outputSize: V, seed: netSeed });
  const A = new TinyRnn({ inputSize: V, hidden: cfg.hidden, outputSize: V, stateHeadSize: cfg.chunkerHidden, seed: netSeed });
  const C = new TinyRnn({ inputSize: V, hidden: cfg.chunkerHidden, outputSize: V, seed: deriveSeed(cfg.seed, "chunker") });
  const optPlain = tf.train.adam(cfg.learningRate);
  const optA = tf.train.adam(cfg.learningRate);
  const optC = tf.train.adam(cfg.learningRate);
  const rng = makeRng(deriveSeed(cfg.seed, "batches"));
  const records: OnlineChunkerRecord[] = [];
  const solvedAt = { plain: -1, system: -1, collapsed: -1 };
  const batch = new Int32Array(cfg.batchSize * T);
  try {
    const evaluate = (s: number): void => {
      const p = finalAccuracy(plain, xTest).acc;
      const a = finalAccuracy(A, xTest).acc;
      const sys = systemFinalAccuracy(A, C, task.test, xTest, cfg.surpriseThreshold, V);
      const ev = findSurprises(A, xTest, cfg.surpriseThreshold);
      const passed = ev.reduce((acc, e) => acc + e.length - 1, 0) / (task.nTest * (T - 1));
      const finalSurprise = ev.filter((e) => e[e.length - 1] === T - 1).length / task.nTest;
      const r = { step: s, plainAccuracy: p, systemAccuracy: sys, collapsedAccuracy: a, passedUpFraction: passed, finalSurpriseFraction: finalSurprise };
      if (solvedAt.plain < 0 && p >= cfg.solveAccuracy) solvedAt.plain = s;
      if (solvedAt.system < 0 && sys >= cfg.solveAccuracy) solvedAt.system = s;
      if (solvedAt.collapsed < 0 && a >= cfg.solveAccuracy) solvedAt.collapsed = s;
      records.push(r);
      onRecord?.(r);
    };
    evaluate(0);
    for (let s = 1; s <= cfg.maxSteps; s++) {
      for (let i = 0; i < cfg.batchSize; i++) {
        const j = rng.int(task.nTrain);
        batch.set(task.train.subarray(j * T, (j + 1) * T), i * T);
      }
      const x = oneHotSequences(batch, cfg.batchSize, T, V);
      let cx: tf.Tensor3D | undefined, cmask: tf.Tensor2D | undefined, targets: tf.Tensor3D | undefined;
      try {
        if (solvedAt.plain < 0) minimize(optPlain, plain.variables, () => nextSymbolLoss(plain.run(x).logits, x));
        const events = findSurprises(A, x, cfg.surpriseThreshold);
        const comp = compressSequences(batch, cfg.batchSize, T, events);
        cx = oneHotSequences(comp.symbols, cfg.batchSize, comp.length, V);
        cmask = tf.tensor2d(comp.mask, [cfg.batchSize, comp.length - 1]);
        const [cxx, cm] = [cx, cmask];
        minimize(optC, C.variables, () => nextSymbolLoss(C.run(cxx).logits, cxx, cm));
        const tg = (targets = chunkerStateTargets(C, cx, events, T));
        minimize(optA, A.variables, () => {
          const out = A.run(x);
          const stateErr = tf.mean(tf.square(tf.sub(out.stateHead!, tg)));
          return tf.add(nextSymbolLoss(out.logits, x), tf.mul(cfg.stateWeight, stateErr)) as tf.Scalar;
        });
      } finally {
        tf.dispose([x, ...(cx ? [cx] : []), ...(cmask ? [cmask] : []), ...(targets ? [targets] : [])]);
      }
      if (s % cfg.evalEvery === 0) {
        evaluate(s);
        if (solvedAt.plain >= 0 && solvedAt.collapsed >= 0) break;
      }
    }
  } finally {
    xTest.dispose();
    for (const o of [optPlain, optA, optC]) o.dispose();
    plain.dispose();
    A.dispose();
    C.dispose();
  }
  const cap = cfg.maxSteps + cfg.evalEvery;
  const or = (v: number): number => (v >= 0 ? v : cap);
  return { records, solvedAt, stepsToSolve: { plain: or(solvedAt.plain), system: or(solvedAt.system), collapsed: or(solvedAt.collapsed) }, config: cfg };
}
