/** Public API of the gmdh area: Ivakhnenko's Group Method of Data Handling (multilayer iterative algorithm). */
export {
  type ReferenceName,
  type ReferenceFunction,
  REFERENCE_NAMES,
  referenceFunction,
  coefficientCount,
  evaluateUnit,
  formatPolynomial,
} from "./polynomial";
export { type PairSystems, SingularSystemError, allPairs } from "./fit";
export { type CriterionName, CRITERION_NAMES } from "./criteria";
export {
  type MatrixLike,
  type GmdhData,
  type GmdhConfig,
  type GmdhUnit,
  type GmdhModel,
  type GmdhLayerRecord,
  type GmdhFit,
  type LayerFit,
  type GmdhGraph,
  type GmdhGraphNode,
  GMDH_DEFAULTS,
  fitGmdh,
  fitLayer,
  predictGmdh,
  modelAtLayer,
  stoppingRule,
  pathToUnit,
  countGmdhParams,
  gmdhFormulas,
  gmdhGraph,
} from "./network";
export {
  type GmdhClassifier,
  type GmdhClassificationData,
  fitGmdhClassifier,
  gmdhClassScores,
  classifyGmdh,
  gmdhAccuracy,
  countGmdhClassifierParams,
} from "./classify";
export { varyingColumns, selectColumns } from "./columns";
export { NARX_TRUTH, narxStep, narxSystem, type NarxDataset } from "./system-identification";
export { benchmarkGmdhLayer, type GmdhBenchmarkOptions } from "./benchmark";
