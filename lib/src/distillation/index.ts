/** Public API of the distillation area (Hinton, Vinyals & Dean 2015, and the logit matching before it). */
export { softmaxWithTemperature, logSoftmaxWithTemperature, retemperProbabilities } from "./temperature";
export {
  distillationLoss,
  makeDistillationLoss,
  buildDistillationTargets,
  logitMatchingLoss,
  makeLogitMatchingLoss,
  type DistillationLossOptions,
  type DistillationLossFnOptions,
  type LogitMatchingOptions,
  type SoftTerm,
  type TeacherOutputKind,
} from "./losses";
export {
  teacherOutputs,
  transferTargets,
  classSimilarity,
  trainTeacher,
  trainCnnTeacher,
  PAPER_TEACHER,
  EnsembleTeacher,
  type Predictor,
  type EnsembleCombine,
  type Teacher,
  type TeacherOutputs,
} from "./teachers";
export {
  buildStudent,
  trainOnHardLabels,
  distillInto,
  matchLogitsInto,
  meanSd,
  STUDENT_WIDTHS,
  type ArmResult,
  type ArmData,
  type DistillOptions,
} from "./students";
export { shiftOutputBiases, biasShiftSweep, bestBiasShift, type BiasShiftPoint } from "./bias-shift";
export { cachedTeacher, dataFingerprint, type TeacherCacheKey, type CachedTeacher } from "./cache";
export { loadExperimentData, transferSubset, type ImageSource, type ExperimentData } from "./transfer";
export {
  runSection3,
  runCnnTeacherArm,
  sectionTeacher,
  PAPER_MNIST_ERRORS,
  type Section3Config,
  type Section3Result,
  type CnnArmConfig,
  type CnnArmResult,
  type ArmSummary,
  type TeacherRecipe,
  type ArmName,
} from "./mnist-experiment";
export { hintonSetup, type HintonSetup } from "./setup";
export {
  runReverseDistillation,
  type ReverseDistillationConfig,
  type ReverseDistillationResult,
} from "./reverse-experiment";
export {
  loadRegulariserData,
  runSoftTargetRegulariser,
  gapClosedPerSeed,
  shareResult,
  PAPER_SECTION5,
  type RegulariserData,
  type RegulariserConfig,
  type TeacherKind,
  type StudentArm,
  type RegulariserResult,
  type ShareResult,
  type GridProgress,
} from "./regulariser";
export { cachedRun, type RunKey, type CachedRun } from "./run-cache";
export { GridClock } from "./grid-clock";
