/** Public API of the distillation area (Hinton, Vinyals & Dean 2015, and the logit matching before it). */
export * from "./temperature";
export * from "./losses";
export * from "./teachers";
export * from "./students";
export * from "./bias-shift";
export * from "./cache";
export * from "./transfer";
export * from "./mnist-experiment";
export * from "./setup";
export * from "./reverse-experiment";
export * from "./regulariser";
export * from "./run-cache";
export * from "./grid-clock";
