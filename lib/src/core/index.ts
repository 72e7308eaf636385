/** Public API of the core area: backend, paths, parameters, storage, results, models, training. */
export * from "./backend";
