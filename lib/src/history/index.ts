/** Public API of the history area; each concept file adds its export line here. */
export * from "./perceptron";
export * from "./ising-perceptron";
export * from "./chunker";
export * from "./chunk-task";
export * from "./chunker-online";
export * from "./munge";
export * from "./naive-bayes-pseudo";
export * from "./mixed-tabular";
export * from "./tabular-compression";
export * from "./weight-decay";
export * from "./unit-bias";
