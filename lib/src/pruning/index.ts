/** Public API of the pruning area: Optimal Brain Damage (LeCun, Denker & Solla, 1989), its baselines, and Optimal Brain Surgeon (Hassibi & Stork, 1993). */
export {
  pruningObjective,
  objectiveOn,
  readParams,
  writeParams,
  flattenParams,
  PRUNING_LOSSES,
  type PrunableLayer,
  type LayerParams,
  type PruningLoss,
  type PruningData,
} from "./dense";
export { hessianDiagonal, gradientPass, type HessianOptions } from "./hessian-diagonal";
export { exactHessianDiagonal, type ExactHessianOptions } from "./exact-hessian";
export { obdSaliency, saliencyFromHessian, spearman } from "./saliency";
export {
  magnitudeScores,
  randomScores,
  pruningScores,
  PRUNING_METHODS,
  type PruningMethod,
  type ScoreContext,
} from "./baselines";
export { PruningMask, type DeleteOptions } from "./masks";
export {
  pruneLoop,
  retrainWithMask,
  deletionCurve,
  singleDeletionIncreases,
  DEFAULT_PRUNE_LOOP_CONFIG,
  type PruneLoopConfig,
  type PruneRound,
  type PruneLoopHooks,
  type DeletionCurvePoint,
} from "./prune-loop";
export { benchmarkHessianPass, type HessianBenchmarkOptions, type HessianBenchmark } from "./benchmark";
export { pruningTestMetrics, type PruningTestMetrics } from "./test-metrics";
export { outerProductHessian, outerProductInverseHessian, woodburyInverseHessian, invertSpd, type OuterProductOptions } from "./obs-hessian";
export { ObsPruner, obsDeletionCurve, type ObsDeletion, type ObsPrunerOptions, type ObsCurveOptions, type ObsCurvePoint, type ObsCurve } from "./obs";
