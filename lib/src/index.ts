/**
 * The public API of @kdh/lib: what the notebooks, scripts and tests import.
 * Each area keeps its own index, which names what it makes public (the entry points of the area and the
 * types of their parameters and results); helpers stay exported from their own files for lib's tests.
 * public-api.test.ts checks that every name the notebooks, scripts and examples use is exported here.
 * This file only gathers the areas.
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
