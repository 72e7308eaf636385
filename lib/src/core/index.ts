/** Public API of the core area: backend, paths, parameters, storage, results, models, training. */
export {
  initBackend,
  backendChoice,
  convolutionTraining,
  requireConvolutionTraining,
  type BackendName,
  type BackendChoice,
  BACKEND_ORDER,
  type BackendAttempt,
} from "./backend";
export {
  resolveConfig,
  notebookParams,
  parseCliArgs,
  checkParamRules,
  type ConfigValue,
  type Config,
  type Mode,
  type ParamRule,
  type ParamRules,
} from "./config";
export { repoRoot, reportsDir, resultsDir, cacheDir } from "./paths";
export { writeFileAtomic, writeJsonAtomic, writeBlobSet, readBlobSet, type BlobSet, type BlobSetRead } from "./store";
export {
  buildMlp,
  Mlp,
  predictInBatches,
  type Activation,
  type MlpSpec,
  type Network,
  type DenseLayer,
  type ForwardOptions,
  type SerializedNetwork,
} from "./models";
export { buildCnn, Cnn, type CnnSpec } from "./cnn";
export { saveNetwork, loadNetwork, type LoadedNetwork } from "./network-store";
export {
  trainNetwork,
  oneHot,
  crossEntropyLoss,
  DEFAULT_TRAIN_CONFIG,
  type TrainConfig,
  type OptimizerName,
  type LossFn,
  type TrainSet,
  type EpochRecord,
  type TrainHistory,
  type ProgressSink,
  type TrainHooks,
} from "./train";
export {
  evaluateClassifier,
  scoreLogits,
  scorePredictions,
  inferenceMsPer1000,
  type ClassifierScores,
} from "./evaluate";
export {
  showPlot,
  imageGridFigure,
  seriesStyle,
  PALETTE,
  type PlotlyFigure,
  type ImageGridOptions,
  type FigureHtmlOptions,
} from "./plot";
export { showTable, toDataFrame, saveCsv, type Row, type Cell, type DataFrameLike, type TableOptions } from "./table";
export { showMarkdown, displayHtml, showBackendBanner, progressLine, type ProgressLine } from "./display";
export {
  writeResults,
  readResults,
  type ResultInput,
  type ResultRecord,
  type Headline,
  type RecordedClaim,
} from "./results";
export { codeVersion } from "./code-version";
export { toTorchStateDict, fromTorchStateDict, type TorchStateDict, type TorchTensor } from "./torch-layout";
export { fusedDense, fusedConv2d, setFusedLayers } from "./fused-layers";
export { setFusedOptimizers } from "./fused-optimizers";
export { setFusedCrossEntropy } from "./fused-cross-entropy";
export { setFusedDistillation } from "./fused-distillation";
