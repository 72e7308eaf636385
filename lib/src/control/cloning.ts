/**
 * Behavioural cloning: a student policy learnt by supervised learning on a teacher's state–action pairs
 * (Pomerleau 1989's ALVINN; named and analysed by Ross & Bagnell 2010, whose compounding-error argument
 * says a student that errs with probability ε per step drifts into states the teacher never showed, so
 * its loss grows like ε T² over a horizon T rather than ε T).
 *
 * Two kinds of targets, the distillation view: the expert's *hard* action (one-hot), or its *soft* action
 * distribution (expert.ts: P(push right) = σ(margin / T)), matched by cross-entropy exactly as a student
 * matches a teacher's soft targets in Hinton et al. (2015). The student is an MLP on the standardised
 * state; its policy acts greedily (the more likely action).
 */
import * as tf from "@tensorflow/tfjs";
import { Mlp } from "../core/models";
import { crossEntropyLoss, trainNetwork } from "../core/train";
import { checkState, CartPoleState } from "./cartpole";
import { Policy } from "./episodes";
import { FrozenMlp, Standardiser, fitStandardiser, freezeMlp, standardise } from "./policy-network";

export interface PolicyTraining {
  hidden: number[];
  /** Optimizer steps (mini-batches) in all: the number of epochs follows from the data size, so a
   * student cloned from 1 demonstration and one cloned from 20 get about the same number of updates. */
  steps: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

export function checkPolicyTraining(t: PolicyTraining): PolicyTraining {
  if (!Array.isArray(t.hidden) || !t.hidden.every((h) => Number.isInteger(h) && h > 0)) throw new Error(`hidden=${JSON.stringify(t.hidden)} must be a list of positive layer widths such as [32, 32].`);
  if (!Number.isInteger(t.steps) || t.steps < 1) throw new Error(`steps=${t.steps} must be a positive whole number of optimizer steps.`);
  if (!Number.isInteger(t.batchSize) || t.batchSize < 1) throw new Error(`batchSize=${t.batchSize} must be a positive whole number.`);
  if (!(t.learningRate > 0) || !Number.isFinite(t.learningRate)) throw new Error(`learningRate=${t.learningRate} must be a finite number > 0.`);
  return t;
}

/** A trained classifier over input rows, with its standardiser and frozen copy. */
export interface TrainedClassifier {
  net: Mlp;
  standardiser: Standardiser;
  frozen: FrozenMlp;
  /** Mean training loss of the last epoch. */
  finalLoss: number;
  dispose(): void;
}

/**
 * Train an MLP classifier on input rows and target distributions (one row per input, each summing to 1;
 * one-hot for hard labels). Adam, seeded shuffling; tensors disposed before returning.
 */
export async function trainClassifier(inputs: ArrayLike<number>[], targets: number[][], cfg: PolicyTraining): Promise<TrainedClassifier> {
  checkPolicyTraining(cfg);
  if (inputs.length === 0) throw new Error("no training examples: the demonstrations are empty");
  if (targets.length !== inputs.length) throw new Error(`${inputs.length} inputs but ${targets.length} target rows; they must match`);
  const classes = targets[0].length;
  targets.forEach((t, i) => {
    if (t.length !== classes) throw new Error(`target row ${i} has ${t.length} values, expected ${classes}`);
    const sum = t.reduce((a, b) => a + b, 0);
    if (!t.every((v) => Number.isFinite(v) && v >= 0) || Math.abs(sum - 1) > 1e-6) throw new Error(`target row ${i} = [${t.join(", ")}] is not a probability distribution (non-negative, summing to 1)`);
  });
  const st = fitStandardiser(inputs);
  const d = st.mean.length;
  const net = new Mlp({ inputSize: d, hidden: cfg.hidden, classes, activation: "relu", seed: cfg.seed });
  const x = tf.tensor2d(standardise(inputs, st), [inputs.length, d]);
  const t = tf.tensor2d(targets.flat(), [targets.length, classes]);
  try {
    const epochs = Math.max(1, Math.round((cfg.steps * cfg.batchSize) / inputs.length));
    const h = await trainNetwork(net, { x, targets: t }, crossEntropyLoss, { epochs, batchSize: Math.min(cfg.batchSize, inputs.length), optimizer: "adam", learningRate: cfg.learningRate, seed: cfg.seed }, { progress: null });
    return { net, standardiser: st, frozen: freezeMlp(net, st), finalLoss: h.records[h.records.length - 1].loss, dispose: () => net.dispose() };
  } catch (e) {
    net.dispose();
    throw e;
  } finally {
    x.dispose();
    t.dispose();
  }
}

/** The greedy policy of a trained 2-class classifier on the cart-pole state. */
export function greedyPolicy(c: TrainedClassifier | FrozenMlp): Policy {
  const f = "frozen" in c ? c.frozen : c;
  if (f.inputSize !== 4) throw new Error(`a cart-pole policy needs a network with 4 inputs, this one has ${f.inputSize}`);
  return (s: CartPoleState) => {
    const z = f.logits(s);
    return z[1] > z[0] ? 1 : 0;
  };
}

export type CloneTargets = { kind: "hard"; actions: number[] } | { kind: "soft"; probRight: number[] };

/**
 * Behavioural cloning: fit a policy MLP to demonstration states and the expert's hard actions or soft
 * action probabilities.
 */
export async function cloneBehaviour(states: CartPoleState[], targets: CloneTargets, cfg: PolicyTraining): Promise<TrainedClassifier> {
  states.forEach((s, i) => checkState(s, `demonstration state ${i}`));
  const n = targets.kind === "hard" ? targets.actions.length : targets.probRight.length;
  if (n !== states.length) throw new Error(`${states.length} demonstration states but ${n} ${targets.kind === "hard" ? "actions" : "action probabilities"}; they must match`);
  const rows =
    targets.kind === "hard"
      ? targets.actions.map((a, i) => {
          if (a !== 0 && a !== 1) throw new Error(`demonstration action ${i} = ${String(a)} is not 0 or 1`);
          return a === 1 ? [0, 1] : [1, 0];
        })
      : targets.probRight.map((p, i) => {
          if (!(p >= 0 && p <= 1)) throw new Error(`demonstration probability ${i} = ${String(p)} is not in [0, 1]`);
          return [1 - p, p];
        });
  return trainClassifier(states, rows, cfg);
}

/** Fraction of states on which a policy picks the same action as the reference actions. */
export function actionAgreement(policy: Policy, states: CartPoleState[], actions: number[]): number {
  if (states.length !== actions.length || states.length === 0) throw new Error(`actionAgreement needs as many states as actions (got ${states.length} and ${actions.length}), at least one`);
  let same = 0;
  states.forEach((s, i) => (same += policy(s) === actions[i] ? 1 : 0));
  return same / states.length;
}
