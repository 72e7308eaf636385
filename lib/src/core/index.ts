/** Public API of the core area: backend, paths, parameters, storage, results, models, training. */
export * from "./backend";
export * from "./config";
export * from "./paths";
export * from "./store";
export * from "./models";
export * from "./cnn";
export * from "./network-store";
export * from "./train";
export * from "./evaluate";
export * from "./plot";
export * from "./table";
export * from "./display";
export * from "./results";
export * from "./code-version";
export * from "./torch-layout";
