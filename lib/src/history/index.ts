/** Public API of the history area; each concept file adds the names it makes public here. */
export {
  theoryError,
  overlapToError,
  hebbianOverlap,
  gibbsOverlap,
  onlinePerceptronOverlap,
  simulateLearningCurve,
  memorizationCurve,
  type PerceptronRule,
  type LearningCurvePoint,
  type MachineKind,
  type MemorizationPoint,
} from "./perceptron";
export { isingLearningCurve, type IsingPoint } from "./ising-perceptron";
export {
  runOnlineChunker,
  ONLINE_CHUNKER_DEFAULTS,
  type OnlineChunkerConfig,
  type OnlineChunkerRecord,
  type OnlineChunkerResult,
} from "./chunker-online";
export { munge, uniformPseudoData, takeRows, concatRows, type MungeOptions, type Table } from "./munge";
export { naiveBayesPseudoData } from "./naive-bayes-pseudo";
export {
  runTabularCompression,
  type TabularCompressionConfig,
  type TabularCompressionResult,
} from "./tabular-compression";
export {
  withWeightDecayBias,
  weightDecayPenalty,
  weightValues,
  countNearZero,
  DECAY_BIASES,
  type DecayBias,
  type WeightDecayOptions,
} from "./weight-decay";
export {
  withUnitBias,
  unitBiasPenalty,
  unitIncomingTotals,
  deadUnits,
  removeHiddenUnits,
  meanHiddenActivations,
  removableUnits,
  UNIT_BIASES,
  type UnitBias,
  type UnitBiasOptions,
} from "./unit-bias";
export {
  committeeOutputOverlap,
  committeeGibbsEntropy,
  committeeEntropySlope,
  committeeGibbsOverlap,
  committeeGibbsError,
  committeeAsymptoticCoefficient,
  committee3GibbsOverlap,
  committee3GibbsError,
  type CommitteeLimit,
} from "./committee-theory";
export {
  parityGibbsEntropy,
  parityEntropySlope,
  parityGibbsState,
  parityGibbsError,
  parityCriticalAlpha,
  parityErrorFromOverlaps,
  type ParityGibbsState,
} from "./parity-theory";
export { treeGibbsLearningCurve, sampleTreeVersionSpace, treeErrorFromOverlaps, branchOverlaps, type TreeGibbsPoint } from "./tree-gibbs";
