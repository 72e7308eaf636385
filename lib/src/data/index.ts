/** Public API of the data stage: data sets to tensors and splits. */
export { datasetInputs, labelledTensors, digitSplits, digitsAt } from "./stage";
