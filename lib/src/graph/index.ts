/** Public API of the graph area: graphs, the block-model generator, the loader, GCN and GLNN distillation. */
export * from "./graph";
export * from "./sbm";
export * from "./load";
export * from "./adjacency";
export * from "./gcn";
export * from "./node-training";
export * from "./timing";
export * from "./distillation-run";
export * from "./claims";
export * from "./catalog-entry";
