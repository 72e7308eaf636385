/**
 * The behavioural-cloning notebook's recipe (quick and full defaults, a rule per parameter) and its
 * claims, as data: each names the paper's figure and source, the metric the notebook measures and the
 * rule that judges it (the catalog's significance rule, catalog/verdicts.ts). Thresholds are fixed here, before any run, and are not tuned.
 */
import type { ParamRules } from "../core/config";
import type { Claim } from "../catalog/types";

export const BEHAVIOURAL_CLONING_QUICK = {
  seeds: [0, 1, 2, 3, 4],
  demonstrations: [1, 2, 4, 8],
  demoSteps: 100,
  evalSteps: 500,
  evalEpisodes: 10,
  initRange: 0.05,
  forceNoise: 5,
  softTemperature: 0.5,
  hidden: [32, 32],
  steps: 300,
  batchSize: 64,
  learningRate: 0.003,
  explorationSteps: 2000,
  bcoAlpha: 0,
  bcoIterations: 0,
};

export const BEHAVIOURAL_CLONING_FULL: Partial<typeof BEHAVIOURAL_CLONING_QUICK> = {
  seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  demonstrations: [1, 2, 4, 8, 16, 32],
  evalEpisodes: 50,
  steps: 600,
  explorationSteps: 5000,
  bcoAlpha: 0.5,
  bcoIterations: 3,
};

export const BEHAVIOURAL_CLONING_RULES: ParamRules<typeof BEHAVIOURAL_CLONING_QUICK> = {
  seeds: { integer: true, min: 0, minLength: 1, maxLength: 100, what: "seeds (3 or more for significance)" },
  demonstrations: { integer: true, min: 1, max: 1000, minLength: 2, what: "numbers of demonstration episodes (at least two, to see the trend)" },
  demoSteps: { integer: true, min: 2, max: 100000, what: "steps per demonstration episode" },
  evalSteps: { integer: true, min: 1, max: 100000, what: "steps per evaluation episode (the return's cap)" },
  evalEpisodes: { integer: true, min: 1, max: 10000, what: "evaluation episodes per student" },
  initRange: { min: 0, max: 0.2, what: "range of the random start state" },
  forceNoise: { min: 0, max: 50, what: "standard deviation of the force disturbance (N)" },
  softTemperature: { min: 0.001, max: 1000, what: "temperature of the expert's soft actions" },
  hidden: { integer: true, min: 1, max: 4096, minLength: 1, maxLength: 8, what: "student hidden units per layer" },
  steps: { integer: true, min: 1, max: 1000000, what: "optimizer steps per network" },
  batchSize: { integer: true, min: 1, max: 100000, what: "batch size" },
  learningRate: { min: 1e-6, max: 1, what: "Adam learning rate" },
  explorationSteps: { integer: true, min: 2, max: 1000000, what: "random-policy steps for BCO's inverse model" },
  bcoAlpha: { min: 0, max: 10, what: "BCO(α): post-demonstration steps per round, as a fraction of explorationSteps" },
  bcoIterations: { integer: true, min: 0, max: 100, what: "BCO(α) rounds" },
};

const TORABI = "Torabi, Warnell & Stone 2018, Behavioral Cloning from Observation (IJCAI)";

/** The fraction of the expert's return the cloned student must reach (claim clone-reaches-expert). */
export const EXPERT_RETURN_FRACTION = 0.9;

export const BEHAVIOURAL_CLONING_CLAIMS: Claim[] = [
  {
    id: "clone-reaches-expert",
    statement: `A student cloned from the expert's state–action pairs (hard actions, most demonstrations) reaches at least ${EXPERT_RETURN_FRACTION} of the expert's return.`,
    paperFigure: "behavioural cloning is the reference imitation method that BCO is compared with; it learns CartPole from demonstrations",
    source: `${TORABI}, section 5`,
    metric: "per seed: hard-label student's mean return over the evaluation episodes / the expert's, at the largest number of demonstrations",
    unit: "fraction of the expert's return",
    rule: { kind: "threshold", a: "bcFractionOfExpert", op: ">", value: EXPERT_RETURN_FRACTION },
    mustHold: [],
  },
  {
    id: "bco-approaches-bc",
    statement: "BCO, which never sees the expert's actions, reaches at least 0.9 of behavioural cloning's return (most demonstrations).",
    paperFigure: "BCO shows \"comparable task performance\" to imitation methods that see the actions (abstract; CartPole is one of its domains)",
    source: `${TORABI}, abstract and section 5`,
    metric: "per seed: BCO student's mean return / the hard-label student's, at the largest number of demonstrations",
    unit: "fraction of BC's return",
    rule: { kind: "threshold", a: "bcoFractionOfBc", op: ">", value: 0.9 },
    mustHold: [],
  },
  {
    id: "compounding-error",
    statement: "With fewer demonstrations the cloned student's return is lower: its mistakes take it to states the demonstrations did not cover, where it errs more (compounding error).",
    paperFigure: "a cloned policy's cost can grow like ε·T² over a horizon T for a per-step error rate ε",
    source: "Ross & Bagnell 2010, Efficient Reductions for Imitation Learning (AISTATS), section 2; Torabi et al. 2018 plot performance against the number of demonstrated trajectories",
    metric: "per seed: hard-label student's return at the largest vs the smallest number of demonstrations",
    unit: "return (steps balanced)",
    rule: { kind: "compare", a: "bcReturnMost", b: "bcReturnFewest", better: "higher" },
    mustHold: [],
  },
  {
    id: "soft-beats-hard-few-demos",
    statement: "With the fewest demonstrations, a student trained on the expert's soft action distribution reaches a higher return than one trained on its hard actions.",
    paperFigure: "a speech model trained on 3% of the data reached 57.0% test frame accuracy with soft targets against 44.5% with hard targets (58.9% on all the data)",
    source: "Hinton, Vinyals & Dean 2015, Distilling the Knowledge in a Neural Network, section 6 (soft targets as regularizers), table 5",
    metric: "per seed: soft-target vs hard-action student's return at the smallest number of demonstrations (paired)",
    unit: "return (steps balanced)",
    rule: { kind: "compare", a: "softReturnFewest", b: "hardReturnFewest", better: "higher" },
    mustHold: [],
  },
];
