/**
 * Behavioural Cloning from Observation (BCO), Torabi, Warnell & Stone (2018), IJCAI: imitation when the
 * demonstrations hold the expert's *states* only, not its actions.
 *
 * 1. Pre-demonstration: the agent explores with a random policy and records its own transitions
 *    (s, a, s′), whose actions it knows.
 * 2. It learns an inverse-dynamics model M(a | s, s′) from them: which action leads from s to s′.
 * 3. It labels each consecutive pair of demonstration states (s_t, s_{t+1}) with M's most likely action.
 * 4. It clones those inferred actions by ordinary behavioural cloning (cloning.ts).
 * BCO(α) then repeats: it runs the cloned policy for α × (pre-demonstration steps) more steps, adds those
 * transitions to M's data (they lie nearer the expert's states than random exploration does), refits M,
 * re-labels and re-clones. α = 0 is BCO(0), steps 1–4 only.
 *
 * The inverse model here is an MLP on [s, s′ − s] (the change carries the force's sign most directly).
 */
import { deriveSeed } from "@kdh/datasets";
import { CartPoleState } from "./cartpole";
import { PolicyTraining, TrainedClassifier, cloneBehaviour, greedyPolicy, trainClassifier } from "./cloning";
import { Episode, EpisodeOptions, Policy, randomPolicy, runEpisode } from "./episodes";

export interface Transition {
  s: CartPoleState;
  a: number;
  next: CartPoleState;
}

export interface BcoConfig {
  /** Steps of random exploration before the demonstrations are used (Torabi et al.'s |I^pre|). */
  explorationSteps: number;
  /** Post-demonstration steps per iteration, as a fraction of explorationSteps (BCO(α)); 0 = BCO(0). */
  alpha: number;
  /** Post-demonstration iterations (ignored when alpha = 0). */
  iterations: number;
  /** Training of the inverse-dynamics model. */
  inverseModel: PolicyTraining;
  /** Training of the cloned policy. */
  policy: PolicyTraining;
}

export function checkBcoConfig(c: BcoConfig): BcoConfig {
  if (!Number.isInteger(c.explorationSteps) || c.explorationSteps < 2) throw new Error(`explorationSteps=${c.explorationSteps} must be a whole number ≥ 2.`);
  if (!(c.alpha >= 0) || !Number.isFinite(c.alpha)) throw new Error(`alpha=${c.alpha} must be a finite number ≥ 0 (0 = BCO(0)).`);
  if (!Number.isInteger(c.iterations) || c.iterations < 0) throw new Error(`iterations=${c.iterations} must be a whole number ≥ 0.`);
  return c;
}

/** Transitions of consecutive steps of episodes (the actions are the ones the episodes took). */
export function transitionsOf(episodes: Episode[]): Transition[] {
  return episodes.flatMap((e) => e.actions.map((a, t) => ({ s: e.states[t], a, next: e.states[t + 1] })));
}

/** Roll out `policy` for `steps` steps in all, restarting after each failure (seeded). */
export function collectTransitions(policy: Policy, steps: number, opts: EpisodeOptions, label: string): Transition[] {
  const out: Transition[] = [];
  for (let k = 0; out.length < steps; k++) {
    const e = runEpisode(policy, { ...opts, seed: deriveSeed(opts.seed, `${label}:${k}`), maxSteps: Math.min(opts.maxSteps, steps - out.length) });
    out.push(...transitionsOf([e]));
  }
  return out;
}

export function inverseFeatures(s: ArrayLike<number>, next: ArrayLike<number>): number[] {
  return [s[0], s[1], s[2], s[3], next[0] - s[0], next[1] - s[1], next[2] - s[2], next[3] - s[3]];
}

/** Fit the inverse-dynamics model on transitions with known actions. */
export function fitInverseDynamics(transitions: Transition[], cfg: PolicyTraining): Promise<TrainedClassifier> {
  return trainClassifier(
    transitions.map((t) => inverseFeatures(t.s, t.next)),
    transitions.map((t) => (t.a === 1 ? [0, 1] : [1, 0])),
    cfg,
  );
}

export function inferActions(model: TrainedClassifier, pairs: { s: ArrayLike<number>; next: ArrayLike<number> }[]): number[] {
  return pairs.map((p) => {
    const z = model.frozen.logits(inverseFeatures(p.s, p.next));
    return z[1] > z[0] ? 1 : 0;
  });
}

export interface BcoResult {
  policy: TrainedClassifier;
  /** Actions inferred for the demonstration transitions by the last inverse model. */
  inferredActions: number[];
  /** Per iteration (0 = BCO(0)): agreement of the inferred actions with the expert's true ones — a
   * diagnostic only; the learner never sees the true actions. */
  inferenceAccuracy: number[];
  /** Agent transitions the last inverse model was fitted on. */
  agentSteps: number;
}

/**
 * BCO(α) from demonstration episodes of which only the states are used. `env` gives the start-state
 * range, disturbance and step cap of the agent's own interaction; its seed seeds the exploration.
 */
export async function behaviouralCloningFromObservation(demos: Episode[], env: EpisodeOptions, cfg: BcoConfig): Promise<BcoResult> {
  checkBcoConfig(cfg);
  const demoPairs = transitionsOf(demos);
  if (demoPairs.length === 0) throw new Error("the demonstrations hold no transitions (each needs at least two states)");
  const states = demoPairs.map((p) => p.s);
  // True actions, for the diagnostic only.
  const trueActions = demoPairs.map((p) => p.a);
  const agreement = (inferred: number[]) => inferred.reduce((s, a, i) => s + (a === trueActions[i] ? 1 : 0), 0) / inferred.length;

  let agentData = collectTransitions(randomPolicy(deriveSeed(env.seed, "explore")), cfg.explorationSteps, env, "pre");
  const rounds = cfg.alpha > 0 ? cfg.iterations : 0;
  const accuracy: number[] = [];
  let policy: TrainedClassifier | undefined;
  let inferred: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    if (round > 0) {
      const post = collectTransitions(greedyPolicy(policy!), Math.max(1, Math.round(cfg.alpha * cfg.explorationSteps)), env, `post:${round}`);
      agentData = agentData.concat(post);
      policy!.dispose();
    }
    const inverse = await fitInverseDynamics(agentData, { ...cfg.inverseModel, seed: deriveSeed(cfg.inverseModel.seed, `round:${round}`) });
    try {
      inferred = inferActions(inverse, demoPairs);
    } finally {
      inverse.dispose();
    }
    accuracy.push(agreement(inferred));
    policy = await cloneBehaviour(states, { kind: "hard", actions: inferred }, cfg.policy);
  }
  return { policy: policy!, inferredActions: inferred, inferenceAccuracy: accuracy, agentSteps: agentData.length };
}
