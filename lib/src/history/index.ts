/** Public API of the history area; each concept file adds its export line here. */
export * from "./perceptron";
export * from "./chunker";
export * from "./munge";
export * from "./weight-decay";
export * from "./unit-bias";
