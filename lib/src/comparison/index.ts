/** Public API of the comparison area: one task, a registry of methods, cached rows, the Pareto front, figures. */
export * from "./task";
export * from "./row-cache";
export * from "./pareto";
export * from "./methods";
export * from "./run";
export * from "./summary";
export * from "./figures";
