/**
 * The behavioural-cloning experiment of the notebook: for each seed and each number of demonstrations,
 * clone the expert on hard actions, on its soft action distribution, and by BCO from its states alone,
 * then score every student by its return over fresh evaluation episodes (the same starts for every
 * student of a seed) and by how often it agrees with the expert on the states it visits itself.
 */
import { deriveSeed } from "@kdh/datasets";
import { CartPoleState } from "./cartpole";
import { expertAction, expertSoftAction } from "./expert";
import { Episode, EpisodeOptions, Policy, meanReturn, randomPolicy, runEpisodes } from "./episodes";
import { PolicyTraining, TrainedClassifier, cloneBehaviour, greedyPolicy } from "./cloning";
import { BcoConfig, behaviouralCloningFromObservation, transitionsOf } from "./bco";

export interface CloningStudyConfig {
  seeds: number[];
  /** Numbers of demonstration episodes to try. */
  demonstrations: number[];
  /** Steps per demonstration episode (shorter than the evaluation episodes: see the notebook). */
  demoSteps: number;
  /** Steps per evaluation episode (the return's cap). */
  evalSteps: number;
  evalEpisodes: number;
  initRange: number;
  forceNoise: number;
  softTemperature: number;
  hidden: number[];
  steps: number;
  batchSize: number;
  learningRate: number;
  explorationSteps: number;
  bcoAlpha: number;
  bcoIterations: number;
}

export interface StudentScore {
  return: number;
  /** Agreement with the expert's action on the states the student itself visited. */
  onPolicyAgreement: number;
  /** Agreement with the expert's action on the states the expert visits on the test episodes (the
   * training distribution's kind of states, but not the training states themselves). */
  expertStateAgreement: number;
}

export interface CloningStudyRow {
  seed: number;
  demonstrations: number;
  demoTransitions: number;
  hard: StudentScore;
  soft: StudentScore;
  bco: StudentScore & { inferenceAccuracy: number };
}

export interface CloningStudy {
  expertReturn: number;
  randomReturn: number;
  rows: CloningStudyRow[];
  /** One expert and one student episode from the same start, for the side-by-side figure. */
  example: { expert: Episode; hardStudent: Episode; demonstrations: number; seed: number };
}

const expert: Policy = (s) => expertAction(s);

function agreement(policy: Policy, states: CartPoleState[]): number {
  let same = 0;
  for (const s of states) same += policy(s) === expertAction(s) ? 1 : 0;
  return same / states.length;
}

function score(policy: Policy, evalOpts: EpisodeOptions, count: number, expertStates: CartPoleState[]): StudentScore {
  const eps = runEpisodes(policy, count, evalOpts, "eval");
  return { return: meanReturn(eps), onPolicyAgreement: agreement(policy, eps.flatMap((e) => e.states.slice(0, -1))), expertStateAgreement: agreement(policy, expertStates) };
}

export async function runCloningStudy(cfg: CloningStudyConfig, onProgress?: (text: string) => void): Promise<CloningStudy> {
  if (!cfg.seeds.length || !cfg.demonstrations.length) throw new Error("the study needs at least one seed and one number of demonstrations.");
  const env = (seed: number, maxSteps: number): EpisodeOptions => ({ seed, maxSteps, initRange: cfg.initRange, forceNoise: cfg.forceNoise });
  const evalOpts = env(deriveSeed(0, "evaluation"), cfg.evalSteps);
  const expertEpisodes = runEpisodes(expert, cfg.evalEpisodes, evalOpts, "eval");
  const expertReturn = meanReturn(expertEpisodes);
  const expertStates = expertEpisodes.flatMap((e) => e.states.slice(0, -1));
  const randomReturn = meanReturn(runEpisodes(randomPolicy(deriveSeed(0, "random baseline")), cfg.evalEpisodes, evalOpts, "eval"));
  const train = (seed: number): PolicyTraining => ({ hidden: cfg.hidden, steps: cfg.steps, batchSize: cfg.batchSize, learningRate: cfg.learningRate, seed });
  const rows: CloningStudyRow[] = [];
  let example: CloningStudy["example"] | undefined;
  for (const seed of cfg.seeds) {
    for (const n of cfg.demonstrations) {
      const demos = runEpisodes(expert, n, env(deriveSeed(seed, "demonstrations"), cfg.demoSteps), "demo");
      const tr = transitionsOf(demos);
      const states = tr.map((t) => t.s);
      const students: TrainedClassifier[] = [];
      try {
        const hard = await cloneBehaviour(states, { kind: "hard", actions: tr.map((t) => t.a) }, train(deriveSeed(seed, `hard:${n}`)));
        students.push(hard);
        const soft = await cloneBehaviour(states, { kind: "soft", probRight: states.map((s) => expertSoftAction(s, cfg.softTemperature)) }, train(deriveSeed(seed, `soft:${n}`)));
        students.push(soft);
        const bcoCfg: BcoConfig = { explorationSteps: cfg.explorationSteps, alpha: cfg.bcoAlpha, iterations: cfg.bcoIterations, inverseModel: train(deriveSeed(seed, `inverse:${n}`)), policy: train(deriveSeed(seed, `bco:${n}`)) };
        const bco = await behaviouralCloningFromObservation(demos, env(deriveSeed(seed, `explore:${n}`), cfg.evalSteps), bcoCfg);
        students.push(bco.policy);
        const row: CloningStudyRow = {
          seed,
          demonstrations: n,
          demoTransitions: tr.length,
          hard: score(greedyPolicy(hard), evalOpts, cfg.evalEpisodes, expertStates),
          soft: score(greedyPolicy(soft), evalOpts, cfg.evalEpisodes, expertStates),
          bco: { ...score(greedyPolicy(bco.policy), evalOpts, cfg.evalEpisodes, expertStates), inferenceAccuracy: bco.inferenceAccuracy[bco.inferenceAccuracy.length - 1] },
        };
        rows.push(row);
        // The example: the smallest demonstration count of the first seed, on the evaluation start where
        // the hard-label student does worst.
        if (!example && n === Math.min(...cfg.demonstrations)) {
          const evalEps = runEpisodes(greedyPolicy(hard), cfg.evalEpisodes, evalOpts, "eval");
          const worst = evalEps.reduce((w, e, i) => (e.return < evalEps[w].return ? i : w), 0);
          const start = expertEpisodes[worst];
          example = { expert: start, hardStudent: evalEps[worst], demonstrations: n, seed };
        }
        onProgress?.(`seed ${seed}, ${n} demonstration(s): hard ${row.hard.return.toFixed(0)}, soft ${row.soft.return.toFixed(0)}, BCO ${row.bco.return.toFixed(0)}`);
      } finally {
        students.forEach((s) => s.dispose());
      }
    }
  }
  return { expertReturn, randomReturn, rows, example: example! };
}
