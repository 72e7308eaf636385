/** Public API of the graph area: graphs, the block-model generator, the loader, GCN and GLNN distillation. */
export { buildGraph, edgeHomophily, type NodeGraph, type GraphInput } from "./graph";
export { stochasticBlockModel, blockDensities, featureOnlyBayesAccuracy, type SbmConfig, type SbmGraph } from "./sbm";
export { loadGraphFiles } from "./load";
export { Gcn, type GcnSpec } from "./gcn";
export {
  nodeSplit,
  trainGcnTeacher,
  trainNodeMlp,
  nodeAccuracy,
  nodeTensors,
  type NodeSplit,
  type NodeTrainConfig,
  type NodeTrainResult,
  type NodeTensors,
  type TrainedNodeModel,
  type GcnTeacherConfig,
  type MlpStudentConfig,
  type NodeTargets,
} from "./node-training";
export { timeNodeInference, logLogSlope, type InferenceTiming } from "./timing";
export {
  runGraphDistillationSeed,
  distilOnGraph,
  type GraphDistillationConfig,
  type ModelScore,
  type GraphDistillationSeed,
  type GraphTrainingConfig,
} from "./distillation-run";
