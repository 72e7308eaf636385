/** Public API of @kdh/datasets: loaders, dataset operations, synthetic generators, seeded randomness. */
export * from "./rng";
export * from "./idx";
export * from "./image-dataset";
export * from "./mnist-family";
export * from "./synthetic";
