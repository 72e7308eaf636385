/** Public API of the comparison area: one task, a registry of methods, cached rows, the Pareto front, figures. */
export { loadComparisonTask, type ComparisonTaskConfig, type ComparisonTask } from "./task";
export type { RowResult } from "./row-cache";
export { paretoFront, dominates, type ParetoPoint } from "./pareto";
export {
  COMPARISON_METHODS,
  comparisonMethod,
  comparisonMethodNames,
  type ComparisonConfig,
  type MethodRow,
  type ComparisonRunner,
  type ComparisonMethod,
  type ComparisonContext,
  type TrainedNet,
} from "./methods";
export { runComparison, rowCodeVersion, type ComparisonEntry, type RunComparisonOptions } from "./run";
export {
  summarizeComparison,
  summaryTableRows,
  comparisonFindings,
  compareMethods,
  type MethodSummary,
  type Comparison,
} from "./summary";
export { timelineFigure, paretoFigure, HISTORY_TIMELINE, type TimelineEntry } from "./figures";
