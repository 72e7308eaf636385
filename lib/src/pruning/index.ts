/** Public API of the pruning area: Optimal Brain Damage (LeCun, Denker & Solla, 1989) and its baselines. */
export * from "./dense";
export * from "./hessian-diagonal";
export * from "./exact-hessian";
export * from "./saliency";
export * from "./baselines";
export * from "./masks";
export * from "./prune-loop";
export * from "./benchmark";
export * from "./test-metrics";
