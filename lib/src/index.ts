/**
 * The public API of @kdh/lib: what the notebooks, scripts and tests import.
 * Each area keeps its own index; this file only gathers them.
 */
export * from "./core";
export * from "./data";
export * from "./distillation";
export * from "./pruning";
export * from "./gmdh";
export * from "./control";
export * from "./graph";
export * from "./history";
export * from "./comparison";
export * from "./catalog";
export * as tf from "@tensorflow/tfjs";
export * as datasets from "@kdh/datasets";
export * from "./sweep";
