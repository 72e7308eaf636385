/** Public API of the pruning area; each concept file adds its export line here. */
export {};
