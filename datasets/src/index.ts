/** Public API of @kdh/datasets. */
export * from "./rng";
