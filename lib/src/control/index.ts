/** Public API of the control area: the cart-pole, its expert, episodes, behavioural cloning and BCO. */
export {
  cartPoleStep,
  cartPoleFailure,
  BARTO_CARTPOLE,
  type CartPoleState,
  type CartPoleAction,
  type CartPoleParams,
} from "./cartpole";
export { expertAction, expertSoftAction, EXPERT_GAINS, type LinearController } from "./expert";
export {
  runEpisode,
  runEpisodes,
  meanReturn,
  randomPolicy,
  type Policy,
  type EpisodeOptions,
  type Episode,
} from "./episodes";
export type { FrozenMlp, Standardiser } from "./policy-network";
export {
  cloneBehaviour,
  greedyPolicy,
  actionAgreement,
  type PolicyTraining,
  type TrainedClassifier,
  type CloneTargets,
} from "./cloning";
export { behaviouralCloningFromObservation, type BcoConfig, type BcoResult } from "./bco";
export {
  runCloningStudy,
  type CloningStudyConfig,
  type StudentScore,
  type CloningStudyRow,
  type CloningStudy,
} from "./cloning-study";
